/**
 * Scalar float helpers shared by the f32x4 and f64x2 lane operations.
 *
 * @module
 */

const TWO52 = 4503599627370496;

/**
 * wasm `nearest`: round to integer, ties to even, keeping the sign of zero.
 * Exact for f32 inputs too (every f32 is a double, and the result is an
 * integer the f32 can hold), so f32 lanes have no double-rounding issue.
 */
export function nearest(x: number): number {
  const t = Math.abs(x);
  // False for NaN and for |x| ≥ 2^52, which are already integral (or NaN).
  if (t < TWO52) {
    // Adding 2^52 leaves no fraction bits: the FPU rounds ties to even.
    const n = t + TWO52 - TWO52;
    if (n === 0) return x * 0; // ±0 with the sign of x
    return x < 0 ? -n : n;
  }
  return x + 0; // quiets a signalling NaN; other values are unchanged
}

// The rounding and min/max helpers below never hand a NaN to the host's
// Math functions: V8 returns a signalling f64 NaN from Math.ceil/floor/trunc
// unchanged, and its optimized Math.min/max may build a NaN with every
// payload bit set. wasm wants a quiet NaN, canonical when the inputs' NaNs
// were canonical. `x + 0` quiets a NaN through the FPU and keeps its payload.

/** wasm `ceil` (NaN in, quiet NaN out). */
export function ceil(x: number): number {
  return x === x ? Math.ceil(x) : x + 0;
}

/** wasm `floor` (NaN in, quiet NaN out). */
export function floor(x: number): number {
  return x === x ? Math.floor(x) : x + 0;
}

/** wasm `trunc` (NaN in, quiet NaN out). */
export function trunc(x: number): number {
  return x === x ? Math.trunc(x) : x + 0;
}

/** wasm `min`: NaN if either is NaN (the canonical one), and -0 < +0. */
export function fmin(x: number, y: number): number {
  // Ordered, distinct values take the first two tests; equal values (±0
  // among them) and NaNs fall through to the careful path.
  return x < y ? x : y < x ? y : x !== x || y !== y ? NaN : Math.min(x, y);
}

/** wasm `max`: NaN if either is NaN (the canonical one), and -0 < +0. */
export function fmax(x: number, y: number): number {
  return x > y ? x : y > x ? y : x !== x || y !== y ? NaN : Math.max(x, y);
}
