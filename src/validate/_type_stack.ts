/**
 * The function validator's state: the operand stack of value types and the
 * control stack of frames, with the spec appendix's push/pop rules and the
 * error helpers that name the instruction being checked. Stacks are
 * allocated once per validator and reused for every function.
 *
 * Members are public for the validator's other internal files (this file
 * is internal; `FuncValidator` is the entry).
 *
 * @module
 */
import { Reader } from "../binary/reader.ts";
import { invalid } from "./_errors.ts";
import { EMPTY, typeName } from "./_func_types.ts";

/** Stack slot for a value of unknown type (below an unreachable point). */
const UNKNOWN = 0;

/** Control frame kinds (copied where used, see `_immediates.ts`). */
export const K_BLOCK = 0, K_LOOP = 1, K_IF = 2, K_ELSE = 3, K_FUNC = 4;

/** One control frame; frames are pooled and reused. */
export class Frame {
  /** K_BLOCK, K_LOOP, K_IF, K_ELSE or K_FUNC. */
  kind = K_BLOCK;
  /** Block parameter types. */
  params: readonly number[] = EMPTY;
  /** Block result types. */
  results: readonly number[] = EMPTY;
  /** Operand stack height at entry. */
  height = 0;
  /** True after an unconditional branch (the stack is polymorphic). */
  unreachable = false;
}

/** Operand and control stacks of one function body being validated. */
export class TypeStack {
  /** Value type codes (UNKNOWN for polymorphic slots). */
  stack: Uint8Array = new Uint8Array(256);
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
  /** Function index being validated, for messages. */
  index = 0;
  /** Reader over the function body. */
  r: Reader = new Reader(new Uint8Array(0));
  /** Offset (in `r`) of the instruction being checked, for messages. */
  at = 0;

  /** Starts function `index` with body reader `r` and empty stacks. */
  reset(index: number, r: Reader): void {
    this.index = index;
    this.r = r;
    this.sp = 0;
    this.maxSp = 0;
    this.depth = 0;
    this.maxDepth = 0;
  }

  // ---- errors ----

  /** Throws a validation error at the current instruction. */
  fail(message: string): never {
    invalid(message, this.at + this.r.base, `function ${this.index}`);
  }

  /** Throws a validation error at offset `at` of the body. */
  failAt(message: string, at: number): never {
    invalid(message, at + this.r.base, `function ${this.index}`);
  }

  /** Throws the spec's type mismatch (`got` null: the stack was empty). */
  mismatch(expected: number, got: number | null): never {
    const found = got === null ? "nothing" : typeName(got);
    this.fail(`type mismatch: expected ${typeName(expected)}, found ${found}`);
  }

  // ---- operand stack ----

  /** Pushes a value of type `t`. */
  push(t: number): void {
    if (this.sp === this.stack.length) {
      const bigger = new Uint8Array(this.stack.length * 2);
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
      this.fail("type mismatch: expected a value, found nothing");
    }
    return this.stack[--this.sp];
  }

  /** Pops a value that must have type `t` (or be unknown). */
  popT(t: number): number {
    if (this.sp === this.base) {
      if (this.poly) return UNKNOWN;
      this.mismatch(t, null);
    }
    const got = this.stack[--this.sp];
    if (got !== t && got !== UNKNOWN) this.mismatch(t, got);
    return got;
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
      if (got !== ts[i] && got !== UNKNOWN) this.mismatch(ts[i], got);
    }
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
    f.unreachable = false;
    this.base = this.sp;
    this.poly = false;
  }

  /** Leaves the innermost block, checking its results; returns its frame. */
  popFrame(): Frame {
    const f = this.frames[this.depth - 1];
    this.popVals(f.results);
    if (this.sp !== f.height) {
      this.fail(`type mismatch: ${this.sp - f.height} extra value(s) at the end of a block`);
    }
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
