/**
 * Translation of numeric instructions: immediate forms, fused pairs through
 * temporaries, compare-and-branch fusion, value loads of floats.
 *
 * @module
 */

import { OPCODES, type OpInfo } from "../binary/opcodes.ts";
import { instrSize, IR, IR_ALIASES, IR_DEFS } from "./ir_defs.ts";
import { CONST, FUNC, IR_SCALES, TEMP, type Translator } from "./translator.ts";
import { branchMoves, emitReturn, jumpTo, labelCtl, needsMoves } from "./translate_control.ts";

/** No IR op. */
export const NONE: number = -1;

/** IR op executing each wasm op directly (numeric, load, store), by table index. */
export const PLAIN: Int32Array = new Int32Array(OPCODES.length).fill(NONE);
/** The `_i` form (right operand immediate), by table index. */
const WITH_IMM: Int32Array = new Int32Array(OPCODES.length).fill(NONE);
/** The `_i` form with operands swapped (left operand immediate), by table index. */
const SWAPPED_IMM: Int32Array = new Int32Array(OPCODES.length).fill(NONE);
/** For a compare IR op (register or `_i` form): its fused br_if / br_unless. */
const BR_IF = new Map<number, number>();
const BR_UNLESS = new Map<number, number>();

const MIRROR: Record<string, string> = {
  eq: "eq",
  ne: "ne",
  add: "add",
  mul: "mul",
  and: "and",
  or: "or",
  xor: "xor",
  lt_s: "gt_s",
  gt_s: "lt_s",
  lt_u: "gt_u",
  gt_u: "lt_u",
  le_s: "ge_s",
  ge_s: "le_s",
  le_u: "ge_u",
  ge_u: "le_u",
};

for (const op of OPCODES) {
  const name = IR_ALIASES[op.name] ?? op.name;
  if (IR[name] !== undefined) PLAIN[op.index] = IR[name];
  if (IR[name + "_i"] !== undefined) WITH_IMM[op.index] = IR[name + "_i"];
  const [type, stem] = op.name.split(".");
  const mirrored = MIRROR[stem];
  if (mirrored !== undefined && IR[`${type}.${mirrored}_i`] !== undefined) {
    SWAPPED_IMM[op.index] = IR[`${type}.${mirrored}_i`];
  }
}
/** Integer compares and their negations (`!(a < b)` is `a >= b`; not so for floats). */
const NEGATED: Record<string, string> = {
  eq: "ne",
  ne: "eq",
  lt_s: "ge_s",
  ge_s: "lt_s",
  lt_u: "ge_u",
  ge_u: "lt_u",
  gt_s: "le_s",
  le_s: "gt_s",
  gt_u: "le_u",
  le_u: "gt_u",
};
for (const d of IR_DEFS) {
  if (d.name.startsWith("br_if.")) BR_IF.set(IR[d.name.slice(6)], IR[d.name]);
  if (d.name.startsWith("br_unless.")) BR_UNLESS.set(IR[d.name.slice(10)], IR[d.name]);
}
/** Integer compare IR op → its negation (same operands). */
const NEGATED_OP = new Map<number, number>();
for (const d of IR_DEFS) {
  const m = /^(i32|i64)\.([a-z_]+?)(_i)?$/.exec(d.name);
  if (m === null || NEGATED[m[2]] === undefined) continue;
  const neg = IR[`${m[1]}.${NEGATED[m[2]]}${m[3] ?? ""}`];
  if (neg !== undefined) NEGATED_OP.set(IR[d.name], neg);
}
for (const d of IR_DEFS) {
  const m = /^(i32|i64)\.([a-z_]+?)(_i)?$/.exec(d.name);
  if (m === null || NEGATED[m[2]] === undefined || !BR_IF.has(IR[d.name])) continue;
  const neg = IR[`br_if.${m[1]}.${NEGATED[m[2]]}${m[3] ?? ""}`];
  if (neg !== undefined) BR_UNLESS.set(IR[d.name], neg);
}

/** Value type codes. */
export const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;

/** Value type of a signature letter (`a` = the memory's address type). */
export function letterType(c: string, addr64: boolean): number {
  switch (c) {
    case "i":
      return I32;
    case "l":
      return I64;
    case "f":
      return F32;
    case "d":
      return F64;
    case "v":
      return V128;
    default:
      return addr64 ? I64 : I32;
  }
}

/**
 * If the stack top is the result of a just-emitted comparison, removes that
 * instruction and returns [compare IR op, its operand words]; else null.
 */
export function takeCompare(t: Translator): [number, number[]] | null {
  if (!t.topIsLast()) return null;
  const start = t.lastStart;
  const op = t.code[start];
  if (!BR_IF.has(op) && op !== IR["i32.eqz"]) return null;
  const size = IR_DEFS[op].size;
  const words: number[] = [];
  for (let i = 2; i < size; i++) words.push(t.code[start + i]);
  t.n = start;
  t.lastStart = -1;
  return [op, words];
}

/** Emits "jump to `c` when the condition on the stack top is true (or false if `negate`)". */
export function condJump(
  cmp: [number, number[]] | null,
  cond: number,
  negate: boolean,
  emitJump: (op: number, words: number[]) => void,
): void {
  if (cmp === null) {
    emitJump(negate ? IR["br_unless"] : IR["br_if"], [cond]);
  } else if (cmp[0] === IR["i32.eqz"]) {
    emitJump(negate ? IR["br_if"] : IR["br_unless"], cmp[1]);
  } else {
    emitJump((negate ? BR_UNLESS : BR_IF).get(cmp[0])!, cmp[1]);
  }
}

/**
 * `br_if depth` on the i32 condition at the top of the stack (popped):
 * fused with a comparison just emitted; with the branch values moved into
 * the label's slots on the taken path only.
 */
export function emitBrIf(t: Translator, depth: number): void {
  const c = labelCtl(t, depth);
  const cmp = takeCompare(t);
  if (cmp === null && t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
  const cond = t.operand(t.sp - 1, "i");
  t.pop();
  if (!needsMoves(t, c)) {
    condJump(cmp, cond, false, (o, w) => jumpTo(t, c, o, ...w));
  } else {
    let skip = -1;
    condJump(cmp, cond, true, (o, w) => {
      t.emit(o, ...w, -1);
      skip = t.n - 1;
    });
    if (c.kind === FUNC) emitReturn(t);
    else {
      branchMoves(t, c);
      jumpTo(t, c, IR["br"]);
    }
    t.code[skip] = t.label();
  }
}

/** Bit-exact loads of float values, and their value-load twins. */
const VALUE_LOADS = new Map<number, number>();
for (const [bits, value] of [["i64", "f64"], ["i32", "f32"]]) {
  for (const sfx of ["", "_d", "_abs"]) {
    VALUE_LOADS.set(IR[`${bits}.load${sfx}`], IR[`${value}.load${sfx}`]);
  }
}

/**
 * If the float operand at height `h` was loaded (bit-exactly, as an integer
 * load) and nothing but this arithmetic reads it, switches that load to a
 * float value load: arithmetic consumes it, so NaN payload bits do not
 * matter, one float read is cheaper than two integer ones, and the slot is
 * written as one double (halves read back as a double miss the CPU's store
 * forwarding). The load may be followed by other code (`x - a * b` loads `x`
 * first) as long as none of it reads the slot.
 */
function valueLoad(t: Translator, h: number): void {
  if (t.vk[h] !== TEMP) return;
  const type = t.vt[h];
  if (type !== F64 && type !== F32) return;
  const start = t.lastStart >= 0 && t.lastHeight === h ? t.lastStart : t.producer[h];
  if (start < 0) return;
  const op = t.code[start];
  const v = VALUE_LOADS.get(op);
  if (v === undefined) return;
  const bits64 = IR_DEFS[op].name.startsWith("i64");
  if (bits64 !== (type === F64)) return;
  const word = t.vs[h] * 2;
  if (t.code[start + 1] !== word) return;
  if (start !== t.lastStart && readsBetween(t, start + IR_DEFS[op].size, word)) return;
  t.code[start] = v;
  // A value load of f64 writes its slot index, not a word index.
  if (type === F64) t.code[start + 1] >>= 1;
}

/** Register words an operand of `kind` covers from its encoded index `v`. */
function operandWords(kind: string, v: number): [number, number] | null {
  switch (kind) {
    case "i":
    case "f":
      return [v, v + 1];
    case "l":
      return [v, v + 2];
    case "w":
    case "v":
      return [v, v + 4];
    case "d":
    case "s":
    case "r":
      return [2 * v, 2 * v + 2];
    default:
      return null;
  }
}

/**
 * Whether code emitted from `from` on might read the 8-byte slot at word
 * `word` (conservative: instructions whose operands are not all described
 * count as readers).
 */
function readsBetween(t: Translator, from: number, word: number): boolean {
  for (let pc = from; pc < t.n; pc += instrSize(t.code, pc)) {
    const op = t.code[pc];
    // Moves and SIMD/atomic runs have variable layouts; a return reads the
    // results wherever they are.
    if (op === IR["movs"] || op === IR["simd"] || op === IR["atomic"]) return true;
    if (op === IR["return"]) return true;
    let k = pc + 1;
    for (const o of IR_DEFS[op].operands) {
      const r = operandWords(o.kind, t.code[k]);
      if (r !== null && r[0] < word + 2 && word < r[1]) return true;
      k += o.kind === "L" ? 2 : 1;
    }
  }
  return false;
}

/** A numeric instruction: unary or binary, with immediate forms. */
export function numeric(t: Translator, op: OpInfo): void {
  const sig = op.sig!;
  const nParams = sig.indexOf(":");
  const kinds = IR_DEFS[PLAIN[op.index]].operands;
  for (let k = 0; k < nParams; k++) {
    // Only operands read as float values (not bit patterns: abs, neg, copysign).
    if (kinds[k + 1].kind === "d" || kinds[k + 1].kind === "f") valueLoad(t, t.sp - nParams + k);
  }
  const resultType = letterType(sig[nParams + 1], false);
  if (nParams === 1 && op.name === "i32.eqz" && t.topIsLast()) {
    // eqz of a comparison is the negated comparison (then `if`/`br_if` fuse with it).
    const neg = NEGATED_OP.get(t.code[t.lastStart]);
    if (neg !== undefined) {
      t.code[t.lastStart] = neg;
      return;
    }
  }
  if (nParams === 1) {
    const ir = PLAIN[op.index];
    const scales = IR_SCALES[ir];
    if (t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
    const a = t.srcSlot(t.sp - 1) * scales[1];
    t.pop();
    t.push(resultType);
    t.produced(t.emit(ir, t.vs[t.sp - 1] * scales[0], a), scales[0]);
    return;
  }
  const ha = t.sp - 2, hb = t.sp - 1;
  if (fusePair(t, op, ha, hb, resultType) || fuseLoadProduct(t, op, ha, hb)) return;
  let ir = PLAIN[op.index];
  let words: number[];
  if (t.vk[hb] === CONST && WITH_IMM[op.index] !== NONE) {
    ir = WITH_IMM[op.index];
    if (t.vk[ha] === CONST) t.materialize(ha);
    words = [t.srcSlot(ha) * IR_SCALES[ir][1], t.vv[hb]];
    if (IR_DEFS[ir].operands[2].kind === "L") words.push(t.vh[hb]);
  } else if (t.vk[ha] === CONST && SWAPPED_IMM[op.index] !== NONE) {
    ir = SWAPPED_IMM[op.index];
    words = [t.srcSlot(hb) * IR_SCALES[ir][1], t.vv[ha]];
    if (IR_DEFS[ir].operands[2].kind === "L") words.push(t.vh[ha]);
  } else {
    if (t.vk[ha] === CONST) t.materialize(ha);
    if (t.vk[hb] === CONST) t.materialize(hb);
    const s = IR_SCALES[ir];
    words = [t.srcSlot(ha) * s[1], t.srcSlot(hb) * s[2]];
  }
  t.popTo(ha);
  t.push(resultType);
  const scale = IR_SCALES[ir][0];
  t.produced(t.emit(ir, t.vs[t.sp - 1] * scale, ...words), scale);
}

const COMMUTATIVE = new Set(["add", "mul", "and", "or", "xor", "eq", "ne"]);

/**
 * Fuses binary op `op` with the instruction just emitted when that produced
 * one of its operands (a temporary, so used only here) and the pair has a
 * fused form (`i32.rotl_i>i32.xor`, `f64.mul>f64.add`, `f64.load>f64.mul`…):
 * one dispatch instead of two. Returns whether it did.
 */
function fusePair(t: Translator, op: OpInfo, ha: number, hb: number, resultType: number): boolean {
  if (t.lastStart < 0 || t.vk[t.lastHeight] !== TEMP) return false;
  const hl = t.lastHeight;
  if (hl !== ha && hl !== hb) return false;
  const other = hl === ha ? hb : ha;
  if (t.vk[other] === CONST) return false;
  const first = IR_DEFS[t.code[t.lastStart]];
  const stem = op.name.split(".")[1];
  const right = hl === hb && !COMMUTATIVE.has(stem);
  const fused = IR[`${first.name}>${op.name}${right ? "_r" : ""}`];
  if (fused === undefined) return false;
  const scales = IR_SCALES[fused];
  const words: number[] = [];
  for (let i = 2; i < first.size; i++) words.push(t.code[t.lastStart + i]);
  t.n = t.lastStart;
  t.lastStart = -1;
  const c = t.srcSlot(other) * scales[scales.length - 1];
  t.popTo(ha);
  t.push(resultType);
  t.produced(t.emit(fused, t.vs[t.sp - 1] * scales[0], ...words, c), scales[0]);
  return true;
}

const F64_LOAD = IR["f64.load"], MUL_MUL = IR["f64.mul>f64.mul"];
const LOAD_PRODUCT: Readonly<Record<string, number>> = {
  "f64.add": IR["f64.load>f64.madd"],
  "f64.sub": IR["f64.load>f64.msub"],
};

/**
 * `f64.load v; f64.mul>f64.mul p x y z; f64.add|f64.sub v p` (a value load
 * right before the product, both temporaries this op consumes) → one
 * `f64.load>f64.madd|msub` writing only the sum. Adjacent instructions have
 * no branch target between them (a branch would be code of its own).
 * Returns whether it did.
 */
function fuseLoadProduct(t: Translator, op: OpInfo, ha: number, hb: number): boolean {
  const fused = LOAD_PRODUCT[op.name];
  const m = t.lastStart, l = m - 4;
  if (
    fused === undefined || m < 0 || t.lastHeight !== hb || t.code[m] !== MUL_MUL ||
    t.vk[ha] !== TEMP || t.vk[hb] !== TEMP || t.producer[ha] !== l || t.code[l] !== F64_LOAD ||
    t.code[l + 1] !== t.vs[ha]
  ) return false;
  const words = [t.code[l + 2], t.code[l + 3], t.code[m + 2], t.code[m + 3], t.code[m + 4]];
  t.n = l;
  t.lastStart = -1;
  t.popTo(ha);
  t.push(F64);
  t.produced(t.emit(fused, t.vs[ha], ...words), 1);
  return true;
}
