/**
 * Relaxed SIMD (wasm 3.0), made deterministic.
 *
 * The spec lets each relaxed instruction return any of a small set of
 * results. Gannet always returns the first alternative of the spec's
 * `relaxed(R)[A0, …]` lists, which is exactly what the spec's deterministic
 * profile prescribes, so results never depend on the host:
 *
 * | instruction | Gannet's result |
 * |---|---|
 * | `i8x16.relaxed_swizzle` | `i8x16.swizzle` (indices ≥ 16 give 0) |
 * | `i32x4.relaxed_trunc_*` | the matching `trunc_sat` (NaN → 0, saturating) |
 * | `f32x4/f64x2.relaxed_madd` | unfused `a*b + c` (two roundings) |
 * | `f32x4/f64x2.relaxed_nmadd` | unfused `-(a*b) + c` |
 * | `*.relaxed_laneselect` | `v128.bitselect` (every mask bit selects) |
 * | `f32x4/f64x2.relaxed_min/max` | `min`/`max` (NaN-propagating, -0 < +0) |
 * | `i16x8.relaxed_q15mulr_s` | `i16x8.q15mulr_sat_s` |
 * | `i16x8.relaxed_dot_i8x16_i7x16_s` | signed × signed products, pairwise sum saturated to i16 |
 * | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | the i16x8 dot above, pairwise widened to i32, plus `c` |
 *
 * The dot products agree with every allowed result whenever the second
 * operand's lanes are in 0..127 (the "i7" the names promise).
 *
 * @module
 */
import type { SimdViews } from "./views.ts";

/** `f32x4.relaxed_madd` (unfused: the product is rounded to f32 first). */
export function f32x4RelaxedMadd(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const f = r.f32, d = dst >> 2, x = a >> 2, y = b >> 2, z = c >> 2;
  for (let i = 0; i < 4; i++) f[d + i] = Math.fround(f[x + i] * f[y + i]) + f[z + i];
}

/** `f32x4.relaxed_nmadd` (unfused). */
export function f32x4RelaxedNmadd(
  r: SimdViews,
  dst: number,
  a: number,
  b: number,
  c: number,
): void {
  const f = r.f32, d = dst >> 2, x = a >> 2, y = b >> 2, z = c >> 2;
  for (let i = 0; i < 4; i++) f[d + i] = -Math.fround(f[x + i] * f[y + i]) + f[z + i];
}

/** `f64x2.relaxed_madd` (unfused: JS never fuses `*` and `+`). */
export function f64x2RelaxedMadd(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const f = r.f64, d = dst >> 3, x = a >> 3, y = b >> 3, z = c >> 3;
  f[d] = f[x] * f[y] + f[z];
  f[d + 1] = f[x + 1] * f[y + 1] + f[z + 1];
}

/** `f64x2.relaxed_nmadd` (unfused). */
export function f64x2RelaxedNmadd(
  r: SimdViews,
  dst: number,
  a: number,
  b: number,
  c: number,
): void {
  const f = r.f64, d = dst >> 3, x = a >> 3, y = b >> 3, z = c >> 3;
  f[d] = -(f[x] * f[y]) + f[z];
  f[d + 1] = -(f[x + 1] * f[y + 1]) + f[z + 1];
}

/** `i16x8.relaxed_dot_i8x16_i7x16_s`: signed × signed, pairwise sum saturated. */
export function i16x8RelaxedDotI8x16I7x16S(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, o = r.i16, d = dst >> 1;
  // Output lane i covers exactly input bytes 2i and 2i+1, so in place is safe.
  for (let i = 0; i < 8; i++) {
    const j = 2 * i;
    const s = v[a + j] * v[b + j] + v[a + j + 1] * v[b + j + 1];
    o[d + i] = s > 32767 ? 32767 : s;
  }
}

/** `i32x4.relaxed_dot_i8x16_i7x16_add_s`: the i16x8 dot, pairwise widened, plus `c`. */
export function i32x4RelaxedDotI8x16I7x16AddS(
  r: SimdViews,
  dst: number,
  a: number,
  b: number,
  c: number,
): void {
  const v = r.i8, w = r.i32, d = dst >> 2, z = c >> 2;
  for (let i = 0; i < 4; i++) {
    const j = 4 * i;
    const s = v[a + j] * v[b + j] + v[a + j + 1] * v[b + j + 1];
    const t = v[a + j + 2] * v[b + j + 2] + v[a + j + 3] * v[b + j + 3];
    // Only (-128)·(-128)·2 = 32768 can leave the i16 range.
    w[d + i] = (s > 32767 ? 32767 : s) + (t > 32767 ? 32767 : t) + w[z + i];
  }
}
