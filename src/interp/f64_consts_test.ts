import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "../api/module.ts";
import { Instance } from "../api/instance.ts";
import { Store } from "../api/store.ts";
import { F64_CONSTS, f64ConstIndex } from "./f64_consts.ts";

describe("f64 constants as doubles (f64_consts.ts)", () => {
  it("pools constants once each, by bits; NaNs stay out", () => {
    const a = f64ConstIndex(0, 0x3ff00000), b = f64ConstIndex(0, 0x3ff00000);
    assert.equal(a, b);
    assert.equal(F64_CONSTS[a], 1);
    const z = f64ConstIndex(0, 0), nz = f64ConstIndex(0, 0x80000000 | 0);
    assert.notEqual(z, nz);
    assert.ok(Object.is(F64_CONSTS[nz], -0));
    assert.equal(f64ConstIndex(0, 0x7ff00000), f64ConstIndex(0, 0x7ff00000)); // +Infinity
    assert.equal(f64ConstIndex(1, 0x7ff00000), -1);
    assert.equal(f64ConstIndex(0, 0x7ff80000), -1);
    assert.equal(f64ConstIndex(0, 0xfff40000 | 0), -1);
  });
  it("keeps NaN payloads through constants, local copies, loads and stores, also when hot", () => {
    // sNaN and payload NaNs: constants copied between locals and stored, and
    // values loaded, copied and stored again, keep every bit in every tier
    // of the host (V8's optimizing tiers quiet an sNaN copied as a double).
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
        (f64.store (i32.const 24) (f64.load offset=8 (i32.const 8))))
      (func (export "hot") (param i32) (result i32) (local f64 f64 i32)
        (call 0)
        (call 1)
        (loop
          (local.set 1 (f64.load (i32.const 0)))
          (local.set 2 (local.get 1))
          (f64.store (i32.const 32) (local.get 2))
          (local.set 3 (i32.add (local.get 3)
            (i64.ne (i64.load (i32.const 32)) (i64.load (i32.const 0)))))
          (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get 3))
      (func (export "hot2") (param i32) (result i32)
        (loop
          (call 0)
          (call 1)
          (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (i32.const 0)))`;
    for (const jit of ["off", "eager"] as const) {
      const store = new Store({ jit });
      const e = new Instance(new Module(parseWat(wat)), {}, { store }).exports as Record<
        string,
        unknown
      >;
      assert.equal((e.hot as (n: number) => number)(300_000), 0, `${jit}: bits changed`);
      (e.hot2 as (n: number) => number)(100_000);
      const w = new Uint32Array((e.m as { buffer: ArrayBuffer }).buffer, 0, 10);
      assert.deepEqual([...w.slice(0, 2)], [1, 0x7ff00000], jit);
      assert.deepEqual([...w.slice(2, 4)], [0xef012345, 0xfff4abcd], jit);
      assert.deepEqual([...w.slice(4, 6)], [0xef012345, 0xfff4abcd], jit);
      assert.deepEqual([...w.slice(6, 8)], [0xef012345, 0xfff4abcd], jit);
      assert.deepEqual([...w.slice(8, 10)], [1, 0x7ff00000], jit);
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
