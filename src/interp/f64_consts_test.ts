import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "../api/module.ts";
import { Instance } from "../api/instance.ts";
import { Store } from "../api/store.ts";
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
    // Interpreted, and compiled by the JIT (which reads the same constant pool).
    for (const jit of ["off", "eager"] as const) {
      const store = new Store({ jit });
      const module = new Module(parseWat(wat));
      const e = new Instance(module, {}, { store }).exports as Record<string, unknown>;
      checkRounds(e);
    }
  });
  it("computes with pooled constants, interpreted and compiled", () => {
    const wat = `(module (func (export "f") (param f64) (result f64) (local f64)
      (local.set 1 (f64.mul (local.get 0) (f64.const 0.01)))
      (f64.add (local.get 1) (f64.const 2.5))))`;
    for (const jit of ["off", "eager"] as const) {
      const store = new Store({ jit });
      const f = new Instance(new Module(parseWat(wat)), {}, { store }).exports
        .f as (x: number) => number;
      for (let k = 0; k < 2000; k++) assert.equal(f(k), k * 0.01 + 2.5);
    }
  });
});

function checkRounds(e: Record<string, unknown>): void {
  {
    for (let round = 0; round < 3; round++) {
      (e.k as () => void)();
      (e.copy as () => void)();
      const w = new Uint32Array((e.m as { buffer: ArrayBuffer }).buffer, 0, 8);
      assert.deepEqual([...w.slice(0, 2)], [1, 0x7ff00000]);
      assert.deepEqual([...w.slice(2, 4)], [0xef012345, 0xfff4abcd]);
      assert.deepEqual([...w.slice(4, 6)], [0xef012345, 0xfff4abcd]);
      assert.deepEqual([...w.slice(6, 8)], [0xef012345, 0xfff4abcd]);
    }
  }
}
