/**
 * The register IR's instruction table: one row per IR opcode, with its
 * operand layout and (for the regular families) the JS statement that
 * executes it. The numeric families are derived from the wasm instruction
 * table (`src/binary/opcodes.ts`): every plain numeric wasm instruction has an
 * IR op of the same name whose operands are frame slots. Fused forms are
 * added beside them (`_i`: right operand is an immediate; `br_if.`/
 * `br_unless.`: compare and branch in one instruction).
 *
 * `gen_exec.ts` turns this table plus `exec_template.ts` into `exec_loop.ts`
 * (one `switch` with literal case numbers, which V8 compiles to a jump
 * table); the translator reads the same table for the opcode numbers and
 * operand encodings.
 *
 * Operand kinds (one character each):
 * - `i` i32, `l` i64, `f` f32, `v` v128, `w` any: a slot, encoded as a word
 *   index (2 × slot) relative to the frame; used with the Int32/Float32 views.
 * - `V` v128 as four int32 words (word index as `v`): bodies read an input
 *   `a` as `a0`…`a3` and write `I32[d]`…`I32[d + 3]`, so compiled code can
 *   keep each word in a JS local (`v` is an index the body uses as it likes).
 * - `d` f64, `r` reference, `s` any: a slot encoded as the slot index (for
 *   the Float64 view and the reference array).
 * - `#` an int32 immediate, `L` an i64 immediate (two words: lo, hi),
 *   `@` a branch target (absolute index in the code array).
 *
 * Bodies see the input operands as locals named after them (an `l` operand
 * `a` becomes `al`/`ah`), and `d` as the output's view index. A body
 * without `@` operands falls through to the next instruction; a taken
 * branch is written `JUMP(target);` (it also counts down the slice budget).
 *
 * @module
 */

import { OPCODES } from "../binary/opcodes.ts";

/** One IR instruction. */
export interface IrDef {
  /** Name, e.g. `i32.add`, `i32.add_i`, `br_if.i32.lt_s`. */
  readonly name: string;
  /** Operands as `name:kind`, in code order. */
  readonly operands: readonly { readonly name: string; readonly kind: string }[];
  /** JS statements, or null for ops written by hand in `exec_template.ts`. */
  readonly body: string | null;
  /** Number of code words (opcode included). */
  readonly size: number;
  /** Rare: executed out of line, by the `cold` function. */
  readonly cold: boolean;
  /**
   * A bundle: two adjacent instructions executed by one dispatch. The
   * second one's opcode word is dropped (its operands follow the first's)
   * and a padding word keeps the size equal to the pair's.
   */
  readonly parts?: readonly [IrDef, IrDef];
}

const defs: IrDef[] = [];

function def(name: string, spec: string, body: string | null): void {
  const operands = spec === "" ? [] : spec.split(" ").map((s) => {
    const [n, kind] = s.split(":");
    return { name: n, kind };
  });
  let size = 1;
  for (const o of operands) size += o.kind === "L" ? 2 : 1;
  defs.push({ name, operands, body, size, cold: false });
}

/** Unary/conversion ops common enough in compiled code to stay in the main loop. */
const HOT_UNARY = new Set([
  "i32.eqz",
  "i64.eqz",
  "i32.wrap_i64",
  "i64.extend_i32_s",
  "i64.extend_i32_u",
  "i32.extend8_s",
  "i32.extend16_s",
  "f64.convert_i32_s",
  "f64.convert_i32_u",
  "i32.trunc_f64_s",
  "f64.abs",
  "f64.neg",
  "f64.sqrt",
  "f32.sqrt",
  "f64.promote_f32",
  "f32.demote_f64",
]);

/**
 * Which generated ops run out of line: V8 stops optimizing a function above
 * 60 KB of bytecode, so the dispatch loop keeps only what compiled code
 * executes often (measured on ../shared/bench); the rest costs one call.
 */
function isCold(name: string): boolean {
  if (UNARY[name] !== undefined) return !HOT_UNARY.has(name);
  if (/\.(load|store)(8|16|32)(_[su])?_(abs|k)$/.test(name)) return true;
  if (/^i64\.(load|store)(8|16|32)(_[su])?_d$/.test(name)) return true;
  if (/^i64\.(eq|ne|[lg][te]_[su])_i$/.test(name)) return true;
  if (/^i(32|64)\.(div|rem)_[su]$/.test(name)) return true;
  // By a constant: hot only as bigint's division bundled with its store.
  if (/^i64\.(div|rem)_u_i$/.test(name)) return true;
  if (/^f(32|64)\.(min|max|copysign)$/.test(name)) return true;
  // Executed bundled (nbody); alone only where a pattern is cut by a branch target.
  if (/^f64\.(mul>f64\.mul>)?f64\.load>f64\.add>f64\.store$/.test(name)) return true;
  if (/^f64\.load>f64\.m(add|sub)$/.test(name)) return true;
  if (/^i64\.rot[lr]$/.test(name)) return true;
  // A count in a register: not seen in a hot loop (the bench programs and
  // CoreMark shift i64s by constants only); inline bodies cost loop bytes.
  if (/^i64\.(shl|shr_[su])$/.test(name)) return true;
  // v128 moves: compiled code keeps their words in locals; the loop runs them out of line.
  if (/^(mov|const|select)128$/.test(name)) return true;
  // GC accesses: nothing measured says the loop should spend bytes on them.
  if (/^(struct|array|i31)\.|^ref\.(test|cast|eq|i31|as_non_null)$/.test(name)) return true;
  // Reference moves and tests: table ops so that compiled code inlines them.
  if (/^(movref|selectref|ref\.(null|func|is_null))$/.test(name)) return true;
  return false;
}

// ---- hand-written ops (bodies in exec_template.ts) ----
// Control.
def("unreachable", "", null);
def("br", "t:@", "JUMP(t);");
def("br_if", "c:i t:@", "if (c !== 0) { JUMP(t); } else pc += 3;");
def("br_unless", "c:i t:@", "if (c === 0) { JUMP(t); } else pc += 3;");
// br_table: index, count n, then n + 1 targets (the last is the default).
def("br_table", "c:i n:#", null);
def("return", "", null);
// Move one result to slot 0, then return.
def("ret32", "a:w", null);
def("ret64", "a:w", null);
def("call", "f:# base:s", null);
def("call_import", "f:# base:s", null);
def("call_indirect", "tbl:# type:# base:s c:i", null);
def("return_call", "f:# base:s n:#", null);
def("return_call_import", "f:# base:s n:#", null);
def("return_call_indirect", "tbl:# type:# base:s c:i n:#", null);
// Typed function references: the callee is the reference in slot `c`.
def("call_ref", "base:s c:s", null);
def("return_call_ref", "base:s c:s n:#", null);
def("trap", "msg:#", null);
// Exception handling (unwind.ts): the payload of `throw` is at slots from `base`.
def("throw", "tag:# base:s", null);
def("throw_ref", "a:s", null);
// Moves and constants.
def("mov32", "d:i a:i", "I32[d] = a;");
def("mov64", "d:l a:l", "I32[d] = al; I32[d + 1] = ah;");
def("mov128", "d:V a:V", "I32[d] = a0; I32[d + 1] = a1; I32[d + 2] = a2; I32[d + 3] = a3;");
def("movref", "d:s a:s", "R[d] = R[a];");
def("const32", "d:i a:#", "I32[d] = a;");
def("const64", "d:l a:L", "I32[d] = al; I32[d + 1] = ah;");
def("const128", "d:V a:L b:L", "I32[d] = al; I32[d + 1] = ah; I32[d + 2] = bl; I32[d + 3] = bh;");
// An f64 constant that is not a NaN, as one double write (f64_consts.ts:
// halves then a double read miss store forwarding); `k` indexes the pool.
def("constf64", "d:d k:#", "F64[d] = FK[k];");
// A run of n ≥ 3 mov32s, in order: `movs n d1 a1 … dn an t`, then n - 3
// unused words (the run's length, so it is merged in place); `t` is the
// target of a `br` right after the run (the interpreter jumps for it), else -1.
def("movs", "n:#", null);
def("ref.null", "d:s", "R[d] = null;");
def("ref.func", "d:s f:#", "R[d] = funcs[f];");
def("ref.is_null", "d:i a:s", "I32[d] = R[a] === null ? 1 : 0;");
// Branch-free (CoreMark's selects are data-dependent, so a branch mispredicts):
// the mask is -1 when c ≠ 0 (c | -c has the sign bit), else 0. Generated (not
// hand-written) so that it can be bundled.
def("select32", "d:i c:i a:i b:i", "I32[d] = b ^ ((a ^ b) & ((c | -c) >> 31));");
def(
  "select64",
  "d:w c:i a:w b:w",
  "const lo = c !== 0 ? I32[a] : I32[b]; const hi = c !== 0 ? I32[a + 1] : I32[b + 1]; " +
    "I32[d] = lo; I32[d + 1] = hi;",
);
def(
  "select128",
  "d:V c:i a:V b:V",
  "const x0 = c !== 0 ? a0 : b0; const x1 = c !== 0 ? a1 : b1; " +
    "const x2 = c !== 0 ? a2 : b2; const x3 = c !== 0 ? a3 : b3; " +
    "I32[d] = x0; I32[d + 1] = x1; I32[d + 2] = x2; I32[d + 3] = x3;",
);
def("selectref", "d:s c:i a:s b:s", "R[d] = c !== 0 ? R[a] : R[b];");
// Globals: `g` is the cell's word index (or slot index for refs) in the global store.
def("global.get32", "d:i g:#", "I32[d] = G32[g];");
def("global.get64", "d:l g:#", "I32[d] = G32[g]; I32[d + 1] = G32[g + 1];");
def("global.get128", "d:w g:#", null);
def("global.getref", "d:s g:#", null);
def("global.set32", "g:# a:i", "G32[g] = a;");
def("global.set64", "g:# a:l", "G32[g] = al; G32[g + 1] = ah;");
def("global.set128", "g:# a:w", null);
def("global.setref", "g:# a:s", null);
// Memory (any memory index `m`) and tables.
def("memory.size", "d:w m:#", null);
// Growth replaces memory 0's views (the loop's and compiled code's locals).
def(
  "memory.grow",
  "d:w m:# a:w",
  "const r = growMemory(inst.memories[m], I32, a); I32[d] = r; I32[d + 1] = r < 0 ? -1 : 0; " +
    "M8 = mem.u8; DV = mem.dv; memLen = mem.len | 0;",
);
def("memory.fill", "m:# a:w b:i n:w", null);
def("memory.copy", "m:# m2:# a:w b:w n:w", null);
def("memory.init", "m:# seg:# a:w b:i n:i", null);
def("data.drop", "seg:#", null);
def("table.get", "d:s tbl:# a:w", null);
def("table.set", "tbl:# a:w b:s", null);
def("table.size", "d:w tbl:#", null);
def("table.grow", "d:w tbl:# a:s n:w", null);
def("table.fill", "tbl:# a:w b:s n:w", null);
def("table.copy", "tbl:# tbl2:# a:w b:w n:w", null);
def("table.init", "tbl:# seg:# a:w b:i n:i", null);
def("elem.drop", "seg:#", null);
// Loads and stores on a memory other than the frame's cached memory 0, or
// with 64-bit addresses: `op` is the wasm opcode's table index.
def("load_slow", "op:# m:# d:w a:w o:L", null);
def("store_slow", "op:# m:# a:w b:w o:L", null);
// SIMD and other proposal ops executed out of line: `op` is the wasm opcode's
// table index, the rest is op-specific (see the SIMD executor).
def("simd", "op:# n:#", null);
// Atomic (threads) ops, same layout as `simd`, run by the threads executor.
def("atomic", "op:# n:#", null);

// ---- numeric families, derived from the wasm table ----

/** i32 binary operators: expression over int32 `a`, `b`. */
const I32_BIN: Record<string, string> = {
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
 * 1e9; a constant one folds in compiled code) in two double divisions, the
 * second's estimate off by at most one (its dividend's rounding error is
 * below the divisor · 2^-21) and corrected by its remainder, which lies in
 * [-d, 2d) and so is exact modulo 2^32 (imul). Other divisors: the helper.
 */
function divU64(rem: boolean): string {
  // (Scratch names the loop has already: each new one costs it a register.)
  return "if (bh === 0 && bl > 0 && bl <= 0x40000000) { " +
    "const u = ah >>> 0; const v = al >>> 0; const hi = Math.floor(u / bl); " +
    "const lo = Math.floor(((u - hi * bl) * 4294967296 + v) / bl); " +
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
const UNARY: Record<string, [string, string]> = {
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
const F_BIN: Record<string, string> = {
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  // numeric.ts: NaN-safe, and -0 below +0.
  min: "fmin(a, b)",
  max: "fmax(a, b)",
};

/** Memory-0 loads: [result kind, bytes, expression or statements over `ea`]. */
const LOADS: Record<string, [string, number, string]> = {
  "i32.load": ["i", 4, "I32[d] = DV.getInt32(ea, true);"],
  "i64.load": ["l", 8, "I32[d] = DV.getInt32(ea, true); I32[d + 1] = DV.getInt32(ea + 4, true);"],
  "i32.load8_s": ["i", 1, "I32[d] = (M8[ea] << 24) >> 24;"],
  "i32.load8_u": ["i", 1, "I32[d] = M8[ea];"],
  "i32.load16_s": ["i", 2, "I32[d] = DV.getInt16(ea, true);"],
  "i32.load16_u": ["i", 2, "I32[d] = DV.getUint16(ea, true);"],
  "i64.load8_s": ["l", 1, "const v = (M8[ea] << 24) >> 24; I32[d] = v; I32[d + 1] = v >> 31;"],
  "i64.load8_u": ["l", 1, "I32[d] = M8[ea]; I32[d + 1] = 0;"],
  "i64.load16_s": ["l", 2, "const v = DV.getInt16(ea, true); I32[d] = v; I32[d + 1] = v >> 31;"],
  "i64.load16_u": ["l", 2, "I32[d] = DV.getUint16(ea, true); I32[d + 1] = 0;"],
  "i64.load32_s": ["l", 4, "const v = DV.getInt32(ea, true); I32[d] = v; I32[d + 1] = v >> 31;"],
  "i64.load32_u": ["l", 4, "I32[d] = DV.getInt32(ea, true); I32[d + 1] = 0;"],
};

/** Memory-0 stores: [value kind, bytes, statements over `ea` and value `b`]. */
const STORES: Record<string, [string, number, string]> = {
  "i32.store": ["i", 4, "DV.setInt32(ea, b, true);"],
  "i64.store": ["l", 8, "DV.setInt32(ea, bl, true); DV.setInt32(ea + 4, bh, true);"],
  "i32.store8": ["i", 1, "M8[ea] = b;"],
  "i32.store16": ["i", 2, "DV.setInt16(ea, b, true);"],
  "i64.store8": ["l", 1, "M8[ea] = bl;"],
  "i64.store16": ["l", 2, "DV.setInt16(ea, bl, true);"],
  "i64.store32": ["l", 4, "DV.setInt32(ea, bl, true);"],
};

/**
 * Value loads of floats: only used when the loaded value feeds arithmetic
 * directly (the translator rewrites the bit-exact `i64.load` it emitted for
 * an `f64.load`), since reading a float through a DataView may quiet a
 * signalling NaN — harmless when the next instruction computes with it.
 */
const FLOAT_LOADS: Record<string, [string, number, string]> = {
  "f32.load": ["f", 4, "F32[d] = DV.getFloat32(ea, true);"],
  "f64.load": ["d", 8, "F64[d] = DV.getFloat64(ea, true);"],
};

/** Wasm ops executed by an IR op of another name (same bits, same semantics). */
export const IR_ALIASES: Readonly<Record<string, string>> = {
  "f32.load": "i32.load",
  "f64.load": "i64.load",
  "f32.store": "i32.store",
  "f64.store": "i64.store",
};

/** Bounds check of effective address `ea` for an access of `bytes`. */
const check = (bytes: number) => `if (ea > memLen - ${bytes}) memoryFault();`;
/** Plain form: address operand plus the unsigned memarg offset. */
const ea = (bytes: number) => `const ea = (a >>> 0) + (o >>> 0); ${check(bytes)}`;
/** `_d` form: an `i32.add` of a constant fused in (wraps like the add). */
const eaDisp = (bytes: number) => `const ea = (a + k) >>> 0; ${check(bytes)}`;
/** `_abs` form: a constant address (with the offset already added, < 2^32). */
const eaAbs = (bytes: number) => `const ea = o >>> 0; ${check(bytes)}`;

for (const op of OPCODES) {
  if (op.prefix !== 0 && op.prefix !== 0xfc) continue;
  const [type, stem] = op.name.split(".");
  if (op.imm === 12 /* MemArg */) {
    const ld = LOADS[op.name] ?? FLOAT_LOADS[op.name], st = STORES[op.name];
    if (ld) {
      def(op.name, `d:${ld[0]} a:i o:#`, `${ea(ld[1])} ${ld[2]}`);
      def(op.name + "_d", `d:${ld[0]} a:i k:#`, `${eaDisp(ld[1])} ${ld[2]}`);
      def(op.name + "_abs", `d:${ld[0]} o:#`, `${eaAbs(ld[1])} ${ld[2]}`);
    }
    if (st) {
      def(op.name, `a:i b:${st[0]} o:#`, `${ea(st[1])} ${st[2]}`);
      def(op.name + "_d", `a:i b:${st[0]} k:#`, `${eaDisp(st[1])} ${st[2]}`);
      def(op.name + "_abs", `b:${st[0]} o:#`, `${eaAbs(st[1])} ${st[2]}`);
      // Constant value (zeroing and flag stores are common).
      def(op.name + "_k", `a:i b:${st[0] === "l" ? "L" : "#"} o:#`, `${ea(st[1])} ${st[2]}`);
    }
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
    def(op.name, `d:${k} a:${k} b:${k}`, `${type === "f32" ? "F32" : "F64"}[d] = ${F_BIN[stem]};`);
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

// ---- fused pairs: the first op's result (a temporary used once) feeds the second ----

/** i32 first ops of a fused pair (the `_i` ones take an immediate). */
const FUSE_I32_FIRST = ["add", "xor", "and", "mul", "shl_i", "shr_u_i", "rotl_i", "and_i"];
/** i32 second ops (commutative, so the temporary may be either operand). */
const FUSE_I32_SECOND = ["add", "xor", "and", "or"];
for (const first of FUSE_I32_FIRST) {
  const imm = first.endsWith("_i");
  const e1 = I32_BIN[imm ? first.slice(0, -2) : first];
  for (const second of FUSE_I32_SECOND) {
    const e2 = I32_BIN[second].replace(/\ba\b/g, "t").replace(/\bb\b/g, "c");
    def(
      `i32.${first}>i32.${second}`,
      `d:i a:i b:${imm ? "#" : "i"} c:i`,
      `const t = ${e1}; I32[d] = ${e2};`,
    );
  }
}
/** f64 second ops; `_r` puts the temporary on the right. */
const F64_SECOND: Record<string, string> = {
  add: "t + c",
  sub: "t - c",
  sub_r: "c - t",
  mul: "t * c",
};
for (const first of ["add", "sub", "mul"]) {
  for (const [second, e2] of Object.entries(F64_SECOND)) {
    def(
      `f64.${first}>f64.${second}`,
      "d:d a:d b:d c:d",
      `const t = ${F_BIN[first]}; F64[d] = ${e2};`,
    );
  }
}
for (const [load, addr] of [["f64.load", ea(8)], ["f64.load_d", eaDisp(8)]] as const) {
  const k = load.endsWith("_d") ? "k" : "o";
  for (const [second, e2] of Object.entries(F64_SECOND)) {
    def(
      `${load}>f64.${second}`,
      `d:d a:i ${k}:# c:d`,
      `${addr} const t = DV.getFloat64(ea, true); F64[d] = ${e2};`,
    );
  }
}

// f64 arithmetic whose result is stored right away (as a value: any NaN an
// arithmetic op may produce is fine to store canonicalised).
for (const first of ["add", "sub", "mul"]) {
  def(
    `f64.${first}>f64.store`,
    "a:i o:# x:d y:d",
    `${ea(8)} DV.setFloat64(ea, ${
      F_BIN[first].replace(/\ba\b/g, "x").replace(/\bb\b/g, "y")
    }, true);`,
  );
}

// `mem[a + o] += c` (the load and the store at one address, the sum a
// temporary used only by the store: `translate_mem.ts`), and the same with
// `c = x * y * z` computed into register d first (a `f64.mul>f64.mul` into
// the addend, merged by `translate_post.ts`; two padding words keep the
// pair's length): nbody's velocity updates, three dispatches (with the
// address's `i32.sub_i`) → one.
def(
  "f64.load>f64.add>f64.store",
  "a:i o:# c:d",
  `${ea(8)} DV.setFloat64(ea, DV.getFloat64(ea, true) + c, true);`,
);
def(
  "f64.mul>f64.mul>f64.load>f64.add>f64.store",
  "d:d x:d y:d z:d a:i o:# p1:# p2:#",
  // The address is read first (so the loop inlines its load rather than
  // adding a scratch variable); the translator keeps it apart from d.
  `const t = x * y * z; ${ea(8)} F64[d] = t; DV.setFloat64(ea, DV.getFloat64(ea, true) + t, true);`,
);

// `mem[a + o] ± x * y * z` (the load, then the product, then the add or
// sub, each result a temporary read once: `translate_numeric.ts`), and the
// same stored back to the address (`translate_mem.ts`): nbody's position
// and velocity updates. The product is computed as `f64.mul>f64.mul` does
// (unrounded NaNs pass to the sum, which is canonicalised as `f64.add` does;
// the store form stores it as `f64.add>f64.store` does).
for (const [stem, sign] of [["madd", "+"], ["msub", "-"]]) {
  const sum = `DV.getFloat64(ea, true) ${sign} x * y * z`;
  def(
    `f64.load>f64.${stem}`,
    "d:d a:i o:# x:d y:d z:d",
    `${ea(8)} const r = ${sum}; F64[d] = r === r ? r : QNAN[0];`,
  );
  def(
    `f64.load>f64.${stem}>f64.store`,
    "a:i o:# x:d y:d z:d",
    `${ea(8)} DV.setFloat64(ea, ${sum}, true);`,
  );
}

// ---- rotate/shift–xor chains (the Σ/σ functions of SHA-2 and similar hashes) ----
// `x = rot(a, b1); y = rot(a, b2) ^ x; d = rot(a, b3) ^ y` in one dispatch
// instead of three (`translate_post.ts` rewrites the three fused ops in
// place; x and y are still written, so their later readers are unaffected;
// the padding keeps the length of the three). Measured on sha256 --mid (gannet
// CPU time, alternating runs): 7540/7510 ms → 6770/6470 ms.
{
  const rot = (k: string) => `((a << (${k} & 31)) | (a >>> ((32 - ${k}) & 31)))`;
  const shr = (k: string) => `(a >>> (${k} & 31))`;
  const pads = " p1:# p2:# p3:# p4:# p5:# p6:#";
  for (const [name, third] of [["i32.xrot3", rot("b3")], ["i32.xrot2shr", shr("b3")]]) {
    def(
      name,
      "d:i a:i b1:# b2:# b3:# x:# y:#" + pads,
      `const t = ${rot("b1")}; I32[fp + x] = t; const u = ${rot("b2")} ^ t; ` +
        `I32[fp + y] = u; I32[d] = ${third} ^ u;`,
    );
  }
}

// ---- bundles: adjacent pairs that compiled loops execute back to back ----

/**
 * Chosen from dynamic pair counts over ../shared/bench (pointer bumps,
 * loop latches, register shuffles, hash steps, load+compare); the first
 * never branches, the second may.
 */
const BUNDLES: [string, string][] = [
  ["i32.add_i", "i32.add_i"],
  ["i32.add", "i32.add"],
  ["mov32", "mov32"],
  ["mov64", "mov64"],
  ["i32.add_i", "br_if.i32.ne"],
  ["i32.add_i", "br_if.i32.ne_i"],
  ["i32.add_i", "br_if.i32.lt_s"],
  ["i32.add_i", "br_if.i32.lt_u"],
  ["i32.add_i", "br_if.i32.lt_s_i"],
  ["i32.add_i", "br_if.i32.lt_u_i"],
  ["i32.add_i", "br_if.i32.gt_u_i"],
  ["i32.add_i", "br_if.i32.gt_s_i"],
  ["i32.add", "br_if.i32.le_u"],
  ["i32.add", "br_if.i32.lt_u"],
  ["i32.add", "br_if.i32.ne"],
  ["i32.sub_i", "br_if.i32.gt_u_i"],
  ["i32.sub_i", "br_if.i32.ne_i"],
  ["i32.sub_i", "br_if.i32.gt_s_i"],
  ["i32.load", "br_if.i32.lt_s"],
  ["i32.add_i", "i32.load"],
  ["i32.sub_i", "i32.load"],
  ["i32.add", "i32.load"],
  ["i32.add", "i32.load8_u"],
  ["i32.load8_u_d", "i32.load8_u_d"],
  ["i32.xor", "i32.mul_i"],
  ["i32.mul_i", "i32.xor"],
  ["i32.store8_k", "i32.add"],
  ["i64.store", "i32.add_i"],
  ["i64.add", "i64.store32"],
  ["i64.load32_u", "i64.mul"],
  ["i64.shr_u_i", "i64.add"],
  // CoreMark: list walks, bit fields, state machines.
  ["i32.add", "i32.add_i"],
  ["i32.add_i", "i32.add"],
  ["mov32", "br_if"],
  ["i32.add_i", "br_if"],
  ["i32.load", "br_if"],
  ["i32.shr_u_i", "i32.and_i"],
  ["mov32", "i32.load"],
  ["i32.load", "i32.store"],
  ["i32.store", "mov32"],
  ["i32.add_i", "br_if.i32.eq_i"],
  ["i32.load16_s", "i32.load16_s"],
  ["i32.load", "i32.add_i"],
  // CoreMark, second round (dynamic pair counts over 300 iterations, each
  // 1–2.4% of executed instructions).
  ["i32.load", "i32.load8_u"],
  ["i32.and_i", "select32"],
  ["const32", "select32"],
  ["const32", "i32.add_i"],
  ["i32.add_i", "i32.and_i"],
  ["i32.xor_i", "i32.shr_u_i>i32.xor"],
  ["i32.load16_u", "i32.and_i"],
  ["i32.load", "i32.load16_u"],
  ["i32.load16_u", "i32.mul"],
  ["i32.and_i", "br_if.i32.eq"],
  ["i32.load8_u", "i32.and_i>i32.xor"],
  ["i32.and_i>i32.xor", "br_unless"],
  ["i32.gt_s", "const32"],
  ["i32.and_i", "br_if.i32.le_u_i"],
  // nbody, bigint, sha256 (dynamic pair counts, each 3–6% of executed instructions).
  ["constf64", "f64.mul"],
  ["f64.load_abs", "f64.add"],
  ["f64.mul", "f64.load_d>f64.sub_r"],
  ["i64.store32", "i32.add_i"],
  ["i64.mul_i", "i64.sub"],
  ["i64.div_u_i", "i64.store32"],
  ["i64.shl_i", "i64.or"],
  ["i32.sub_i", "i32.sub_i"],
  ["i32.xrot3", "i32.add>i32.add"],
  ["i32.load_d", "i32.xrot2shr"],
  ["i32.load_d", "i32.and"],
  ["i32.add", "br_if.i32.eq_i"],
  ["i32.xor_i", "i32.and>i32.add"],
  ["i32.xor>i32.and", "i32.and>i32.xor"],
  // nbody, second round (2.6–3.6% of its executed instructions each).
  ["i64.store_abs", "f64.load_abs"],
  ["i64.load_d", "i64.load_d"],
  ["f64.add", "f64.sqrt"],
  ["constf64", "f64.div"],
  ["i32.sub_i", "br_if"],
  // Third round (issue 16): the inner loops of mandelbrot (11 dispatches an
  // iteration before, 6 after), quicksort's partition scan and sieve's count.
  ["f64.add", "mov32"],
  ["f64.sub>f64.add", "mov64"],
  ["f64.mul", "f64.mul>f64.add"],
  ["f64.mul", "f64.add"],
  ["constf64", "br_if.f64.le"],
  ["i32.sub_i", "br_if.i32.lt_s"],
  ["i32.add", "i32.load8_u_d"],
  // matmul_f64's dot products: both operands value-loaded.
  ["f64.load_d", "f64.load_d>f64.mul"],
  ["f64.load", "f64.load>f64.mul"],
  ["f64.load", "i64.load"],
  ["i32.sub_i", "f64.mul>f64.mul>f64.load>f64.add>f64.store"],
];
for (const [pn, xn] of BUNDLES) {
  const p = defs.find((d) => d.name === pn), x = defs.find((d) => d.name === xn);
  if (p === undefined || x === undefined || p.body === null || x.body === null) {
    throw new Error(`ir_defs: bundle ${pn}+${xn} needs two generated ops`);
  }
  const operands = [
    ...p.operands,
    ...x.operands.map((o) => ({ name: o.name + "2", kind: o.kind })),
    { name: "pad", kind: "#" },
  ];
  defs.push({
    name: `${pn}+${xn}`,
    operands,
    body: null,
    size: p.size + x.size,
    cold: false,
    parts: [p, x],
  });
}

// ---- GC (struct, array, i31, casts): all cold, executed by exec_gc.ts ----
// Numbered after every hot op, so they add nothing to the dispatch loop's
// jump table. Operands are slot indices (`s`); `type` is a canonical type
// id; `k` an element or field access kind (exec_gc.ts's Access); `o` a
// field's first word in the struct's storage. Fields and fixed-size array
// elements are consecutive slots from `base` (as call arguments are).
def("struct.new", "d:s type:# base:s", "R[d] = structNew(I32, R, base, type);");
def("struct.new_default", "d:s type:#", "R[d] = structNewDefault(type);");
def("struct.get", "d:s a:s o:# k:#", null);
def("struct.set", "a:s o:# k:# b:s", null);
def("array.new", "d:s type:# v:s n:s", null);
def("array.new_default", "d:s type:# n:i", "R[d] = arrayNewDefault(type, n);");
def("array.new32", "d:s type:# v:i n:i", "R[d] = arrayNew(type, v, n);");
def("array.newref", "d:s type:# v:s n:i", "R[d] = arrayNew(type, R[v], n);");
def("array.new_fixed", "d:s type:# base:s n:#", null);
def("array.new_data", "d:s type:# seg:# o:s n:s", null);
def("array.new_elem", "d:s type:# seg:# o:s n:s", null);
def("array.get", "d:s a:s i:s k:#", null);
def("array.set", "a:s i:s v:s k:#", null);
// One-word and reference accesses: table bodies (gc_access.ts), so compiled
// code runs them inline; other kinds go to the general ops above.
def("struct.get32", "d:i a:s o:#", "I32[d] = structGet32(R[a], o);");
def("struct.get8s", "d:i a:s o:#", "I32[d] = (structGet32(R[a], o) << 24) >> 24;");
def("struct.get16s", "d:i a:s o:#", "I32[d] = (structGet32(R[a], o) << 16) >> 16;");
def("struct.getref", "d:s a:s o:#", "R[d] = structGetRef(R[a], o);");
def("struct.get64", "d:l a:s o:#", "structGet64(I32, d, R[a], o);");
def("struct.set64", "a:s o:# b:l", "structSet64(R[a], o, bl, bh);");
def("struct.set32", "a:s o:# b:i", "structSet(R[a], o, b);");
def("struct.set8", "a:s o:# b:i", "structSet(R[a], o, b & 0xff);");
def("struct.set16", "a:s o:# b:i", "structSet(R[a], o, b & 0xffff);");
def("struct.setref", "a:s o:# b:s", "structSet(R[a], o, R[b]);");
def("array.get32", "d:i a:s i:i", "I32[d] = arrayGet32(R[a], i);");
def("array.get8s", "d:i a:s i:i", "I32[d] = (arrayGet32(R[a], i) << 24) >> 24;");
def("array.get16s", "d:i a:s i:i", "I32[d] = (arrayGet32(R[a], i) << 16) >> 16;");
def("array.getref", "d:s a:s i:i", "R[d] = arrayGetRef(R[a], i);");
def("array.get64", "d:l a:s i:i", "arrayGet64(I32, d, R[a], i);");
def("array.set64", "a:s i:i b:l", "arraySet64(R[a], i, bl, bh);");
def("array.set32", "a:s i:i b:i", "arraySet32(R[a], i, b);");
def("array.setref", "a:s i:i b:s", "arraySetRef(R[a], i, R[b]);");
def("array.len", "d:i a:s", "I32[d] = arrayLen(R[a]);");
def("array.fill", "a:s i:s v:s n:s k:#", null);
def("array.copy", "a:s i:s b:s j:s n:s", null);
def("array.init_data", "a:s i:s seg:# j:s n:s", null);
def("array.init_elem", "a:s i:s seg:# j:s n:s", null);
// `heap` a canonical heap type; `f` bit 0: null passes, bit 1: negate (br_on_cast_fail).
def("ref.test", "d:i a:s heap:# f:#", "I32[d] = refTest(R[a], heap, f);");
def("ref.cast", "d:s a:s heap:# f:#", "R[d] = refCast(R[a], heap, f);");
def("ref.as_non_null", "a:s", "refAsNonNull(R[a]);");
def("ref.eq", "d:i a:s b:s", "I32[d] = R[a] === R[b] ? 1 : 0;");
def("ref.i31", "d:s a:i", "R[d] = (a << 1) >> 1;");
def("i31.get_s", "d:i a:s", "I32[d] = i31Get(R[a]);");
def("i31.get_u", "d:i a:s", "I32[d] = i31Get(R[a]) & 0x7fffffff;");

/** Every IR instruction; the opcode is the index. */
export const IR_DEFS: readonly IrDef[] = defs.map((d) =>
  d.body !== null && isCold(d.name) ? { ...d, cold: true } : d
);

/** Length in words of the instruction at `pc` (variable-length ops included). */
export function instrSize(code: Int32Array, pc: number): number {
  const op = code[pc];
  if (op === IR_BR_TABLE) return 4 + code[pc + 2];
  if (op === IR_SIMD || op === IR_ATOMIC) return 3 + code[pc + 2];
  if (op === IR_MOVS) return 3 * code[pc + 1];
  return defs[op].size;
}

/** IR opcode numbers by name. */
export const IR: Readonly<Record<string, number>> = Object.fromEntries(
  defs.map((d, i) => [d.name, i]),
);

const IR_BR_TABLE = IR["br_table"], IR_SIMD = IR["simd"], IR_MOVS = IR["movs"];
const IR_ATOMIC = IR["atomic"];

/** The IR opcode of `name`; throws for an unknown name (a translator bug). */
export function irOp(name: string): number {
  const n = IR[name];
  if (n === undefined) throw new Error(`unknown IR op ${name}`);
  return n;
}
