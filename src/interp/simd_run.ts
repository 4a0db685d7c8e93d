/**
 * The SIMD dispatch loop: runs a stretch of consecutive `simd` IR
 * instructions (plus the `i32.add_i` address steps that sit between them in
 * vectorized loops) in one call from the main loop, with the hottest lane
 * operations inline; everything else goes to the SIMD executor. The inline
 * cases are generated (`gen_simd_run.ts`) from the lane templates of
 * `src/simd/lane_templates.ts`, which compiled code expands too.
 *
 * Why a separate function: the main dispatch loop must stay under V8's 60 KB
 * bytecode limit, and the former path (main loop → `cold` → executor → table
 * of closures) cost three calls and an indirect call per SIMD instruction.
 * Measured on ../shared/bench simd_dot --mid (whole process, CPU time vs
 * node native, same hour): 86× through the executor; 42× with this loop;
 * 35× with the fused ops of `simd_fused.ts`; 28× with the SWAR/branch-free
 * i16x8 cases below.
 *
 * @module
 */

import { RuntimeError, Trap } from "../errors.ts";
import type { Machine } from "../runtime/machine.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { QNAN } from "../numeric/numeric.ts";
import { shuffleWords } from "../simd/lanes.ts";
import { registerViews } from "../simd/views.ts";
import { simdExecute } from "../simd/executor.ts";
import { LANE_TEMPLATES } from "../simd/lane_templates.ts";
import { IR } from "./ir_defs.ts";
import { SIMD_FUSED_END, simdOpIndex } from "./simd_fused.ts";

const IR_SIMD = IR["simd"];
const IR_ADD_I = IR["i32.add_i"];
const IR_SUB_I = IR["i32.sub_i"];
const IR_CONST32 = IR["const32"];
const IR_ADD_I_ADD_I = IR["i32.add_i+i32.add_i"];
const IR_BR_LT_U_I = IR["br_if.i32.lt_u_i"];
const IR_ADD_I_BR_LT_U_I = IR["i32.add_i+br_if.i32.lt_u_i"];
const IR_ADD_I_BR_NE_I = IR["i32.add_i+br_if.i32.ne_i"];
const IR_BR_NE = IR["br_if.i32.ne"];

/**
 * Dense numbers for the inline cases (by wasm op index or fused op), so
 * that the switch below has literal, consecutive case labels (a jump table
 * in V8): case `i + 1` runs lane template `i`.
 */
const HOT = new Uint8Array(SIMD_FUSED_END);
LANE_TEMPLATES.forEach((t, i) => HOT[simdOpIndex(t.name)] = i + 1);

/**
 * Out-of-bounds access (kept out of the loop body). A local copy of
 * `exec_helpers.ts`'s `trapMemory`: importing that one made simd_dot 3-4%
 * slower on Deno (measured, 20000 reps, 4 alternating runs).
 */
function trapOob(): never {
  throw new RuntimeError(Trap.memoryOutOfBounds);
}

/**
 * Executes the `simd` instruction at `pc` and the following `simd` and
 * vector-loop scalar instructions; returns the pc of the first other
 * instruction, or of a taken branch's target once the slice `budget` is
 * spent, and leaves what is left of the budget in `m.budget`. Each taken
 * branch costs one unit, as in the main loop; SIMD instructions cost
 * nothing of their own (straight-line code), so compiled code that runs
 * them inline charges exactly the same.
 */
export function simdRun(
  m: Machine,
  inst: InstanceState,
  fp: number,
  code: Int32Array,
  pc: number,
  budget: number,
): number {
  const SV = registerViews(m.buf);
  const I32 = SV.i32, F32 = SV.f32, I16 = SV.i16, F64 = SV.f64;
  for (;;) {
    const op = code[pc];
    if (op !== IR_SIMD) {
      // The scalar steps of vector loops: address and counter updates, latches.
      if (op === IR_ADD_I) {
        I32[fp + code[pc + 1]] = (I32[fp + code[pc + 2]] + code[pc + 3]) | 0;
        pc += 4;
      } else if (op === IR_SUB_I) {
        I32[fp + code[pc + 1]] = (I32[fp + code[pc + 2]] - code[pc + 3]) | 0;
        pc += 4;
      } else if (op === IR_CONST32) {
        I32[fp + code[pc + 1]] = code[pc + 2];
        pc += 3;
      } else if (op === IR_ADD_I_ADD_I) {
        I32[fp + code[pc + 1]] = (I32[fp + code[pc + 2]] + code[pc + 3]) | 0;
        I32[fp + code[pc + 4]] = (I32[fp + code[pc + 5]] + code[pc + 6]) | 0;
        pc += 8;
      } else if (op === IR_ADD_I_BR_LT_U_I || op === IR_ADD_I_BR_NE_I) {
        I32[fp + code[pc + 1]] = (I32[fp + code[pc + 2]] + code[pc + 3]) | 0;
        const a = I32[fp + code[pc + 4]], b = code[pc + 5];
        if (op === IR_ADD_I_BR_LT_U_I ? (a >>> 0) < (b >>> 0) : a !== b) {
          pc = code[pc + 6];
          if (--budget < 0) {
            m.budget = budget;
            return pc;
          }
        } else pc += 8;
      } else if (op === IR_BR_LT_U_I) {
        if ((I32[fp + code[pc + 1]] >>> 0) < (code[pc + 2] >>> 0)) {
          pc = code[pc + 3];
          if (--budget < 0) {
            m.budget = budget;
            return pc;
          }
        } else pc += 4;
      } else if (op === IR_BR_NE) {
        if (I32[fp + code[pc + 1]] !== I32[fp + code[pc + 2]]) {
          pc = code[pc + 3];
          if (--budget < 0) {
            m.budget = budget;
            return pc;
          }
        } else pc += 4;
      } else {
        m.budget = budget;
        return pc;
      }
      continue;
    }
    const w = pc + 3;
    const d = fp + code[w];
    switch (HOT[code[pc + 1]]) {
      // @@GENERATED_SIMD_CASES@@ by gen_simd_run.ts from src/simd/lane_templates.ts: do not edit.
      case 1: { // v128.load
        const mem = inst.memories[code[w + 2]];
        if (mem.index64 || code[w + 4] !== 0) {
          pc = simdExecute(m, inst, fp, code, pc);
          continue;
        }
        const ea = (I32[fp + code[w + 1]] >>> 0) + (code[w + 3] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv;
        I32[d] = dv.getInt32(ea, true);
        I32[d + 1] = dv.getInt32(ea + 4, true);
        I32[d + 2] = dv.getInt32(ea + 8, true);
        I32[d + 3] = dv.getInt32(ea + 12, true);
        break;
      }
      case 2: { // v128.store
        const mem = inst.memories[code[w + 2]];
        if (mem.index64 || code[w + 4] !== 0) {
          pc = simdExecute(m, inst, fp, code, pc);
          continue;
        }
        const v = fp + code[w + 1];
        const ea = (I32[d] >>> 0) + (code[w + 3] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv;
        dv.setInt32(ea, I32[v], true);
        dv.setInt32(ea + 4, I32[v + 1], true);
        dv.setInt32(ea + 8, I32[v + 2], true);
        dv.setInt32(ea + 12, I32[v + 3], true);
        break;
      }
      case 3: { // f32x4.add
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        const r0 = F32[a] + F32[b];
        const r1 = F32[a + 1] + F32[b + 1];
        const r2 = F32[a + 2] + F32[b + 2];
        const r3 = F32[a + 3] + F32[b + 3];
        F32[d] = r0 === r0 ? r0 : QNAN[0];
        F32[d + 1] = r1 === r1 ? r1 : QNAN[0];
        F32[d + 2] = r2 === r2 ? r2 : QNAN[0];
        F32[d + 3] = r3 === r3 ? r3 : QNAN[0];
        break;
      }
      case 4: { // f32x4.mul
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        const r0 = F32[a] * F32[b];
        const r1 = F32[a + 1] * F32[b + 1];
        const r2 = F32[a + 2] * F32[b + 2];
        const r3 = F32[a + 3] * F32[b + 3];
        F32[d] = r0 === r0 ? r0 : QNAN[0];
        F32[d + 1] = r1 === r1 ? r1 : QNAN[0];
        F32[d + 2] = r2 === r2 ? r2 : QNAN[0];
        F32[d + 3] = r3 === r3 ? r3 : QNAN[0];
        break;
      }
      case 5: { // f32x4.sub
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        const r0 = F32[a] - F32[b];
        const r1 = F32[a + 1] - F32[b + 1];
        const r2 = F32[a + 2] - F32[b + 2];
        const r3 = F32[a + 3] - F32[b + 3];
        F32[d] = r0 === r0 ? r0 : QNAN[0];
        F32[d + 1] = r1 === r1 ? r1 : QNAN[0];
        F32[d + 2] = r2 === r2 ? r2 : QNAN[0];
        F32[d + 3] = r3 === r3 ? r3 : QNAN[0];
        break;
      }
      case 6: { // i32x4.add
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        I32[d] = (I32[a] + I32[b]) | 0;
        I32[d + 1] = (I32[a + 1] + I32[b + 1]) | 0;
        I32[d + 2] = (I32[a + 2] + I32[b + 2]) | 0;
        I32[d + 3] = (I32[a + 3] + I32[b + 3]) | 0;
        break;
      }
      case 7: { // i32x4.mul
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        I32[d] = Math.imul(I32[a], I32[b]);
        I32[d + 1] = Math.imul(I32[a + 1], I32[b + 1]);
        I32[d + 2] = Math.imul(I32[a + 2], I32[b + 2]);
        I32[d + 3] = Math.imul(I32[a + 3], I32[b + 3]);
        break;
      }
      case 8: { // i32x4.sub
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        I32[d] = (I32[a] - I32[b]) | 0;
        I32[d + 1] = (I32[a + 1] - I32[b + 1]) | 0;
        I32[d + 2] = (I32[a + 2] - I32[b + 2]) | 0;
        I32[d + 3] = (I32[a + 3] - I32[b + 3]) | 0;
        break;
      }
      case 9: { // i8x16.shuffle
        shuffleWords(
          SV,
          d << 2,
          (fp + code[w + 1]) << 2,
          (fp + code[w + 2]) << 2,
          code[w + 3],
          code[w + 4],
          code[w + 5],
          code[w + 6],
        );
        break;
      }
      case 10: // f32x4.extract_lane
      case 11: { // i32x4.extract_lane
        I32[d] = I32[(fp + code[w + 1]) + code[w + 2]];
        break;
      }
      case 12: // i32x4.splat
      case 13: { // f32x4.splat
        const v = I32[fp + code[w + 1]];
        I32[d] = v;
        I32[d + 1] = v;
        I32[d + 2] = v;
        I32[d + 3] = v;
        break;
      }
      case 14: { // i16x8.splat
        const x = I32[fp + code[w + 1]] & 0xffff;
        const v = x | (x << 16);
        I32[d] = v;
        I32[d + 1] = v;
        I32[d + 2] = v;
        I32[d + 3] = v;
        break;
      }
      case 15: { // i16x8.add_sat_s
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        for (let i = 0; i < 4; i++) {
          const x = I32[a + i];
          const y = I32[b + i];
          const lo = Math.max(-32768, Math.min(32767, ((x << 16) >> 16) + ((y << 16) >> 16)));
          const hi = Math.max(-32768, Math.min(32767, (x >> 16) + (y >> 16)));
          I32[d + i] = (lo & 0xffff) | (hi << 16);
        }
        break;
      }
      case 16: { // i16x8.add
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        for (let i = 0; i < 4; i++) {
          const x = I32[a + i];
          const y = I32[b + i];
          I32[d + i] = ((x & 0x7fff7fff) + (y & 0x7fff7fff)) ^ ((x ^ y) & 0x80008000);
        }
        break;
      }
      case 17: { // i16x8.sub
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        for (let i = 0; i < 4; i++) {
          const x = I32[a + i];
          const y = I32[b + i];
          I32[d + i] = ((x | 0x80008000) - (y & 0x7fff7fff)) ^ ((x ^ ~y) & 0x80008000);
        }
        break;
      }
      case 18: { // i16x8.neg
        const a = fp + code[w + 1];
        for (let i = 0; i < 4; i++) {
          const y = I32[a + i];
          I32[d + i] = (0x80008000 - (y & 0x7fff7fff)) ^ (~y & 0x80008000);
        }
        break;
      }
      case 19: { // i16x8.gt_s
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        for (let i = 0; i < 4; i++) {
          const x = I32[a + i];
          const y = I32[b + i];
          const lo = (((y << 16) >> 16) - ((x << 16) >> 16)) >> 31;
          const hi = ((y >> 16) - (x >> 16)) >> 31;
          I32[d + i] = (lo & 0xffff) | (hi << 16);
        }
        break;
      }
      case 20: { // v128.bitselect
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        const c = fp + code[w + 3];
        I32[d] = (I32[a] & I32[c]) | (I32[b] & ~I32[c]);
        I32[d + 1] = (I32[a + 1] & I32[c + 1]) | (I32[b + 1] & ~I32[c + 1]);
        I32[d + 2] = (I32[a + 2] & I32[c + 2]) | (I32[b + 2] & ~I32[c + 2]);
        I32[d + 3] = (I32[a + 3] & I32[c + 3]) | (I32[b + 3] & ~I32[c + 3]);
        break;
      }
      case 21: { // i16x8.shr_s
        const a = fp + code[w + 1];
        const n = I32[fp + code[w + 2]] & 15;
        for (let i = 0; i < 4; i++) {
          const x = I32[a + i];
          I32[d + i] = (((x << 16) >> (n + 16)) & 0xffff) | ((x >> n) & -65536);
        }
        break;
      }
      case 22: { // i32x4.extend_low_i16x8_s
        const a16 = (fp + code[w + 1]) << 1;
        const r0 = I16[a16];
        const r1 = I16[a16 + 1];
        const r2 = I16[a16 + 2];
        const r3 = I16[a16 + 3];
        I32[d] = r0;
        I32[d + 1] = r1;
        I32[d + 2] = r2;
        I32[d + 3] = r3;
        break;
      }
      case 23: { // i32x4.extend_high_i16x8_s
        const a16 = (fp + code[w + 1]) << 1;
        const r0 = I16[a16 + 4];
        const r1 = I16[a16 + 5];
        const r2 = I16[a16 + 6];
        const r3 = I16[a16 + 7];
        I32[d] = r0;
        I32[d + 1] = r1;
        I32[d + 2] = r2;
        I32[d + 3] = r3;
        break;
      }
      case 24: { // v128.and
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        I32[d] = I32[a] & I32[b];
        I32[d + 1] = I32[a + 1] & I32[b + 1];
        I32[d + 2] = I32[a + 2] & I32[b + 2];
        I32[d + 3] = I32[a + 3] & I32[b + 3];
        break;
      }
      case 25: { // v128.or
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        I32[d] = I32[a] | I32[b];
        I32[d + 1] = I32[a + 1] | I32[b + 1];
        I32[d + 2] = I32[a + 2] | I32[b + 2];
        I32[d + 3] = I32[a + 3] | I32[b + 3];
        break;
      }
      case 26: { // v128.xor
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        I32[d] = I32[a] ^ I32[b];
        I32[d + 1] = I32[a + 1] ^ I32[b + 1];
        I32[d + 2] = I32[a + 2] ^ I32[b + 2];
        I32[d + 3] = I32[a + 3] ^ I32[b + 3];
        break;
      }
      case 27: { // f32x4.div
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        const r0 = F32[a] / F32[b];
        const r1 = F32[a + 1] / F32[b + 1];
        const r2 = F32[a + 2] / F32[b + 2];
        const r3 = F32[a + 3] / F32[b + 3];
        F32[d] = r0 === r0 ? r0 : QNAN[0];
        F32[d + 1] = r1 === r1 ? r1 : QNAN[0];
        F32[d + 2] = r2 === r2 ? r2 : QNAN[0];
        F32[d + 3] = r3 === r3 ? r3 : QNAN[0];
        break;
      }
      case 28: { // f64x2.add
        const d64 = d >> 1;
        const a64 = (fp + code[w + 1]) >> 1;
        const b64 = (fp + code[w + 2]) >> 1;
        const r0 = F64[a64] + F64[b64];
        const r1 = F64[a64 + 1] + F64[b64 + 1];
        F64[d64] = r0 === r0 ? r0 : QNAN[0];
        F64[d64 + 1] = r1 === r1 ? r1 : QNAN[0];
        break;
      }
      case 29: { // f64x2.mul
        const d64 = d >> 1;
        const a64 = (fp + code[w + 1]) >> 1;
        const b64 = (fp + code[w + 2]) >> 1;
        const r0 = F64[a64] * F64[b64];
        const r1 = F64[a64 + 1] * F64[b64 + 1];
        F64[d64] = r0 === r0 ? r0 : QNAN[0];
        F64[d64 + 1] = r1 === r1 ? r1 : QNAN[0];
        break;
      }
      case 30: { // LOAD_D
        const mem = inst.memories[code[w + 2]];
        const ea = ((I32[fp + code[w + 1]] + code[w + 5]) >>> 0) + (code[w + 3] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv;
        I32[d] = dv.getInt32(ea, true);
        I32[d + 1] = dv.getInt32(ea + 4, true);
        I32[d + 2] = dv.getInt32(ea + 8, true);
        I32[d + 3] = dv.getInt32(ea + 12, true);
        break;
      }
      case 31: { // F32_MUL_ADD
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        const c = fp + code[w + 3];
        const r0 = Math.fround(F32[a] * F32[b]) + F32[c];
        const r1 = Math.fround(F32[a + 1] * F32[b + 1]) + F32[c + 1];
        const r2 = Math.fround(F32[a + 2] * F32[b + 2]) + F32[c + 2];
        const r3 = Math.fround(F32[a + 3] * F32[b + 3]) + F32[c + 3];
        F32[d] = r0 === r0 ? r0 : QNAN[0];
        F32[d + 1] = r1 === r1 ? r1 : QNAN[0];
        F32[d + 2] = r2 === r2 ? r2 : QNAN[0];
        F32[d + 3] = r3 === r3 ? r3 : QNAN[0];
        break;
      }
      case 32: { // I32_MUL_ADD
        const a = fp + code[w + 1];
        const b = fp + code[w + 2];
        const c = fp + code[w + 3];
        const r0 = (Math.imul(I32[a], I32[b]) + I32[c]) | 0;
        const r1 = (Math.imul(I32[a + 1], I32[b + 1]) + I32[c + 1]) | 0;
        const r2 = (Math.imul(I32[a + 2], I32[b + 2]) + I32[c + 2]) | 0;
        const r3 = (Math.imul(I32[a + 3], I32[b + 3]) + I32[c + 3]) | 0;
        I32[d] = r0;
        I32[d + 1] = r1;
        I32[d + 2] = r2;
        I32[d + 3] = r3;
        break;
      }
      case 33: { // F32_LOAD_MUL
        const mem = inst.memories[code[w + 3]];
        const x = fp + code[w + 1];
        const ea = ((I32[fp + code[w + 2]] + code[w + 6]) >>> 0) + (code[w + 4] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv;
        const r0 = Math.fround(F32[x] * dv.getFloat32(ea, true));
        const r1 = Math.fround(F32[x + 1] * dv.getFloat32(ea + 4, true));
        const r2 = Math.fround(F32[x + 2] * dv.getFloat32(ea + 8, true));
        const r3 = Math.fround(F32[x + 3] * dv.getFloat32(ea + 12, true));
        F32[d] = r0 === r0 ? r0 : QNAN[0];
        F32[d + 1] = r1 === r1 ? r1 : QNAN[0];
        F32[d + 2] = r2 === r2 ? r2 : QNAN[0];
        F32[d + 3] = r3 === r3 ? r3 : QNAN[0];
        break;
      }
      case 34: { // I32_LOAD_MUL
        const mem = inst.memories[code[w + 3]];
        const x = fp + code[w + 1];
        const ea = ((I32[fp + code[w + 2]] + code[w + 6]) >>> 0) + (code[w + 4] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv;
        const r0 = Math.imul(I32[x], dv.getInt32(ea, true));
        const r1 = Math.imul(I32[x + 1], dv.getInt32(ea + 4, true));
        const r2 = Math.imul(I32[x + 2], dv.getInt32(ea + 8, true));
        const r3 = Math.imul(I32[x + 3], dv.getInt32(ea + 12, true));
        I32[d] = r0;
        I32[d + 1] = r1;
        I32[d + 2] = r2;
        I32[d + 3] = r3;
        break;
      }
      case 35: { // F32_LOAD_MUL_ADD
        const mem = inst.memories[code[w + 3]];
        const x = fp + code[w + 1];
        const c = fp + code[w + 7];
        const ea = ((I32[fp + code[w + 2]] + code[w + 6]) >>> 0) + (code[w + 4] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv;
        const r0 = Math.fround(F32[x] * dv.getFloat32(ea, true)) + F32[c];
        const r1 = Math.fround(F32[x + 1] * dv.getFloat32(ea + 4, true)) + F32[c + 1];
        const r2 = Math.fround(F32[x + 2] * dv.getFloat32(ea + 8, true)) + F32[c + 2];
        const r3 = Math.fround(F32[x + 3] * dv.getFloat32(ea + 12, true)) + F32[c + 3];
        F32[d] = r0 === r0 ? r0 : QNAN[0];
        F32[d + 1] = r1 === r1 ? r1 : QNAN[0];
        F32[d + 2] = r2 === r2 ? r2 : QNAN[0];
        F32[d + 3] = r3 === r3 ? r3 : QNAN[0];
        break;
      }
      case 36: { // I32_LOAD_MUL_ADD
        const mem = inst.memories[code[w + 3]];
        const x = fp + code[w + 1];
        const c = fp + code[w + 7];
        const ea = ((I32[fp + code[w + 2]] + code[w + 6]) >>> 0) + (code[w + 4] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv;
        const r0 = (Math.imul(I32[x], dv.getInt32(ea, true)) + I32[c]) | 0;
        const r1 = (Math.imul(I32[x + 1], dv.getInt32(ea + 4, true)) + I32[c + 1]) | 0;
        const r2 = (Math.imul(I32[x + 2], dv.getInt32(ea + 8, true)) + I32[c + 2]) | 0;
        const r3 = (Math.imul(I32[x + 3], dv.getInt32(ea + 12, true)) + I32[c + 3]) | 0;
        I32[d] = r0;
        I32[d + 1] = r1;
        I32[d + 2] = r2;
        I32[d + 3] = r3;
        break;
      }
      case 37: { // EXT_LOW_ADD
        const a16 = (fp + code[w + 1]) << 1;
        const c = fp + code[w + 2];
        const r0 = (I32[c] + I16[a16]) | 0;
        const r1 = (I32[c + 1] + I16[a16 + 1]) | 0;
        const r2 = (I32[c + 2] + I16[a16 + 2]) | 0;
        const r3 = (I32[c + 3] + I16[a16 + 3]) | 0;
        I32[d] = r0;
        I32[d + 1] = r1;
        I32[d + 2] = r2;
        I32[d + 3] = r3;
        break;
      }
      case 38: { // EXT_HIGH_ADD
        const a16 = (fp + code[w + 1]) << 1;
        const c = fp + code[w + 2];
        const r0 = (I32[c] + I16[a16 + 4]) | 0;
        const r1 = (I32[c + 1] + I16[a16 + 5]) | 0;
        const r2 = (I32[c + 2] + I16[a16 + 6]) | 0;
        const r3 = (I32[c + 3] + I16[a16 + 7]) | 0;
        I32[d] = r0;
        I32[d + 1] = r1;
        I32[d + 2] = r2;
        I32[d + 3] = r3;
        break;
      }
      // @@END_GENERATED_SIMD_CASES@@
      default:
        pc = simdExecute(m, inst, fp, code, pc);
        continue;
    }
    pc = w + code[pc + 2];
  }
}
