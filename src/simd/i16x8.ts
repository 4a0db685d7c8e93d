/**
 * i16x8 lane operations: arithmetic (wrapping and saturating), min/max,
 * `avgr_u`, `abs`/`neg`, `q15mulr_sat_s`, `all_true`/`bitmask`, shifts, and
 * the shape changes that produce i16x8 (narrow from i32x4; extend, extmul
 * and pairwise extadd from i8x16).
 *
 * Binary operations take `a`, `b`; shifts take the i32 count in `b` (mod 16).
 * Stores into `Int16Array`/`Uint16Array` wrap to the lane width.
 *
 * @module
 */
import type { SimdViews } from "./views.ts";

// Shape-changing operations build the result here: `dst` may overlap inputs.
const tmp16 = new Int16Array(8);
const tmp32 = new Int32Array(tmp16.buffer);

function flush(r: SimdViews, dst: number): void {
  const w = r.i32, d = dst >> 2;
  w[d] = tmp32[0];
  w[d + 1] = tmp32[1];
  w[d + 2] = tmp32[2];
  w[d + 3] = tmp32[3];
}

/** `i16x8.add`, two lanes per word (SWAR). */
export function i16x8Add(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    w[d + i] = ((p & 0x7fff7fff) + (q & 0x7fff7fff)) ^ ((p ^ q) & 0x80008000);
  }
}

/** `i16x8.sub`, two lanes per word (SWAR). */
export function i16x8Sub(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    w[d + i] = ((p | 0x80008000) - (q & 0x7fff7fff)) ^ ((p ^ ~q) & 0x80008000);
  }
}

/** `i16x8.mul` (low 16 bits of the product). */
export function i16x8Mul(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) v[d + i] = Math.imul(v[x + i], v[y + i]);
}

/** `i16x8.add_sat_s` */
export function i16x8AddSatS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const s = v[x + i] + v[y + i];
    v[d + i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }
}

/** `i16x8.add_sat_u` */
export function i16x8AddSatU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const s = v[x + i] + v[y + i];
    v[d + i] = s > 65535 ? 65535 : s;
  }
}

/** `i16x8.sub_sat_s` */
export function i16x8SubSatS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const s = v[x + i] - v[y + i];
    v[d + i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }
}

/** `i16x8.sub_sat_u` */
export function i16x8SubSatU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const s = v[x + i] - v[y + i];
    v[d + i] = s < 0 ? 0 : s;
  }
}

/** `i16x8.min_s` */
export function i16x8MinS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const p = v[x + i], q = v[y + i];
    v[d + i] = p < q ? p : q;
  }
}

/** `i16x8.min_u` */
export function i16x8MinU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const p = v[x + i], q = v[y + i];
    v[d + i] = p < q ? p : q;
  }
}

/** `i16x8.max_s` */
export function i16x8MaxS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const p = v[x + i], q = v[y + i];
    v[d + i] = p > q ? p : q;
  }
}

/** `i16x8.max_u` */
export function i16x8MaxU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const p = v[x + i], q = v[y + i];
    v[d + i] = p > q ? p : q;
  }
}

/** `i16x8.avgr_u` */
export function i16x8AvgrU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) v[d + i] = (v[x + i] + v[y + i] + 1) >> 1;
}

/** `i16x8.abs` (`abs(-32768)` wraps to -32768). */
export function i16x8Abs(r: SimdViews, dst: number, a: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1;
  for (let i = 0; i < 8; i++) {
    const p = v[x + i];
    v[d + i] = p < 0 ? -p : p;
  }
}

/** `i16x8.neg` */
export function i16x8Neg(r: SimdViews, dst: number, a: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1;
  for (let i = 0; i < 8; i++) v[d + i] = -v[x + i];
}

/** `i16x8.q15mulr_sat_s`: `(x*y + 0x4000) >> 15`, saturated (only -1.0 × -1.0 overflows). */
export function i16x8Q15mulrSatS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const p = (v[x + i] * v[y + i] + 0x4000) >> 15;
    v[d + i] = p > 32767 ? 32767 : p;
  }
}

/** `i16x8.all_true` */
export function i16x8AllTrue(r: SimdViews, dst: number, a: number): void {
  const v = r.u16, x = a >> 1;
  let ok = 1;
  for (let i = 0; i < 8; i++) if (v[x + i] === 0) ok = 0;
  r.i32[dst >> 2] = ok;
}

/** `i16x8.bitmask` */
export function i16x8Bitmask(r: SimdViews, dst: number, a: number): void {
  const v = r.u16, x = a >> 1;
  let m = 0;
  for (let i = 7; i >= 0; i--) m = (m << 1) | (v[x + i] >> 15);
  r.i32[dst >> 2] = m;
}

/** `i16x8.shl` (count in `b`, mod 16). */
export function i16x8Shl(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, k = r.i32[b >> 2] & 15;
  for (let i = 0; i < 8; i++) v[d + i] = v[x + i] << k;
}

/** `i16x8.shr_s` (count in `b`, mod 16). */
export function i16x8ShrS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, k = r.i32[b >> 2] & 15;
  for (let i = 0; i < 8; i++) v[d + i] = v[x + i] >> k;
}

/** `i16x8.shr_u` (count in `b`, mod 16). */
export function i16x8ShrU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, k = r.i32[b >> 2] & 15;
  for (let i = 0; i < 8; i++) v[d + i] = v[x + i] >>> k;
}

/** `i16x8.narrow_i32x4_s`: lanes of `a` then `b`, saturated to i16. */
export function i16x8NarrowI32x4S(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    tmp16[i] = p > 32767 ? 32767 : p < -32768 ? -32768 : p;
    tmp16[i + 4] = q > 32767 ? 32767 : q < -32768 ? -32768 : q;
  }
  flush(r, dst);
}

/** `i16x8.narrow_i32x4_u`: signed lanes of `a` then `b`, saturated to u16. */
export function i16x8NarrowI32x4U(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    tmp16[i] = p > 65535 ? 65535 : p < 0 ? 0 : p;
    tmp16[i + 4] = q > 65535 ? 65535 : q < 0 ? 0 : q;
  }
  flush(r, dst);
}

/** `i16x8.extend_low_i8x16_s` */
export function i16x8ExtendLowI8x16S(r: SimdViews, dst: number, a: number): void {
  const v = r.i8;
  for (let i = 0; i < 8; i++) tmp16[i] = v[a + i];
  flush(r, dst);
}

/** `i16x8.extend_high_i8x16_s` */
export function i16x8ExtendHighI8x16S(r: SimdViews, dst: number, a: number): void {
  const v = r.i8;
  for (let i = 0; i < 8; i++) tmp16[i] = v[a + 8 + i];
  flush(r, dst);
}

/** `i16x8.extend_low_i8x16_u` */
export function i16x8ExtendLowI8x16U(r: SimdViews, dst: number, a: number): void {
  const v = r.u8;
  for (let i = 0; i < 8; i++) tmp16[i] = v[a + i];
  flush(r, dst);
}

/** `i16x8.extend_high_i8x16_u` */
export function i16x8ExtendHighI8x16U(r: SimdViews, dst: number, a: number): void {
  const v = r.u8;
  for (let i = 0; i < 8; i++) tmp16[i] = v[a + 8 + i];
  flush(r, dst);
}

/** `i16x8.extmul_low_i8x16_s` (products fit in 16 bits exactly). */
export function i16x8ExtmulLowI8x16S(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8;
  for (let i = 0; i < 8; i++) tmp16[i] = v[a + i] * v[b + i];
  flush(r, dst);
}

/** `i16x8.extmul_high_i8x16_s` */
export function i16x8ExtmulHighI8x16S(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8;
  for (let i = 0; i < 8; i++) tmp16[i] = v[a + 8 + i] * v[b + 8 + i];
  flush(r, dst);
}

/** `i16x8.extmul_low_i8x16_u` (up to 65025: stored as the same 16 bits). */
export function i16x8ExtmulLowI8x16U(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8;
  for (let i = 0; i < 8; i++) tmp16[i] = v[a + i] * v[b + i];
  flush(r, dst);
}

/** `i16x8.extmul_high_i8x16_u` */
export function i16x8ExtmulHighI8x16U(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8;
  for (let i = 0; i < 8; i++) tmp16[i] = v[a + 8 + i] * v[b + 8 + i];
  flush(r, dst);
}

/** `i16x8.extadd_pairwise_i8x16_s` (each output lane covers exactly its two inputs). */
export function i16x8ExtaddPairwiseI8x16S(r: SimdViews, dst: number, a: number): void {
  const v = r.i8, o = r.i16, d = dst >> 1;
  for (let i = 0; i < 8; i++) o[d + i] = v[a + 2 * i] + v[a + 2 * i + 1];
}

/** `i16x8.extadd_pairwise_i8x16_u` */
export function i16x8ExtaddPairwiseI8x16U(r: SimdViews, dst: number, a: number): void {
  const v = r.u8, o = r.i16, d = dst >> 1;
  for (let i = 0; i < 8; i++) o[d + i] = v[a + 2 * i] + v[a + 2 * i + 1];
}
