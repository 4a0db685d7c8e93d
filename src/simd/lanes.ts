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

// Swizzles build their result here first: `dst` may alias an input.
const tmp8 = new Uint8Array(16);
const tmp32 = new Int32Array(tmp8.buffer);

/** Copies the 16-byte vector at `a` to `dst` (any overlap is fine). */
export function copy(r: SimdViews, dst: number, a: number): void {
  if (dst === a) return;
  const w = r.i32, d = dst >> 2, s = a >> 2;
  const p0 = w[s], p1 = w[s + 1], p2 = w[s + 2], p3 = w[s + 3];
  w[d] = p0;
  w[d + 1] = p1;
  w[d + 2] = p2;
  w[d + 3] = p3;
}

/** `v128.const`: `a` is the pool offset of the constant's 16 bytes. */
export function v128Const(r: SimdViews, dst: number, a: number): void {
  copy(r, dst, a);
}

const WORD_MOVE = 0x04040404;

/** One result word of a shuffle: the 4 lane indices of `m` (lane 0 lowest) over a‖b. */
function shuffleWord(u: Uint8Array, w: Int32Array, a: number, b: number, m: number): number {
  // Indices 4k, 4k+1, 4k+2, 4k+3 move a whole word (horizontal-sum patterns).
  const t = m - 0x03020100;
  if (t >= 0 && t % WORD_MOVE === 0) {
    const k = t / WORD_MOVE;
    return k < 4 ? w[(a >> 2) + k] : w[(b >> 2) + k - 4];
  }
  let x = 0;
  for (let j = 0; j < 32; j += 8) {
    const i = (m >>> j) & 0xff;
    x |= (i < 16 ? u[a + i] : u[b + i - 16]) << j;
  }
  return x;
}

/**
 * `i8x16.shuffle` with its 16 lane indices given as four little-endian words
 * (as a translator may keep them in its code): all four result words are
 * computed before any is stored, since `dst` may alias an input.
 */
export function shuffleWords(
  r: SimdViews,
  dst: number,
  a: number,
  b: number,
  m0: number,
  m1: number,
  m2: number,
  m3: number,
): void {
  const u = r.u8, w = r.i32, d = dst >> 2;
  const p0 = shuffleWord(u, w, a, b, m0), p1 = shuffleWord(u, w, a, b, m1);
  const p2 = shuffleWord(u, w, a, b, m2), p3 = shuffleWord(u, w, a, b, m3);
  w[d] = p0;
  w[d + 1] = p1;
  w[d + 2] = p2;
  w[d + 3] = p3;
}

/** `i8x16.shuffle`: `c` is the pool offset of the 16 lane indices. */
export function i8x16Shuffle(r: SimdViews, dst: number, a: number, b: number, c: number): void {
  const w = r.i32, k = c >> 2;
  shuffleWords(r, dst, a, b, w[k], w[k + 1], w[k + 2], w[k + 3]);
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
