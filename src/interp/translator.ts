/**
 * The translator's state for one function (see `translate.ts` for the
 * scheme): the control frames' shape, the output code buffer with the
 * peephole's memory of the last instruction, and the wasm operand stack,
 * whose entries may be virtual (a local or a constant) until an instruction
 * needs them in their canonical slots.
 *
 * @module
 */

import { isRef } from "../binary/valtype.ts";
import type { FuncInst } from "../runtime/func.ts";
import { slotSize } from "../runtime/func.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { IR, IR_DEFS } from "./ir_defs.ts";
import { f64ConstIndex } from "./f64_consts.ts";
import { BodyReader } from "./translate_read.ts";

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
export class Translator extends BodyReader {
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
    const nImported = inst.module.imports.filter((i) => i.desc.kind === 0).length;
    const body = inst.module.codes[fn.index - nImported];
    super(body.body.bytes, inst.module.types);
    this.fn = fn;
    this.inst = inst;
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
}

/** Word scale of each IR op's operands, by op: used by the body translator. */
export const IR_SCALES: readonly number[][] = IR_DEFS.map((d) =>
  d.operands.map((o) => scaleOf(o.kind))
);
