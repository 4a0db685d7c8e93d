import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat, type WatSyntaxError } from "./parse_wat.ts";
import { WASM2_FEATURES } from "../binary/features.ts";
import { syntaxErrorOf } from "./_syntax_errors_test.ts";

/** Asserts that an abbreviation encodes exactly like its spelled-out form. */
function same(abbreviated: string, expanded: string): void {
  assert.deepEqual(parseWat(abbreviated), parseWat(expanded), abbreviated);
}

function errorOf(src: string): WatSyntaxError {
  return syntaxErrorOf(parseWat, src);
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

describe("parseWat", () => {
  it("encodes a small module", () => {
    const b = parseWat(`(module (func (export "f") (param i32) (result i32) local.get 0))`);
    assert.equal(
      hex(b),
      "00 61 73 6d 01 00 00 00 01 06 01 60 01 7f 01 7f 03 02 01 00 " +
        "07 05 01 01 66 00 00 0a 06 01 04 00 20 00 0b",
    );
  });
  it("accepts bare module fields, binary and quote modules", () => {
    same(`(func) (memory 1)`, `(module (func) (memory 1))`);
    same(`(module $m quote "(func" ")")`, `(module (func))`);
    assert.deepEqual(
      parseWat(`(module binary "\\00asm" "\\01\\00\\00\\00")`),
      Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0),
    );
    assert.equal(parseWat("").length, 8);
  });
  it("expands inline exports and imports", () => {
    same(`(func (export "a") (export "b"))`, `(func) (export "a" (func 0)) (export "b" (func 0))`);
    same(
      `(func $f (import "m" "n") (param i32)) (global (import "m" "g") (mut i32))`,
      `(import "m" "n" (func (param i32))) (import "m" "g" (global (mut i32)))`,
    );
    same(
      `(memory (export "m") (import "a" "b") 1 2) (table (import "a" "t") 1 funcref)`,
      `(import "a" "b" (memory 1 2)) (import "a" "t" (table 1 funcref)) (export "m" (memory 0))`,
    );
  });
  it("appends implicit types after explicit ones, in text order", () => {
    same(
      `(func (param i32)) (func (call_indirect (param i64) (i32.const 0))) (type (func)) (table 1 funcref)`,
      `(type (func)) (type (func (param i32))) (type (func (param i64)))
       (func (type 1)) (func (call_indirect (type 2) (i32.const 0))) (table 1 funcref)`,
    );
    same(
      `(type $t (func (param i32))) (func (param i32))`,
      `(type (func (param i32))) (func (type 0))`,
    );
    same(
      `(func (block (param i32) (result i32 i32) (unreachable)))`,
      `(type (func)) (type (func (param i32) (result i32 i32)))
       (func (type 0) (block (type 1) (unreachable)))`,
    );
  });
  it("expands inline element and data segments", () => {
    same(
      `(func $f) (table funcref (elem $f $f))`,
      `(func $f) (table 2 2 funcref) (elem (table 0) (i32.const 0) func $f $f)`,
    );
    same(`(memory (data "ab" "c"))`, `(memory 1 1) (data (i32.const 0) "abc")`);
    same(`(memory i64 (data "x"))`, `(memory i64 1 1) (data (i64.const 0) "x")`);
    same(
      `(table 1 funcref) (func) (elem (offset (i32.const 0)) func 0) (elem funcref (item ref.func 0))`,
      `(table 1 funcref) (func) (elem (i32.const 0) 0) (elem funcref (ref.func 0))`,
    );
    same(`(memory 1) (data (offset i32.const 1) "")`, `(memory 1) (data (i32.const 1) "")`);
  });
  it("treats folded and flat instructions alike", () => {
    same(
      `(func (result i32) (i32.add (i32.const 1) (i32.const 2)))`,
      `(func (result i32) i32.const 1 i32.const 2 i32.add)`,
    );
    same(
      `(func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3))))`,
      `(func (result i32) i32.const 1 if (result i32) i32.const 2 else i32.const 3 end)`,
    );
    same(`(func (block $a (loop $b (br $a) (br $b))))`, `(func block loop br 1 br 0 end end)`);
    same(`(func block $x br $x end $x)`, `(func block br 0 end)`);
  });
  it("resolves identifiers in every index space", () => {
    same(
      `(type $t (func)) (func $f (param $p i32) (local $l i64) (call $f (local.get $p))
         (local.set $l (i64.const 0)) (call_indirect $tab (type $t) (i32.const 0))
         (table.get $tab (i32.const 0)) drop (global.get $g) drop
         (memory.init $m $d (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop $d) (elem.drop $e)
         (i32.load $m (i32.const 0)) drop)
       (table $tab 1 funcref) (memory $m0 1) (memory $m 1) (global $g i32 (i32.const 0))
       (elem $e func $f) (data $d "")`,
      `(type (func)) (func (param i32) (local i64) (call 0 (local.get 0))
         (local.set 1 (i64.const 0)) (call_indirect 0 (type 0) (i32.const 0))
         (table.get 0 (i32.const 0)) drop (global.get 0) drop
         (memory.init 1 0 (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop 0) (elem.drop 0)
         (i32.load 1 (i32.const 0)) drop)
       (table 1 funcref) (memory 1) (memory 1) (global i32 (i32.const 0))
       (elem func 0) (data "")`,
    );
  });
  it("encodes memargs with memory indices, offsets and alignment", () => {
    const b = parseWat(`(memory 1) (memory 1) (func (i64.store $m1 offset=0x10 align=4
      (i32.const 0) (i64.const 0))) (memory $m1 1)`);
    assert.match(hex(b), /37 42 02 10 0b/); // align 2^2 | memidx flag, memidx 2, offset 16
    assert.equal(
      errorOf(`(memory 1) (func (i32.load align=3 (i32.const 0)) drop)`).reason,
      "alignment must be a power of two",
    );
  });
  it("follows wasm 2.0 literal widths when memory64 is off", () => {
    const src = `(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))`;
    assert.ok(parseWat(src).length > 8);
    assert.throws(() => parseWat(src, { features: WASM2_FEATURES }), /i32 constant out of range/);
  });
  it("reports malformed text in the spec's words with line:column", () => {
    const e = errorOf("(module\n  (func\n    (i32.add (foo))))");
    assert.equal(e.reason, "unknown operator foo");
    assert.deepEqual([e.line, e.column], [3, 15]);
    assert.match(e.message, / at 3:15$/);
    assert.ok(e instanceof SyntaxError);
    assert.equal(errorOf(`(func (i32.const 0x100000000) drop)`).reason, "constant out of range");
    assert.equal(errorOf(`(func (f32.const 1e39) drop)`).reason, "constant out of range");
    assert.equal(errorOf(`(func (br $nope))`).reason, "unknown label $nope");
    assert.equal(errorOf(`(func (call $nope))`).reason, "unknown function $nope");
    assert.equal(errorOf(`(func $f) (func $f)`).reason, "duplicate func $f");
    assert.equal(errorOf(`(func (param $x i32) (local $x i32))`).reason, "duplicate local $x");
    assert.equal(errorOf(`(func block $a end $b)`).reason, "mismatching label");
    assert.equal(errorOf(`(func) (import "" "" (func))`).reason, "import after function");
    assert.equal(errorOf(`(start 0) (start 0) (func)`).reason, "multiple start sections");
    assert.equal(
      errorOf(`(type (func)) (func (type 0) (param i32))`).reason,
      "inline function type",
    );
    assert.equal(errorOf(`(func (result i32) (param i32))`).reason, "unexpected token");
    assert.equal(errorOf(`(export "\\ff" (func 0)) (func)`).reason, "malformed UTF-8 encoding");
    assert.equal(
      errorOf(`(func (v128.const i32x4 0 0 0) drop)`).reason,
      "wrong number of lane literals",
    );
    assert.equal(errorOf(`(func (nop)))`).reason, "unexpected token");
    assert.equal(errorOf(`(func nop)(module)`).reason, "unexpected token");
  });
});
