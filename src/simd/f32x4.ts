/**
 * f32x4 lane operations: comparisons, `abs`/`neg` (bit operations, so NaN
 * payloads are kept exactly), `sqrt`, `add sub mul div`, `min`/`max` (NaN if
 * either is NaN, -0 below +0), `pmin`/`pmax` (pseudo-min/max: `b < a ? b : a`,
 * a bit-exact pick of one operand), and `ceil floor trunc nearest`.
 *
 * Arithmetic goes through JS doubles, and each result is rounded to f32 when
 * stored. For `+ - * /` and `sqrt` that double rounding is innocuous
 * (53 ≥ 2·24 + 2 bits), so results are correctly rounded; `ceil floor trunc
 * nearest` give integers an f32 holds exactly. NaN results come from the host
 * FPU or `NaN`: always quiet (an arithmetic NaN), and canonical when every
 * NaN input was canonical, which is what the spec's `nans` rule asks; `+ - *
 * /` and `sqrt` store the canonical NaN for any NaN (`canonNaN`: hosts differ
 * on payloads, and the compiled tier must see the same bits).
 *
 * @module
 */
import type { SimdViews } from "./views.ts";
import { canonNaN, ceil, floor, fmax, fmin, nearest, trunc } from "../numeric/numeric.ts";

/** `f32x4.eq` */
export function f32x4Eq(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const m = f[x + i] === f[y + i] ? -1 : 0;
    w[d + i] = m;
  }
}

/** `f32x4.ne` */
export function f32x4Ne(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const m = f[x + i] !== f[y + i] ? -1 : 0;
    w[d + i] = m;
  }
}

/** `f32x4.lt` */
export function f32x4Lt(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const m = f[x + i] < f[y + i] ? -1 : 0;
    w[d + i] = m;
  }
}

/** `f32x4.gt` */
export function f32x4Gt(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const m = f[x + i] > f[y + i] ? -1 : 0;
    w[d + i] = m;
  }
}

/** `f32x4.le` */
export function f32x4Le(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const m = f[x + i] <= f[y + i] ? -1 : 0;
    w[d + i] = m;
  }
}

/** `f32x4.ge` */
export function f32x4Ge(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const m = f[x + i] >= f[y + i] ? -1 : 0;
    w[d + i] = m;
  }
}

/** `f32x4.abs`: clears the sign bit. */
export function f32x4Abs(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  for (let i = 0; i < 4; i++) w[d + i] = w[x + i] & 0x7fffffff;
}

/** `f32x4.neg`: flips the sign bit. */
export function f32x4Neg(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  for (let i = 0; i < 4; i++) w[d + i] = w[x + i] ^ 0x80000000;
}

/** `f32x4.add` */
export function f32x4Add(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2, y = b >> 2;
  f[d] = canonNaN(f[x] + f[y]);
  f[d + 1] = canonNaN(f[x + 1] + f[y + 1]);
  f[d + 2] = canonNaN(f[x + 2] + f[y + 2]);
  f[d + 3] = canonNaN(f[x + 3] + f[y + 3]);
}

/** `f32x4.sub` */
export function f32x4Sub(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2, y = b >> 2;
  f[d] = canonNaN(f[x] - f[y]);
  f[d + 1] = canonNaN(f[x + 1] - f[y + 1]);
  f[d + 2] = canonNaN(f[x + 2] - f[y + 2]);
  f[d + 3] = canonNaN(f[x + 3] - f[y + 3]);
}

/** `f32x4.mul` */
export function f32x4Mul(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2, y = b >> 2;
  f[d] = canonNaN(f[x] * f[y]);
  f[d + 1] = canonNaN(f[x + 1] * f[y + 1]);
  f[d + 2] = canonNaN(f[x + 2] * f[y + 2]);
  f[d + 3] = canonNaN(f[x + 3] * f[y + 3]);
}

/** `f32x4.div` */
export function f32x4Div(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2, y = b >> 2;
  f[d] = canonNaN(f[x] / f[y]);
  f[d + 1] = canonNaN(f[x + 1] / f[y + 1]);
  f[d + 2] = canonNaN(f[x + 2] / f[y + 2]);
  f[d + 3] = canonNaN(f[x + 3] / f[y + 3]);
}

/** `f32x4.min` (NaN if either is NaN, -0 < +0). */
export function f32x4Min(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2, y = b >> 2;
  f[d] = fmin(f[x], f[y]);
  f[d + 1] = fmin(f[x + 1], f[y + 1]);
  f[d + 2] = fmin(f[x + 2], f[y + 2]);
  f[d + 3] = fmin(f[x + 3], f[y + 3]);
}

/** `f32x4.max` (NaN if either is NaN, -0 < +0). */
export function f32x4Max(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2, y = b >> 2;
  f[d] = fmax(f[x], f[y]);
  f[d + 1] = fmax(f[x + 1], f[y + 1]);
  f[d + 2] = fmax(f[x + 2], f[y + 2]);
  f[d + 3] = fmax(f[x + 3], f[y + 3]);
}

/** `f32x4.pmin`: copies the chosen operand's bits. */
export function f32x4Pmin(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) w[d + i] = f[y + i] < f[x + i] ? w[y + i] : w[x + i];
}

/** `f32x4.pmax`: copies the chosen operand's bits. */
export function f32x4Pmax(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) w[d + i] = f[x + i] < f[y + i] ? w[y + i] : w[x + i];
}

/** `f32x4.sqrt` */
export function f32x4Sqrt(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2;
  f[d] = canonNaN(Math.sqrt(f[x]));
  f[d + 1] = canonNaN(Math.sqrt(f[x + 1]));
  f[d + 2] = canonNaN(Math.sqrt(f[x + 2]));
  f[d + 3] = canonNaN(Math.sqrt(f[x + 3]));
}

/** `f32x4.ceil` */
export function f32x4Ceil(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2;
  f[d] = ceil(f[x]);
  f[d + 1] = ceil(f[x + 1]);
  f[d + 2] = ceil(f[x + 2]);
  f[d + 3] = ceil(f[x + 3]);
}

/** `f32x4.floor` */
export function f32x4Floor(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2;
  f[d] = floor(f[x]);
  f[d + 1] = floor(f[x + 1]);
  f[d + 2] = floor(f[x + 2]);
  f[d + 3] = floor(f[x + 3]);
}

/** `f32x4.trunc` */
export function f32x4Trunc(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2;
  f[d] = trunc(f[x]);
  f[d + 1] = trunc(f[x + 1]);
  f[d + 2] = trunc(f[x + 2]);
  f[d + 3] = trunc(f[x + 3]);
}

/** `f32x4.nearest` (round half to even) */
export function f32x4Nearest(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2;
  f[d] = nearest(f[x]);
  f[d + 1] = nearest(f[x + 1]);
  f[d + 2] = nearest(f[x + 2]);
  f[d + 3] = nearest(f[x + 3]);
}
