/**
 * `list<T>` in linear memory: lifting checks the range once, then numeric
 * lists are copied out as typed arrays in one step (jco's `Uint8Array`,
 * `Float64Array`, …) and other lists element by element; lowering
 * allocates with realloc and copies typed arrays byte-for-byte.
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { Codec } from "./codec.ts";
import type { Context } from "./context.ts";

/** Largest list, in bytes, the ABI moves (2^28 − 1). */
export const MAX_LIST_BYTE_LENGTH = 2 ** 28 - 1;

type TypedArrayCtor = new (buffer: ArrayBuffer) => ArrayLike<unknown> & ArrayBufferView;

/** The typed array jco uses for a list of each numeric element type. */
export const TYPED_ARRAYS: Readonly<Record<string, TypedArrayCtor | undefined>> = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

/** Lifts the list of `len` elements at `ptr`. */
export function liftList(cx: Context, ptr: number, len: number, e: Codec, kind: string): unknown {
  const bytes = len * e.size;
  if (bytes > MAX_LIST_BYTE_LENGTH) throw new RuntimeError("list content out-of-bounds");
  cx.checkRange(ptr, bytes, e.align, "list");
  const T = TYPED_ARRAYS[kind];
  if (T !== undefined) {
    const a = new T(cx.mem.buf.slice(ptr, ptr + bytes) as ArrayBuffer);
    if (kind === "f32" || kind === "f64") canonicalizeNaNs(a as Float32Array | Float64Array);
    return a;
  }
  const out = new Array(len);
  const size = e.size;
  for (let i = 0; i < len; i++) out[i] = e.load(cx, ptr + i * size);
  return out;
}

/** A lifted float is never a non-canonical NaN, in a typed array too. */
function canonicalizeNaNs(a: Float32Array | Float64Array): void {
  for (let i = 0; i < a.length; i++) if (a[i] !== a[i]) a[i] = NaN;
}

/** Lowers list `v`: allocates, stores the elements; `out` gets pointer and length. */
export function lowerList(cx: Context, v: unknown, e: Codec, kind: string, out: number[]): void {
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(
      `expected an array${TYPED_ARRAYS[kind] ? " or typed array" : ""} for a list`,
    );
  }
  const a = v as ArrayLike<unknown>;
  const len = a.length;
  const size = e.size;
  const ptr = cx.allocate(e.align, len * size, "list");
  if (
    TYPED_ARRAYS[kind] !== undefined && ArrayBuffer.isView(a) &&
    (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT === size
  ) {
    cx.mem.u8.set(new Uint8Array(a.buffer, a.byteOffset, len * size), ptr);
  } else {
    for (let i = 0; i < len; i++) e.store(cx, a[i], ptr + i * size);
  }
  out[0] = ptr, out[1] = len;
}
