/**
 * GC array semantics shared by the interpreter and constant evaluation:
 * allocation (`array.new*`), bulk operations (`array.fill`, `array.copy`,
 * `array.init_data`, `array.init_elem`) and their bounds checks, on the
 * storage `gc_objects.ts` describes. Element values are passed in word form
 * (`w0`…`w3`: an i32, f32, i8 or i16 value or a reference in `w0`; an i64
 * or f64 as two int32 words; a v128 as four).
 *
 * @module
 */
import { RuntimeError, Trap } from "../errors.ts";
import type { CanonType } from "../validate/type_store.ts";
import {
  type ArrayStore,
  elementStorage,
  GcArray,
  MAX_ARRAY_BYTES,
  MAX_ARRAY_LENGTH,
  MAX_REF_ARRAY_LENGTH,
  newArrayStore,
  Storage,
  wordsOf,
} from "./gc_objects.ts";

/** Bytes one element of kind `k` takes in a data segment. */
export function elementBytes(k: Storage): number {
  switch (k) {
    case Storage.i8:
      return 1;
    case Storage.i16:
      return 2;
    case Storage.i64:
    case Storage.f64:
      return 8;
    case Storage.v128:
      return 16;
    default:
      return 4;
  }
}

function trap(message: string): never {
  throw new RuntimeError(message);
}

/** Words per element in a store (1 for byte, halfword, i32, f32 and reference stores). */
function stride(k: Storage): number {
  return k === Storage.i8 || k === Storage.i16 || k === Storage.ref ? 1 : wordsOf(k);
}

/** A new array of `n` elements of type `t`, all zero (null). */
export function newArray(t: CanonType, n: number): GcArray {
  // `n` is an u32 from an i32 register.
  const len = n >>> 0;
  const k = elementStorage(t);
  if (
    len > MAX_ARRAY_LENGTH || len * elementBytes(k) > MAX_ARRAY_BYTES ||
    (k === Storage.ref && len > MAX_REF_ARRAY_LENGTH)
  ) trap(Trap.arrayTooLarge);
  let v: ArrayStore;
  try {
    v = newArrayStore(k, len);
  } catch (e) {
    // The host could not allocate it (its heap is full): a trap, not a crash.
    if (e instanceof RangeError) trap(Trap.arrayTooLarge);
    throw e;
  }
  return new GcArray(t, len, v);
}

/** `array.new`: `n` copies of one value. */
export function newArrayFilled(
  t: CanonType,
  n: number,
  w0: unknown,
  w1: number,
  w2: number,
  w3: number,
): GcArray {
  const a = newArray(t, n);
  fill(a, 0, a.length, w0, w1, w2, w3);
  return a;
}

/** `array.fill` (bounds-checked). */
export function arrayFill(
  a: GcArray,
  offset: number,
  n: number,
  w0: unknown,
  w1: number,
  w2: number,
  w3: number,
): void {
  checkRange(a.length, offset, n, Trap.arrayOutOfBounds);
  fill(a, offset >>> 0, n >>> 0, w0, w1, w2, w3);
}

function fill(
  a: GcArray,
  from: number,
  n: number,
  w0: unknown,
  w1: number,
  w2: number,
  w3: number,
) {
  const k = elementStorage(a.t);
  const s = stride(k);
  if (s === 1) {
    (a.v as unknown[]).fill(w0, from, from + n);
    return;
  }
  const v = a.v as Int32Array;
  const end = (from + n) * s;
  for (let i = from * s; i < end; i += s) {
    v[i] = w0 as number;
    v[i + 1] = w1;
    if (s === 4) {
      v[i + 2] = w2;
      v[i + 3] = w3;
    }
  }
}

/** Traps with `message` unless [offset, offset + n) lies within [0, length) (u32 operands). */
export function checkRange(length: number, offset: number, n: number, message: string): void {
  if ((offset >>> 0) + (n >>> 0) > length) trap(message);
}

/** `array.copy` (bounds-checked; the ranges may overlap). */
export function arrayCopy(
  dst: GcArray,
  dOffset: number,
  src: GcArray,
  sOffset: number,
  n: number,
): void {
  checkRange(dst.length, dOffset, n, Trap.arrayOutOfBounds);
  checkRange(src.length, sOffset, n, Trap.arrayOutOfBounds);
  const s = stride(elementStorage(dst.t));
  const d = (dOffset >>> 0) * s, o = (sOffset >>> 0) * s, len = (n >>> 0) * s;
  if (dst.v === src.v) {
    (dst.v as Int32Array).copyWithin(d, o, o + len);
  } else if (Array.isArray(dst.v)) {
    const dv = dst.v, sv = src.v as unknown[];
    if (d <= o) { for (let i = 0; i < len; i++) dv[d + i] = sv[o + i]; }
    else for (let i = len - 1; i >= 0; i--) dv[d + i] = sv[o + i];
  } else {
    (dst.v as Int32Array).set((src.v as Int32Array).subarray(o, o + len), d);
  }
}

/** The bytes of store `v` from element `from` on, as a byte view (little-endian hosts). */
function bytesOf(v: ArrayStore, k: Storage, from: number, n: number): Uint8Array {
  const t = v as Int32Array;
  const size = elementBytes(k);
  return new Uint8Array(t.buffer, t.byteOffset + from * size, n * size);
}

/** `array.new_data`: `n` elements read from `data` at byte `offset`. */
export function newArrayData(t: CanonType, data: Uint8Array, offset: number, n: number): GcArray {
  const k = elementStorage(t);
  const bytes = (n >>> 0) * elementBytes(k);
  if ((offset >>> 0) + bytes > data.length) trap(Trap.memoryOutOfBounds);
  const a = newArray(t, n);
  bytesOf(a.v, k, 0, a.length).set(data.subarray(offset >>> 0, (offset >>> 0) + bytes));
  return a;
}

/** `array.init_data`: elements [offset, offset + n) from `data` at byte `from`. */
export function arrayInitData(
  a: GcArray,
  offset: number,
  data: Uint8Array,
  from: number,
  n: number,
): void {
  const k = elementStorage(a.t);
  checkRange(a.length, offset, n, Trap.arrayOutOfBounds);
  const bytes = (n >>> 0) * elementBytes(k);
  if ((from >>> 0) + bytes > data.length) trap(Trap.memoryOutOfBounds);
  bytesOf(a.v, k, offset >>> 0, n >>> 0).set(data.subarray(from >>> 0, (from >>> 0) + bytes));
}

/** `array.new_elem`: `n` references from element segment `elems` at `offset`. */
export function newArrayElem(t: CanonType, elems: unknown[], offset: number, n: number): GcArray {
  checkRange(elems.length, offset, n, Trap.tableOutOfBounds);
  const a = newArray(t, n);
  const v = a.v as unknown[];
  for (let i = 0; i < a.length; i++) v[i] = elems[(offset >>> 0) + i];
  return a;
}

/** `array.init_elem`: elements [offset, offset + n) from segment `elems` at `from`. */
export function arrayInitElem(
  a: GcArray,
  offset: number,
  elems: unknown[],
  from: number,
  n: number,
): void {
  checkRange(a.length, offset, n, Trap.arrayOutOfBounds);
  checkRange(elems.length, from, n, Trap.tableOutOfBounds);
  const v = a.v as unknown[];
  for (let i = 0; i < (n >>> 0); i++) v[(offset >>> 0) + i] = elems[(from >>> 0) + i];
}
