/**
 * Walks every row of the instruction table and proves the text parser
 * handles it: for each instruction a tiny function using it is written in
 * text, and our encoding must equal wasm-tools' encoding of the same text.
 * This also audits the table itself (a wrong code, immediate shape or
 * alignment shows up as a difference). Where the host has a native
 * `WebAssembly`, the module must also validate there, which proves the
 * tiny function is really valid.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { Imm, OPCODES, type OpInfo } from "../src/binary/opcodes.ts";
import { parseWat } from "../src/text/parse_wat.ts";
import { stripCustomSections } from "./_text_suite.ts";

const OPERAND: Readonly<Record<string, string>> = {
  i: "i32.const 0",
  a: "i32.const 0",
  l: "i64.const 0",
  f: "f32.const 0",
  d: "f64.const 0",
  v: "v128.const i64x2 0 0",
};

/** Instructions the table types by hand (`sig` null): a valid use of each. */
const HAND: Readonly<Record<string, string>> = {
  unreachable: "unreachable",
  block: "block (result i32) i32.const 1 end drop",
  loop: "i32.const 0 loop (param i32) drop end",
  if: "i32.const 0 if (result i64) i64.const 1 else i64.const 2 end drop",
  else: "i32.const 0 if else end",
  end: "block end",
  br: "block br 0 end",
  br_if: "block i32.const 0 br_if 0 end",
  br_table: "block block i32.const 0 br_table 0 1 0 end end",
  return: "return",
  call: "call $f",
  call_indirect: "i32.const 0 call_indirect $tab (type $t)",
  return_call: "return_call $f",
  return_call_indirect: "i32.const 0 return_call_indirect (type $t)",
  drop: "i32.const 0 drop",
  select: "i32.const 1 i32.const 2 i32.const 0 select drop",
  select_t: "ref.null func ref.null func i32.const 0 select (result funcref) drop",
  "local.get": "local.get 0 drop",
  "local.set": "i32.const 0 local.set 0",
  "local.tee": "i32.const 0 local.tee 0 drop",
  "global.get": "global.get $g drop",
  "global.set": "i32.const 0 global.set $g",
  "table.get": "i32.const 0 table.get $tab drop",
  "table.set": "i32.const 0 ref.null func table.set $tab",
  "ref.null": "ref.null extern drop",
  "ref.is_null": "ref.null func ref.is_null drop",
  "ref.func": "ref.func $f drop",
  "memory.copy": "i32.const 0 i32.const 0 i32.const 0 memory.copy",
  "table.init": "i32.const 0 i32.const 0 i32.const 0 table.init $tab $e",
  "table.copy": "i32.const 0 i32.const 0 i32.const 0 table.copy $tab $tab",
  "table.grow": "ref.null func i32.const 1 table.grow $tab drop",
  "table.size": "table.size $tab drop",
  "table.fill": "i32.const 0 ref.null func i32.const 0 table.fill $tab",
  // exception handling (legacy included)
  try: "try (result i32) i32.const 1 catch $tag i32.const 2 catch_all i32.const 3 end drop",
  catch: "try catch $tag end",
  catch_all: "try catch_all end",
  delegate: "try try delegate 0 catch_all end", // (JSC wants the target to be a try)
  rethrow: "try catch_all rethrow 0 end",
  throw: "throw $tag",
  throw_ref: "ref.null exn throw_ref",
  try_table: "block $l try_table (catch $tag $l) (catch_all $l) end end",
  // typed function references
  call_ref: "ref.func $f call_ref $t",
  return_call_ref: "ref.func $f return_call_ref $t",
  "ref.as_non_null": "ref.func $f ref.as_non_null drop",
  br_on_null: "block ref.func $f br_on_null 0 drop end",
  br_on_non_null: "block (result funcref) ref.func $f br_on_non_null 0 ref.null func end drop",
  // GC
  "ref.eq": "ref.null eq ref.null eq ref.eq drop",
  "struct.new": "i32.const 1 i32.const 2 struct.new $s drop",
  "struct.new_default": "struct.new_default $s drop",
  "struct.get": "struct.new_default $s struct.get $s $x drop",
  "struct.get_s": "struct.new_default $s struct.get_s $s $p drop",
  "struct.get_u": "struct.new_default $s struct.get_u $s 1 drop",
  "struct.set": "struct.new_default $s i32.const 1 struct.set $s $x",
  "array.new": "i32.const 0 i32.const 1 array.new $a drop",
  "array.new_default": "i32.const 1 array.new_default $a drop",
  "array.new_fixed": "i32.const 1 i32.const 2 array.new_fixed $a 2 drop",
  "array.new_data": "i32.const 0 i32.const 1 array.new_data $a $d drop",
  "array.new_elem": "i32.const 0 i32.const 1 array.new_elem $af $e drop",
  "array.get": "i32.const 1 array.new_default $a i32.const 0 array.get $a drop",
  "array.get_s": "i32.const 1 array.new_default $a8 i32.const 0 array.get_s $a8 drop",
  "array.get_u": "i32.const 1 array.new_default $a8 i32.const 0 array.get_u $a8 drop",
  "array.set": "i32.const 1 array.new_default $a i32.const 0 i32.const 5 array.set $a",
  "array.len": "i32.const 1 array.new_default $a array.len drop",
  "array.fill":
    "i32.const 1 array.new_default $a i32.const 0 i32.const 5 i32.const 1 array.fill $a",
  "array.copy": "i32.const 1 array.new_default $a i32.const 0 " +
    "i32.const 1 array.new_default $a i32.const 0 i32.const 1 array.copy $a $a",
  "array.init_data":
    "i32.const 1 array.new_default $a i32.const 0 i32.const 0 i32.const 1 array.init_data $a $d",
  "array.init_elem":
    "i32.const 1 array.new_default $af i32.const 0 i32.const 0 i32.const 1 array.init_elem $af $e",
  "ref.test": "ref.null any ref.test (ref $s) drop",
  "ref.test_null": "ref.null any ref.test (ref null $s) drop",
  "ref.cast": "ref.null any ref.cast (ref $s) drop",
  "ref.cast_null": "ref.null any ref.cast (ref null $s) drop",
  br_on_cast: "block (result anyref) ref.null any br_on_cast 0 anyref (ref $s) end drop",
  br_on_cast_fail: "block (result anyref) ref.null any br_on_cast_fail 0 anyref (ref $s) end drop",
  "any.convert_extern": "ref.null extern any.convert_extern drop",
  "extern.convert_any": "ref.null any extern.convert_any drop",
  "ref.i31": "i32.const 1 ref.i31 drop",
  "i31.get_s": "i32.const 1 ref.i31 i31.get_s drop",
  "i31.get_u": "i32.const 1 ref.i31 i31.get_u drop",
};

/** The immediates written after the mnemonic, by shape. */
function immediates(op: OpInfo): string {
  switch (op.imm) {
    case Imm.MemArg:
      return `offset=16 align=${1 << op.align}`;
    case Imm.MemArgLane:
      return "offset=8 1";
    case Imm.Lane:
      return "1";
    case Imm.Shuffle:
      return "0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31";
    case Imm.I32:
      return "-42";
    case Imm.I64:
      return "0x7fff_ffff_ffff";
    case Imm.F32:
      return "-0x1.8p-3";
    case Imm.F64:
      return "1e-300";
    case Imm.V128:
      return "f32x4 1 -2 nan inf";
    case Imm.MemInit:
    case Imm.Data:
      return "$d";
    case Imm.Elem:
      return "$e";
    default:
      return "";
  }
}

/** A body that uses `op` validly. */
function body(op: OpInfo): string {
  const hand = HAND[op.name];
  if (hand !== undefined) return hand;
  assert.ok(op.sig !== null, `${op.name}: no signature and no hand-written use`);
  const [params, results] = op.sig.split(":");
  const operands = [...params].map((c) => OPERAND[c]);
  const drops = [...results].map(() => "drop");
  return [...operands, `${op.name} ${immediates(op)}`.trim(), ...drops].join("\n    ");
}

function moduleFor(op: OpInfo): string {
  return `(module
  (type $t (func))
  (type $s (struct (field $x (mut i32)) (field $p (mut i8))))
  (type $a (array (mut i32)))
  (type $a8 (array (mut i8)))
  (type $af (array (mut funcref)))
  (tag $tag)
  (memory 1 1 shared)
  (table $tab 2 funcref)
  (global $g (mut i32) (i32.const 0))
  (elem $e func $f)
  (data $d "xyz")
  (func $f)
  (func (export "test") (param i32)
    ${body(op)}
  )
)`;
}

const native = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;

describe("every row of the instruction table", () => {
  it(`parses and encodes as wasm-tools does (${OPCODES.length} instructions)`, async () => {
    const mismatches: string[] = [];
    const invalid: string[] = [];
    const names = new Set<string>();
    for (const op of OPCODES) {
      names.add(op.name);
      const text = moduleFor(op);
      const ours = stripCustomSections(parseWat(text));
      const theirs = stripCustomSections(await parse(text));
      if (ours.length !== theirs.length || !ours.every((b, i) => b === theirs[i])) {
        mismatches.push(op.name);
      }
      if (native !== undefined && !native.validate(ours)) invalid.push(op.name);
    }
    assert.deepEqual(mismatches, []);
    assert.equal(names.size, OPCODES.length, "duplicate mnemonics in the table");
    // A host without some proposal (e.g. relaxed SIMD) may fail to validate
    // those rows; anything else is a broken test module.
    const unexpected = invalid.filter((n) =>
      !/^(i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.relaxed_/.test(n)
    );
    assert.deepEqual(unexpected, []);
  });
  it("the opcode bytes in each encoding are the table's", () => {
    for (const op of OPCODES) {
      if (op.name === "select_t" || op.name === "else" || op.name === "end") continue;
      if (op.name === "catch" || op.name === "catch_all") continue; // like else
      const bytes = parseWat(moduleFor(op));
      const code = op.prefix === 0 ? [op.code] : [op.prefix, ...leb(op.code)];
      assert.ok(contains(bytes, code), `${op.name}: ${code} not in the encoding`);
    }
  });
});

function leb(v: number): number[] {
  const out: number[] = [];
  do {
    const b = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? b : b | 0x80);
  } while (v !== 0);
  return out;
}

function contains(hay: Uint8Array, needle: number[]): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}
