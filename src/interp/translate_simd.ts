/**
 * Fusion of the dot-product shape into the pseudo SIMD ops of
 * `simd_fused.ts`: a `v128.load` takes the `i32.add` of a constant that
 * computed its address, a `*.mul` takes the load that produced one of its
 * operands, an `*.add` takes the mul that produced one of its operands. As
 * with the scalar fused pairs, the consumed value is a temporary produced by
 * the instruction just emitted (so used only here).
 *
 * Measured on ../shared/bench simd_dot --mid (gannet CPU time, alternating
 * runs): 6480/6360 ms → 5350/5260 ms.
 *
 * @module
 */

import { opByName, type OpInfo } from "../binary/opcodes.ts";
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
} from "./simd_fused.ts";
import { TEMP, type Translator } from "./translator.ts";

const IR_SIMD = IR["simd"];
const V128_LOAD = opByName("v128.load")!.index;
const F32_MUL = opByName("f32x4.mul")!.index, F32_ADD = opByName("f32x4.add")!.index;
const I32_MUL = opByName("i32x4.mul")!.index, I32_ADD = opByName("i32x4.add")!.index;
const EXT_LOW = opByName("i32x4.extend_low_i16x8_s")!.index;
const EXT_HIGH = opByName("i32x4.extend_high_i16x8_s")!.index;
const V128 = 0x7b;

/** The words (after `simd index count`) of the last instruction, if it is a `simd` one that produced the entry at height `h`. */
function lastSimd(t: Translator, h: number): number {
  if (t.lastStart < 0 || t.lastHeight !== h || t.vk[h] !== TEMP) return -1;
  return t.code[t.lastStart] === IR_SIMD ? t.code[t.lastStart + 1] : -1;
}

/** Replaces the last instruction (consuming `n` stack entries) by fused op `index` with `words` (result first). */
function replace(t: Translator, n: number, index: number, words: number[]): void {
  t.n = t.lastStart;
  t.lastStart = -1;
  t.popTo(t.sp - n);
  t.push(V128);
  const start = t.emit(IR_SIMD, index, words.length + 1, t.vs[t.sp - 1] * 2, ...words);
  t.produced(start, 2, 3);
}

/**
 * Emits `op` fused with the instruction before it when the shape allows
 * (after the caller materialized constant operands); returns whether it did.
 * `imms` are the memarg words of a load.
 */
export function fuseSimd(t: Translator, op: OpInfo, imms: readonly number[]): boolean {
  const top = t.sp - 1;
  if (op.index === V128_LOAD) {
    if (t.inst.memories[imms[0]].index64 || imms[2] !== 0) return false;
    if (t.lastStart < 0 || t.lastHeight !== top || t.vk[top] !== TEMP) return false;
    const prev = t.code[t.lastStart];
    if (prev !== IR["i32.add_i"] && prev !== IR["i32.sub_i"]) return false;
    const a = t.code[t.lastStart + 2], k = t.code[t.lastStart + 3];
    replace(t, 1, LOAD_D, [a, imms[0], imms[1], 0, prev === IR["i32.add_i"] ? k : -k | 0]);
    return true;
  }
  const isMul = op.index === F32_MUL || op.index === I32_MUL;
  const isAdd = op.index === F32_ADD || op.index === I32_ADD;
  if (!isMul && !isAdd) return false;
  const f32 = op.index === F32_MUL || op.index === F32_ADD;
  // Which operand the last instruction produced (both are commutative).
  let prev = lastSimd(t, top), other = top - 1;
  if (prev < 0) {
    prev = lastSimd(t, top - 1);
    other = top;
  }
  if (prev < 0) return false;
  const w = t.lastStart + 3, code = t.code;
  const x = t.operand(other, "w");
  if (isMul && (prev === V128_LOAD || prev === LOAD_D)) {
    if (prev === V128_LOAD && (t.inst.memories[code[w + 2]].index64 || code[w + 4] !== 0)) {
      return false;
    }
    const k = prev === LOAD_D ? code[w + 5] : 0;
    const words = [x, code[w + 1], code[w + 2], code[w + 3], 0, k];
    replace(t, 2, f32 ? F32_LOAD_MUL : I32_LOAD_MUL, words);
    return true;
  }
  if (!isAdd) return false;
  if (prev === (f32 ? F32_MUL : I32_MUL)) {
    replace(t, 2, f32 ? F32_MUL_ADD : I32_MUL_ADD, [code[w + 1], code[w + 2], x]);
    return true;
  }
  if (!f32 && (prev === EXT_LOW || prev === EXT_HIGH)) {
    replace(t, 2, prev === EXT_LOW ? EXT_LOW_ADD : EXT_HIGH_ADD, [code[w + 1], x]);
    return true;
  }
  if (prev === (f32 ? F32_LOAD_MUL : I32_LOAD_MUL)) {
    const words = [code[w + 1], code[w + 2], code[w + 3], code[w + 4], 0, code[w + 6], x];
    replace(t, 2, f32 ? F32_LOAD_MUL_ADD : I32_LOAD_MUL_ADD, words);
    return true;
  }
  return false;
}
