/**
 * Conversions between lane types: saturating truncations to i32x4
 * (`trunc_sat_f32x4_s/u`, `trunc_sat_f64x2_s/u_zero`), int to float
 * (`convert_i32x4_s/u`, `convert_low_i32x4_s/u`), `demote_f64x2_zero` and
 * `promote_low_f32x4`. All unary: the input is `a`.
 *
 * The `_zero` forms set the two upper i32/f32 lanes to zero; the `_low` forms
 * read the two lower lanes. Results are built in locals before any store, as
 * `dst` may be the input register.
 *
 * @module
 */
import type { SimdViews } from "./views.ts";
// Per lane, the scalar semantics (an int32 result; a Uint32Array store of it
// keeps the bits).
import { truncSatS32, truncSatU32 } from "../numeric/numeric.ts";

/** `i32x4.trunc_sat_f32x4_s` */
export function i32x4TruncSatF32x4S(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2;
  w[d] = truncSatS32(f[x]);
  w[d + 1] = truncSatS32(f[x + 1]);
  w[d + 2] = truncSatS32(f[x + 2]);
  w[d + 3] = truncSatS32(f[x + 3]);
}

/** `i32x4.trunc_sat_f32x4_u` */
export function i32x4TruncSatF32x4U(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, u = r.u32, d = dst >> 2, x = a >> 2;
  u[d] = truncSatU32(f[x]);
  u[d + 1] = truncSatU32(f[x + 1]);
  u[d + 2] = truncSatU32(f[x + 2]);
  u[d + 3] = truncSatU32(f[x + 3]);
}

/** `i32x4.trunc_sat_f64x2_s_zero` */
export function i32x4TruncSatF64x2SZero(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, w = r.i32, d = dst >> 2, x = a >> 3;
  const p = truncSatS32(f[x]), q = truncSatS32(f[x + 1]);
  w[d] = p;
  w[d + 1] = q;
  w[d + 2] = 0;
  w[d + 3] = 0;
}

/** `i32x4.trunc_sat_f64x2_u_zero` */
export function i32x4TruncSatF64x2UZero(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, u = r.u32, d = dst >> 2, x = a >> 3;
  const p = truncSatU32(f[x]), q = truncSatU32(f[x + 1]);
  u[d] = p;
  u[d + 1] = q;
  u[d + 2] = 0;
  u[d + 3] = 0;
}

/** `f32x4.convert_i32x4_s` (one rounding: an i32 is exact as a double). */
export function f32x4ConvertI32x4S(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, w = r.i32, d = dst >> 2, x = a >> 2;
  f[d] = w[x];
  f[d + 1] = w[x + 1];
  f[d + 2] = w[x + 2];
  f[d + 3] = w[x + 3];
}

/** `f32x4.convert_i32x4_u` */
export function f32x4ConvertI32x4U(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, u = r.u32, d = dst >> 2, x = a >> 2;
  f[d] = u[x];
  f[d + 1] = u[x + 1];
  f[d + 2] = u[x + 2];
  f[d + 3] = u[x + 3];
}

/** `f64x2.convert_low_i32x4_s` (exact). */
export function f64x2ConvertLowI32x4S(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, w = r.i32, d = dst >> 3, x = a >> 2;
  const p = w[x], q = w[x + 1];
  f[d] = p;
  f[d + 1] = q;
}

/** `f64x2.convert_low_i32x4_u` (exact). */
export function f64x2ConvertLowI32x4U(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, u = r.u32, d = dst >> 3, x = a >> 2;
  const p = u[x], q = u[x + 1];
  f[d] = p;
  f[d + 1] = q;
}

/** `f32x4.demote_f64x2_zero` (round to nearest f32; NaNs stay quiet NaNs). */
export function f32x4DemoteF64x2Zero(r: SimdViews, dst: number, a: number): void {
  const f = r.f32, s = r.f64, w = r.i32, d = dst >> 2, x = a >> 3;
  const p = s[x], q = s[x + 1];
  f[d] = p;
  f[d + 1] = q;
  w[d + 2] = 0;
  w[d + 3] = 0;
}

/** `f64x2.promote_low_f32x4` (exact; NaNs stay quiet NaNs). */
export function f64x2PromoteLowF32x4(r: SimdViews, dst: number, a: number): void {
  const f = r.f64, s = r.f32, d = dst >> 3, x = a >> 2;
  const p = s[x], q = s[x + 1];
  f[d] = p;
  f[d + 1] = q;
}
