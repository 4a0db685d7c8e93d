/**
 * The numeric families of the register IR, derived from the wasm instruction
 * table (`src/binary/opcodes.ts`): every plain numeric wasm instruction gets
 * an IR op of the same name whose operands are frame slots, with its `_i`
 * form (right operand an immediate) and compare-and-branch forms (`br_if.`/
 * `br_unless.`) beside it; memory accesses come from `ir_memory.ts`.
 *
 * @module
 */

import { OPCODES } from "../binary/opcodes.ts";
import { defineMemoryOp } from "./ir_memory.ts";

/** i32 binary operators: expression over int32 `a`, `b`. */
export const I32_BIN: Record<string, string> = {
  add: "(a + b) | 0",
  sub: "(a - b) | 0",
  mul: "Math.imul(a, b)",
  div_s: "divS32(a, b)",
  div_u: "divU32(a, b)",
  rem_s: "remS32(a, b)",
  rem_u: "remU32(a, b)",
  and: "a & b",
  or: "a | b",
  xor: "a ^ b",
  shl: "a << b",
  shr_s: "a >> b",
  shr_u: "a >>> b",
  rotl: "(a << (b & 31)) | (a >>> ((32 - b) & 31))",
  rotr: "(a >>> (b & 31)) | (a << ((32 - b) & 31))",
};

/** Integer comparisons, over int32 `a`, `b`. */
const I32_CMP: Record<string, string> = {
  eq: "a === b",
  ne: "a !== b",
  lt_s: "a < b",
  lt_u: "(a >>> 0) < (b >>> 0)",
  gt_s: "a > b",
  gt_u: "(a >>> 0) > (b >>> 0)",
  le_s: "a <= b",
  le_u: "(a >>> 0) <= (b >>> 0)",
  ge_s: "a >= b",
  ge_u: "(a >>> 0) >= (b >>> 0)",
};

/** i64 comparisons over halves `al`,`ah`,`bl`,`bh`. */
function i64Cmp(op: string): string {
  if (op === "eq") return "al === bl && ah === bh";
  if (op === "ne") return "al !== bl || ah !== bh";
  const rel = { lt: "<", gt: ">", le: "<", ge: ">" }[op.slice(0, 2)]!;
  const eqRel = { lt: "<", gt: ">", le: "<=", ge: ">=" }[op.slice(0, 2)]!;
  const h = op.endsWith("_u") ? ["(ah >>> 0)", "(bh >>> 0)"] : ["ah", "bh"];
  return `${h[0]} ${rel} ${h[1]} || (ah === bh && (al >>> 0) ${eqRel} (bl >>> 0))`;
}

/** Float comparisons over numbers `a`, `b` (NaN makes all but `ne` false). */
const F_CMP: Record<string, string> = {
  eq: "a === b",
  ne: "a !== b",
  lt: "a < b",
  gt: "a > b",
  le: "a <= b",
  ge: "a >= b",
};

/**
 * i64.div_u / rem_u: a divisor of at most 2^30 (bignum base conversion by
 * 1e9; a constant one folds in compiled code) in doubles. The high word's
 * quotient is exact (none where the high word is below the divisor, as
 * in a base conversion, whose every step divides the previous remainder
 * times 2^32 plus a limb). The low word's is an estimate off by at most
 * one (its dividend's rounding error is below the divisor · 2^-21, the
 * reciprocal's and the product's below 2^-20 of a quotient under 2^32)
 * and corrected by its remainder, which lies in [-d, 2d) and so is exact
 * modulo 2^32 (imul). A product by the reciprocal, not a division: the
 * division was the latency of every step of bigint's conversion loop
 * (its reciprocal is a constant in compiled code, and off that chain in
 * the loop). Other divisors: the helper.
 */
function divU64(rem: boolean): string {
  // (Scratch names the loop has already: each new one costs it a register.)
  return "if (bh === 0 && bl > 0 && bl <= 0x40000000) { " +
    "const u = ah >>> 0; const v = al >>> 0; const hi = u < bl ? 0 : Math.floor(u / bl); " +
    "const lo = Math.floor(((u - hi * bl) * 4294967296 + v) * (1 / bl)); " +
    "const r = (v - Math.imul(lo, bl)) | 0; const t = r < 0 ? -1 : r >= bl ? 1 : 0; " +
    (rem ? "I32[d] = r - t * bl; I32[d + 1] = 0; " : "I32[d] = lo + t; I32[d + 1] = hi; ") +
    `} else ${rem ? "remU64" : "divU64"}(I32, d, al, ah, bl, bh);`;
}

/** i64 binary operators: statements writing `I32[d]`, `I32[d + 1]`. */
const I64_BIN: Record<string, string> = {
  add: "const lo = (al + bl) | 0; I32[d] = lo; " +
    "I32[d + 1] = (ah + bh + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;",
  sub: "I32[d] = (al - bl) | 0; I32[d + 1] = (ah - bh - ((al >>> 0) < (bl >>> 0) ? 1 : 0)) | 0;",
  // The low halves' full product in one double multiply: it is within 2^11
  // of the exact P < 2^64, and P minus its (exact, imul) low word is a
  // multiple of 2^32, so rounding (P - lo) / 2^32 recovers the exact high
  // word. An expression, not a helper: a large compiled function runs out
  // of V8's inlining budget and kept calls (bigint: 1,600 of 4,750 ticks).
  mul: "const lo = Math.imul(al, bl); I32[d + 1] = (Math.round(((al >>> 0) * (bl >>> 0) - " +
    "(lo >>> 0)) * 2.3283064365386963e-10) + Math.imul(al, bh) + Math.imul(ah, bl)) | 0; " +
    "I32[d] = lo;",
  div_s: "divS64(I32, d, al, ah, bl, bh);",
  div_u: divU64(false),
  rem_s: "remS64(I32, d, al, ah, bl, bh);",
  rem_u: divU64(true),
  and: "I32[d] = al & bl; I32[d + 1] = ah & bh;",
  or: "I32[d] = al | bl; I32[d + 1] = ah | bh;",
  xor: "I32[d] = al ^ bl; I32[d + 1] = ah ^ bh;",
  // Shifts as expressions (no helper call: compiled code folds a constant
  // count). A count's bit 5 picks the word; JS shifts take it mod 32, and
  // `(x << 1) << (31 - n)` is `x << (32 - n)` that gives 0 for n = 0.
  shl: "const lo = bl & 32 ? 0 : al << bl; " +
    "I32[d + 1] = bl & 32 ? al << bl : (ah << bl) | ((al >>> 1) >>> (31 - bl)); I32[d] = lo;",
  shr_s: "const lo = bl & 32 ? ah >> bl : (al >>> bl) | ((ah << 1) << (31 - bl)); " +
    "I32[d + 1] = bl & 32 ? ah >> 31 : ah >> bl; I32[d] = lo;",
  shr_u: "const lo = bl & 32 ? ah >>> bl : (al >>> bl) | ((ah << 1) << (31 - bl)); " +
    "I32[d + 1] = bl & 32 ? 0 : ah >>> bl; I32[d] = lo;",
  rotl: "rotl64(I32, d, al, ah, bl);",
  rotr: "rotr64(I32, d, al, ah, bl);",
};

/** Unary and conversion ops: [operand kinds "d a", body]. */
export const UNARY: Record<string, [string, string]> = {
  "i32.eqz": ["i i", "I32[d] = a === 0 ? 1 : 0;"],
  "i32.clz": ["i i", "I32[d] = Math.clz32(a);"],
  "i32.ctz": ["i i", "I32[d] = ctz32(a);"],
  "i32.popcnt": ["i i", "I32[d] = popcnt32(a);"],
  "i32.extend8_s": ["i i", "I32[d] = (a << 24) >> 24;"],
  "i32.extend16_s": ["i i", "I32[d] = (a << 16) >> 16;"],
  "i64.eqz": ["i l", "I32[d] = (al | ah) === 0 ? 1 : 0;"],
  "i64.clz": ["l l", "I32[d] = clz64(al, ah); I32[d + 1] = 0;"],
  "i64.ctz": ["l l", "I32[d] = ctz64(al, ah); I32[d + 1] = 0;"],
  "i64.popcnt": ["l l", "I32[d] = popcnt64(al, ah); I32[d + 1] = 0;"],
  "i64.extend8_s": ["l l", "const v = (al << 24) >> 24; I32[d] = v; I32[d + 1] = v >> 31;"],
  "i64.extend16_s": ["l l", "const v = (al << 16) >> 16; I32[d] = v; I32[d + 1] = v >> 31;"],
  "i64.extend32_s": ["l l", "I32[d] = al; I32[d + 1] = al >> 31;"],
  // Sign operations on bits: a float view would quiet signalling NaNs.
  "f32.abs": ["i i", "I32[d] = a & 0x7fffffff;"],
  "f32.neg": ["i i", "I32[d] = a ^ -2147483648;"],
  "f32.ceil": ["f f", "F32[d] = ceil(a);"],
  "f32.floor": ["f f", "F32[d] = floor(a);"],
  "f32.trunc": ["f f", "F32[d] = trunc(a);"],
  "f32.nearest": ["f f", "F32[d] = nearest(a);"],
  "f32.sqrt": ["f f", "F32[d] = Math.sqrt(a);"],
  "f64.abs": ["l l", "I32[d] = al; I32[d + 1] = ah & 0x7fffffff;"],
  "f64.neg": ["l l", "I32[d] = al; I32[d + 1] = ah ^ -2147483648;"],
  "f64.ceil": ["d d", "F64[d] = ceil(a);"],
  "f64.floor": ["d d", "F64[d] = floor(a);"],
  "f64.trunc": ["d d", "F64[d] = trunc(a);"],
  "f64.nearest": ["d d", "F64[d] = nearest(a);"],
  "f64.sqrt": ["d d", "const r = Math.sqrt(a); F64[d] = r === r ? r : QNAN[0];"],
  "i32.wrap_i64": ["i l", "I32[d] = al;"],
  "i32.trunc_f32_s": ["i f", "I32[d] = truncS32(a);"],
  "i32.trunc_f32_u": ["i f", "I32[d] = truncU32(a);"],
  "i32.trunc_f64_s": ["i d", "I32[d] = truncS32(a);"],
  "i32.trunc_f64_u": ["i d", "I32[d] = truncU32(a);"],
  "i64.extend_i32_s": ["l i", "I32[d] = a; I32[d + 1] = a >> 31;"],
  "i64.extend_i32_u": ["l i", "I32[d] = a; I32[d + 1] = 0;"],
  "i64.trunc_f32_s": ["l f", "truncS64(I32, d, a);"],
  "i64.trunc_f32_u": ["l f", "truncU64(I32, d, a);"],
  "i64.trunc_f64_s": ["l d", "truncS64(I32, d, a);"],
  "i64.trunc_f64_u": ["l d", "truncU64(I32, d, a);"],
  "f32.convert_i32_s": ["f i", "F32[d] = a;"],
  "f32.convert_i32_u": ["f i", "F32[d] = a >>> 0;"],
  "f32.convert_i64_s": ["f l", "F32[d] = convertS64F32(al, ah);"],
  "f32.convert_i64_u": ["f l", "F32[d] = convertU64F32(al, ah);"],
  "f32.demote_f64": ["f d", "F32[d] = a;"],
  "f64.convert_i32_s": ["d i", "F64[d] = a;"],
  "f64.convert_i32_u": ["d i", "F64[d] = a >>> 0;"],
  "f64.convert_i64_s": ["d l", "F64[d] = convertS64F64(al, ah);"],
  "f64.convert_i64_u": ["d l", "F64[d] = convertU64F64(al, ah);"],
  "f64.promote_f32": ["d f", "F64[d] = a;"],
  "i32.reinterpret_f32": ["i i", "I32[d] = a;"],
  "i64.reinterpret_f64": ["l l", "I32[d] = al; I32[d + 1] = ah;"],
  "f32.reinterpret_i32": ["i i", "I32[d] = a;"],
  "f64.reinterpret_i64": ["l l", "I32[d] = al; I32[d + 1] = ah;"],
  "i32.trunc_sat_f32_s": ["i f", "I32[d] = truncSatS32(a);"],
  "i32.trunc_sat_f32_u": ["i f", "I32[d] = truncSatU32(a);"],
  "i32.trunc_sat_f64_s": ["i d", "I32[d] = truncSatS32(a);"],
  "i32.trunc_sat_f64_u": ["i d", "I32[d] = truncSatU32(a);"],
  "i64.trunc_sat_f32_s": ["l f", "truncSatS64(I32, d, a);"],
  "i64.trunc_sat_f32_u": ["l f", "truncSatU64(I32, d, a);"],
  "i64.trunc_sat_f64_s": ["l d", "truncSatS64(I32, d, a);"],
  "i64.trunc_sat_f64_u": ["l d", "truncSatU64(I32, d, a);"],
};

/** Float binary ops: expression over numbers `a`, `b` (copysign works on bits). */
export const F_BIN: Record<string, string> = {
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  // numeric.ts: NaN-safe, and -0 below +0.
  min: "fmin(a, b)",
  max: "fmax(a, b)",
};

/**
 * Adds every numeric and memory-access op through `def`, in the order of
 * the wasm table (the order fixes their IR opcode numbers).
 */
export function defineNumeric(def: (name: string, spec: string, body: string) => void): void {
  for (const op of OPCODES) {
    if (op.prefix !== 0 && op.prefix !== 0xfc) continue;
    const [type, stem] = op.name.split(".");
    if (op.imm === 12 /* MemArg */) {
      defineMemoryOp(def, op.name);
      continue;
    }
    if (op.imm !== 0 || op.sig === null || op.name === "nop") continue;
    if (UNARY[op.name]) {
      const [kinds, body] = UNARY[op.name];
      const [dk, ak] = kinds.split(" ");
      def(op.name, `d:${dk} a:${ak}`, body);
    } else if (type === "i32" && I32_BIN[stem]) {
      def(op.name, "d:i a:i b:i", `I32[d] = ${I32_BIN[stem]};`);
      def(op.name + "_i", "d:i a:i b:#", `I32[d] = ${I32_BIN[stem]};`);
    } else if (type === "i32" && I32_CMP[stem]) {
      const c = I32_CMP[stem];
      def(op.name, "d:i a:i b:i", `I32[d] = ${c} ? 1 : 0;`);
      def(op.name + "_i", "d:i a:i b:#", `I32[d] = ${c} ? 1 : 0;`);
      // No br_unless forms: for integers that is br_if of the negated compare.
      def("br_if." + op.name, "a:i b:i t:@", `if (${c}) { JUMP(t); } else pc += 4;`);
      def("br_if." + op.name + "_i", "a:i b:# t:@", `if (${c}) { JUMP(t); } else pc += 4;`);
    } else if (type === "i64" && I64_BIN[stem]) {
      def(op.name, "d:l a:l b:l", I64_BIN[stem]);
      def(op.name + "_i", "d:l a:l b:L", I64_BIN[stem]);
    } else if (type === "i64" && I32_CMP[stem]) {
      const c = i64Cmp(stem);
      def(op.name, "d:i a:l b:l", `I32[d] = ${c} ? 1 : 0;`);
      def(op.name + "_i", "d:i a:l b:L", `I32[d] = ${c} ? 1 : 0;`);
      def("br_if." + op.name, "a:l b:l t:@", `if (${c}) { JUMP(t); } else pc += 4;`);
    } else if ((type === "f32" || type === "f64") && F_CMP[stem]) {
      const k = type === "f32" ? "f" : "d";
      const c = F_CMP[stem];
      def(op.name, `d:i a:${k} b:${k}`, `I32[d] = ${c} ? 1 : 0;`);
      def("br_if." + op.name, `a:${k} b:${k} t:@`, `if (${c}) { JUMP(t); } else pc += 4;`);
      def("br_unless." + op.name, `a:${k} b:${k} t:@`, `if (${c}) pc += 4; else { JUMP(t); }`);
    } else if (stem === "copysign") {
      if (type === "f32") {
        def(op.name, "d:i a:i b:i", "I32[d] = (a & 0x7fffffff) | (b & -2147483648);");
      } else {
        def(
          op.name,
          "d:l a:l b:l",
          "I32[d] = al; I32[d + 1] = (ah & 0x7fffffff) | (bh & -2147483648);",
        );
      }
    } else if (stem === "min" || stem === "max") {
      // fmin/fmax (numeric.ts) already return the canonical NaN.
      const k = type === "f32" ? "f" : "d";
      def(
        op.name,
        `d:${k} a:${k} b:${k}`,
        `${type === "f32" ? "F32" : "F64"}[d] = ${F_BIN[stem]};`,
      );
    } else if (type === "f32" && F_BIN[stem]) {
      // As for f64 below: store the canonical quiet NaN for any NaN result.
      def(op.name, "d:f a:f b:f", `const r = ${F_BIN[stem]}; F32[d] = r === r ? r : QNAN[0];`);
    } else if (type === "f64" && F_BIN[stem]) {
      // A JS engine may hand a NaN operand through with its payload (JSC also
      // rewrites payloads when boxing); the canonical NaN is always allowed.
      def(op.name, "d:d a:d b:d", `const r = ${F_BIN[stem]}; F64[d] = r === r ? r : QNAN[0];`);
    } else {
      throw new Error(`ir_defs: no IR semantics for wasm op ${op.name}`);
    }
  }
}
