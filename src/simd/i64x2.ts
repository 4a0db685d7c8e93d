/**
 * i64x2 lane operations on pairs of 32-bit words (low word first), without
 * BigInt: add/sub/mul, `abs`/`neg`, comparisons (only the signed ones exist),
 * `all_true`/`bitmask`, shifts, and the widenings from i32x4 (extend,
 * extmul).
 *
 * Binary operations take `a`, `b`; shifts take the i32 count in `b` (mod 64).
 *
 * @module
 */
import type { SimdViews } from "./views.ts";

const TWO32 = 4294967296;

// Results of mul64/mul32x32 (module-level so no object is allocated per call).
let rlo = 0;
let rhi = 0;

/** Full 64-bit product of two u32 values into rlo/rhi. */
function mulU32(a: number, b: number): void {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rlo = (p00 & 0xffff) | (mid << 16);
  rhi = (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** Low 64 bits of a 64×64 product, into rlo/rhi. */
function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulU32(alo, blo);
  rhi = (rhi + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** `i64x2.add` */
export function i64x2Add(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, u = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = u[x + i] + u[y + i];
    w[d + i + 1] = w[x + i + 1] + w[y + i + 1] + (lo >= TWO32 ? 1 : 0);
    u[d + i] = lo;
  }
}

/** `i64x2.sub` */
export function i64x2Sub(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, u = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = u[x + i] - u[y + i];
    w[d + i + 1] = w[x + i + 1] - w[y + i + 1] - (lo < 0 ? 1 : 0);
    u[d + i] = lo;
  }
}

/** `i64x2.mul` (low 64 bits). */
export function i64x2Mul(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, u = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i += 2) {
    mul64(u[x + i], w[x + i + 1], u[y + i], w[y + i + 1]);
    w[d + i] = rlo;
    w[d + i + 1] = rhi;
  }
}

/** `i64x2.neg` */
export function i64x2Neg(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = w[x + i], hi = w[x + i + 1];
    w[d + i] = -lo;
    w[d + i + 1] = lo === 0 ? -hi : ~hi;
  }
}

/** `i64x2.abs` (`abs(INT64_MIN)` wraps to itself). */
export function i64x2Abs(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = w[x + i], hi = w[x + i + 1];
    if (hi < 0) {
      w[d + i] = -lo;
      w[d + i + 1] = lo === 0 ? -hi : ~hi;
    } else {
      w[d + i] = lo;
      w[d + i + 1] = hi;
    }
  }
}

/** `i64x2.all_true` */
export function i64x2AllTrue(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, x = a >> 2;
  w[dst >> 2] = (w[x] | w[x + 1]) !== 0 && (w[x + 2] | w[x + 3]) !== 0 ? 1 : 0;
}

/** `i64x2.bitmask` */
export function i64x2Bitmask(r: SimdViews, dst: number, a: number): void {
  const u = r.u32, x = a >> 2;
  r.i32[dst >> 2] = (u[x + 1] >>> 31) | ((u[x + 3] >>> 31) << 1);
}

/** `i64x2.eq` */
export function i64x2Eq(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i += 2) {
    const m = w[x + i] === w[y + i] && w[x + i + 1] === w[y + i + 1] ? -1 : 0;
    w[d + i] = m;
    w[d + i + 1] = m;
  }
}

/** `i64x2.ne` */
export function i64x2Ne(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i += 2) {
    const m = w[x + i] !== w[y + i] || w[x + i + 1] !== w[y + i + 1] ? -1 : 0;
    w[d + i] = m;
    w[d + i + 1] = m;
  }
}

/** Signed 64-bit compare of lanes: -1, 0 or 1. */
function cmp(w: Int32Array, u: Uint32Array, x: number, y: number): number {
  const p = w[x + 1], q = w[y + 1];
  if (p !== q) return p < q ? -1 : 1;
  const s = u[x], t = u[y];
  return s === t ? 0 : s < t ? -1 : 1;
}

/** `i64x2.lt_s` */
export function i64x2LtS(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, u = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const m0 = cmp(w, u, x, y) < 0 ? -1 : 0, m1 = cmp(w, u, x + 2, y + 2) < 0 ? -1 : 0;
  w[d] = w[d + 1] = m0;
  w[d + 2] = w[d + 3] = m1;
}

/** `i64x2.gt_s` */
export function i64x2GtS(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, u = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const m0 = cmp(w, u, x, y) > 0 ? -1 : 0, m1 = cmp(w, u, x + 2, y + 2) > 0 ? -1 : 0;
  w[d] = w[d + 1] = m0;
  w[d + 2] = w[d + 3] = m1;
}

/** `i64x2.le_s` */
export function i64x2LeS(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, u = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const m0 = cmp(w, u, x, y) <= 0 ? -1 : 0, m1 = cmp(w, u, x + 2, y + 2) <= 0 ? -1 : 0;
  w[d] = w[d + 1] = m0;
  w[d + 2] = w[d + 3] = m1;
}

/** `i64x2.ge_s` */
export function i64x2GeS(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, u = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const m0 = cmp(w, u, x, y) >= 0 ? -1 : 0, m1 = cmp(w, u, x + 2, y + 2) >= 0 ? -1 : 0;
  w[d] = w[d + 1] = m0;
  w[d + 2] = w[d + 3] = m1;
}

/** `i64x2.shl` (count in `b`, mod 64). */
export function i64x2Shl(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, k = w[b >> 2] & 63;
  for (let i = 0; i < 4; i += 2) {
    const lo = w[x + i], hi = w[x + i + 1];
    if (k === 0) {
      w[d + i] = lo;
      w[d + i + 1] = hi;
    } else if (k < 32) {
      w[d + i] = lo << k;
      w[d + i + 1] = (hi << k) | (lo >>> (32 - k));
    } else {
      w[d + i] = 0;
      w[d + i + 1] = lo << (k - 32);
    }
  }
}

/** `i64x2.shr_s` (count in `b`, mod 64). */
export function i64x2ShrS(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, k = w[b >> 2] & 63;
  for (let i = 0; i < 4; i += 2) {
    const lo = w[x + i], hi = w[x + i + 1];
    if (k === 0) {
      w[d + i] = lo;
      w[d + i + 1] = hi;
    } else if (k < 32) {
      w[d + i] = (lo >>> k) | (hi << (32 - k));
      w[d + i + 1] = hi >> k;
    } else {
      w[d + i] = hi >> (k - 32);
      w[d + i + 1] = hi >> 31;
    }
  }
}

/** `i64x2.shr_u` (count in `b`, mod 64). */
export function i64x2ShrU(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, k = w[b >> 2] & 63;
  for (let i = 0; i < 4; i += 2) {
    const lo = w[x + i], hi = w[x + i + 1];
    if (k === 0) {
      w[d + i] = lo;
      w[d + i + 1] = hi;
    } else if (k < 32) {
      w[d + i] = (lo >>> k) | (hi << (32 - k));
      w[d + i + 1] = hi >>> k;
    } else {
      w[d + i] = hi >>> (k - 32);
      w[d + i + 1] = 0;
    }
  }
}

// Widenings read both input lanes before writing: `dst` may be an input.

// The helpers take the i32 index of the first input lane (`+ 2` for the high half).

function extendS(r: SimdViews, dst: number, x: number): void {
  const w = r.i32, d = dst >> 2;
  const p = w[x], q = w[x + 1];
  w[d] = p;
  w[d + 1] = p >> 31;
  w[d + 2] = q;
  w[d + 3] = q >> 31;
}

function extendU(r: SimdViews, dst: number, x: number): void {
  const w = r.i32, d = dst >> 2;
  const p = w[x], q = w[x + 1];
  w[d] = p;
  w[d + 1] = 0;
  w[d + 2] = q;
  w[d + 3] = 0;
}

/** `i64x2.extend_low_i32x4_s` */
export function i64x2ExtendLowI32x4S(r: SimdViews, dst: number, a: number): void {
  extendS(r, dst, a >> 2);
}

/** `i64x2.extend_high_i32x4_s` */
export function i64x2ExtendHighI32x4S(r: SimdViews, dst: number, a: number): void {
  extendS(r, dst, (a >> 2) + 2);
}

/** `i64x2.extend_low_i32x4_u` */
export function i64x2ExtendLowI32x4U(r: SimdViews, dst: number, a: number): void {
  extendU(r, dst, a >> 2);
}

/** `i64x2.extend_high_i32x4_u` */
export function i64x2ExtendHighI32x4U(r: SimdViews, dst: number, a: number): void {
  extendU(r, dst, (a >> 2) + 2);
}

/** Signed 32×32 → 64 product into rlo/rhi (unsigned product, then sign fix-up). */
function mulS32(p: number, q: number): void {
  mulU32(p >>> 0, q >>> 0);
  rhi = (rhi - (p < 0 ? q : 0) - (q < 0 ? p : 0)) | 0;
}

function extmul(r: SimdViews, dst: number, x: number, y: number, signed: boolean): void {
  const w = r.i32, d = dst >> 2;
  const p0 = w[x], q0 = w[y], p1 = w[x + 1], q1 = w[y + 1];
  if (signed) mulS32(p0, q0);
  else mulU32(p0 >>> 0, q0 >>> 0);
  const lo0 = rlo, hi0 = rhi;
  if (signed) mulS32(p1, q1);
  else mulU32(p1 >>> 0, q1 >>> 0);
  w[d] = lo0;
  w[d + 1] = hi0;
  w[d + 2] = rlo;
  w[d + 3] = rhi;
}

/** `i64x2.extmul_low_i32x4_s` */
export function i64x2ExtmulLowI32x4S(r: SimdViews, dst: number, a: number, b: number): void {
  extmul(r, dst, a >> 2, b >> 2, true);
}

/** `i64x2.extmul_high_i32x4_s` */
export function i64x2ExtmulHighI32x4S(r: SimdViews, dst: number, a: number, b: number): void {
  extmul(r, dst, (a >> 2) + 2, (b >> 2) + 2, true);
}

/** `i64x2.extmul_low_i32x4_u` */
export function i64x2ExtmulLowI32x4U(r: SimdViews, dst: number, a: number, b: number): void {
  extmul(r, dst, a >> 2, b >> 2, false);
}

/** `i64x2.extmul_high_i32x4_u` */
export function i64x2ExtmulHighI32x4U(r: SimdViews, dst: number, a: number, b: number): void {
  extmul(r, dst, (a >> 2) + 2, (b >> 2) + 2, false);
}
