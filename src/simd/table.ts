/**
 * The SIMD dispatch tables: every instruction of `src/binary/opcodes.ts`
 * whose feature is `simd` or `relaxed-simd`, mapped to its lane semantics.
 *
 * Register operations ({@link SIMD_OPS}) are called `op(r, dst, a, b, c)`
 * with byte offsets into the register file:
 * - the operands, in the order of the row's signature, go to `a`, `b`, `c`
 *   (e.g. `v128.bitselect` v1 v2 mask; the relaxed `madd`/`laneselect`/
 *   `dot_add` third vector in `c`; shifts: the i32 count in `b`;
 *   `replace_lane`: the scalar in `b`);
 * - an `Imm.Lane` lane index is passed as a plain number in `c`;
 * - `i8x16.shuffle`: `c` is where the translator put the 16 index bytes;
 * - `v128.const`: `a` is where the translator put the 16 constant bytes;
 * - the result (v128, or the scalar of `extract_lane`, `any_true`,
 *   `all_true`, `bitmask`) goes to `dst`. Scalars are stored as i32 at the
 *   offset, or 8 little-endian bytes for i64/f64, raw bits for f32/f64.
 *
 * `dst` may equal an operand's offset but must not partially overlap one.
 *
 * Memory operations ({@link SIMD_MEM_OPS}) are called
 * `op(r, v, mem, addr, lane, src)`; see `memory.ts`.
 *
 * @module
 */
import { OPCODES } from "../binary/opcodes.ts";
import type { SimdMemOp, SimdOp } from "./views.ts";
import * as B from "./bitwise.ts";
import * as C from "./conversions.ts";
import * as F32 from "./f32x4.ts";
import * as F64 from "./f64x2.ts";
import * as I8 from "./i8x16.ts";
import * as I16 from "./i16x8.ts";
import * as I32 from "./i32x4.ts";
import * as I64 from "./i64x2.ts";
import * as IC from "./int_compare.ts";
import * as L from "./lanes.ts";
import * as M from "./memory.ts";
import * as R from "./relaxed.ts";

/** `i8x16.add_sat_s` → `i8x16AddSatS`: the export naming rule of this folder. */
function exportName(op: string): string {
  const [shape, rest] = op.split(".");
  return shape + rest.split("_").map((p) => p[0].toUpperCase() + p.slice(1)).join("");
}

const modules: Record<string, unknown>[] = [B, C, F32, F64, I8, I16, I32, I64, IC, L, R];

// Instructions whose semantics are another instruction's (same bits out).
const aliases: Record<string, SimdOp> = {
  "f32x4.splat": L.i32x4Splat,
  "f64x2.splat": L.i64x2Splat,
  "f32x4.extract_lane": L.i32x4ExtractLane,
  "f64x2.extract_lane": L.i64x2ExtractLane,
  "f32x4.replace_lane": L.i32x4ReplaceLane,
  "f64x2.replace_lane": L.i64x2ReplaceLane,
  "i8x16.relaxed_swizzle": L.i8x16Swizzle,
  "i32x4.relaxed_trunc_f32x4_s": C.i32x4TruncSatF32x4S,
  "i32x4.relaxed_trunc_f32x4_u": C.i32x4TruncSatF32x4U,
  "i32x4.relaxed_trunc_f64x2_s_zero": C.i32x4TruncSatF64x2SZero,
  "i32x4.relaxed_trunc_f64x2_u_zero": C.i32x4TruncSatF64x2UZero,
  "i8x16.relaxed_laneselect": B.v128Bitselect,
  "i16x8.relaxed_laneselect": B.v128Bitselect,
  "i32x4.relaxed_laneselect": B.v128Bitselect,
  "i64x2.relaxed_laneselect": B.v128Bitselect,
  "f32x4.relaxed_min": F32.f32x4Min,
  "f32x4.relaxed_max": F32.f32x4Max,
  "f64x2.relaxed_min": F64.f64x2Min,
  "f64x2.relaxed_max": F64.f64x2Max,
  "i16x8.relaxed_q15mulr_s": I16.i16x8Q15mulrSatS,
};

function lookup(name: string, from: Record<string, unknown>[]): unknown {
  const key = exportName(name);
  for (const m of from) if (typeof m[key] === "function") return m[key];
  return undefined;
}

const ops = new Map<string, SimdOp>();
const memOps = new Map<string, SimdMemOp>();
const byIndex: (SimdOp | undefined)[] = [];
const memByIndex: (SimdMemOp | undefined)[] = [];
const missing: string[] = [];

for (const op of OPCODES) {
  if (op.feature !== "simd" && op.feature !== "relaxed-simd") continue;
  const isMem = op.align >= 0;
  const fn = isMem ? lookup(op.name, [M]) : aliases[op.name] ?? lookup(op.name, modules);
  if (fn === undefined) {
    missing.push(op.name);
  } else if (isMem) {
    memOps.set(op.name, fn as SimdMemOp);
    memByIndex[op.index] = fn as SimdMemOp;
  } else {
    ops.set(op.name, fn as SimdOp);
    byIndex[op.index] = fn as SimdOp;
  }
}

/** Register-to-register SIMD operations by mnemonic (see the module doc for operands). */
export const SIMD_OPS: ReadonlyMap<string, SimdOp> = ops;

/** SIMD memory operations by mnemonic: `op(r, v, mem, addr, lane, src)`. */
export const SIMD_MEM_OPS: ReadonlyMap<string, SimdMemOp> = memOps;

/** {@link SIMD_OPS} indexed by `OpInfo.index` (undefined for other rows). */
export const SIMD_OPS_BY_INDEX: readonly (SimdOp | undefined)[] = byIndex;

/** {@link SIMD_MEM_OPS} indexed by `OpInfo.index` (undefined for other rows). */
export const SIMD_MEM_OPS_BY_INDEX: readonly (SimdMemOp | undefined)[] = memByIndex;

/**
 * Mnemonics of SIMD rows with no implementation. Empty in a correct build;
 * the tests assert it, and a translator can reject such an opcode cleanly.
 */
export const SIMD_MISSING: readonly string[] = missing;
