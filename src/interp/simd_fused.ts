/**
 * Fused SIMD instructions: pseudo op indexes (past the wasm table) in the
 * `simd` IR op's layout, written by the translator (`translate_simd.ts`)
 * and executed only by `simd_run.ts`. They take the dot-product shape
 * `acc + x * load(p + k)` from five dispatches (address add, load, mul,
 * add) down to one or two.
 *
 * Layouts (words after `simd index count`):
 * - `LOAD_D`: d, addr, mem, offset lo, offset hi (0), k — `v128.load` of
 *   `(addr + k) mod 2^32 + offset`, the `i32.add` of a constant fused in.
 * - `*_MUL_ADD`: d, a, b, c — `c + a * b` (lane-wise).
 * - `*_LOAD_MUL`: d, x, addr, mem, offset lo, offset hi (0), k — `x * load`.
 * - `*_LOAD_MUL_ADD`: the same, then c — `c + x * load`.
 * - `EXT_*_ADD`: d, a, c — `c + extend(a)` (widening accumulation).
 *
 * Only 32-bit memories (memory64 accesses keep the plain ops).
 *
 * @module
 */

import { opByName, OPCODES } from "../binary/opcodes.ts";

const BASE = OPCODES.length;

/** `v128.load` with a fused constant displacement. */
export const LOAD_D: number = BASE;
/** `f32x4.mul` feeding `f32x4.add`. */
export const F32_MUL_ADD: number = BASE + 1;
/** `i32x4.mul` feeding `i32x4.add`. */
export const I32_MUL_ADD: number = BASE + 2;
/** `v128.load` feeding `f32x4.mul`. */
export const F32_LOAD_MUL: number = BASE + 3;
/** `v128.load` feeding `i32x4.mul`. */
export const I32_LOAD_MUL: number = BASE + 4;
/** `v128.load` feeding `f32x4.mul` feeding `f32x4.add`. */
export const F32_LOAD_MUL_ADD: number = BASE + 5;
/** `v128.load` feeding `i32x4.mul` feeding `i32x4.add`. */
export const I32_LOAD_MUL_ADD: number = BASE + 6;
/** `i32x4.extend_low_i16x8_s` feeding `i32x4.add` (d, a, c). */
export const EXT_LOW_ADD: number = BASE + 7;
/** `i32x4.extend_high_i16x8_s` feeding `i32x4.add` (d, a, c). */
export const EXT_HIGH_ADD: number = BASE + 8;
/** One past the last pseudo index. */
export const SIMD_FUSED_END: number = BASE + 9;

const FUSED: Readonly<Record<string, number>> = {
  LOAD_D,
  F32_MUL_ADD,
  I32_MUL_ADD,
  F32_LOAD_MUL,
  I32_LOAD_MUL,
  F32_LOAD_MUL_ADD,
  I32_LOAD_MUL_ADD,
  EXT_LOW_ADD,
  EXT_HIGH_ADD,
};

/**
 * The `simd` IR op's index word for a wasm SIMD instruction name or a fused
 * op's name (`LOAD_D`, …: how `src/simd/lane_templates.ts` names them).
 */
export function simdOpIndex(name: string): number {
  const n = FUSED[name] ?? opByName(name)?.index;
  if (n === undefined) throw new Error(`unknown SIMD op ${name}`);
  return n;
}
