/**
 * The SIMD dispatch loop: runs a stretch of consecutive `simd` IR
 * instructions (plus the `i32.add_i` address steps that sit between them in
 * vectorized loops) in one call from the main loop, with the hottest lane
 * operations written inline; everything else goes to the SIMD executor.
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

import { opByName } from "../binary/opcodes.ts";
import { RuntimeError, Trap } from "../errors.ts";
import type { Machine } from "../runtime/machine.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { shuffleWords } from "../simd/lanes.ts";
import { registerViews } from "../simd/views.ts";
import { simdExecute } from "../simd/executor.ts";
import { IR } from "./ir_defs.ts";
import {
  EXT_HIGH_ADD,
  EXT_LOW_ADD,
  F32_LOAD_MUL,
  F32_LOAD_MUL_ADD,
  F32_MUL_ADD,
  I32_LOAD_MUL,
  I32_LOAD_MUL_ADD,
  I32_MUL_ADD,
  LOAD_D,
  SIMD_FUSED_END,
} from "./simd_fused.ts";

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
 * Taken branches per call: vector loops then run entirely in here (their
 * counter steps and latches included), and the caller counts one slice
 * budget unit per call, so a slice stays bounded.
 */
export const SIMD_JUMPS = 256;

/**
 * Dense numbers for the inline cases (by wasm op index), so that the switch
 * below has literal, consecutive case labels (a jump table in V8).
 */
const HOT = new Uint8Array(SIMD_FUSED_END);
const HOT_NAMES = [
  "",
  "v128.load",
  "v128.store",
  "f32x4.add",
  "f32x4.mul",
  "f32x4.sub",
  "i32x4.add",
  "i32x4.mul",
  "i32x4.sub",
  "i8x16.shuffle",
  "f32x4.extract_lane",
  "i32x4.extract_lane",
  "i32x4.splat",
  "f32x4.splat",
  "i16x8.splat",
  "i16x8.add_sat_s",
  "i16x8.add",
  "i16x8.sub",
  "i16x8.neg",
  "i16x8.gt_s",
  "v128.bitselect",
  "i16x8.shr_s",
  "i32x4.extend_low_i16x8_s",
  "i32x4.extend_high_i16x8_s",
  "v128.and",
  "v128.or",
  "v128.xor",
  "f32x4.div",
  "f64x2.add",
  "f64x2.mul",
];
for (let i = 1; i < HOT_NAMES.length; i++) HOT[opByName(HOT_NAMES[i])!.index] = i;
HOT[LOAD_D] = 30;
HOT[F32_MUL_ADD] = 31;
HOT[I32_MUL_ADD] = 32;
HOT[F32_LOAD_MUL] = 33;
HOT[I32_LOAD_MUL] = 34;
HOT[F32_LOAD_MUL_ADD] = 35;
HOT[I32_LOAD_MUL_ADD] = 36;
HOT[EXT_LOW_ADD] = 37;
HOT[EXT_HIGH_ADD] = 38;

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
 * vector-loop scalar instructions (taking up to {@link SIMD_JUMPS}
 * branches); returns the pc of the first other instruction.
 */
export function simdRun(
  m: Machine,
  inst: InstanceState,
  fp: number,
  code: Int32Array,
  pc: number,
): number {
  const r = registerViews(m.buf);
  const I32 = r.i32, F32 = r.f32, I16 = r.i16, F64 = r.f64;
  let jumps = SIMD_JUMPS;
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
          if (--jumps < 0) return pc;
        } else pc += 8;
      } else if (op === IR_BR_LT_U_I) {
        if ((I32[fp + code[pc + 1]] >>> 0) < (code[pc + 2] >>> 0)) {
          pc = code[pc + 3];
          if (--jumps < 0) return pc;
        } else pc += 4;
      } else if (op === IR_BR_NE) {
        if (I32[fp + code[pc + 1]] !== I32[fp + code[pc + 2]]) {
          pc = code[pc + 3];
          if (--jumps < 0) return pc;
        } else pc += 4;
      } else return pc;
      continue;
    }
    const w = pc + 3;
    const d = fp + code[w];
    switch (HOT[code[pc + 1]]) {
      case 1: {
        // v128.load: d, address, memidx, offset lo, offset hi.
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
        pc = w + 5;
        continue;
      }
      case 2: {
        // v128.store: address, value, memidx, offset lo, offset hi.
        const mem = inst.memories[code[w + 2]];
        if (mem.index64 || code[w + 4] !== 0) {
          pc = simdExecute(m, inst, fp, code, pc);
          continue;
        }
        const ea = (I32[d] >>> 0) + (code[w + 3] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv, a = fp + code[w + 1];
        dv.setInt32(ea, I32[a], true);
        dv.setInt32(ea + 4, I32[a + 1], true);
        dv.setInt32(ea + 8, I32[a + 2], true);
        dv.setInt32(ea + 12, I32[a + 3], true);
        pc = w + 5;
        continue;
      }
      case 3: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        F32[d] = F32[a] + F32[b];
        F32[d + 1] = F32[a + 1] + F32[b + 1];
        F32[d + 2] = F32[a + 2] + F32[b + 2];
        F32[d + 3] = F32[a + 3] + F32[b + 3];
        break;
      }
      case 4: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        F32[d] = F32[a] * F32[b];
        F32[d + 1] = F32[a + 1] * F32[b + 1];
        F32[d + 2] = F32[a + 2] * F32[b + 2];
        F32[d + 3] = F32[a + 3] * F32[b + 3];
        break;
      }
      case 5: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        F32[d] = F32[a] - F32[b];
        F32[d + 1] = F32[a + 1] - F32[b + 1];
        F32[d + 2] = F32[a + 2] - F32[b + 2];
        F32[d + 3] = F32[a + 3] - F32[b + 3];
        break;
      }
      case 6: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        I32[d] = (I32[a] + I32[b]) | 0;
        I32[d + 1] = (I32[a + 1] + I32[b + 1]) | 0;
        I32[d + 2] = (I32[a + 2] + I32[b + 2]) | 0;
        I32[d + 3] = (I32[a + 3] + I32[b + 3]) | 0;
        break;
      }
      case 7: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        I32[d] = Math.imul(I32[a], I32[b]);
        I32[d + 1] = Math.imul(I32[a + 1], I32[b + 1]);
        I32[d + 2] = Math.imul(I32[a + 2], I32[b + 2]);
        I32[d + 3] = Math.imul(I32[a + 3], I32[b + 3]);
        break;
      }
      case 8: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        I32[d] = (I32[a] - I32[b]) | 0;
        I32[d + 1] = (I32[a + 1] - I32[b + 1]) | 0;
        I32[d + 2] = (I32[a + 2] - I32[b + 2]) | 0;
        I32[d + 3] = (I32[a + 3] - I32[b + 3]) | 0;
        break;
      }
      case 9:
        shuffleWords(
          r,
          d << 2,
          (fp + code[w + 1]) << 2,
          (fp + code[w + 2]) << 2,
          code[w + 3],
          code[w + 4],
          code[w + 5],
          code[w + 6],
        );
        break;
      case 10:
      case 11:
        // A bit-exact move of one 32-bit lane: d, vector, lane.
        I32[d] = I32[fp + code[w + 1] + code[w + 2]];
        break;
      case 12:
      case 13: {
        const v = I32[fp + code[w + 1]];
        I32[d] = v;
        I32[d + 1] = v;
        I32[d + 2] = v;
        I32[d + 3] = v;
        break;
      }
      case 14: {
        const x = I32[fp + code[w + 1]] & 0xffff, v = x | (x << 16);
        I32[d] = v;
        I32[d + 1] = v;
        I32[d + 2] = v;
        I32[d + 3] = v;
        break;
      }
      case 15: {
        const h = d << 1, a = (fp + code[w + 1]) << 1, b = (fp + code[w + 2]) << 1;
        // Branch-free clamps (lanes saturate unpredictably).
        for (let i = 0; i < 8; i++) {
          I16[h + i] = Math.max(-32768, Math.min(32767, I16[a + i] + I16[b + i]));
        }
        break;
      }
      // i16x8 add/sub/neg two lanes per 32-bit word (SWAR: the low 15 bits
      // of each lane add without crossing; the top bits are xor-ed in).
      case 16: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        for (let i = 0; i < 4; i++) {
          const x = I32[a + i], y = I32[b + i];
          I32[d + i] = ((x & 0x7fff7fff) + (y & 0x7fff7fff)) ^ ((x ^ y) & 0x80008000);
        }
        break;
      }
      case 17: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        for (let i = 0; i < 4; i++) {
          const x = I32[a + i], y = I32[b + i];
          I32[d + i] = ((x | 0x80008000) - (y & 0x7fff7fff)) ^ ((x ^ ~y) & 0x80008000);
        }
        break;
      }
      case 18: {
        const a = fp + code[w + 1];
        for (let i = 0; i < 4; i++) {
          const y = I32[a + i];
          I32[d + i] = (0x80008000 - (y & 0x7fff7fff)) ^ (~y & 0x80008000);
        }
        break;
      }
      case 19: {
        // b - a < 0 exactly when a > b (no overflow in a double): -1 or 0, no branch.
        const h = d << 1, a = (fp + code[w + 1]) << 1, b = (fp + code[w + 2]) << 1;
        for (let i = 0; i < 8; i++) I16[h + i] = (I16[b + i] - I16[a + i]) >> 31;
        break;
      }
      case 20: {
        // v128.bitselect: d, a, b, mask.
        const a = fp + code[w + 1], b = fp + code[w + 2], c = fp + code[w + 3];
        I32[d] = (I32[a] & I32[c]) | (I32[b] & ~I32[c]);
        I32[d + 1] = (I32[a + 1] & I32[c + 1]) | (I32[b + 1] & ~I32[c + 1]);
        I32[d + 2] = (I32[a + 2] & I32[c + 2]) | (I32[b + 2] & ~I32[c + 2]);
        I32[d + 3] = (I32[a + 3] & I32[c + 3]) | (I32[b + 3] & ~I32[c + 3]);
        break;
      }
      case 21: {
        const h = d << 1, a = (fp + code[w + 1]) << 1, s = I32[fp + code[w + 2]] & 15;
        for (let i = 0; i < 8; i++) I16[h + i] = I16[a + i] >> s;
        break;
      }
      case 22: {
        // All lanes are read before any is written (d may equal a).
        const a = (fp + code[w + 1]) << 1;
        const x0 = I16[a], x1 = I16[a + 1], x2 = I16[a + 2], x3 = I16[a + 3];
        I32[d] = x0;
        I32[d + 1] = x1;
        I32[d + 2] = x2;
        I32[d + 3] = x3;
        break;
      }
      case 23: {
        const a = (fp + code[w + 1]) << 1;
        const x0 = I16[a + 4], x1 = I16[a + 5], x2 = I16[a + 6], x3 = I16[a + 7];
        I32[d] = x0;
        I32[d + 1] = x1;
        I32[d + 2] = x2;
        I32[d + 3] = x3;
        break;
      }
      case 24: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        I32[d] = I32[a] & I32[b];
        I32[d + 1] = I32[a + 1] & I32[b + 1];
        I32[d + 2] = I32[a + 2] & I32[b + 2];
        I32[d + 3] = I32[a + 3] & I32[b + 3];
        break;
      }
      case 25: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        I32[d] = I32[a] | I32[b];
        I32[d + 1] = I32[a + 1] | I32[b + 1];
        I32[d + 2] = I32[a + 2] | I32[b + 2];
        I32[d + 3] = I32[a + 3] | I32[b + 3];
        break;
      }
      case 26: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        I32[d] = I32[a] ^ I32[b];
        I32[d + 1] = I32[a + 1] ^ I32[b + 1];
        I32[d + 2] = I32[a + 2] ^ I32[b + 2];
        I32[d + 3] = I32[a + 3] ^ I32[b + 3];
        break;
      }
      case 27: {
        const a = fp + code[w + 1], b = fp + code[w + 2];
        F32[d] = F32[a] / F32[b];
        F32[d + 1] = F32[a + 1] / F32[b + 1];
        F32[d + 2] = F32[a + 2] / F32[b + 2];
        F32[d + 3] = F32[a + 3] / F32[b + 3];
        break;
      }
      case 28: {
        const e = d >> 1, a = (fp + code[w + 1]) >> 1, b = (fp + code[w + 2]) >> 1;
        F64[e] = F64[a] + F64[b];
        F64[e + 1] = F64[a + 1] + F64[b + 1];
        break;
      }
      case 29: {
        const e = d >> 1, a = (fp + code[w + 1]) >> 1, b = (fp + code[w + 2]) >> 1;
        F64[e] = F64[a] * F64[b];
        F64[e + 1] = F64[a + 1] * F64[b + 1];
        break;
      }
      case 30: {
        // LOAD_D: d, address, memidx, offset lo, 0, k.
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
      case 31: {
        // F32_MUL_ADD: d, a, b, c. The product is rounded to f32 first, as wasm does.
        const a = fp + code[w + 1], b = fp + code[w + 2], c = fp + code[w + 3];
        const r0 = Math.fround(F32[a] * F32[b]) + F32[c];
        const r1 = Math.fround(F32[a + 1] * F32[b + 1]) + F32[c + 1];
        const r2 = Math.fround(F32[a + 2] * F32[b + 2]) + F32[c + 2];
        const r3 = Math.fround(F32[a + 3] * F32[b + 3]) + F32[c + 3];
        F32[d] = r0;
        F32[d + 1] = r1;
        F32[d + 2] = r2;
        F32[d + 3] = r3;
        break;
      }
      case 32: {
        const a = fp + code[w + 1], b = fp + code[w + 2], c = fp + code[w + 3];
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
      case 33:
      case 34:
      case 35:
      case 36: {
        // d, x, address, memidx, offset lo, 0, k[, c]: (c +) x * load.
        const mem = inst.memories[code[w + 3]];
        const ea = ((I32[fp + code[w + 2]] + code[w + 6]) >>> 0) + (code[w + 4] >>> 0);
        if (ea > mem.len - 16 && !mem.covers(ea + 16)) trapOob();
        const dv = mem.dv, x = fp + code[w + 1], kind = HOT[code[pc + 1]];
        if (kind === 33 || kind === 35) {
          let r0 = Math.fround(F32[x] * dv.getFloat32(ea, true));
          let r1 = Math.fround(F32[x + 1] * dv.getFloat32(ea + 4, true));
          let r2 = Math.fround(F32[x + 2] * dv.getFloat32(ea + 8, true));
          let r3 = Math.fround(F32[x + 3] * dv.getFloat32(ea + 12, true));
          if (kind === 35) {
            const c = fp + code[w + 7];
            r0 += F32[c];
            r1 += F32[c + 1];
            r2 += F32[c + 2];
            r3 += F32[c + 3];
          }
          F32[d] = r0;
          F32[d + 1] = r1;
          F32[d + 2] = r2;
          F32[d + 3] = r3;
        } else {
          let r0 = Math.imul(I32[x], dv.getInt32(ea, true));
          let r1 = Math.imul(I32[x + 1], dv.getInt32(ea + 4, true));
          let r2 = Math.imul(I32[x + 2], dv.getInt32(ea + 8, true));
          let r3 = Math.imul(I32[x + 3], dv.getInt32(ea + 12, true));
          if (kind === 36) {
            const c = fp + code[w + 7];
            r0 = (r0 + I32[c]) | 0;
            r1 = (r1 + I32[c + 1]) | 0;
            r2 = (r2 + I32[c + 2]) | 0;
            r3 = (r3 + I32[c + 3]) | 0;
          }
          I32[d] = r0;
          I32[d + 1] = r1;
          I32[d + 2] = r2;
          I32[d + 3] = r3;
        }
        break;
      }
      case 37:
      case 38: {
        // EXT_*_ADD: d, a, c — c + the low or high four i16 lanes of a, widened.
        const a = ((fp + code[w + 1]) << 1) + (HOT[code[pc + 1]] === 38 ? 4 : 0);
        const c = fp + code[w + 2];
        const r0 = (I32[c] + I16[a]) | 0, r1 = (I32[c + 1] + I16[a + 1]) | 0;
        const r2 = (I32[c + 2] + I16[a + 2]) | 0, r3 = (I32[c + 3] + I16[a + 3]) | 0;
        I32[d] = r0;
        I32[d + 1] = r1;
        I32[d + 2] = r2;
        I32[d + 3] = r3;
        break;
      }
      default:
        pc = simdExecute(m, inst, fp, code, pc);
        continue;
    }
    pc = w + code[pc + 2];
  }
}
