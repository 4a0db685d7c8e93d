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
  return x;
}
