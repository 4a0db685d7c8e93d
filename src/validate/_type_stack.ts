/**
 * The function validator's state: the operand stack of value types, the
 * control stack of frames and the initialization state of non-defaultable
 * locals, with the spec appendix's push/pop rules (subtyping included) and
 * the error helpers that name the instruction being checked. Stacks are
 * allocated once per validator and reused for every function.
 *
 * Value types are canonical (`type_store.ts`): equal types are equal
 * numbers, so the common case of a pop is one comparison.
 *
 * Members are public for the validator's other internal files (this file
 * is internal; `FuncValidator` is the entry).
 *
 * @module
 */
import { Reader } from "../binary/reader.ts";
import { HEAP_BOT, isRef, NON_NULL, resultTypeName, valTypeName } from "../binary/valtype.ts";
import { invalid } from "./_errors.ts";
import { EMPTY } from "./_func_types.ts";
import { isSubVal } from "./type_store.ts";

/** Stack slot for a value of unknown type (below an unreachable point). */
const UNKNOWN = 0;
/** `(ref bot)`: what an unknown reference is taken to be. */
const REF_BOT = HEAP_BOT | NON_NULL;

/** Control frame kinds (copied where used, see `_immediates.ts`). */
export const K_BLOCK = 0,
  K_LOOP = 1,
  K_IF = 2,
  K_ELSE = 3,
  K_FUNC = 4,
  K_TRY = 5,
  K_CATCH = 6,
  K_CATCH_ALL = 7;

/** One control frame; frames are pooled and reused. */
export class Frame {
  /** One of the K_* kinds. */
  kind = K_BLOCK;
  /** Block parameter types. */
  params: readonly number[] = EMPTY;
  /** Block result types. */
  results: readonly number[] = EMPTY;
  /** Operand stack height at entry. */
  height = 0;
  /** Height of the local-initialization stack at entry. */
  initHeight = 0;
  /** True after an unconditional branch (the stack is polymorphic). */
  unreachable = false;
}

/** Operand and control stacks of one function body being validated. */
export class TypeStack {
  /** Value types (UNKNOWN for polymorphic slots). */
  stack: Int32Array = new Int32Array(256);
  /** Operand stack height. */
  sp = 0;
  /** Highest `sp` seen in this function. */
  maxSp = 0;
  /** Frame pool; `depth` of them are live. */
  frames: Frame[] = [];
  /** Number of live control frames. */
  depth = 0;
  /** The current frame's stack height (cached from `frames`). */
  base = 0;
  /** The current frame's unreachable flag (cached from `frames`). */
  poly = false;
  /** Deepest `depth` seen in this function. */
  maxDepth = 0;
  /** 1 for each local that is initialized (defaultable ones always are). */
  localInit: Uint8Array = new Uint8Array(0);
  /** Locals initialized by `local.set`/`local.tee` since entering their block, innermost last. */
  inits: Int32Array = new Int32Array(16);
  /** Height of {@link inits}. */
  initTop = 0;
  /** Function index being validated, for messages. */
  index = 0;
  /** What is being validated, for messages (`function 3`, `global 0`). */
  where = "";
  /** Reader over the function body. */
  r: Reader = new Reader(new Uint8Array(0));
  /** Offset (in `r`) of the instruction being checked, for messages. */
  at = 0;
  /** Names a canonical type id in messages (the module's own index when it has one). */
  typeIndexName: (id: number) => string = String;

  /** Starts function `index` with body reader `r` and empty stacks. */
  reset(index: number, r: Reader, where = `function ${index}`): void {
    this.index = index;
    this.where = where;
    this.r = r;
    this.sp = 0;
    this.maxSp = 0;
    this.depth = 0;
    this.maxDepth = 0;
    this.initTop = 0;
  }

  // ---- errors ----

  /** Throws a validation error at the current instruction. */
  fail(message: string): never {
    invalid(message, this.at + this.r.base, this.where);
  }

  /** Throws a validation error at offset `at` of the body. */
  failAt(message: string, at: number): never {
    invalid(message, at + this.r.base, this.where);
  }

  /** A type's name in messages. */
  name(t: number): string {
    return valTypeName(t, this.typeIndexName);
  }

  /** A result type's name in messages (`[i32 f64]`). */
  names(ts: ArrayLike<number>): string {
    return resultTypeName(ts, this.typeIndexName);
  }

  /** Throws the spec's type mismatch (`got` null: the stack was empty). */
  mismatch(expected: number, got: number | null): never {
    const found = got === null ? "[]" : `[${this.name(got)}]`;
    this.fail(
      `type mismatch: instruction requires [${this.name(expected)}] but stack has ${found}`,
    );
  }

  // ---- operand stack ----

  /** Pushes a value of type `t`. */
  push(t: number): void {
    if (this.sp === this.stack.length) {
      const bigger = new Int32Array(this.stack.length * 2);
      bigger.set(this.stack);
      this.stack = bigger;
    }
    this.stack[this.sp++] = t;
    if (this.sp > this.maxSp) this.maxSp = this.sp;
  }

  /** Pops any value; UNKNOWN when the frame is unreachable and empty. */
  pop(): number {
    if (this.sp === this.base) {
      if (this.poly) return UNKNOWN;
      this.fail("type mismatch: instruction requires a value but stack has []");
    }
    return this.stack[--this.sp];
  }

  /** Pops a value that must match type `t` (or be unknown); returns its type. */
  popT(t: number): number {
    if (this.sp === this.base) {
      if (this.poly) return UNKNOWN;
      this.mismatch(t, null);
    }
    const got = this.stack[--this.sp];
    if (got !== t && got !== UNKNOWN && !isSubVal(got, t)) this.mismatch(t, got);
    return got;
  }

  /**
   * Pops a reference of any type and returns its type; `(ref bot)` when the
   * frame is unreachable and empty (the spec's principal choice).
   */
  popRef(): number {
    const t = this.pop();
    if (t === UNKNOWN) return REF_BOT;
    if (!isRef(t)) {
      this.fail(
        `type mismatch: instruction requires reference type but stack has [${this.name(t)}]`,
      );
    }
    return t;
  }

  /** Pops values of types `ts` (the last one first). */
  popVals(ts: readonly number[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popT(ts[i]);
  }

  /** Pushes values of types `ts`. */
  pushVals(ts: readonly number[]): void {
    for (let i = 0; i < ts.length; i++) this.push(ts[i]);
  }

  /** Checks that the top of the stack matches `ts` without popping. */
  checkTop(ts: readonly number[]): void {
    let p = this.sp;
    for (let i = ts.length - 1; i >= 0; i--) {
      if (p === this.base) {
        if (this.poly) return;
        this.mismatch(ts[i], null);
      }
      const got = this.stack[--p];
      if (got !== ts[i] && got !== UNKNOWN && !isSubVal(got, ts[i])) this.mismatch(ts[i], got);
    }
  }

  // ---- locals ----

  /** Marks local `x` initialized (until the end of the current block). */
  initLocal(x: number): void {
    if (this.localInit[x] === 1) return;
    this.localInit[x] = 1;
    if (this.initTop === this.inits.length) {
      const bigger = new Int32Array(this.inits.length * 2);
      bigger.set(this.inits);
      this.inits = bigger;
    }
    this.inits[this.initTop++] = x;
  }

  // ---- control stack ----

  /** Enters a block of `kind` whose operands are already popped. */
  pushFrame(kind: number, params: readonly number[], results: readonly number[]): void {
    if (this.depth === this.frames.length) this.frames.push(new Frame());
    const f = this.frames[this.depth++];
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
    f.kind = kind;
    f.params = params;
    f.results = results;
    f.height = this.sp;
    f.initHeight = this.initTop;
    f.unreachable = false;
    this.base = this.sp;
    this.poly = false;
  }

  /** Leaves the innermost block, checking its results; returns its frame. */
  popFrame(): Frame {
    const f = this.frames[this.depth - 1];
    this.popVals(f.results);
    if (this.sp !== f.height) {
      const rest = Array.from(this.stack.subarray(f.height, this.sp));
      this.fail(
        `type mismatch: block requires ${this.names(f.results)} but stack has ${
          this.names([...rest, ...f.results])
        }`,
      );
    }
    while (this.initTop > f.initHeight) this.localInit[this.inits[--this.initTop]] = 0;
    this.depth--;
    if (this.depth > 0) {
      const outer = this.frames[this.depth - 1];
      this.base = outer.height;
      this.poly = outer.unreachable;
    }
    return f;
  }

  /** Marks the rest of the innermost block unreachable. */
  setUnreachable(): void {
    this.frames[this.depth - 1].unreachable = true;
    this.sp = this.base;
    this.poly = true;
  }

  /** The types a branch to label `l` carries. */
  labelTypes(l: number): readonly number[] {
    if (l >= this.depth) this.fail(`unknown label ${l}`);
    const f = this.frames[this.depth - 1 - l];
    return f.kind === K_LOOP ? f.params : f.results;
  }
}
