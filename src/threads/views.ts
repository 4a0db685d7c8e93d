/**
 * Typed-array views of a memory's buffer for the `Atomics.*` accesses,
 * cached per buffer so that an atomic instruction allocates no views.
 *
 * @module
 */

/** The views one atomic access may need. */
export interface AtomicViews {
  /** Bytes. */
  u8: Uint8Array;
  /** Unsigned 16-bit lanes. */
  u16: Uint16Array;
  /** Unsigned 32-bit lanes. */
  u32: Uint32Array;
  /** Signed 32-bit lanes (`Atomics.wait`/`notify` need Int32Array). */
  i32: Int32Array;
  /** 64-bit lanes. */
  i64: BigInt64Array;
}

// A memory's buffer changes only when an unshared memory grows; a growable
// SharedArrayBuffer keeps its identity and the views track its length.
let lastBuf: ArrayBufferLike | null = null;
let lastViews: AtomicViews | null = null;
const byBuffer = new WeakMap<ArrayBufferLike, AtomicViews>();

/** The views of `buf` (created once per buffer). */
export function atomicViews(buf: ArrayBufferLike): AtomicViews {
  if (buf === lastBuf) return lastViews!;
  let v = byBuffer.get(buf);
  if (v === undefined) {
    v = {
      u8: new Uint8Array(buf),
      u16: new Uint16Array(buf),
      u32: new Uint32Array(buf),
      i32: new Int32Array(buf),
      i64: new BigInt64Array(buf),
    };
    byBuffer.set(buf, v);
  }
  lastBuf = buf;
  lastViews = v;
  return v;
}
