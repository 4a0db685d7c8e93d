/**
 * i32x4 lane operations: add/sub/mul, min/max, `abs`/`neg`,
 * `all_true`/`bitmask`, shifts, `dot_i16x8_s`, and the widenings that produce
 * i32x4 from i16x8 (extend, extmul, pairwise extadd). Four lanes: unrolled.
 *
 * Binary operations take `a`, `b`; shifts take the i32 count in `b` (mod 32).
 *
 * @module
 */
import type { SimdViews } from "./views.ts";

/** `i32x4.add` */
export function i32x4Add(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  w[d] = w[x] + w[y];
  w[d + 1] = w[x + 1] + w[y + 1];
  w[d + 2] = w[x + 2] + w[y + 2];
  w[d + 3] = w[x + 3] + w[y + 3];
}

/** `i32x4.sub` */
export function i32x4Sub(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  w[d] = w[x] - w[y];
  w[d + 1] = w[x + 1] - w[y + 1];
  w[d + 2] = w[x + 2] - w[y + 2];
  w[d + 3] = w[x + 3] - w[y + 3];
}

/** `i32x4.mul` */
export function i32x4Mul(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  w[d] = Math.imul(w[x], w[y]);
  w[d + 1] = Math.imul(w[x + 1], w[y + 1]);
  w[d + 2] = Math.imul(w[x + 2], w[y + 2]);
  w[d + 3] = Math.imul(w[x + 3], w[y + 3]);
}

/** `i32x4.min_s` */
export function i32x4MinS(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    w[d + i] = p < q ? p : q;
  }
}

/** `i32x4.min_u` */
export function i32x4MinU(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    w[d + i] = p < q ? p : q;
  }
}

/** `i32x4.max_s` */
export function i32x4MaxS(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    w[d + i] = p > q ? p : q;
  }
}

/** `i32x4.max_u` */
export function i32x4MaxU(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    w[d + i] = p > q ? p : q;
  }
}

/** `i32x4.abs` (`abs(INT32_MIN)` wraps to itself). */
export function i32x4Abs(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i];
    w[d + i] = p < 0 ? -p : p;
  }
}

/** `i32x4.neg` */
export function i32x4Neg(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  w[d] = -w[x];
  w[d + 1] = -w[x + 1];
  w[d + 2] = -w[x + 2];
  w[d + 3] = -w[x + 3];
}

/** `i32x4.all_true` */
export function i32x4AllTrue(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, x = a >> 2;
  w[dst >> 2] = w[x] !== 0 && w[x + 1] !== 0 && w[x + 2] !== 0 && w[x + 3] !== 0 ? 1 : 0;
}

/** `i32x4.bitmask` */
export function i32x4Bitmask(r: SimdViews, dst: number, a: number): void {
  const w = r.u32, x = a >> 2;
  r.i32[dst >> 2] = (w[x] >>> 31) | ((w[x + 1] >>> 31) << 1) | ((w[x + 2] >>> 31) << 2) |
    ((w[x + 3] >>> 31) << 3);
}

/** `i32x4.shl` (count in `b`, mod 32). */
export function i32x4Shl(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, k = w[b >> 2] & 31;
  w[d] = w[x] << k;
  w[d + 1] = w[x + 1] << k;
  w[d + 2] = w[x + 2] << k;
  w[d + 3] = w[x + 3] << k;
}

/** `i32x4.shr_s` (count in `b`, mod 32). */
export function i32x4ShrS(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, k = w[b >> 2] & 31;
  w[d] = w[x] >> k;
  w[d + 1] = w[x + 1] >> k;
  w[d + 2] = w[x + 2] >> k;
  w[d + 3] = w[x + 3] >> k;
}

/** `i32x4.shr_u` (count in `b`, mod 32). */
export function i32x4ShrU(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, k = w[b >> 2] & 31;
  w[d] = w[x] >>> k;
  w[d + 1] = w[x + 1] >>> k;
  w[d + 2] = w[x + 2] >>> k;
  w[d + 3] = w[x + 3] >>> k;
}

/** `i32x4.dot_i16x8_s`: pairwise sums of products (wraps only for 4 × -32768). */
export function i32x4DotI16x8S(r: SimdViews, dst: number, a: number, b: number): void {
  const h = r.i16, w = r.i32, d = dst >> 2, x = a >> 1, y = b >> 1;
  // Output lane i covers exactly input lanes 2i and 2i+1, so in place is safe.
  for (let i = 0; i < 4; i++) {
    const j = 2 * i;
    w[d + i] = h[x + j] * h[y + j] + h[x + j + 1] * h[y + j + 1];
  }
}

// Widenings read two or four narrow lanes into locals before any write,
// because `dst` may be the input register.

function ext4(w: Int32Array, d: number, p: number, q: number, s: number, t: number): void {
  w[d] = p;
  w[d + 1] = q;
  w[d + 2] = s;
  w[d + 3] = t;
}

/** `i32x4.extend_low_i16x8_s` */
export function i32x4ExtendLowI16x8S(r: SimdViews, dst: number, a: number): void {
  const h = r.i16, x = a >> 1;
  ext4(r.i32, dst >> 2, h[x], h[x + 1], h[x + 2], h[x + 3]);
}

/** `i32x4.extend_high_i16x8_s` */
export function i32x4ExtendHighI16x8S(r: SimdViews, dst: number, a: number): void {
  const h = r.i16, x = (a >> 1) + 4;
  ext4(r.i32, dst >> 2, h[x], h[x + 1], h[x + 2], h[x + 3]);
}

/** `i32x4.extend_low_i16x8_u` */
export function i32x4ExtendLowI16x8U(r: SimdViews, dst: number, a: number): void {
  const h = r.u16, x = a >> 1;
  ext4(r.i32, dst >> 2, h[x], h[x + 1], h[x + 2], h[x + 3]);
}

/** `i32x4.extend_high_i16x8_u` */
export function i32x4ExtendHighI16x8U(r: SimdViews, dst: number, a: number): void {
  const h = r.u16, x = (a >> 1) + 4;
  ext4(r.i32, dst >> 2, h[x], h[x + 1], h[x + 2], h[x + 3]);
}

// extmul helpers take the i16 index of the first input lane (`+ 4` for the high half).

/** Products are exact in a double, then wrap to 32 bits when stored. */
function extmulS(r: SimdViews, dst: number, x: number, y: number): void {
  const h = r.i16;
  const p = h[x] * h[y], q = h[x + 1] * h[y + 1];
  const s = h[x + 2] * h[y + 2], t = h[x + 3] * h[y + 3];
  ext4(r.i32, dst >> 2, p, q, s, t);
}

function extmulU(r: SimdViews, dst: number, x: number, y: number): void {
  const h = r.u16;
  const p = h[x] * h[y], q = h[x + 1] * h[y + 1];
  const s = h[x + 2] * h[y + 2], t = h[x + 3] * h[y + 3];
  ext4(r.i32, dst >> 2, p, q, s, t);
}

/** `i32x4.extmul_low_i16x8_s` */
export function i32x4ExtmulLowI16x8S(r: SimdViews, dst: number, a: number, b: number): void {
  extmulS(r, dst, a >> 1, b >> 1);
}

/** `i32x4.extmul_high_i16x8_s` */
export function i32x4ExtmulHighI16x8S(r: SimdViews, dst: number, a: number, b: number): void {
  extmulS(r, dst, (a >> 1) + 4, (b >> 1) + 4);
}

/** `i32x4.extmul_low_i16x8_u` */
export function i32x4ExtmulLowI16x8U(r: SimdViews, dst: number, a: number, b: number): void {
  extmulU(r, dst, a >> 1, b >> 1);
}

/** `i32x4.extmul_high_i16x8_u` */
export function i32x4ExtmulHighI16x8U(r: SimdViews, dst: number, a: number, b: number): void {
  extmulU(r, dst, (a >> 1) + 4, (b >> 1) + 4);
}

/** `i32x4.extadd_pairwise_i16x8_s` (each output lane covers exactly its inputs). */
export function i32x4ExtaddPairwiseI16x8S(r: SimdViews, dst: number, a: number): void {
  const h = r.i16, w = r.i32, d = dst >> 2, x = a >> 1;
  for (let i = 0; i < 4; i++) w[d + i] = h[x + 2 * i] + h[x + 2 * i + 1];
}

/** `i32x4.extadd_pairwise_i16x8_u` */
export function i32x4ExtaddPairwiseI16x8U(r: SimdViews, dst: number, a: number): void {
  const h = r.u16, w = r.i32, d = dst >> 2, x = a >> 1;
  for (let i = 0; i < 4; i++) w[d + i] = h[x + 2 * i] + h[x + 2 * i + 1];
}
