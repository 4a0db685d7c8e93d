/**
 * Whole-vector bitwise operations: `v128.not/and/andnot/or/xor/bitselect`
 * and `v128.any_true`. They work on four 32-bit words; lane shape is
 * irrelevant. `bitselect` takes the mask in `c`.
 *
 * @module
 */
import type { SimdViews } from "./views.ts";

/** `v128.not` */
export function v128Not(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2;
  w[d] = ~w[x];
  w[d + 1] = ~w[x + 1];
  w[d + 2] = ~w[x + 2];
  w[d + 3] = ~w[x + 3];
}

/** `v128.and` */
export function v128And(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  w[d] = w[x] & w[y];
  w[d + 1] = w[x + 1] & w[y + 1];
  w[d + 2] = w[x + 2] & w[y + 2];
  w[d + 3] = w[x + 3] & w[y + 3];
}

/** `v128.andnot`: `a & ~b`. */
export function v128Andnot(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  w[d] = w[x] & ~w[y];
  w[d + 1] = w[x + 1] & ~w[y + 1];
  w[d + 2] = w[x + 2] & ~w[y + 2];
  w[d + 3] = w[x + 3] & ~w[y + 3];
}

/** `v128.or` */
export function v128Or(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  w[d] = w[x] | w[y];
  w[d + 1] = w[x + 1] | w[y + 1];
  w[d + 2] = w[x + 2] | w[y + 2];
  w[d + 3] = w[x + 3] | w[y + 3];
}

/** `v128.xor` */
export function v128Xor(r: SimdViews, dst: number, a: number, b: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2;
  w[d] = w[x] ^ w[y];
  w[d + 1] = w[x + 1] ^ w[y + 1];
  w[d + 2] = w[x + 2] ^ w[y + 2];
  w[d + 3] = w[x + 3] ^ w[y + 3];
}

/** `v128.bitselect`: bits of `a` where the mask `c` is 1, of `b` where it is 0. */
export function v128Bitselect(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const w = r.i32, d = dst >> 2, x = a >> 2, y = b >> 2, m = c >> 2;
  const m0 = w[m], m1 = w[m + 1], m2 = w[m + 2], m3 = w[m + 3];
  w[d] = (w[x] & m0) | (w[y] & ~m0);
  w[d + 1] = (w[x + 1] & m1) | (w[y + 1] & ~m1);
  w[d + 2] = (w[x + 2] & m2) | (w[y + 2] & ~m2);
  w[d + 3] = (w[x + 3] & m3) | (w[y + 3] & ~m3);
}

/** `v128.any_true`: i32 1 if any bit is set. */
export function v128AnyTrue(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, x = a >> 2;
  w[dst >> 2] = (w[x] | w[x + 1] | w[x + 2] | w[x + 3]) !== 0 ? 1 : 0;
}
