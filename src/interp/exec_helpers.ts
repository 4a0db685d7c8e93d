/**
 * Out-of-line parts of the dispatch loop: traps, bulk memory and table
 * operations, loads/stores on other memories or with 64-bit addresses.
 * Operands are read from the code array at the instruction's `pc`, with the
 * layouts declared in `ir_defs.ts`.
 *
 * @module
 */

import { isSubId } from "../validate/type_store.ts";
import { OPCODES } from "../binary/opcodes.ts";
import { RuntimeError, Trap } from "../errors.ts";
import type { FuncInst } from "../runtime/func.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import type { MemInst } from "../runtime/memory.ts";
import type { TableInst } from "../runtime/table.ts";
import { addrAt, effectiveAddress } from "./address.ts";

/** Messages of the `trap` IR op's operand (0 is `unreachable`). */
export const TRAP_CODES: readonly string[] = [
  Trap.unreachable,
  Trap.memoryOutOfBounds,
  Trap.tableOutOfBounds,
  Trap.divideByZero,
  Trap.integerOverflow,
];

/** Throws the trap numbered `n` in {@link TRAP_CODES}. */
export function trapCode(n: number): never {
  throw new RuntimeError(TRAP_CODES[n] ?? Trap.unreachable);
}

/** `ref.as_non_null`: traps "null reference" when `v` is null. */
export function refAsNonNull(v: unknown): void {
  if (v === null) throw new RuntimeError(Trap.nullReference);
}

/** Out of bounds memory access. */
export function trapMemory(): never {
  throw new RuntimeError(Trap.memoryOutOfBounds);
}

/**
 * The out-of-bounds trap of the dispatch loop's inline memory-0 accesses.
 * The loop's handler re-runs the access (from a fresh slice, with fresh
 * views) when memory 0 has grown meanwhile — a shared memory grown by another
 * thread — and otherwise reports it as the trap it is. An inline access
 * checks its bounds before it changes anything, so running it again is safe.
 */
export class MemoryFault extends RuntimeError {
  constructor() {
    super(Trap.memoryOutOfBounds);
  }
}

/** Throws {@link MemoryFault} (the inline checks' slow path; see there). */
export function memoryFault(): never {
  throw new MemoryFault();
}

/** Out of bounds table access. */
export function trapTable(): never {
  throw new RuntimeError(Trap.tableOutOfBounds);
}

/** Call stack exhausted. */
export function trapStack(): never {
  throw new RuntimeError(Trap.callStackExhausted);
}

/**
 * call_indirect failures: 0 undefined, 1 uninitialized, 2 type mismatch.
 * The message names the table index, as the reference interpreter's does.
 */
export function trapIndirect(kind: number, index: number): never {
  const what = kind === 0
    ? Trap.undefinedElement
    : kind === 1
    ? Trap.uninitializedElement
    : Trap.indirectCallTypeMismatch;
  // Table64 indices from 2^53 up reach here as Infinity (see addrAt).
  const at = Number.isFinite(index) ? `${index}` : "(index ≥ 2^53)";
  throw new RuntimeError(kind === 2 ? what : `${what} ${at}`);
}

/** A table index operand (for table64, exact or Infinity). */
export function tableIndex(t: TableInst, I32: Int32Array, w: number): number {
  return addrAt(I32, w, t.index64);
}

/**
 * The callee of `call_indirect`/`return_call_indirect` at `pc` (operands
 * `tbl type base c`), or the spec's trap: index out of the table, null
 * element, or a signature other than the one the call expects.
 */
export function indirectCallee(
  inst: InstanceState,
  I32: Int32Array,
  fp: number,
  code: Int32Array,
  pc: number,
): FuncInst {
  const t = inst.tables[code[pc + 1]];
  const i = tableIndex(t, I32, fp + code[pc + 4]);
  if (i >= t.elems.length) trapIndirect(0, i);
  const f = t.elems[i] as FuncInst | null;
  if (f === null) trapIndirect(1, i);
  // Equal canonical ids are the common case; a subtype matches too (GC).
  if (f.typeId !== code[pc + 2] && !isSubId(f.typeId, code[pc + 2])) trapIndirect(2, i);
  return f;
}

/** memory.grow: the delta at word `w`. Returns old pages or -1. */
export function growMemory(mem: MemInst, I32: Int32Array, w: number): number {
  const delta = addrAt(I32, w, mem.index64);
  return delta > mem.maxPages ? -1 : mem.grow(delta);
}

/** memory.fill m a b n */
export function memoryFill(
  mem: MemInst,
  I32: Int32Array,
  fp: number,
  code: Int32Array,
  pc: number,
): void {
  const d = addrAt(I32, fp + code[pc + 2], mem.index64);
  const v = I32[fp + code[pc + 3]];
  const n = addrAt(I32, fp + code[pc + 4], mem.index64);
  if (!mem.covers(d + n)) trapMemory();
  mem.u8.fill(v, d, d + n);
}

/** memory.copy m m2 a b n */
export function memoryCopy(
  inst: InstanceState,
  I32: Int32Array,
  fp: number,
  code: Int32Array,
  pc: number,
): void {
  const dm = inst.memories[code[pc + 1]], sm = inst.memories[code[pc + 2]];
  const d = addrAt(I32, fp + code[pc + 3], dm.index64);
  const s = addrAt(I32, fp + code[pc + 4], sm.index64);
  const n = addrAt(I32, fp + code[pc + 5], dm.index64 && sm.index64);
  if (!dm.covers(d + n) || !sm.covers(s + n)) trapMemory();
  if (dm === sm) dm.u8.copyWithin(d, s, s + n);
  else dm.u8.set(sm.u8.subarray(s, s + n), d);
}

/** memory.init m seg a b n */
export function memoryInit(
  inst: InstanceState,
  I32: Int32Array,
  fp: number,
  code: Int32Array,
  pc: number,
): void {
  const mem = inst.memories[code[pc + 1]];
  const seg = inst.datas[code[pc + 2]];
  const d = addrAt(I32, fp + code[pc + 3], mem.index64);
  const s = I32[fp + code[pc + 4]] >>> 0;
  const n = I32[fp + code[pc + 5]] >>> 0;
  if (s + n > seg.length || !mem.covers(d + n)) trapMemory();
  mem.u8.set(seg.subarray(s, s + n), d);
}

/** table.grow: returns the old size or -1. */
export function tableGrow(t: TableInst, init: unknown, I32: Int32Array, w: number): number {
  const n = addrAt(I32, w, t.index64);
  return n > t.max ? -1 : t.grow(n, init);
}

/** table.fill tbl a b n */
export function tableFill(
  t: TableInst,
  I32: Int32Array,
  fp: number,
  v: unknown,
  code: Int32Array,
  pc: number,
): void {
  const i = addrAt(I32, fp + code[pc + 2], t.index64);
  const n = addrAt(I32, fp + code[pc + 4], t.index64);
  if (i + n > t.elems.length) trapTable();
  t.elems.fill(v, i, i + n);
}

/** table.copy tbl tbl2 a b n */
export function tableCopy(
  inst: InstanceState,
  I32: Int32Array,
  fp: number,
  code: Int32Array,
  pc: number,
): void {
  const dt = inst.tables[code[pc + 1]], st = inst.tables[code[pc + 2]];
  const d = addrAt(I32, fp + code[pc + 3], dt.index64);
  const s = addrAt(I32, fp + code[pc + 4], st.index64);
  const n = addrAt(I32, fp + code[pc + 5], dt.index64 && st.index64);
  if (d + n > dt.elems.length || s + n > st.elems.length) trapTable();
  if (dt === st) dt.elems.copyWithin(d, s, s + n);
  else for (let k = 0; k < n; k++) dt.elems[d + k] = st.elems[s + k];
}

/** table.init tbl seg a b n */
export function tableInit(
  inst: InstanceState,
  I32: Int32Array,
  fp: number,
  code: Int32Array,
  pc: number,
): void {
  const t = inst.tables[code[pc + 1]];
  const seg = inst.elems[code[pc + 2]];
  const d = addrAt(I32, fp + code[pc + 3], t.index64);
  const s = I32[fp + code[pc + 4]] >>> 0;
  const n = I32[fp + code[pc + 5]] >>> 0;
  if (s + n > seg.length || d + n > t.elems.length) trapTable();
  for (let k = 0; k < n; k++) t.elems[d + k] = seg[s + k];
}

/** Effective address of a slow load/store, or -1 when out of bounds. */
function slowEa(
  mem: MemInst,
  I32: Int32Array,
  w: number,
  offLo: number,
  offHi: number,
  bytes: number,
): number {
  const ea = effectiveAddress(I32, w, mem.index64, offLo, offHi);
  return mem.covers(ea + bytes) ? ea : -1;
}

const WIDTH: Record<string, number> = { "8": 1, "16": 2, "32": 4 };

/** Bytes accessed and signedness of a plain load/store, from its name. */
function accessOf(name: string): [number, boolean, boolean] {
  const [type, op] = name.split(".");
  const m = /^(load|store)(8|16|32)?(_s|_u)?$/.exec(op)!;
  const bytes = m[2] ? WIDTH[m[2]] : type === "i32" || type === "f32" ? 4 : 8;
  return [bytes, m[3] === "_s", type === "i64" || type === "f64"];
}

/** load_slow op m d a o(lo, hi) */
export function loadSlow(
  inst: InstanceState,
  I32: Int32Array,
  fp: number,
  code: Int32Array,
  pc: number,
): void {
  const [bytes, signed, wide] = accessOf(OPCODES[code[pc + 1]].name);
  const mem = inst.memories[code[pc + 2]];
  const ea = slowEa(mem, I32, fp + code[pc + 4], code[pc + 5], code[pc + 6], bytes);
  if (ea < 0) trapMemory();
  const dv = mem.dv, d = fp + code[pc + 3];
  let lo: number, hi = 0;
  if (bytes === 8) {
    lo = dv.getInt32(ea, true);
    hi = dv.getInt32(ea + 4, true);
  } else {
    lo = bytes === 4
      ? dv.getInt32(ea, true)
      : bytes === 2
      ? (signed ? dv.getInt16(ea, true) : dv.getUint16(ea, true))
      : (signed ? dv.getInt8(ea) : dv.getUint8(ea));
    hi = signed ? lo >> 31 : 0;
  }
  I32[d] = lo;
  if (wide) I32[d + 1] = hi;
}

/** store_slow op m a b o(lo, hi) */
export function storeSlow(
  inst: InstanceState,
  I32: Int32Array,
  fp: number,
  code: Int32Array,
  pc: number,
): void {
  const [bytes] = accessOf(OPCODES[code[pc + 1]].name);
  const mem = inst.memories[code[pc + 2]];
  const ea = slowEa(mem, I32, fp + code[pc + 3], code[pc + 5], code[pc + 6], bytes);
  if (ea < 0) trapMemory();
  const dv = mem.dv, b = fp + code[pc + 4];
  if (bytes === 8) {
    dv.setInt32(ea, I32[b], true);
    dv.setInt32(ea + 4, I32[b + 1], true);
  } else if (bytes === 4) dv.setInt32(ea, I32[b], true);
  else if (bytes === 2) dv.setInt16(ea, I32[b], true);
  else dv.setInt8(ea, I32[b]);
}

// The GC accesses table bodies call: bound with the rest of these helpers in
// the loop and in compiled code.
export {
  arrayGet32,
  arrayGet64,
  arrayGetRef,
  arrayLen,
  arrayNew,
  arrayNewDefault,
  arraySet32,
  arraySet64,
  arraySetRef,
  i31Get,
  refCast,
  refTest,
  structGet32,
  structGet64,
  structGetRef,
  structNew,
  structNewDefault,
  structSet,
  structSet64,
} from "./gc_access.ts";
