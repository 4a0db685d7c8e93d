/**
 * Integer lane comparisons for i8x16, i16x8 and i32x4 (`eq ne lt gt le ge`,
 * signed and unsigned). Each lane becomes all ones when the predicate holds,
 * else zero. Operands in `a`, `b`. (i64x2 comparisons live in `i64x2.ts`.)
 *
 * One explicit loop per predicate (rather than a shared loop calling a
 * predicate) keeps each function monomorphic for the host's JIT.
 *
 * @module
 */
import type { SimdViews } from "./views.ts";

/** `i8x16.eq` */
export function i8x16Eq(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] === v[b + i] ? -1 : 0;
}

/** `i8x16.ne` */
export function i8x16Ne(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] !== v[b + i] ? -1 : 0;
}

/** `i8x16.lt_s` */
export function i8x16LtS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] < v[b + i] ? -1 : 0;
}

/** `i8x16.lt_u` */
export function i8x16LtU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] < v[b + i] ? -1 : 0;
}

/** `i8x16.gt_s` */
export function i8x16GtS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] > v[b + i] ? -1 : 0;
}

/** `i8x16.gt_u` */
export function i8x16GtU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] > v[b + i] ? -1 : 0;
}

/** `i8x16.le_s` */
export function i8x16LeS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] <= v[b + i] ? -1 : 0;
}

/** `i8x16.le_u` */
export function i8x16LeU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] <= v[b + i] ? -1 : 0;
}

/** `i8x16.ge_s` */
export function i8x16GeS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] >= v[b + i] ? -1 : 0;
}

/** `i8x16.ge_u` */
export function i8x16GeU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u8, o = r.i8;
  for (let i = 0; i < 16; i++) o[dst + i] = v[a + i] >= v[b + i] ? -1 : 0;
}

/** `i16x8.eq` */
export function i16x8Eq(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] === v[y + i] ? -1 : 0;
}

/** `i16x8.ne` */
export function i16x8Ne(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] !== v[y + i] ? -1 : 0;
}

/** `i16x8.lt_s` */
export function i16x8LtS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] < v[y + i] ? -1 : 0;
}

/** `i16x8.lt_u` */
export function i16x8LtU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] < v[y + i] ? -1 : 0;
}

/** `i16x8.gt_s` */
export function i16x8GtS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] > v[y + i] ? -1 : 0;
}

/** `i16x8.gt_u` */
export function i16x8GtU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] > v[y + i] ? -1 : 0;
}

/** `i16x8.le_s` */
export function i16x8LeS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] <= v[y + i] ? -1 : 0;
}

/** `i16x8.le_u` */
export function i16x8LeU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] <= v[y + i] ? -1 : 0;
}

/** `i16x8.ge_s` */
export function i16x8GeS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] >= v[y + i] ? -1 : 0;
}

/** `i16x8.ge_u` */
export function i16x8GeU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u16, d = dst >> 1, x = a >> 1, y = b >> 1;
  const o = r.i16;
  for (let i = 0; i < 8; i++) o[d + i] = v[x + i] >= v[y + i] ? -1 : 0;
}

/** `i32x4.eq` */
export function i32x4Eq(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] === v[y + i] ? -1 : 0;
}

/** `i32x4.ne` */
export function i32x4Ne(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] !== v[y + i] ? -1 : 0;
}

/** `i32x4.lt_s` */
export function i32x4LtS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] < v[y + i] ? -1 : 0;
}

/** `i32x4.lt_u` */
export function i32x4LtU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] < v[y + i] ? -1 : 0;
}

/** `i32x4.gt_s` */
export function i32x4GtS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] > v[y + i] ? -1 : 0;
}

/** `i32x4.gt_u` */
export function i32x4GtU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] > v[y + i] ? -1 : 0;
}

/** `i32x4.le_s` */
export function i32x4LeS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] <= v[y + i] ? -1 : 0;
}

/** `i32x4.le_u` */
export function i32x4LeU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] <= v[y + i] ? -1 : 0;
}

/** `i32x4.ge_s` */
export function i32x4GeS(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] >= v[y + i] ? -1 : 0;
}

/** `i32x4.ge_u` */
export function i32x4GeU(r: SimdViews, dst: number, a: number, b: number): void {
  const v = r.u32, d = dst >> 2, x = a >> 2, y = b >> 2;
  const o = r.i32;
  for (let i = 0; i < 4; i++) o[d + i] = v[x + i] >= v[y + i] ? -1 : 0;
}
