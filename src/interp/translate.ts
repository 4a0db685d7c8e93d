/**
 * Translation of a validated function body into register IR, in one pass
 * with a control stack (the approach of wasmi's translator).
 *
 * Every value on the wasm operand stack has a canonical frame slot decided
 * by its height (after the locals; a v128 takes two slots), so values meet
 * at the same slot on every path into a label. While translating, a stack
 * entry may instead be *virtual* — a local (`local.get`) or a constant — so
 * that `local.get a; local.get b; i32.add; local.set c` becomes the single
 * instruction `i32.add c, a, b`:
 * - operands that are locals are read from the local's slot directly;
 * - constants become immediates where an `_i` form exists, else they are
 *   materialized into their canonical slot;
 * - `local.set`/`local.tee` right after an instruction rewrite that
 *   instruction's destination (no move);
 * - `br_if`/`if` right after a comparison fuse with it (`br_if.i32.lt_s`).
 * Virtual locals are materialized before the local is written and at
 * control-flow entries, so every path sees the value from before the write.
 *
 * The input must have passed validation; translation does not re-check it.
 *
 * @module
 */

import type { FuncType } from "../binary/types.ts";
import { Reader } from "../binary/reader.ts";
import { concreteHeap, isRef, NON_NULL } from "../binary/valtype.ts";
import type { FuncInst } from "../runtime/func.ts";
import { slotSize, slotsOf } from "../runtime/func.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { IR, IR_DEFS } from "./ir_defs.ts";
import { f64ConstIndex } from "./f64_consts.ts";
import { bundlePairs, threadJumps } from "./translate_post.ts";
import { translateBody } from "./translate_body.ts";
import { finishHandlers } from "./translate_eh.ts";

/** Stack entry kinds. */
export const TEMP = 0, LOCAL = 1, CONST = 2;
/** Control frame kinds (TRY: a legacy `try` body; CATCH: one of its `catch` clauses). */
export const BLOCK = 0, LOOP = 1, IF = 2, ELSE = 3, FUNC = 4, TRY = 5, CATCH = 6;

/** A control frame. */
export interface Ctl {
  /** BLOCK, LOOP, IF, ELSE or FUNC. */
  kind: number;
  /** Stack height where the frame's values start (its params). */
  base: number;
  /** Parameter types. */
  params: readonly number[];
  /** Result types. */
  results: readonly number[];
  /** Loop: the pc of its first instruction. */
  target: number;
  /** Code positions holding branch targets to patch with the end's pc. */
  patches: number[];
  /** `if`: position of the branch-to-else target, -1 once patched. */
  elsePatch: number;
  /** The rest of the frame is dead code (after br, return, unreachable). */
  unreachable: boolean;
  /**
   * A `block` or `if` with one result followed by `local.set`: that local's
   * slot, where branches and the fall-through put the result; else -1.
   */
  home: number;
  /** The try block this frame opened (`try_table`, legacy `try`), or -1. */
  tryBlock: number;
  /** The try block whose handlers code inside this frame is under (-1: none). */
  inside: number;
  /** Handler clauses (indices) whose target is this frame's end. */
  hpatches: number[];
}

/** A try block while translating (see `Handlers` in `runtime/func.ts`). */
export interface TryBlock {
  /** Start of its protected range. */
  start: number;
  /** End of its protected range (-1 while open). */
  end: number;
  /** Enclosing try block, or -1. */
  parent: number;
  /** Its clauses' indices. */
  clauses: number[];
  /** Legacy `delegate`: the block it delegates to (-1: the caller), else -2. */
  delegate: number;
}

/** Word scale of an operand kind (2 for word-indexed views, else 1). */
export function scaleOf(kind: string): number {
  return kind === "d" || kind === "r" || kind === "s" ? 1 : 2;
}

const V128 = 0x7b;

/** One function's translation state. */
export class Translator {
  /** The body's instruction bytes. */
  readonly bytes: Uint8Array;
  /** A decoder's reader over {@link bytes}, for skipping immediates the translator does not read. */
  readonly reader: Reader;
  /** Read position in {@link bytes}. */
  pos: number;
  /** The instance whose function this is. */
  readonly inst: InstanceState;
  /** The function being translated. */
  readonly fn: FuncInst;
  /** Output code (grows). */
  code: Int32Array;
  /** Words of {@link code} in use. */
  n = 0;
  /** Type of each local (parameters first). */
  readonly localTypes: number[] = [];
  /** Frame slot of each local. */
  readonly localSlot: number[] = [];
  /** Slots taken by all locals. */
  localSlots = 0;
  /** Value stack, by height: type… */
  vt: number[] = [];
  /** …kind (TEMP, LOCAL, CONST)… */
  vk: number[] = [];
  /** …local slot or constant (low half)… */
  vv: number[] = [];
  /** …constant's high half… */
  vh: number[] = [];
  /** …and canonical slot. */
  vs: number[] = [];
  /** Stack height. */
  sp = 0;
  /** Highest slot used (frame size). */
  maxSlot = 0;
  /** Number of LOCAL entries on the stack. */
  localRefs = 0;
  /** Control stack. */
  readonly ctl: Ctl[] = [];
  /** Start of the last instruction, if it produced the stack top (else -1). */
  lastStart: number = -1;
  /** Position of that instruction's destination operand. */
  lastDest: number = -1;
  /** That operand's word scale. */
  lastScale = 2;
  /** Stack height of the value it produced. */
  lastHeight: number = -1;
  /**
   * By stack height: start of the instruction that wrote the entry, when
   * {@link produced} recorded it (else -1): lets a float operand's load
   * become a value load even when other code came between.
   */
  producer: number[] = [];
  /** LEB scratch: high half of the last i64 read. */
  hi = 0;
  /** Try blocks, in the order they open (an inner block after its outer). */
  readonly tryBlocks: TryBlock[] = [];
  /** Handler clauses, 4 numbers each (kind, tag, slot, target). */
  readonly clauses: number[] = [];
  /** The innermost open try block around the current position (-1: none). */
  curTry = -1;
  /** Clauses whose target is the function's return (patched once the body is done). */
  readonly returnClauses: number[] = [];

  /** Prepares the translation of `fn` (locals laid out, nothing read yet). */
  constructor(fn: FuncInst) {
    const inst = fn.inst!;
    this.fn = fn;
    this.inst = inst;
    const nImported = inst.module.imports.filter((i) => i.desc.kind === 0).length;
    const body = inst.module.codes[fn.index - nImported];
    this.bytes = body.body.bytes;
    this.reader = new Reader(this.bytes);
    this.pos = 0;
    this.code = new Int32Array(Math.max(64, this.bytes.length * 2));
    for (const t of fn.type.params) this.addLocal(t);
    for (const { count, type } of body.locals) for (let i = 0; i < count; i++) this.addLocal(type);
    this.maxSlot = this.localSlots;
  }

  /** Lays out one more local. */
  private addLocal(t: number): void {
    this.localTypes.push(t);
    this.localSlot.push(this.localSlots);
    this.localSlots += slotSize(t);
  }

  // ---------------------------------------------------------- reading ----

  /** Reads a byte. */
  byte(): number {
    return this.bytes[this.pos++];
  }

  /** Reads an unsigned LEB128 u32. */
  u32(): number {
    let r = 0, shift = 0, b: number;
    do {
      b = this.bytes[this.pos++];
      r |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return r >>> 0;
  }

  /** Reads a signed LEB128 i32. */
  s32(): number {
    let r = 0, shift = 0, b: number;
    do {
      b = this.bytes[this.pos++];
      r |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 32 && (b & 0x40)) r |= -1 << shift;
    return r | 0;
  }

  /** Reads a signed LEB128 i64: returns the low half, sets {@link hi}. */
  s64(): number {
    let lo = 0, hi = 0, shift = 0, b: number;
    do {
      b = this.bytes[this.pos++];
      const v = b & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else if (shift < 64) hi |= v << (shift - 32);
      shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) {
      if (shift < 32) {
        lo |= -1 << shift;
        hi = -1;
      } else hi |= -1 << (shift - 32);
    }
    this.hi = hi | 0;
    return lo | 0;
  }

  /** Reads a value type (`valtype.ts` form, module type indices). */
  valType(): number {
    const b = this.byte();
    if (b === 0x63 || b === 0x64) return this.heapType() | (b === 0x64 ? NON_NULL : 0);
    return b;
  }

  /** Reads a heap type (an abstract type's byte or an s33 type index) in `valtype.ts` form. */
  heapType(): number {
    const b = this.bytes[this.pos];
    if (b >= 0x69 && b <= 0x74) {
      this.pos++;
      return b;
    }
    return concreteHeap(this.s32());
  }

  /** Reads an unsigned LEB128 u64 as halves (low returned, {@link hi} set). */
  u64(): number {
    let lo = 0, hi = 0, shift = 0, b: number;
    do {
      b = this.bytes[this.pos++];
      const v = b & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else if (shift < 64) hi |= v << (shift - 32);
      shift += 7;
    } while (b & 0x80);
    this.hi = hi | 0;
    return lo | 0;
  }

  /** Four little-endian bytes as an int32. */
  word(): number {
    const b = this.bytes, p = this.pos;
    this.pos = p + 4;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  /** A block type as [params, results]. */
  blockType(): [readonly number[], readonly number[]] {
    const b = this.bytes[this.pos];
    if (b === 0x40) {
      this.pos++;
      return [[], []];
    }
    if (b >= 0x69 && b <= 0x7f) {
      this.pos++;
      return [[], [b]];
    }
    if (b === 0x63 || b === 0x64) {
      this.pos++;
      return [[], [this.heapType() | (b === 0x64 ? NON_NULL : 0)]];
    }
    const t: FuncType = this.inst.module.types[this.s32()];
    return [t.params, t.results];
  }

  // --------------------------------------------------------- emitting ----

  /** Makes room for `k` more words. */
  room(k: number): void {
    if (this.n + k <= this.code.length) return;
    const c = new Int32Array(Math.max(this.code.length * 2, this.n + k));
    c.set(this.code.subarray(0, this.n));
    this.code = c;
  }

  /** Emits an instruction (opcode and operand words); forgets the peephole state. */
  emit(op: number, ...words: number[]): number {
    this.room(words.length + 1);
    const start = this.n;
    this.code[this.n++] = op;
    for (const w of words) this.code[this.n++] = w;
    this.lastStart = -1;
    return start;
  }

  /**
   * Records that the instruction at `start` wrote the entry now at the top,
   * through its operand at `start + at` (which a `local.set` may redirect).
   */
  produced(start: number, scale: number, at = 1): void {
    this.lastStart = start;
    this.lastDest = start + at;
    this.lastScale = scale;
    this.lastHeight = this.sp - 1;
    this.producer[this.sp - 1] = start;
  }

  /** Whether the stack top was produced by the last emitted instruction. */
  topIsLast(): boolean {
    return this.lastStart >= 0 && this.lastHeight === this.sp - 1 && this.vk[this.sp - 1] === TEMP;
  }

  /** Marks the current position as a branch target (no peephole across it). */
  label(): number {
    this.lastStart = -1;
    return this.n;
  }

  // ------------------------------------------------------------ stack ----

  /** Canonical slot of stack height `h`. */
  slotAt(h: number): number {
    return h === 0 ? this.localSlots : this.vs[h - 1] + slotSize(this.vt[h - 1]);
  }

  /** Pushes a stack entry of `type` (a temporary unless `kind` says otherwise). */
  push(type: number, kind = TEMP, v = 0, hi = 0): void {
    const h = this.sp++;
    const s = this.slotAt(h);
    this.vt[h] = type;
    this.vk[h] = kind;
    this.vv[h] = v;
    this.vh[h] = hi;
    this.vs[h] = s;
    this.producer[h] = -1;
    const top = s + slotSize(type);
    if (top > this.maxSlot) this.maxSlot = top;
    if (kind === LOCAL) this.localRefs++;
  }

  /** Pops the top entry. */
  pop(): void {
    const h = --this.sp;
    if (this.vk[h] === LOCAL) this.localRefs--;
  }

  /** Truncates the stack to height `h`. */
  popTo(h: number): void {
    while (this.sp > h) this.pop();
  }

  /** Slot an entry's value is read from (its local's slot, or its own). */
  srcSlot(h: number): number {
    return this.vk[h] === LOCAL ? this.vv[h] : this.vs[h];
  }

  /** Moves a value of type `t` between slots. */
  move(t: number, dst: number, src: number): void {
    if (dst === src) return;
    if (isRef(t)) this.emit(IR["movref"], dst, src);
    else if (t === V128) this.emit(IR["mov128"], dst * 2, src * 2);
    else if (t === 0x7e || t === 0x7c) this.emit(IR["mov64"], dst * 2, src * 2);
    else this.emit(IR["mov32"], dst * 2, src * 2);
  }

  /** Writes entry `h`'s value into slot `dst`. */
  valueTo(h: number, dst: number): void {
    const t = this.vt[h];
    if (this.vk[h] === CONST) {
      const k = t === 0x7c ? f64ConstIndex(this.vv[h], this.vh[h]) : -1;
      if (k >= 0) this.emit(IR["constf64"], dst, k);
      else if (t === 0x7e || t === 0x7c) this.emit(IR["const64"], dst * 2, this.vv[h], this.vh[h]);
      else this.emit(IR["const32"], dst * 2, this.vv[h]);
    } else this.move(t, dst, this.srcSlot(h));
  }

  /** Puts entry `h` into its canonical slot (no longer virtual). */
  materialize(h: number): void {
    const k = this.vk[h];
    if (k === TEMP) return;
    this.valueTo(h, this.vs[h]);
    if (k === LOCAL) this.localRefs--;
    this.vk[h] = TEMP;
  }

  /** Materializes every virtual local on the stack (and the top `k` entries). */
  materializeForControl(k: number): void {
    if (this.localRefs > 0) {
      for (let h = 0; h < this.sp; h++) if (this.vk[h] === LOCAL) this.materialize(h);
    }
    for (let h = this.sp - k; h < this.sp; h++) this.materialize(h);
  }

  /** Encodes entry `h` as an operand of the given kind. */
  operand(h: number, kind: string): number {
    return this.srcSlot(h) * scaleOf(kind);
  }

  // ---------------------------------------------------------- control ----

  /** Opens a control frame whose params are the top stack entries. */
  pushCtl(kind: number, params: readonly number[], results: readonly number[]): Ctl {
    const c: Ctl = {
      kind,
      base: this.sp - params.length,
      params,
      results,
      target: -1,
      patches: [],
      elsePatch: -1,
      unreachable: false,
      home: -1,
      tryBlock: -1,
      inside: this.curTry,
      hpatches: [],
    };
    this.ctl.push(c);
    return c;
  }

  /** The frame `depth` labels out. */
  labelCtl(depth: number): Ctl {
    return this.ctl[this.ctl.length - 1 - depth];
  }

  /** Types a branch to `c` carries. */
  labelTypes(c: Ctl): readonly number[] {
    return c.kind === LOOP ? c.params : c.results;
  }

  /** Whether branching to `c` needs moves (values not in the label's slots). */
  needsMoves(c: Ctl): boolean {
    if (c.kind === FUNC) return true;
    if (c.home >= 0) return !(this.vk[this.sp - 1] === LOCAL && this.vv[this.sp - 1] === c.home);
    const types = this.labelTypes(c);
    let dst = this.slotAt(c.base);
    for (let i = 0, h = this.sp - types.length; i < types.length; i++, h++) {
      if (this.vk[h] !== TEMP || this.vs[h] !== dst) return true;
      dst += slotSize(types[i]);
    }
    return false;
  }

  /** Moves the branch values into `c`'s label slots (ascending order is safe). */
  branchMoves(c: Ctl): void {
    if (c.home >= 0) {
      this.valueTo(this.sp - 1, c.home);
      return;
    }
    const types = this.labelTypes(c);
    let dst = this.slotAt(c.base);
    for (let i = 0, h = this.sp - types.length; i < types.length; i++, h++) {
      this.valueTo(h, dst);
      dst += slotSize(types[i]);
    }
  }

  /** Puts the results of `c`'s fall-through where its label expects them. */
  fallResults(c: Ctl): void {
    if (c.home < 0) {
      for (let h = this.sp - c.results.length; h < this.sp; h++) this.materialize(h);
    } else if (this.topIsLast()) this.code[this.lastDest] = c.home * this.lastScale;
    else this.valueTo(this.sp - 1, c.home);
  }

  /** Emits a jump to `c` (recording a patch for forward labels). */
  jumpTo(c: Ctl, op: number, ...words: number[]): void {
    this.emit(op, ...words, c.kind === LOOP ? c.target : -1);
    if (c.kind !== LOOP) c.patches.push(this.n - 1);
  }

  /** Emits the return sequence: results to slots 0…, then `return`. */
  emitReturn(): void {
    const results = this.fn.type.results;
    const k = results.length;
    if (k === 1) {
      const h = this.sp - 1;
      const t = results[0];
      if (this.topIsLast()) {
        // The instruction that computed the result writes slot 0 directly.
        this.code[this.lastDest] = 0;
      } else if (this.vk[h] !== CONST && !isRef(t) && t !== V128) {
        const src = this.srcSlot(h);
        if (src !== 0) {
          this.emit(t === 0x7e || t === 0x7c ? IR["ret64"] : IR["ret32"], src * 2);
          return;
        }
      } else this.valueTo(h, 0);
    } else if (k > 1) {
      for (let h = this.sp - k; h < this.sp; h++) this.materialize(h);
      let dst = 0;
      for (let i = 0, h = this.sp - k; i < k; i++, h++) {
        this.move(results[i], dst, this.vs[h]);
        dst += slotSize(results[i]);
      }
    }
    this.emit(IR["return"]);
  }

  /** Marks the rest of the current block unreachable. */
  setUnreachable(): void {
    this.ctl[this.ctl.length - 1].unreachable = true;
  }

  /** Patches every recorded branch to `c`'s end to the current position. */
  patchEnd(c: Ctl): void {
    const here = this.label();
    for (const p of c.patches) this.code[p] = here;
    if (c.elsePatch >= 0) this.code[c.elsePatch] = here;
    for (const k of c.hpatches) this.clauses[k * 4 + 3] = here;
  }
}

/** Word scale of each IR op's operands, by op: used by the body translator. */
export const IR_SCALES: readonly number[][] = IR_DEFS.map((d) =>
  d.operands.map((o) => scaleOf(o.kind))
);

/**
 * Translates `fn` (a wasm function of a live instance) to IR, storing the
 * code and frame layout on it. Returns the code.
 */
export function translateFunction(fn: FuncInst): Int32Array {
  const t = new Translator(fn);
  translateBody(t);
  const handlerTargets = finishHandlers(t);
  threadJumps(t.code, t.n);
  bundlePairs(t.code, t.n, handlerTargets);
  const code = t.code.slice(0, t.n);
  fn.frameSlots = Math.max(t.maxSlot, fn.paramSlots, fn.resultSlots, 1);
  fn.paramWords = fn.paramSlots * 2;
  fn.localWords = t.localSlots * 2;
  const refs: number[] = [];
  for (let i = fn.type.params.length; i < t.localTypes.length; i++) {
    if (isRef(t.localTypes[i])) refs.push(t.localSlot[i]);
  }
  fn.refLocals = refs.length > 0 ? Int32Array.from(refs) : null;
  fn.hasLocals = fn.localWords > fn.paramWords;
  fn.code = code;
  return code;
}

export { isRef, slotsOf };
