/**
 * Whole-vector moves and lane access: `v128.const`, `i8x16.shuffle`,
 * `i8x16.swizzle`, the splats, and `extract_lane`/`replace_lane`.
 *
 * Operand conventions (byte offsets into the register file):
 * - `v128.const`: `a` is where the translator put the 16 constant bytes.
 * - `i8x16.shuffle`: `a`, `b` are the vectors, `c` where the 16 lane-index
 *   bytes were put (the validator guarantees each is below 32).
 * - splat: `a` is the scalar (i32, or 8 bytes for i64/f64, raw bits for f32).
 * - `extract_lane`: `a` the vector, `c` the lane index (a number), the scalar
 *   result goes to `dst`.
 * - `replace_lane`: `a` the vector, `b` the scalar, `c` the lane index.
 *
 * Floats are moved as bits (through `i32`) so NaN payloads survive intact.
 *
 * @module
 */
import type { SimdViews } from "./views.ts";

// Shuffles and swizzles build their result here first: `dst` may alias an input.
const tmp8 = new Uint8Array(16);
const tmp32 = new Int32Array(tmp8.buffer);

/** Copies the 16-byte vector at `a` to `dst` (a no-op when they are equal). */
export function copy(r: SimdViews, dst: number, a: number): void {
  if (dst === a) return;
  const w = r.i32, d = dst >> 2, s = a >> 2;
  w[d] = w[s];
  w[d + 1] = w[s + 1];
  w[d + 2] = w[s + 2];
  w[d + 3] = w[s + 3];
}

/** `v128.const`: `a` is the pool offset of the constant's 16 bytes. */
export function v128Const(r: SimdViews, dst: number, a: number): void {
  copy(r, dst, a);
}

/** `i8x16.shuffle`: `c` is the pool offset of the 16 lane indices. */
export function i8x16Shuffle(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const u = r.u8;
  const bb = b - 16;
  for (let i = 0; i < 16; i++) {
    const k = u[c + i];
    tmp8[i] = k < 16 ? u[a + k] : u[bb + k];
  }
  const w = r.i32, d = dst >> 2;
  w[d] = tmp32[0];
  w[d + 1] = tmp32[1];
  w[d + 2] = tmp32[2];
  w[d + 3] = tmp32[3];
}

/**
 * `i8x16.shuffle` for masks that move whole 32-bit words (e.g. the
 * `2 3 0 1` and `1 0 3 2` word patterns of horizontal sums): four word
 * moves instead of sixteen byte moves. Use it through {@link shuffleOpFor}.
 */
export function i8x16ShuffleWords(
  r: SimdViews,
  dst: number,
  a: number,
  b: number,
  c: number,
): void {
  const u = r.u8, w = r.i32, x = a >> 2, y = (b >> 2) - 4, d = dst >> 2;
  const k0 = u[c] >> 2, k1 = u[c + 4] >> 2, k2 = u[c + 8] >> 2, k3 = u[c + 12] >> 2;
  const p0 = k0 < 4 ? w[x + k0] : w[y + k0];
  const p1 = k1 < 4 ? w[x + k1] : w[y + k1];
  const p2 = k2 < 4 ? w[x + k2] : w[y + k2];
  const p3 = k3 < 4 ? w[x + k3] : w[y + k3];
  w[d] = p0;
  w[d + 1] = p1;
  w[d + 2] = p2;
  w[d + 3] = p3;
}

/**
 * The fastest implementation of `i8x16.shuffle` for one constant `mask`
 * (the instruction's 16 lane indices), for a translator to pick once: the
 * operation still reads the mask from the pool offset passed in `c`.
 */
export function shuffleOpFor(mask: Uint8Array): typeof i8x16Shuffle {
  for (let i = 0; i < 16; i++) {
    if (mask[i] !== (mask[i & ~3] & ~3) + (i & 3) || (mask[i & ~3] & 3) !== 0) return i8x16Shuffle;
  }
  return i8x16ShuffleWords;
}

/** `i8x16.swizzle`: lanes of `a` picked by the bytes of `b`; indices ≥ 16 give 0. */
export function i8x16Swizzle(r: SimdViews, dst: number, a: number, b: number): void {
  const u = r.u8;
  for (let i = 0; i < 16; i++) {
    const k = u[b + i];
    tmp8[i] = k < 16 ? u[a + k] : 0;
  }
  const w = r.i32, d = dst >> 2;
  w[d] = tmp32[0];
  w[d + 1] = tmp32[1];
  w[d + 2] = tmp32[2];
  w[d + 3] = tmp32[3];
}

function fill32(w: Int32Array, d: number, x: number): void {
  w[d] = x;
  w[d + 1] = x;
  w[d + 2] = x;
  w[d + 3] = x;
}

/** `i8x16.splat` */
export function i8x16Splat(r: SimdViews, dst: number, a: number): void {
  const w = r.i32;
  fill32(w, dst >> 2, Math.imul(w[a >> 2] & 0xff, 0x01010101));
}

/** `i16x8.splat` */
export function i16x8Splat(r: SimdViews, dst: number, a: number): void {
  const w = r.i32;
  fill32(w, dst >> 2, Math.imul(w[a >> 2] & 0xffff, 0x10001));
}

/** `i32x4.splat` and `f32x4.splat` (the f32 is copied as raw bits). */
export function i32x4Splat(r: SimdViews, dst: number, a: number): void {
  const w = r.i32;
  fill32(w, dst >> 2, w[a >> 2]);
}

/** `i64x2.splat` and `f64x2.splat` (8 bytes copied as two words). */
export function i64x2Splat(r: SimdViews, dst: number, a: number): void {
  const w = r.i32, s = a >> 2, d = dst >> 2;
  const lo = w[s], hi = w[s + 1];
  w[d] = lo;
  w[d + 1] = hi;
  w[d + 2] = lo;
  w[d + 3] = hi;
}

/** `i8x16.extract_lane_s` (lane index in `c`). */
export function i8x16ExtractLaneS(
  r: SimdViews,
  dst: number,
  a: number,
  _b: number,
  c: number,
): void {
  r.i32[dst >> 2] = r.i8[a + c];
}

/** `i8x16.extract_lane_u` (lane index in `c`). */
export function i8x16ExtractLaneU(
  r: SimdViews,
  dst: number,
  a: number,
  _b: number,
  c: number,
): void {
  r.i32[dst >> 2] = r.u8[a + c];
}

/** `i16x8.extract_lane_s` (lane index in `c`). */
export function i16x8ExtractLaneS(
  r: SimdViews,
  dst: number,
  a: number,
  _b: number,
  c: number,
): void {
  r.i32[dst >> 2] = r.i16[(a >> 1) + c];
}

/** `i16x8.extract_lane_u` (lane index in `c`). */
export function i16x8ExtractLaneU(
  r: SimdViews,
  dst: number,
  a: number,
  _b: number,
  c: number,
): void {
  r.i32[dst >> 2] = r.u16[(a >> 1) + c];
}

/** `i32x4.extract_lane` and `f32x4.extract_lane` (bits; lane index in `c`). */
export function i32x4ExtractLane(
  r: SimdViews,
  dst: number,
  a: number,
  _b: number,
  c: number,
): void {
  const w = r.i32;
  w[dst >> 2] = w[(a >> 2) + c];
}

/** `i64x2.extract_lane` and `f64x2.extract_lane` (bits; lane index in `c`). */
export function i64x2ExtractLane(
  r: SimdViews,
  dst: number,
  a: number,
  _b: number,
  c: number,
): void {
  const w = r.i32, s = (a >> 2) + 2 * c, d = dst >> 2;
  const lo = w[s], hi = w[s + 1];
  w[d] = lo;
  w[d + 1] = hi;
}

/** `i8x16.replace_lane`: scalar in `b`, lane index in `c`. */
export function i8x16ReplaceLane(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const x = r.i32[b >> 2];
  copy(r, dst, a);
  r.i8[dst + c] = x;
}

/** `i16x8.replace_lane`: scalar in `b`, lane index in `c`. */
export function i16x8ReplaceLane(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const x = r.i32[b >> 2];
  copy(r, dst, a);
  r.i16[(dst >> 1) + c] = x;
}

/** `i32x4.replace_lane` and `f32x4.replace_lane` (bits): scalar in `b`, lane in `c`. */
export function i32x4ReplaceLane(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const w = r.i32;
  const x = w[b >> 2];
  copy(r, dst, a);
  w[(dst >> 2) + c] = x;
}

/** `i64x2.replace_lane` and `f64x2.replace_lane` (bits): scalar in `b`, lane in `c`. */
export function i64x2ReplaceLane(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const w = r.i32, s = b >> 2;
  const lo = w[s], hi = w[s + 1];
  copy(r, dst, a);
  const d = (dst >> 2) + 2 * c;
  w[d] = lo;
  w[d + 1] = hi;
}
