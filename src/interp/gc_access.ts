/**
 * The common GC field and element accesses as small functions, for the IR
 * ops whose bodies the table gives (`ir_defs.ts`: `struct.get32`,
 * `array.set32`, `ref.test`, …): the loop's cold function and compiled code call the
 * same functions (they are exported through `exec_helpers.ts`, which both
 * bind), and TurboFan inlines them. One-word values (i32, f32 bits, packed
 * fields and elements) and references only; the rest runs in `exec_gc.ts`.
 *
 * @module
 */
import { RuntimeError, Trap } from "../errors.ts";
import { type GcArray, GcStruct, type Storage, structLayout } from "../runtime/gc_objects.ts";
import { canonType } from "../validate/type_store.ts";
import { readValue, slotsOfStorage } from "./exec_gc.ts";
import { newArray, newArrayFilled } from "../runtime/gc_arrays.ts";
import { isOfRefType } from "../runtime/gc_casts.ts";

function trapNullStruct(): never {
  throw new RuntimeError(Trap.nullStructure);
}

function trapNullArray(): never {
  throw new RuntimeError(Trap.nullArray);
}

function trapArrayBounds(): never {
  throw new RuntimeError(Trap.arrayOutOfBounds);
}

/** `struct.get` of a one-word field (i32, f32 bits, or a packed field read unsigned). */
export function structGet32(s: unknown, o: number): number {
  if (s === null) trapNullStruct();
  return (s as GcStruct).v[o] as number;
}

/** `struct.get` of a reference field. */
export function structGetRef(s: unknown, o: number): unknown {
  if (s === null) trapNullStruct();
  return (s as GcStruct).v[o];
}

/** `struct.set` of a one-word field or a reference field (packed values already truncated). */
export function structSet(s: unknown, o: number, v: unknown): void {
  if (s === null) trapNullStruct();
  (s as GcStruct).v[o] = v;
}

/** `array.get` of a one-word element (i32, f32 bits, or i8/i16 read unsigned). */
export function arrayGet32(a: unknown, i: number): number {
  if (a === null) trapNullArray();
  const x = a as GcArray;
  if (i >>> 0 >= x.length) trapArrayBounds();
  return (x.v as Int32Array)[i];
}

/** `array.get` of a reference element. */
export function arrayGetRef(a: unknown, i: number): unknown {
  if (a === null) trapNullArray();
  const x = a as GcArray;
  if (i >>> 0 >= x.length) trapArrayBounds();
  return (x.v as unknown[])[i];
}

/** `array.set` of a one-word element (byte and halfword stores truncate by themselves). */
export function arraySet32(a: unknown, i: number, v: number): void {
  if (a === null) trapNullArray();
  const x = a as GcArray;
  if (i >>> 0 >= x.length) trapArrayBounds();
  (x.v as Int32Array)[i] = v;
}

/** `array.set` of a reference element. */
export function arraySetRef(a: unknown, i: number, v: unknown): void {
  if (a === null) trapNullArray();
  const x = a as GcArray;
  if (i >>> 0 >= x.length) trapArrayBounds();
  (x.v as unknown[])[i] = v;
}

/** `array.len`. */
export function arrayLen(a: unknown): number {
  if (a === null) trapNullArray();
  return (a as GcArray).length;
}

/**
 * `ref.test` of `v` against canonical heap type `heap`; `f` bit 0: null
 * passes, bit 1: the answer negated (`br_on_cast_fail`'s test).
 */
export function refTest(v: unknown, heap: number, f: number): number {
  return isOfRefType(v, heap, (f & 1) !== 0) !== ((f & 2) !== 0) ? 1 : 0;
}

/** `ref.cast` of `v` to canonical heap type `heap` (`f` bit 0: null passes). */
export function refCast(v: unknown, heap: number, f: number): unknown {
  if (!isOfRefType(v, heap, (f & 1) !== 0)) throw new RuntimeError(Trap.castFailure);
  return v;
}

/** `i31.get_s` (`i31.get_u` masks it): the i31 value of `v`. */
export function i31Get(v: unknown): number {
  if (v === null) throw new RuntimeError(Trap.nullI31);
  return v as number;
}

/**
 * `struct.new` of canonical type `type`, its field values in the slots
 * from `base` on (absolute slot index; a v128 field takes two).
 */
export function structNew(I32: Int32Array, R: unknown[], base: number, type: number): GcStruct {
  const t = canonType(type);
  const l = structLayout(t);
  const v: unknown[] = new Array(l.words);
  for (let i = 0, slot = base; i < l.kinds.length; i++) {
    const k = l.kinds[i] as Storage;
    readValue(I32, R, slot, k, v, l.offsets[i]);
    slot += slotsOfStorage(k);
  }
  return new GcStruct(t, v);
}

/** `struct.new_default` of canonical type `type`. */
export function structNewDefault(type: number): GcStruct {
  const t = canonType(type);
  return new GcStruct(t, structLayout(t).defaults.slice());
}

/** `struct.get` of an i64 or f64 field: its two words into `I32[d]`, `I32[d + 1]`. */
export function structGet64(I32: Int32Array, d: number, s: unknown, o: number): void {
  if (s === null) trapNullStruct();
  const v = (s as GcStruct).v;
  I32[d] = v[o] as number;
  I32[d + 1] = v[o + 1] as number;
}

/** `struct.set` of an i64 or f64 field, as its two words. */
export function structSet64(s: unknown, o: number, lo: number, hi: number): void {
  if (s === null) trapNullStruct();
  const v = (s as GcStruct).v;
  v[o] = lo;
  v[o + 1] = hi;
}

/** `array.get` of an i64 or f64 element: its two words into `I32[d]`, `I32[d + 1]`. */
export function arrayGet64(I32: Int32Array, d: number, a: unknown, i: number): void {
  if (a === null) trapNullArray();
  const x = a as GcArray;
  if (i >>> 0 >= x.length) trapArrayBounds();
  const v = x.v as Int32Array;
  I32[d] = v[2 * i];
  I32[d + 1] = v[2 * i + 1];
}

/** `array.set` of an i64 or f64 element, as its two words. */
export function arraySet64(a: unknown, i: number, lo: number, hi: number): void {
  if (a === null) trapNullArray();
  const x = a as GcArray;
  if (i >>> 0 >= x.length) trapArrayBounds();
  const v = x.v as Int32Array;
  v[2 * i] = lo;
  v[2 * i + 1] = hi;
}

/** `array.new_default` of canonical type `type` with `n` (u32) elements. */
export function arrayNewDefault(type: number, n: number): GcArray {
  return newArray(canonType(type), n);
}

/** `array.new` of `n` copies of a one-word value or a reference `v`. */
export function arrayNew(type: number, v: unknown, n: number): GcArray {
  return newArrayFilled(canonType(type), n, v, 0, 0, 0);
}
