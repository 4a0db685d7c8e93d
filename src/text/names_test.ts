import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { parseWat } from "./parse_wat.ts";

describe("name section", () => {
  it("is byte-identical to wasm-tools' for every kind of identifier", async () => {
    const src = `(module $mod
      (type $sig (func (param i32)))
      (import "m" "f" (func $imported (param i32)))
      (table $tab 1 funcref)
      (memory $mem 1)
      (global $g (mut i32) (i32.const 0))
      (func $f (param $x i32) (param i32) (local $y i64) (local f32)
        (block $outer (loop $inner (br $outer)) (block (block $third)))
        (if $maybe (local.get $x) (then)))
      (func (param $only i32))
      (elem $e func $f)
      (data $d "x"))`;
    assert.deepEqual(parseWat(src, { names: true }), await parse(src));
  });
  it("is left out unless asked for, and when nothing is named", () => {
    const src = `(module (func $f))`;
    assert.ok(parseWat(src, { names: true }).length > parseWat(src).length);
    assert.deepEqual(parseWat(`(module (func))`, { names: true }), parseWat(`(module (func))`));
  });
});
