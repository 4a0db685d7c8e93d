/**
 * Translation of memory accesses (constant addresses, fused displacements,
 * constant values, arithmetic stored at once) and of SIMD instructions.
 *
 * @module
 */

import { Imm, type OpInfo } from "../binary/opcodes.ts";
import { CompileError } from "../errors.ts";
import { IR, IR_DEFS } from "./ir_defs.ts";
import { CONST, TEMP, type Translator } from "./translator.ts";
import { F64, I64, letterType, PLAIN } from "./translate_numeric.ts";
import { fuseSimd } from "./translate_simd.ts";

/** Access width in bytes of a plain load/store, from its IR name. */
function widthOf(name: string): number {
  const m = /(8|16|32)(_[su])?$/.exec(name.split(".")[1]);
  if (m !== null) return Number(m[1]) / 8;
  return name.startsWith("i64") ? 8 : 4;
}

/**
 * If the entry at height `h` was produced by the last instruction and that
 * is an `i32.add`/`i32.sub` of a constant, removes it and returns
 * [its register operand, the constant to add]; else null.
 */
function takeDisplacement(t: Translator, h: number): [number, number] | null {
  if (t.lastStart < 0 || t.lastHeight !== h || t.vk[h] !== TEMP) return null;
  const op = t.code[t.lastStart];
  if (op !== IR["i32.add_i"] && op !== IR["i32.sub_i"]) return null;
  const a = t.code[t.lastStart + 2], k = t.code[t.lastStart + 3];
  t.n = t.lastStart;
  t.lastStart = -1;
  return [a, op === IR["i32.add_i"] ? k : -k | 0];
}

/** A load or store (memarg immediate). */
export function memAccess(t: Translator, op: OpInfo): void {
  const flags = t.u32();
  const m = flags & 0x40 ? t.u32() : 0;
  const mem = t.inst.memories[m];
  const offLo = mem.index64 ? t.u64() : t.u32() | 0;
  const offHi = mem.index64 ? t.hi : 0;
  const sig = op.sig!;
  const isLoad = sig.endsWith(":") === false;
  const fast = m === 0 && !mem.index64;
  const plain = PLAIN[op.index];
  const name = IR_DEFS[plain]?.name ?? "";
  if (isLoad) {
    const resultType = letterType(sig[2], false);
    const ha = t.sp - 1;
    if (fast && t.vk[ha] === CONST) {
      // Constant address: fold it into the offset.
      const ea = (t.vv[ha] >>> 0) + (offLo >>> 0);
      t.pop();
      t.push(resultType);
      if (ea + widthOf(name) > 4294967296) t.emit(IR["trap"], 1);
      else t.produced(t.emit(IR[name + "_abs"], t.vs[t.sp - 1] * 2, ea | 0), 2);
      return;
    }
    const disp = fast && offLo === 0 ? takeDisplacement(t, ha) : null;
    if (t.vk[ha] === CONST) t.materialize(ha);
    const a = disp !== null ? disp[0] : t.operand(ha, "w");
    t.pop();
    t.push(resultType);
    const d = t.vs[t.sp - 1] * 2;
    if (disp !== null) t.produced(t.emit(IR[name + "_d"], d, a, disp[1]), 2);
    else if (fast) t.produced(t.emit(plain, d, a, offLo), 2);
    else t.produced(t.emit(IR["load_slow"], op.index, m, d, a, offLo, offHi), 2, 3);
    return;
  }
  const ha = t.sp - 2, hv = t.sp - 1;
  if (fast) {
    if (t.vk[ha] === CONST) {
      const ea = (t.vv[ha] >>> 0) + (offLo >>> 0);
      if (t.vk[hv] === CONST) t.materialize(hv);
      const v = t.operand(hv, "w");
      t.popTo(ha);
      if (ea + widthOf(name) > 4294967296) t.emit(IR["trap"], 1);
      else t.emit(IR[name + "_abs"], v, ea | 0);
      return;
    }
    // The value must not need code of its own for the address's add to be last.
    const disp = offLo === 0 && t.vk[hv] !== CONST ? takeDisplacement(t, ha) : null;
    if (disp !== null) {
      const v = t.operand(hv, "w");
      t.popTo(ha);
      t.emit(IR[name + "_d"], disp[0], v, disp[1]);
      return;
    }
    if (name === "i64.store" && t.vt[hv] === F64 && t.vk[ha] !== CONST) {
      // An f64 computed just now and stored: one instruction.
      const arith = t.lastStart >= 0 && t.lastHeight === hv && t.vk[hv] === TEMP
        ? IR[`${IR_DEFS[t.code[t.lastStart]].name}>f64.store`]
        : undefined;
      if (t.lastStart >= 0 && t.lastHeight === hv && t.vk[hv] === TEMP && addTo(t, ha, offLo)) {
        return;
      }
      if (arith !== undefined) {
        const x = t.code[t.lastStart + 2], y = t.code[t.lastStart + 3];
        t.n = t.lastStart;
        t.lastStart = -1;
        const a = t.operand(ha, "w");
        t.popTo(ha);
        t.emit(arith, a, offLo, x, y);
        return;
      }
    }
    if (t.vk[hv] === CONST) {
      const a = t.operand(ha, "w");
      const wide = t.vt[hv] === I64 || t.vt[hv] === F64;
      const k = wide ? [t.vv[hv], t.vh[hv]] : [t.vv[hv]];
      t.popTo(ha);
      t.emit(IR[name + "_k"], a, ...k, offLo);
      return;
    }
  }
  for (let h = ha; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
  const a = t.operand(ha, "w"), v = t.operand(hv, "w");
  t.popTo(ha);
  if (fast) t.emit(plain, a, v, offLo);
  else t.emit(IR["store_slow"], op.index, m, a, v, offLo, offHi);
}

/**
 * A SIMD instruction, executed out of line by the SIMD executor. Layout:
 * `simd opIndex count words…` where the words are the result's slot (word
 * index) if any, the operands' slots in order, then the immediates (memarg:
 * memidx, offset lo, offset hi; lane: index; shuffle: 4 words of lane bytes).
 * The atomic (threads) instructions use the same layout under `ir` = `atomic`.
 */
export function simdOp(t: Translator, op: OpInfo, ir: number = IR["simd"]): void {
  const imms: number[] = [];
  let addr64 = false;
  if (op.imm === Imm.MemArg || op.imm === Imm.MemArgLane) {
    const flags = t.u32();
    const m = flags & 0x40 ? t.u32() : 0;
    addr64 = t.inst.memories[m].index64;
    const lo = addr64 ? t.u64() : t.u32() | 0;
    imms.push(m, lo, addr64 ? t.hi : 0);
    if (op.imm === Imm.MemArgLane) imms.push(t.byte());
  } else if (op.imm === Imm.Lane) imms.push(t.byte());
  else if (op.imm === Imm.Shuffle) imms.push(t.word(), t.word(), t.word(), t.word());
  else if (op.imm !== Imm.None) {
    throw new CompileError(`instruction ${op.name} is not supported by the interpreter`);
  }
  const sig = op.sig!;
  const colon = sig.indexOf(":");
  const nParams = colon;
  const results = sig.slice(colon + 1);
  for (let h = t.sp - nParams; h < t.sp; h++) if (t.vk[h] === CONST) t.materialize(h);
  if (ir === IR["simd"] && fuseSimd(t, op, imms)) return;
  const ins: number[] = [];
  for (let h = t.sp - nParams; h < t.sp; h++) ins.push(t.operand(h, "w"));
  t.popTo(t.sp - nParams);
  const words: number[] = [];
  if (results.length === 1) {
    t.push(letterType(results, addr64));
    words.push(t.vs[t.sp - 1] * 2);
  }
  words.push(...ins, ...imms);
  const start = t.emit(ir, op.index, words.length, ...words);
  if (results.length === 1) t.produced(start, 2, 3);
}

const LOAD_ADD = IR["f64.load>f64.add"], ADD_TO = IR["f64.load>f64.add>f64.store"];
/** `f64.load>f64.madd|msub` and their store forms (the same operands but d). */
const LOAD_PRODUCT_STORE = new Map<number, number>(
  ["madd", "msub"].map((s) => [IR[`f64.load>f64.${s}`], IR[`f64.load>f64.${s}>f64.store`]]),
);

/**
 * `f64.store` (at entry `ha`, offset `off`) of the `f64.load>f64.add` (or
 * `f64.load>f64.madd|msub`) just emitted from the same address: `mem[a] +=
 * c` (or `±= x * y * z`) in one instruction, the sum (a temporary read only
 * by the store) never written. Returns whether it did.
 */
function addTo(t: Translator, ha: number, off: number): boolean {
  const s = t.lastStart, a = t.operand(ha, "w");
  if (t.code[s + 2] !== a || t.code[s + 3] !== off) return false;
  const product = LOAD_PRODUCT_STORE.get(t.code[s]);
  if (t.code[s] !== LOAD_ADD && product === undefined) return false;
  const rest = Array.from(t.code.subarray(s + 4, s + (product === undefined ? 5 : 7)));
  t.n = s;
  t.lastStart = -1;
  t.popTo(ha);
  t.emit(product ?? ADD_TO, a, off, ...rest);
  return true;
}
