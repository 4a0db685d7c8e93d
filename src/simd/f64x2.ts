/**
 * f64x2 lane operations: comparisons, `abs`/`neg` (bit operations, so NaN
 * payloads are kept exactly), `sqrt`, `add sub mul div`, `min`/`max` (NaN if
 * either is NaN, -0 below +0), `pmin`/`pmax` (pseudo-min/max: `b < a ? b : a`,
 * a bit-exact pick of one operand), and `ceil floor trunc nearest`.
 *
 * Arithmetic goes through JS doubles. NaN results come from the host FPU or
 * `NaN`: always quiet (an arithmetic NaN), and canonical when every NaN input
 * was canonical, which is what the spec's `nans` rule asks; `+ - * /` and
 * `sqrt` store the canonical NaN for any NaN (`canonNaN`: hosts differ on
 * payloads, and the compiled tier must see the same bits).
 *
 * @module
 */
import type { SimdViews } from "./views.ts";
import { canonNaN, ceil, floor, fmax, fmin, nearest, trunc } from "../numeric/numeric.ts";

/** `f64x2.eq` */
export function f64x2Eq(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3, y = b >> 3;
  for (let i = 0; i < 2; i++) {
    const m = f[x + i] === f[y + i] ? -1 : 0;
    w[d + 2 * i] = m;
    w[d + 2 * i + 1] = m;
  }
}

/** `f64x2.ne` */
export function f64x2Ne(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3, y = b >> 3;
  for (let i = 0; i < 2; i++) {
    const m = f[x + i] !== f[y + i] ? -1 : 0;
    w[d + 2 * i] = m;
    w[d + 2 * i + 1] = m;
  }
}

/** `f64x2.lt` */
export function f64x2Lt(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3, y = b >> 3;
  for (let i = 0; i < 2; i++) {
    const m = f[x + i] < f[y + i] ? -1 : 0;
    w[d + 2 * i] = m;
    w[d + 2 * i + 1] = m;
  }
}

/** `f64x2.gt` */
export function f64x2Gt(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3, y = b >> 3;
  for (let i = 0; i < 2; i++) {
    const m = f[x + i] > f[y + i] ? -1 : 0;
    w[d + 2 * i] = m;
    w[d + 2 * i + 1] = m;
  }
}

/** `f64x2.le` */
export function f64x2Le(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3, y = b >> 3;
  for (let i = 0; i < 2; i++) {
    const m = f[x + i] <= f[y + i] ? -1 : 0;
    w[d + 2 * i] = m;
    w[d + 2 * i + 1] = m;
  }
}

/** `f64x2.ge` */
export function f64x2Ge(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3, y = b >> 3;
  for (let i = 0; i < 2; i++) {
    const m = f[x + i] >= f[y + i] ? -1 : 0;
    w[d + 2 * i] = m;
    w[d + 2 * i + 1] = m;
  }
}

/** `f64x2.abs`: clears the sign bits. */
export function f64x2Abs(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  w[d] = w[x];
  w[d + 1] = w[x + 1] & 0x7fffffff;
  w[d + 2] = w[x + 2];
  w[d + 3] = w[x + 3] & 0x7fffffff;
}

/** `f64x2.neg`: flips the sign bits. */
export function f64x2Neg(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  w[d] = w[x];
  w[d + 1] = w[x + 1] ^ 0x80000000;
  w[d + 2] = w[x + 2];
  w[d + 3] = w[x + 3] ^ 0x80000000;
}

/** `f64x2.add` */
export function f64x2Add(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3, y = b >> 3;
  f[d] = canonNaN(f[x] + f[y]);
  f[d + 1] = canonNaN(f[x + 1] + f[y + 1]);
}

/** `f64x2.sub` */
export function f64x2Sub(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3, y = b >> 3;
  f[d] = canonNaN(f[x] - f[y]);
  f[d + 1] = canonNaN(f[x + 1] - f[y + 1]);
}

/** `f64x2.mul` */
export function f64x2Mul(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3, y = b >> 3;
  f[d] = canonNaN(f[x] * f[y]);
  f[d + 1] = canonNaN(f[x + 1] * f[y + 1]);
}

/** `f64x2.div` */
export function f64x2Div(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3, y = b >> 3;
  f[d] = canonNaN(f[x] / f[y]);
  f[d + 1] = canonNaN(f[x + 1] / f[y + 1]);
}

/** `f64x2.min` (NaN if either is NaN, -0 < +0). */
export function f64x2Min(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3, y = b >> 3;
  f[d] = fmin(f[x], f[y]);
  f[d + 1] = fmin(f[x + 1], f[y + 1]);
}

/** `f64x2.max` (NaN if either is NaN, -0 < +0). */
export function f64x2Max(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3, y = b >> 3;
  f[d] = fmax(f[x], f[y]);
  f[d + 1] = fmax(f[x + 1], f[y + 1]);
}

/** `f64x2.pmin`: copies the chosen operand's bits. */
export function f64x2Pmin(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3, y = b >> 3;
  for (let i = 0; i < 2; i++) {
    const s = f[y + i] < f[x + i] ? 2 * y + 2 * i : 2 * x + 2 * i;
    const lo = w[s], hi = w[s + 1];
    w[d + 2 * i] = lo;
    w[d + 2 * i + 1] = hi;
  }
}

/** `f64x2.pmax`: copies the chosen operand's bits. */
export function f64x2Pmax(r: SimdViews, dst: number, a: number, b: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3, y = b >> 3;
  for (let i = 0; i < 2; i++) {
    const s = f[x + i] < f[y + i] ? 2 * y + 2 * i : 2 * x + 2 * i;
    const lo = w[s], hi = w[s + 1];
    w[d + 2 * i] = lo;
    w[d + 2 * i + 1] = hi;
  }
}

/** `f64x2.sqrt` */
export function f64x2Sqrt(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3;
  f[d] = canonNaN(Math.sqrt(f[x]));
  f[d + 1] = canonNaN(Math.sqrt(f[x + 1]));
}

/** `f64x2.ceil` */
export function f64x2Ceil(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3;
  f[d] = ceil(f[x]);
  f[d + 1] = ceil(f[x + 1]);
}

/** `f64x2.floor` */
export function f64x2Floor(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3;
  f[d] = floor(f[x]);
  f[d + 1] = floor(f[x + 1]);
}

/** `f64x2.trunc` */
export function f64x2Trunc(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3;
  f[d] = trunc(f[x]);
  f[d + 1] = trunc(f[x + 1]);
}

/** `f64x2.nearest` (round half to even) */
export function f64x2Nearest(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3;
  f[d] = nearest(f[x]);
  f[d + 1] = nearest(f[x + 1]);
}
