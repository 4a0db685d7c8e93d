/**
 * The instruction table: the single source of truth for every wasm opcode
 * Gannet knows. The decoder, validator, text parser/printer and the
 * interpreter's translator all read it; none of them keeps its own list.
 *
 * Each row is one `def(...)` line (QuickJS style). The columns:
 *
 * - `name`: the text-format mnemonic.
 * - `prefix`/`code`: the binary encoding. `prefix` is 0 for one-byte opcodes,
 *   otherwise 0xfb/0xfc/0xfd/0xfe, and `code` is then the LEB128 u32 that follows.
 * - `imm`: the immediate operands' shape, one of {@link Imm}.
 * - `sig`: the operand signature as `params:results`, one letter per value:
 *   `i` i32, `l` i64, `f` f32, `d` f64, `v` v128, `a` the address type of the
 *   memory named by the immediate (i32, or i64 under memory64). `null` marks
 *   an instruction the validator types by hand (control, parametric,
 *   variable, reference and table instructions, `memory.copy`).
 * - `feature`: the proposal that introduced it ({@link Feature}).
 * - `align`: for memory access, log2 of the natural alignment.
 * - `traps`: whether executing it can trap.
 *
 * @module
 */

/** Shapes of immediate operands. */
export const Imm = {
  None: 0,
  /** blocktype: 0x40, a value type, or an s33 type index */
  BlockType: 1,
  /** labelidx */
  Label: 2,
  /** vec(labelidx) labelidx */
  BrTable: 3,
  /** funcidx */
  Func: 4,
  /** typeidx tableidx */
  CallIndirect: 5,
  /** localidx */
  Local: 6,
  /** globalidx */
  Global: 7,
  /** tableidx */
  Table: 8,
  /** elemidx tableidx */
  TableInit: 9,
  /** elemidx */
  Elem: 10,
  /** tableidx(dst) tableidx(src) */
  TableCopy: 11,
  /** memarg: align flags (bit 6 = memidx follows), [memidx], offset */
  MemArg: 12,
  /** memidx */
  Mem: 13,
  /** dataidx memidx */
  MemInit: 14,
  /** dataidx */
  Data: 15,
  /** memidx(dst) memidx(src) */
  MemCopy: 16,
  /** i32 (signed LEB128) */
  I32: 17,
  /** i64 (signed LEB128) */
  I64: 18,
  /** f32 (4 bytes little-endian) */
  F32: 19,
  /** f64 (8 bytes little-endian) */
  F64: 20,
  /** v128 (16 bytes) */
  V128: 21,
  /** 16 lane indices, one byte each */
  Shuffle: 22,
  /** one lane index byte */
  Lane: 23,
  /** memarg then one lane index byte */
  MemArgLane: 24,
  /** heaptype (ref.null, ref.test, ref.cast) */
  HeapType: 25,
  /** vec(valtype) (typed select) */
  SelectT: 26,
  /** a single 0x00 byte (atomic.fence) */
  Zero: 27,
  /** tagidx (throw, legacy catch) */
  Tag: 28,
  /** blocktype vec(catch) (try_table) */
  TryTable: 29,
  /** typeidx (call_ref, struct.new, array.new, array.get, …) */
  Type: 30,
  /** typeidx fieldidx (struct.get, struct.set) */
  TypeField: 31,
  /** typeidx u32 (array.new_fixed) */
  TypeCount: 32,
  /** typeidx dataidx (array.new_data, array.init_data) */
  TypeData: 33,
  /** typeidx elemidx (array.new_elem, array.init_elem) */
  TypeElem: 34,
  /** typeidx typeidx (array.copy) */
  TypeType: 35,
  /** flags labelidx heaptype heaptype (br_on_cast, br_on_cast_fail) */
  BrOnCast: 36,
} as const;
/** One of the {@link Imm} values. */
export type Imm = typeof Imm[keyof typeof Imm];

/** Proposals that add instructions. `mvp` is wasm 1.0. */
export type Feature =
  | "mvp"
  | "sign-ext"
  | "sat-float-to-int"
  | "bulk-memory"
  | "reference-types"
  | "simd"
  | "relaxed-simd"
  | "threads"
  | "tail-call"
  | "exceptions"
  | "legacy-exceptions"
  | "function-references"
  | "gc";

/** One row of the instruction table. */
export interface OpInfo {
  /** Text-format mnemonic, e.g. `i32.add`. */
  readonly name: string;
  /** 0 for one-byte opcodes, else 0xfb, 0xfc, 0xfd or 0xfe. */
  readonly prefix: number;
  /** The opcode byte, or the u32 after the prefix. */
  readonly code: number;
  /** Immediate shape. */
  readonly imm: Imm;
  /** `params:results` signature, or null when typed by hand. */
  readonly sig: string | null;
  /** Proposal that introduced the instruction. */
  readonly feature: Feature;
  /** log2 of natural alignment for memory accesses, else -1. */
  readonly align: number;
  /** Whether execution can trap. */
  readonly traps: boolean;
  /** Dense index of this row in {@link OPCODES}. */
  readonly index: number;
}

const rows: OpInfo[] = [];

function def(
  name: string,
  prefix: number,
  code: number,
  imm: Imm,
  sig: string | null,
  feature: Feature,
  traps = false,
  align = -1,
): void {
  rows.push({ name, prefix, code, imm, sig, feature, align, traps, index: rows.length });
}

const I = Imm;

// ---- control (0x00–0x13) ----
def("unreachable", 0, 0x00, I.None, null, "mvp", true);
def("nop", 0, 0x01, I.None, ":", "mvp");
def("block", 0, 0x02, I.BlockType, null, "mvp");
def("loop", 0, 0x03, I.BlockType, null, "mvp");
def("if", 0, 0x04, I.BlockType, null, "mvp");
def("else", 0, 0x05, I.None, null, "mvp");
def("try", 0, 0x06, I.BlockType, null, "legacy-exceptions");
def("catch", 0, 0x07, I.Tag, null, "legacy-exceptions");
def("throw", 0, 0x08, I.Tag, null, "exceptions", true);
def("rethrow", 0, 0x09, I.Label, null, "legacy-exceptions", true);
def("throw_ref", 0, 0x0a, I.None, null, "exceptions", true);
def("end", 0, 0x0b, I.None, null, "mvp");
def("br", 0, 0x0c, I.Label, null, "mvp");
def("br_if", 0, 0x0d, I.Label, null, "mvp");
def("br_table", 0, 0x0e, I.BrTable, null, "mvp");
def("return", 0, 0x0f, I.None, null, "mvp");
def("call", 0, 0x10, I.Func, null, "mvp", true);
def("call_indirect", 0, 0x11, I.CallIndirect, null, "mvp", true);
def("return_call", 0, 0x12, I.Func, null, "tail-call", true);
def("return_call_indirect", 0, 0x13, I.CallIndirect, null, "tail-call", true);
def("call_ref", 0, 0x14, I.Type, null, "function-references", true);
def("return_call_ref", 0, 0x15, I.Type, null, "function-references", true);
def("delegate", 0, 0x18, I.Label, null, "legacy-exceptions");
def("catch_all", 0, 0x19, I.None, null, "legacy-exceptions");

// ---- parametric and variable ----
def("drop", 0, 0x1a, I.None, null, "mvp");
def("select", 0, 0x1b, I.None, null, "mvp");
def("select_t", 0, 0x1c, I.SelectT, null, "reference-types");
def("local.get", 0, 0x20, I.Local, null, "mvp");
def("local.set", 0, 0x21, I.Local, null, "mvp");
def("local.tee", 0, 0x22, I.Local, null, "mvp");
def("global.get", 0, 0x23, I.Global, null, "mvp");
def("global.set", 0, 0x24, I.Global, null, "mvp");
def("table.get", 0, 0x25, I.Table, null, "reference-types", true);
def("table.set", 0, 0x26, I.Table, null, "reference-types", true);
def("try_table", 0, 0x1f, I.TryTable, null, "exceptions");

// ---- memory (0x28–0x40) ----
const loads: [string, string, number][] = [
  ["i32.load", "a:i", 2],
  ["i64.load", "a:l", 3],
  ["f32.load", "a:f", 2],
  ["f64.load", "a:d", 3],
  ["i32.load8_s", "a:i", 0],
  ["i32.load8_u", "a:i", 0],
  ["i32.load16_s", "a:i", 1],
  ["i32.load16_u", "a:i", 1],
  ["i64.load8_s", "a:l", 0],
  ["i64.load8_u", "a:l", 0],
  ["i64.load16_s", "a:l", 1],
  ["i64.load16_u", "a:l", 1],
  ["i64.load32_s", "a:l", 2],
  ["i64.load32_u", "a:l", 2],
  ["i32.store", "ai:", 2],
  ["i64.store", "al:", 3],
  ["f32.store", "af:", 2],
  ["f64.store", "ad:", 3],
  ["i32.store8", "ai:", 0],
  ["i32.store16", "ai:", 1],
  ["i64.store8", "al:", 0],
  ["i64.store16", "al:", 1],
  ["i64.store32", "al:", 2],
];
loads.forEach(([name, sig, align], k) => def(name, 0, 0x28 + k, I.MemArg, sig, "mvp", true, align));
def("memory.size", 0, 0x3f, I.Mem, ":a", "mvp");
def("memory.grow", 0, 0x40, I.Mem, "a:a", "mvp");

// ---- constants ----
def("i32.const", 0, 0x41, I.I32, ":i", "mvp");
def("i64.const", 0, 0x42, I.I64, ":l", "mvp");
def("f32.const", 0, 0x43, I.F32, ":f", "mvp");
def("f64.const", 0, 0x44, I.F64, ":d", "mvp");

/** Defines a run of consecutive opcodes sharing a signature. */
function run(
  prefix: number,
  start: number,
  type: string,
  ops: string,
  sig: string,
  feature: Feature,
  trapping: string[] = [],
): number {
  let code = start;
  for (const op of ops.split(" ")) {
    if (op !== "_") {
      const name = `${type}.${op}`;
      def(name, prefix, code, I.None, sig, feature, trapping.includes(op));
    }
    code++;
  }
  return code;
}

// ---- numeric (0x45–0xc4) ----
run(0, 0x45, "i32", "eqz", "i:i", "mvp");
run(0, 0x46, "i32", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u", "ii:i", "mvp");
run(0, 0x50, "i64", "eqz", "l:i", "mvp");
run(0, 0x51, "i64", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u", "ll:i", "mvp");
run(0, 0x5b, "f32", "eq ne lt gt le ge", "ff:i", "mvp");
run(0, 0x61, "f64", "eq ne lt gt le ge", "dd:i", "mvp");
const intDivs = ["div_s", "div_u", "rem_s", "rem_u"];
run(0, 0x67, "i32", "clz ctz popcnt", "i:i", "mvp");
run(
  0,
  0x6a,
  "i32",
  "add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr",
  "ii:i",
  "mvp",
  intDivs,
);
run(0, 0x79, "i64", "clz ctz popcnt", "l:l", "mvp");
run(
  0,
  0x7c,
  "i64",
  "add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr",
  "ll:l",
  "mvp",
  intDivs,
);
run(0, 0x8b, "f32", "abs neg ceil floor trunc nearest sqrt", "f:f", "mvp");
run(0, 0x92, "f32", "add sub mul div min max copysign", "ff:f", "mvp");
run(0, 0x99, "f64", "abs neg ceil floor trunc nearest sqrt", "d:d", "mvp");
run(0, 0xa0, "f64", "add sub mul div min max copysign", "dd:d", "mvp");

const conversions: [string, string, boolean][] = [
  ["i32.wrap_i64", "l:i", false],
  ["i32.trunc_f32_s", "f:i", true],
  ["i32.trunc_f32_u", "f:i", true],
  ["i32.trunc_f64_s", "d:i", true],
  ["i32.trunc_f64_u", "d:i", true],
  ["i64.extend_i32_s", "i:l", false],
  ["i64.extend_i32_u", "i:l", false],
  ["i64.trunc_f32_s", "f:l", true],
  ["i64.trunc_f32_u", "f:l", true],
  ["i64.trunc_f64_s", "d:l", true],
  ["i64.trunc_f64_u", "d:l", true],
  ["f32.convert_i32_s", "i:f", false],
  ["f32.convert_i32_u", "i:f", false],
  ["f32.convert_i64_s", "l:f", false],
  ["f32.convert_i64_u", "l:f", false],
  ["f32.demote_f64", "d:f", false],
  ["f64.convert_i32_s", "i:d", false],
  ["f64.convert_i32_u", "i:d", false],
  ["f64.convert_i64_s", "l:d", false],
  ["f64.convert_i64_u", "l:d", false],
  ["f64.promote_f32", "f:d", false],
  ["i32.reinterpret_f32", "f:i", false],
  ["i64.reinterpret_f64", "d:l", false],
  ["f32.reinterpret_i32", "i:f", false],
  ["f64.reinterpret_i64", "l:d", false],
];
conversions.forEach(([name, sig, traps], k) => def(name, 0, 0xa7 + k, I.None, sig, "mvp", traps));
def("i32.extend8_s", 0, 0xc0, I.None, "i:i", "sign-ext");
def("i32.extend16_s", 0, 0xc1, I.None, "i:i", "sign-ext");
def("i64.extend8_s", 0, 0xc2, I.None, "l:l", "sign-ext");
def("i64.extend16_s", 0, 0xc3, I.None, "l:l", "sign-ext");
def("i64.extend32_s", 0, 0xc4, I.None, "l:l", "sign-ext");

// ---- reference (0xd0–0xd6) ----
def("ref.null", 0, 0xd0, I.HeapType, null, "reference-types");
def("ref.is_null", 0, 0xd1, I.None, null, "reference-types");
def("ref.func", 0, 0xd2, I.Func, null, "reference-types");
def("ref.eq", 0, 0xd3, I.None, null, "gc");
def("ref.as_non_null", 0, 0xd4, I.None, null, "function-references", true);
def("br_on_null", 0, 0xd5, I.Label, null, "function-references");
def("br_on_non_null", 0, 0xd6, I.Label, null, "function-references");

// ---- 0xfb: GC ----
// `ref.test_null`/`ref.cast_null` are the encodings of `ref.test (ref null ht)`
// and `ref.cast (ref null ht)`; the text format spells both `ref.test`/`ref.cast`.
const FB = 0xfb;
const gc: [string, number, Imm, boolean][] = [
  ["struct.new", 0, I.Type, false],
  ["struct.new_default", 1, I.Type, false],
  ["struct.get", 2, I.TypeField, true],
  ["struct.get_s", 3, I.TypeField, true],
  ["struct.get_u", 4, I.TypeField, true],
  ["struct.set", 5, I.TypeField, true],
  ["array.new", 6, I.Type, true],
  ["array.new_default", 7, I.Type, true],
  ["array.new_fixed", 8, I.TypeCount, true],
  ["array.new_data", 9, I.TypeData, true],
  ["array.new_elem", 10, I.TypeElem, true],
  ["array.get", 11, I.Type, true],
  ["array.get_s", 12, I.Type, true],
  ["array.get_u", 13, I.Type, true],
  ["array.set", 14, I.Type, true],
  ["array.len", 15, I.None, true],
  ["array.fill", 16, I.Type, true],
  ["array.copy", 17, I.TypeType, true],
  ["array.init_data", 18, I.TypeData, true],
  ["array.init_elem", 19, I.TypeElem, true],
  ["ref.test", 20, I.HeapType, false],
  ["ref.test_null", 21, I.HeapType, false],
  ["ref.cast", 22, I.HeapType, true],
  ["ref.cast_null", 23, I.HeapType, true],
  ["br_on_cast", 24, I.BrOnCast, false],
  ["br_on_cast_fail", 25, I.BrOnCast, false],
  ["any.convert_extern", 26, I.None, false],
  ["extern.convert_any", 27, I.None, false],
  ["ref.i31", 28, I.None, false],
  ["i31.get_s", 29, I.None, true],
  ["i31.get_u", 30, I.None, true],
];
for (const [name, code, imm, traps] of gc) def(name, FB, code, imm, null, "gc", traps);

// ---- 0xfc: saturating truncation, bulk memory, tables ----
const FC = 0xfc;
const sats: [string, string][] = [
  ["i32.trunc_sat_f32_s", "f:i"],
  ["i32.trunc_sat_f32_u", "f:i"],
  ["i32.trunc_sat_f64_s", "d:i"],
  ["i32.trunc_sat_f64_u", "d:i"],
  ["i64.trunc_sat_f32_s", "f:l"],
  ["i64.trunc_sat_f32_u", "f:l"],
  ["i64.trunc_sat_f64_s", "d:l"],
  ["i64.trunc_sat_f64_u", "d:l"],
];
sats.forEach(([name, sig], k) => def(name, FC, k, I.None, sig, "sat-float-to-int"));
def("memory.init", FC, 8, I.MemInit, "aii:", "bulk-memory", true);
def("data.drop", FC, 9, I.Data, ":", "bulk-memory");
def("memory.copy", FC, 10, I.MemCopy, null, "bulk-memory", true);
def("memory.fill", FC, 11, I.Mem, "aia:", "bulk-memory", true);
def("table.init", FC, 12, I.TableInit, null, "bulk-memory", true);
def("elem.drop", FC, 13, I.Elem, ":", "bulk-memory");
def("table.copy", FC, 14, I.TableCopy, null, "bulk-memory", true);
def("table.grow", FC, 15, I.Table, null, "reference-types");
def("table.size", FC, 16, I.Table, null, "reference-types");
def("table.fill", FC, 17, I.Table, null, "reference-types", true);

// ---- 0xfd: SIMD ----
const FD = 0xfd;
const simdMem: [string, number, number, string][] = [
  ["v128.load", 0x00, 4, "a:v"],
  ["v128.load8x8_s", 0x01, 3, "a:v"],
  ["v128.load8x8_u", 0x02, 3, "a:v"],
  ["v128.load16x4_s", 0x03, 3, "a:v"],
  ["v128.load16x4_u", 0x04, 3, "a:v"],
  ["v128.load32x2_s", 0x05, 3, "a:v"],
  ["v128.load32x2_u", 0x06, 3, "a:v"],
  ["v128.load8_splat", 0x07, 0, "a:v"],
  ["v128.load16_splat", 0x08, 1, "a:v"],
  ["v128.load32_splat", 0x09, 2, "a:v"],
  ["v128.load64_splat", 0x0a, 3, "a:v"],
  ["v128.store", 0x0b, 4, "av:"],
  ["v128.load32_zero", 0x5c, 2, "a:v"],
  ["v128.load64_zero", 0x5d, 3, "a:v"],
];
for (const [name, code, align, sig] of simdMem) {
  def(name, FD, code, I.MemArg, sig, "simd", true, align);
}
def("v128.const", FD, 0x0c, I.V128, ":v", "simd");
def("i8x16.shuffle", FD, 0x0d, I.Shuffle, "vv:v", "simd");
def("i8x16.swizzle", FD, 0x0e, I.None, "vv:v", "simd");
def("i8x16.splat", FD, 0x0f, I.None, "i:v", "simd");
def("i16x8.splat", FD, 0x10, I.None, "i:v", "simd");
def("i32x4.splat", FD, 0x11, I.None, "i:v", "simd");
def("i64x2.splat", FD, 0x12, I.None, "l:v", "simd");
def("f32x4.splat", FD, 0x13, I.None, "f:v", "simd");
def("f64x2.splat", FD, 0x14, I.None, "d:v", "simd");
const lanes: [string, string][] = [
  ["i8x16.extract_lane_s", "v:i"],
  ["i8x16.extract_lane_u", "v:i"],
  ["i8x16.replace_lane", "vi:v"],
  ["i16x8.extract_lane_s", "v:i"],
  ["i16x8.extract_lane_u", "v:i"],
  ["i16x8.replace_lane", "vi:v"],
  ["i32x4.extract_lane", "v:i"],
  ["i32x4.replace_lane", "vi:v"],
  ["i64x2.extract_lane", "v:l"],
  ["i64x2.replace_lane", "vl:v"],
  ["f32x4.extract_lane", "v:f"],
  ["f32x4.replace_lane", "vf:v"],
  ["f64x2.extract_lane", "v:d"],
  ["f64x2.replace_lane", "vd:v"],
];
lanes.forEach(([name, sig], k) => def(name, FD, 0x15 + k, I.Lane, sig, "simd"));
const icmp = "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u";
run(FD, 0x23, "i8x16", icmp, "vv:v", "simd");
run(FD, 0x2d, "i16x8", icmp, "vv:v", "simd");
run(FD, 0x37, "i32x4", icmp, "vv:v", "simd");
run(FD, 0x41, "f32x4", "eq ne lt gt le ge", "vv:v", "simd");
run(FD, 0x47, "f64x2", "eq ne lt gt le ge", "vv:v", "simd");
run(FD, 0x4d, "v128", "not", "v:v", "simd");
run(FD, 0x4e, "v128", "and andnot or xor", "vv:v", "simd");
run(FD, 0x52, "v128", "bitselect", "vvv:v", "simd");
run(FD, 0x53, "v128", "any_true", "v:i", "simd");
const laneMem: [string, number, string][] = [
  ["v128.load8_lane", 0, "av:v"],
  ["v128.load16_lane", 1, "av:v"],
  ["v128.load32_lane", 2, "av:v"],
  ["v128.load64_lane", 3, "av:v"],
  ["v128.store8_lane", 0, "av:"],
  ["v128.store16_lane", 1, "av:"],
  ["v128.store32_lane", 2, "av:"],
  ["v128.store64_lane", 3, "av:"],
];
laneMem.forEach(([name, align, sig], k) =>
  def(name, FD, 0x54 + k, I.MemArgLane, sig, "simd", true, align)
);
run(FD, 0x5e, "f32x4", "demote_f64x2_zero", "v:v", "simd");
run(FD, 0x5f, "f64x2", "promote_low_f32x4", "v:v", "simd");
run(FD, 0x60, "i8x16", "abs neg popcnt", "v:v", "simd");
run(FD, 0x63, "i8x16", "all_true bitmask", "v:i", "simd");
run(FD, 0x65, "i8x16", "narrow_i16x8_s narrow_i16x8_u", "vv:v", "simd");
run(FD, 0x67, "f32x4", "ceil floor trunc nearest", "v:v", "simd");
run(FD, 0x6b, "i8x16", "shl shr_s shr_u", "vi:v", "simd");
run(FD, 0x6e, "i8x16", "add add_sat_s add_sat_u sub sub_sat_s sub_sat_u", "vv:v", "simd");
run(FD, 0x74, "f64x2", "ceil floor", "v:v", "simd");
run(FD, 0x76, "i8x16", "min_s min_u max_s max_u", "vv:v", "simd");
run(FD, 0x7a, "f64x2", "trunc", "v:v", "simd");
run(FD, 0x7b, "i8x16", "avgr_u", "vv:v", "simd");
run(FD, 0x7c, "i16x8", "extadd_pairwise_i8x16_s extadd_pairwise_i8x16_u", "v:v", "simd");
run(FD, 0x7e, "i32x4", "extadd_pairwise_i16x8_s extadd_pairwise_i16x8_u", "v:v", "simd");
// i16x8 (0x80–0x9f)
run(FD, 0x80, "i16x8", "abs neg", "v:v", "simd");
run(FD, 0x82, "i16x8", "q15mulr_sat_s", "vv:v", "simd");
run(FD, 0x83, "i16x8", "all_true bitmask", "v:i", "simd");
run(FD, 0x85, "i16x8", "narrow_i32x4_s narrow_i32x4_u", "vv:v", "simd");
run(
  FD,
  0x87,
  "i16x8",
  "extend_low_i8x16_s extend_high_i8x16_s extend_low_i8x16_u extend_high_i8x16_u",
  "v:v",
  "simd",
);
run(FD, 0x8b, "i16x8", "shl shr_s shr_u", "vi:v", "simd");
run(FD, 0x8e, "i16x8", "add add_sat_s add_sat_u sub sub_sat_s sub_sat_u", "vv:v", "simd");
run(FD, 0x94, "f64x2", "nearest", "v:v", "simd");
run(FD, 0x95, "i16x8", "mul min_s min_u max_s max_u _ avgr_u", "vv:v", "simd");
run(
  FD,
  0x9c,
  "i16x8",
  "extmul_low_i8x16_s extmul_high_i8x16_s extmul_low_i8x16_u extmul_high_i8x16_u",
  "vv:v",
  "simd",
);
// i32x4 (0xa0–0xbf)
run(FD, 0xa0, "i32x4", "abs neg", "v:v", "simd");
run(FD, 0xa3, "i32x4", "all_true bitmask", "v:i", "simd");
run(
  FD,
  0xa7,
  "i32x4",
  "extend_low_i16x8_s extend_high_i16x8_s extend_low_i16x8_u extend_high_i16x8_u",
  "v:v",
  "simd",
);
run(FD, 0xab, "i32x4", "shl shr_s shr_u", "vi:v", "simd");
run(FD, 0xae, "i32x4", "add", "vv:v", "simd");
run(FD, 0xb1, "i32x4", "sub", "vv:v", "simd");
run(FD, 0xb5, "i32x4", "mul min_s min_u max_s max_u dot_i16x8_s", "vv:v", "simd");
run(
  FD,
  0xbc,
  "i32x4",
  "extmul_low_i16x8_s extmul_high_i16x8_s extmul_low_i16x8_u extmul_high_i16x8_u",
  "vv:v",
  "simd",
);
// i64x2 (0xc0–0xdf)
run(FD, 0xc0, "i64x2", "abs neg", "v:v", "simd");
run(FD, 0xc3, "i64x2", "all_true bitmask", "v:i", "simd");
run(
  FD,
  0xc7,
  "i64x2",
  "extend_low_i32x4_s extend_high_i32x4_s extend_low_i32x4_u extend_high_i32x4_u",
  "v:v",
  "simd",
);
run(FD, 0xcb, "i64x2", "shl shr_s shr_u", "vi:v", "simd");
run(FD, 0xce, "i64x2", "add", "vv:v", "simd");
run(FD, 0xd1, "i64x2", "sub", "vv:v", "simd");
run(FD, 0xd5, "i64x2", "mul eq ne lt_s gt_s le_s ge_s", "vv:v", "simd");
run(
  FD,
  0xdc,
  "i64x2",
  "extmul_low_i32x4_s extmul_high_i32x4_s extmul_low_i32x4_u extmul_high_i32x4_u",
  "vv:v",
  "simd",
);
// floats (0xe0–0xf7)
run(FD, 0xe0, "f32x4", "abs neg _ sqrt", "v:v", "simd");
run(FD, 0xe4, "f32x4", "add sub mul div min max pmin pmax", "vv:v", "simd");
run(FD, 0xec, "f64x2", "abs neg _ sqrt", "v:v", "simd");
run(FD, 0xf0, "f64x2", "add sub mul div min max pmin pmax", "vv:v", "simd");
// conversions (0xf8–0xff)
run(FD, 0xf8, "i32x4", "trunc_sat_f32x4_s trunc_sat_f32x4_u", "v:v", "simd");
run(FD, 0xfa, "f32x4", "convert_i32x4_s convert_i32x4_u", "v:v", "simd");
run(FD, 0xfc, "i32x4", "trunc_sat_f64x2_s_zero trunc_sat_f64x2_u_zero", "v:v", "simd");
run(FD, 0xfe, "f64x2", "convert_low_i32x4_s convert_low_i32x4_u", "v:v", "simd");

// ---- relaxed SIMD (0xfd 0x100–0x113) ----
run(FD, 0x100, "i8x16", "relaxed_swizzle", "vv:v", "relaxed-simd");
run(FD, 0x101, "i32x4", "relaxed_trunc_f32x4_s relaxed_trunc_f32x4_u", "v:v", "relaxed-simd");
run(
  FD,
  0x103,
  "i32x4",
  "relaxed_trunc_f64x2_s_zero relaxed_trunc_f64x2_u_zero",
  "v:v",
  "relaxed-simd",
);
run(FD, 0x105, "f32x4", "relaxed_madd relaxed_nmadd", "vvv:v", "relaxed-simd");
run(FD, 0x107, "f64x2", "relaxed_madd relaxed_nmadd", "vvv:v", "relaxed-simd");
run(FD, 0x109, "i8x16", "relaxed_laneselect", "vvv:v", "relaxed-simd");
run(FD, 0x10a, "i16x8", "relaxed_laneselect", "vvv:v", "relaxed-simd");
run(FD, 0x10b, "i32x4", "relaxed_laneselect", "vvv:v", "relaxed-simd");
run(FD, 0x10c, "i64x2", "relaxed_laneselect", "vvv:v", "relaxed-simd");
run(FD, 0x10d, "f32x4", "relaxed_min relaxed_max", "vv:v", "relaxed-simd");
run(FD, 0x10f, "f64x2", "relaxed_min relaxed_max", "vv:v", "relaxed-simd");
run(FD, 0x111, "i16x8", "relaxed_q15mulr_s relaxed_dot_i8x16_i7x16_s", "vv:v", "relaxed-simd");
run(FD, 0x113, "i32x4", "relaxed_dot_i8x16_i7x16_add_s", "vvv:v", "relaxed-simd");

// ---- 0xfe: threads (atomics) ----
const FE = 0xfe;
def("memory.atomic.notify", FE, 0x00, I.MemArg, "ai:i", "threads", true, 2);
def("memory.atomic.wait32", FE, 0x01, I.MemArg, "ail:i", "threads", true, 2);
def("memory.atomic.wait64", FE, 0x02, I.MemArg, "all:i", "threads", true, 3);
def("atomic.fence", FE, 0x03, I.Zero, ":", "threads");
const atomicLS: [string, string, number][] = [
  ["i32.atomic.load", "a:i", 2],
  ["i64.atomic.load", "a:l", 3],
  ["i32.atomic.load8_u", "a:i", 0],
  ["i32.atomic.load16_u", "a:i", 1],
  ["i64.atomic.load8_u", "a:l", 0],
  ["i64.atomic.load16_u", "a:l", 1],
  ["i64.atomic.load32_u", "a:l", 2],
  ["i32.atomic.store", "ai:", 2],
  ["i64.atomic.store", "al:", 3],
  ["i32.atomic.store8", "ai:", 0],
  ["i32.atomic.store16", "ai:", 1],
  ["i64.atomic.store8", "al:", 0],
  ["i64.atomic.store16", "al:", 1],
  ["i64.atomic.store32", "al:", 2],
];
atomicLS.forEach(([name, sig, align], k) =>
  def(name, FE, 0x10 + k, I.MemArg, sig, "threads", true, align)
);
// Read-modify-write families, 7 widths each, then cmpxchg.
const rmwWidths: [string, string, number][] = [
  ["i32.atomic.rmw.", "i", 2],
  ["i64.atomic.rmw.", "l", 3],
  ["i32.atomic.rmw8.", "i", 0],
  ["i32.atomic.rmw16.", "i", 1],
  ["i64.atomic.rmw8.", "l", 0],
  ["i64.atomic.rmw16.", "l", 1],
  ["i64.atomic.rmw32.", "l", 2],
];
["add", "sub", "and", "or", "xor", "xchg", "cmpxchg"].forEach((op, family) => {
  rmwWidths.forEach(([stem, t, align], k) => {
    const narrow = stem.includes("rmw8") || stem.includes("rmw16") || stem.includes("rmw32");
    const name = stem + op + (narrow ? "_u" : "");
    const sig = op === "cmpxchg" ? `a${t}${t}:${t}` : `a${t}:${t}`;
    def(name, FE, 0x1e + family * 7 + k, I.MemArg, sig, "threads", true, align);
  });
});

/** Every instruction, in table order. `OPCODES[op.index] === op`. */
export const OPCODES: readonly OpInfo[] = rows;

const byName = new Map<string, OpInfo>();
const byCode = new Map<number, OpInfo>();
/** One-byte opcodes, indexed by byte (undefined where there is none). */
export const ONE_BYTE: readonly (OpInfo | undefined)[] = new Array<OpInfo | undefined>(256);
for (const op of rows) {
  byName.set(op.name, op);
  byCode.set(op.prefix * 0x100000000 + op.code, op);
  if (op.prefix === 0) (ONE_BYTE as (OpInfo | undefined)[])[op.code] = op;
}

/** Looks an instruction up by its text-format mnemonic. */
export function opByName(name: string): OpInfo | undefined {
  return byName.get(name);
}

/** Looks an instruction up by its encoding (`prefix` 0 for one-byte opcodes). */
export function opByCode(prefix: number, code: number): OpInfo | undefined {
  return byCode.get(prefix * 0x100000000 + code);
}

/** The byte that introduces each multi-byte opcode family. */
export const PREFIX = { FB, FC, FD, FE } as const;
