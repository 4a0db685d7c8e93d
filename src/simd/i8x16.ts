/**
 * i8x16 lane operations: arithmetic (wrapping and saturating), comparisons,
 * shifts, min/max, `avgr_u`, `abs`/`neg`/`popcnt`, `all_true`/`bitmask` and
 * the narrowing from i16x8.
 *
 * Binary operations take `a`, `b`; shifts take the i32 count in `b` (used mod
 * 8); unary ones take `a`. Stores into `Int8Array`/`Uint8Array` wrap to the
 * lane width, which gives wasm's modular lane arithmetic for free.
 *
 * @module
 */
import type { SimdViews } from "./views.ts";

const POPCNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCNT[i] = (i & 1) + POPCNT[i >> 1];

// narrow reads 16 lanes of two inputs that `dst` may overlap.
const tmp8 = new Int8Array(16);
const tmp32 = new Int32Array(tmp8.buffer);

/** `i8x16.add`, four lanes per word (SWAR: carries stopped at lane borders). */
export function i8x16Add(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    w[d + i] = ((p & 0x7f7f7f7f) + (q & 0x7f7f7f7f)) ^ ((p ^ q) & 0x80808080);
  }
}

/** `i8x16.sub`, four lanes per word (SWAR: borrows stopped at lane borders). */
export function i8x16Sub(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i], q = w[y + i];
    w[d + i] = ((p | 0x80808080) - (q & 0x7f7f7f7f)) ^ ((p ^ ~q) & 0x80808080);
  }
}

/** `i8x16.add_sat_s` */
export function i8x16AddSatS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8;
  for (let i = 0; i < 16; i++) {
    const s = v[a + i] + v[b + i];
    v[dst + i] = s > 127 ? 127 : s < -128 ? -128 : s;
  }
}

/** `i8x16.add_sat_u` */
export function i8x16AddSatU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8;
  for (let i = 0; i < 16; i++) {
    const s = v[a + i] + v[b + i];
    v[dst + i] = s > 255 ? 255 : s;
  }
}

/** `i8x16.sub_sat_s` */
export function i8x16SubSatS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8;
  for (let i = 0; i < 16; i++) {
    const s = v[a + i] - v[b + i];
    v[dst + i] = s > 127 ? 127 : s < -128 ? -128 : s;
  }
}

/** `i8x16.sub_sat_u` */
export function i8x16SubSatU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8;
  for (let i = 0; i < 16; i++) {
    const s = v[a + i] - v[b + i];
    v[dst + i] = s < 0 ? 0 : s;
  }
}

/** `i8x16.min_s` */
export function i8x16MinS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8;
  for (let i = 0; i < 16; i++) {
    const x = v[a + i], y = v[b + i];
    v[dst + i] = x < y ? x : y;
  }
}

/** `i8x16.min_u` */
export function i8x16MinU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8;
  for (let i = 0; i < 16; i++) {
    const x = v[a + i], y = v[b + i];
    v[dst + i] = x < y ? x : y;
  }
}

/** `i8x16.max_s` */
export function i8x16MaxS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8;
  for (let i = 0; i < 16; i++) {
    const x = v[a + i], y = v[b + i];
    v[dst + i] = x > y ? x : y;
  }
}

/** `i8x16.max_u` */
export function i8x16MaxU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8;
  for (let i = 0; i < 16; i++) {
    const x = v[a + i], y = v[b + i];
    v[dst + i] = x > y ? x : y;
  }
}

/** `i8x16.avgr_u`: `(x + y + 1) >> 1` on unsigned lanes. */
export function i8x16AvgrU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8;
  for (let i = 0; i < 16; i++) v[dst + i] = (v[a + i] + v[b + i] + 1) >> 1;
}

/** `i8x16.abs` (`abs(-128)` wraps to -128). */
export function i8x16Abs(r: SimdViews, dst: number, a: number): void {
  const v = r.i8;
  for (let i = 0; i < 16; i++) {
    const x = v[a + i];
    v[dst + i] = x < 0 ? -x : x;
  }
}

/** `i8x16.neg` */
export function i8x16Neg(r: SimdViews, dst: number, a: number): void {
  const v = r.i8;
  for (let i = 0; i < 16; i++) v[dst + i] = -v[a + i];
}

/** `i8x16.popcnt` */
export function i8x16Popcnt(r: SimdViews, dst: number, a: number): void {
  const v = r.u8;
  for (let i = 0; i < 16; i++) v[dst + i] = POPCNT[v[a + i]];
}

/** `i8x16.all_true`: i32 1 if no lane is zero. */
export function i8x16AllTrue(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, x = a >> 2;
  let zero = 0;
  for (let i = 0; i < 4; i++) {
    const p = w[x + i];
    // Classic "has a zero byte" test: exact, no false positives.
    zero |= (p - 0x01010101) & ~p & 0x80808080;
  }
  w[dst >> 2] = zero === 0 ? 1 : 0;
}

/** `i8x16.bitmask`: bit i of the i32 result is the sign of lane i. */
export function i8x16Bitmask(r: SimdViews, dst: number, a: number): void {
  const v = r.u8;
  let m = 0;
  for (let i = 15; i >= 0; i--) m = (m << 1) | (v[a + i] >> 7);
  r.i32[dst >> 2] = m;
}

/** `i8x16.shl` (count in `b`, mod 8). */
export function i8x16Shl(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, k = r.i32[b >> 2] & 7;
  for (let i = 0; i < 16; i++) v[dst + i] = v[a + i] << k;
}

/** `i8x16.shr_s` (count in `b`, mod 8). */
export function i8x16ShrS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, k = r.i32[b >> 2] & 7;
  for (let i = 0; i < 16; i++) v[dst + i] = v[a + i] >> k;
}

/** `i8x16.shr_u` (count in `b`, mod 8). */
export function i8x16ShrU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8, k = r.i32[b >> 2] & 7;
  for (let i = 0; i < 16; i++) v[dst + i] = v[a + i] >>> k;
}

/** `i8x16.narrow_i16x8_s`: lanes of `a` then `b`, saturated to i8. */
export function i8x16NarrowI16x8S(r: SimdViews, dst: number, a: number, b: number): void {
  const h = r.i16, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const p = h[x + i], q = h[y + i];
    tmp8[i] = p > 127 ? 127 : p < -128 ? -128 : p;
    tmp8[i + 8] = q > 127 ? 127 : q < -128 ? -128 : q;
  }
  const w = r.i32, d = dst >> 2;
  w[d] = tmp32[0];
  w[d + 1] = tmp32[1];
  w[d + 2] = tmp32[2];
  w[d + 3] = tmp32[3];
}

/** `i8x16.narrow_i16x8_u`: signed lanes of `a` then `b`, saturated to u8. */
export function i8x16NarrowI16x8U(r: SimdViews, dst: number, a: number, b: number): void {
  const h = r.i16, x = a >> 1, y = b >> 1;
  for (let i = 0; i < 8; i++) {
    const p = h[x + i], q = h[y + i];
    tmp8[i] = p > 255 ? 255 : p < 0 ? 0 : p;
    tmp8[i + 8] = q > 255 ? 255 : q < 0 ? 0 : q;
  }
  const w = r.i32, d = dst >> 2;
  w[d] = tmp32[0];
  w[d + 1] = tmp32[1];
  w[d + 2] = tmp32[2];
  w[d + 3] = tmp32[3];
}
