import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "../api/module.ts";
import { Instance } from "../api/instance.ts";
import { F64_CONSTS, F64_EXACT, f64ConstIndex } from "./f64_consts.ts";

describe("f64 values as doubles (f64_consts.ts)", () => {
  it("pools constants once each, by bits", () => {
    const a = f64ConstIndex(0, 0x3ff00000), b = f64ConstIndex(0, 0x3ff00000);
    assert.equal(a, b);
    if (!F64_EXACT) {
      assert.equal(a, -1);
      return;
    }
    assert.equal(F64_CONSTS[a], 1);
    assert.notEqual(f64ConstIndex(0, 0xbff00000 | 0), a);
  });
  it("keeps NaN payloads through constants, local copies, loads and stores", () => {
    // sNaN and payload NaNs: a constant copied between locals and stored, and
    // a value loaded, copied and stored again, must keep every bit.
    const wat = `(module (memory (export "m") 1)
      (func (export "k") (local f64 f64)
        (local.set 0 (f64.const nan:0x0000000000001))
        (local.set 1 (local.get 0))
        (f64.store (i32.const 0) (local.get 1))
        (f64.store (i32.const 8) (f64.const -nan:0x4abcdef012345)))
      (func (export "copy") (local f64 f64)
        (local.set 0 (f64.load (i32.const 8)))
        (local.set 1 (local.get 0))
        (f64.store (i32.const 16) (local.get 1))
        (f64.store (i32.const 24) (f64.load offset=8 (i32.const 8)))))`;
    const e = new Instance(new Module(parseWat(wat))).exports as Record<string, unknown>;
    for (let round = 0; round < 3; round++) {
      (e.k as () => void)();
      (e.copy as () => void)();
      const w = new Uint32Array((e.m as { buffer: ArrayBuffer }).buffer, 0, 8);
      assert.deepEqual([...w.slice(0, 2)], [1, 0x7ff00000]);
      assert.deepEqual([...w.slice(2, 4)], [0xef012345, 0xfff4abcd]);
      assert.deepEqual([...w.slice(4, 6)], [0xef012345, 0xfff4abcd]);
      assert.deepEqual([...w.slice(6, 8)], [0xef012345, 0xfff4abcd]);
    }
  });
});
