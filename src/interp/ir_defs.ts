/**
 * The register IR's instruction table: one row per IR opcode, with its
 * operand layout and (for the regular families) the JS statement that
 * executes it. The numeric families are derived from the wasm instruction
 * table (`src/binary/opcodes.ts`): every plain numeric wasm instruction has an
 * IR op of the same name whose operands are frame slots. Fused forms are
 * added beside them (`_i`: right operand is an immediate; `br_if.`/
 * `br_unless.`: compare and branch in one instruction). Those families are
 * generated in `ir_numeric.ts`, `ir_memory.ts` and `ir_fused.ts`; this file
 * fixes the order in which they are added, which numbers the opcodes.
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

import { BUNDLES, defineFused } from "./ir_fused.ts";
import { defineNumeric, UNARY } from "./ir_numeric.ts";

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

// ---- numeric families, derived from the wasm table (ir_numeric.ts, ir_memory.ts) ----
defineNumeric(def);

// ---- fused ops (ir_fused.ts) ----
defineFused(def);

// ---- bundles (BUNDLES in ir_fused.ts): adjacent pairs executed by one dispatch ----
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

/** Wasm ops executed by an IR op of another name (same bits, same semantics). */
export const IR_ALIASES: Readonly<Record<string, string>> = {
  "f32.load": "i32.load",
  "f64.load": "i64.load",
  "f32.store": "i32.store",
  "f64.store": "i64.store",
};

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
