/**
 * The pool of f64 constants the dispatch loop reads (`constf64 d k` writes
 * `F64_CONSTS[k]` to slot `d`).
 *
 * An f64 is bit-exact as two int32 halves on every host, but a value
 * written as two 32-bit halves and then read as one 64-bit double misses
 * the CPU's store-to-load forwarding: the read waits for both stores to
 * reach the cache (measured on this repository's x64 machine: 11 ns against
 * 1.2 ns per write-then-read). A constant that is not a NaN survives any
 * double read and write exactly, so it is written as one double. NaNs do
 * not: V8's optimizing tiers quiet a signalling NaN copied through a
 * `Float64Array` or a `DataView` (JavaScriptCore canonicalizes every NaN),
 * so NaN constants, and every f64 value whose bits are not known, move as
 * halves.
 *
 * @module
 */

/** Capacity of the pool: a module with more distinct f64 constants materializes the rest as halves. */
const CAPACITY = 4096;

/** The pool of f64 constants (`constf64 d k` reads `F64_CONSTS[k]`); it never moves. */
export const F64_CONSTS: Float64Array = new Float64Array(CAPACITY);

const index = new Map<string, number>();
const bits = new Int32Array(F64_CONSTS.buffer);
let used = 0;

/**
 * The pool index of the f64 whose bits are (`lo`, `hi`), adding it if new;
 * -1 for a NaN (its payload must stay exact) or when the pool is full.
 */
export function f64ConstIndex(lo: number, hi: number): number {
  // Exponent all ones and a nonzero mantissa: a NaN.
  if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0) return -1;
  const key = `${lo}:${hi}`;
  const k = index.get(key);
  if (k !== undefined) return k;
  if (used === CAPACITY) return -1;
  // Written once, long before any read: no store-forwarding concern here.
  bits[2 * used] = lo;
  bits[2 * used + 1] = hi;
  index.set(key, used);
  return used++;
}
