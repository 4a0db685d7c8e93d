import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "./module.ts";
import { Instance, instantiate } from "./instance.ts";
import { Memory } from "./memory.ts";
import { Table } from "./table.ts";
import { Global } from "./global.ts";
import { LinkError, RuntimeError } from "../errors.ts";

const mod = (wat: string) => new Module(parseWat(wat));

describe("Memory", () => {
  it("grow detaches the old buffer and respects the maximum", () => {
    const m = new Memory({ initial: 1, maximum: 3 });
    const b0 = m.buffer;
    assert.equal(b0.byteLength, 65536);
    assert.equal(m.buffer, b0);
    assert.equal(m.grow(1), 1);
    assert.equal(b0.byteLength, 0, "old buffer detached");
    assert.equal(m.buffer.byteLength, 2 * 65536);
    const b1 = m.buffer;
    assert.equal(m.grow(0), 2);
    assert.notEqual(m.buffer, b1, "grow(0) refreshes the buffer");
    assert.throws(() => m.grow(2), RangeError);
    assert.throws(() => new Memory({ initial: 2, maximum: 1 }), RangeError);
    assert.throws(() => new Memory({ initial: 70000 }), RangeError);
    assert.throws(() => new Memory({} as never), TypeError);
  });
  it("sees growth done by wasm", () => {
    const e = new Instance(
      mod(
        `(module (memory (export "m") 1) (func (export "g") (result i32) (memory.grow (i32.const 2))))`,
      ),
    ).exports as { m: Memory; g: () => number };
    const b0 = e.m.buffer;
    assert.equal(e.g(), 1);
    assert.equal(e.m.buffer.byteLength, 3 * 65536);
    assert.equal(b0.byteLength, 0);
  });
});

describe("Table", () => {
  it("get/set/grow with funcref rules", () => {
    const e = new Instance(mod(`(module (func (export "f") (result i32) (i32.const 5)))`))
      .exports as { f: () => number };
    const t = new Table({ element: "anyfunc", initial: 2, maximum: 4 });
    assert.equal(t.length, 2);
    assert.equal(t.get(0), null);
    t.set(1, e.f);
    assert.equal(t.get(1), e.f);
    assert.throws(() => t.set(0, () => 1), TypeError);
    assert.throws(() => t.get(2), RangeError);
    assert.equal(t.grow(2, e.f), 2);
    assert.equal(t.get(3), e.f);
    assert.throws(() => t.grow(1), RangeError);
    const x = new Table({ element: "externref", initial: 1 }, "hi");
    assert.equal(x.get(0), "hi");
  });
  it("an externref table without a value holds undefined (not null), as wasm sees it", () => {
    const t = new Table({ element: "externref", initial: 2 });
    assert.equal(t.get(1), undefined);
    const e = new Instance(
      mod(`(module (import "m" "t" (table 2 externref))
        (table $own (export "own") 1 externref)
        (func (export "isNull") (param i32) (result i32) (ref.is_null (table.get 0 (local.get 0)))))`),
      { m: { t } },
    ).exports as { isNull: (i: number) => number; own: Table };
    // DefaultValue(externref) in the JS API is undefined, a non-null reference.
    assert.equal(e.isNull(1), 0);
    t.set(1, null);
    assert.equal(t.get(1), null);
    assert.equal(e.isNull(1), 1);
    t.set(0);
    assert.equal(t.get(0), undefined);
    assert.equal(t.grow(1), 2);
    assert.equal(t.get(2), undefined);
    // A table defined in wasm without an initializer starts null.
    assert.equal(e.own.get(0), null);
  });
});

describe("Global", () => {
  it("values, mutability and i64 as BigInt", () => {
    const g = new Global({ value: "i64", mutable: true }, 5n);
    assert.equal(g.value, 5n);
    g.value = -1n;
    assert.equal(g.valueOf(), -1n);
    assert.throws(() => (g.value = 1 as never), TypeError);
    const c = new Global({ value: "f32" }, 0.1);
    assert.equal(c.value, Math.fround(0.1));
    assert.throws(() => (c.value = 1), TypeError);
    assert.equal(new Global({ value: "i32" }).value, 0);
  });
  it("is shared between JS and wasm", () => {
    const g = new Global({ value: "i32", mutable: true }, 1);
    const e = new Instance(
      mod(`(module (global $g (import "m" "g") (mut i32))
        (func (export "inc") (global.set $g (i32.add (global.get $g) (i32.const 1)))))`),
      { m: { g } },
    ).exports as { inc: () => void };
    e.inc();
    e.inc();
    assert.equal(g.value, 3);
  });
});

describe("Instance", () => {
  const m = mod(`(module (import "env" "f" (func (param i32))) (memory (export "mem") 1)
    (func (export "run") (call 0 (i32.const 9))))`);
  it("exports are frozen with a null prototype and keep identity", () => {
    const i = new Instance(m, { env: { f: () => {} } });
    assert.equal(Object.getPrototypeOf(i.exports), null);
    assert.ok(Object.isFrozen(i.exports));
    assert.equal(i.exports.run, i.exports.run);
    assert.equal((i.exports.run as () => void).length, 0);
  });
  it("TypeError for a missing namespace, LinkError for bad imports", () => {
    assert.throws(() => new Instance(m, {}), TypeError);
    assert.throws(() => new Instance(m), TypeError);
    assert.throws(() => new Instance(m, { env: { f: 1 } }), LinkError);
    const other = new Instance(mod(`(module (func (export "g") (param i64)))`)).exports;
    assert.throws(() => new Instance(m, { env: { f: other.g } }), LinkError);
    const mm = mod(`(module (import "e" "m" (memory 2)))`);
    assert.throws(() => new Instance(mm, { e: { m: new Memory({ initial: 1 }) } }), LinkError);
    assert.throws(() => new Instance(mm, { e: { m: {} } }), LinkError);
  });
  it("instantiate: bytes give {module, instance}, a Module gives an Instance", async () => {
    const bytes = parseWat(`(module (func (export "x") (result i32) (i32.const 3)))`);
    const r = await instantiate(bytes);
    assert.ok(r.module instanceof Module);
    assert.equal((r.instance.exports.x as () => number)(), 3);
    const i = await instantiate(r.module);
    assert.ok(i instanceof Instance);
    await assert.rejects(instantiate(new Uint8Array([0, 1, 2])));
    await assert.rejects(instantiate(m, {}), TypeError);
  });
  it("a trapping start function fails instantiation with RuntimeError", () => {
    assert.throws(
      () => new Instance(mod(`(module (func unreachable) (start 0))`)),
      { name: "RuntimeError", message: "unreachable" },
    );
  });
});

describe("v128 at the JS boundary", () => {
  // JS API: a signature with a v128 anywhere throws a TypeError before the
  // function runs and before any argument is converted.
  const bytes = parseWat(`(module
    (import "env" "v" (func $v (result v128)))
    (global $runs (export "runs") (mut i32) (i32.const 0))
    (func (export "result") (result v128)
      (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
      (v128.const i32x4 0 0 0 0))
    (func (export "param") (param i32 v128)
      (global.set $runs (i32.add (global.get $runs) (i32.const 1))))
    (func (export "callsHost")
      (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
      (drop (call $v))))`);

  it("an exported function with a v128 result throws before running", () => {
    const { exports } = new Instance(new Module(bytes), { env: { v: () => 0 } });
    assert.throws(() => (exports.result as () => unknown)(), TypeError);
    assert.equal((exports.runs as Global).value, 0);
  });

  it("an exported function with a v128 parameter converts no argument", () => {
    const { exports } = new Instance(new Module(bytes), { env: { v: () => 0 } });
    let converted = false;
    const arg = { valueOf: () => (converted = true, 1) };
    assert.throws(() => (exports.param as (a: unknown) => unknown)(arg), TypeError);
    assert.equal(converted, false);
    assert.equal((exports.runs as Global).value, 0);
  });

  it("a host function with a v128 result is not called from wasm", () => {
    let called = false;
    const { exports } = new Instance(new Module(bytes), { env: { v: () => (called = true) } });
    assert.throws(() => (exports.callsHost as () => unknown)(), TypeError);
    assert.equal(called, false);
    assert.equal((exports.runs as Global).value, 1);
  });
});

describe("traps reach JS as RuntimeError itself", () => {
  it("an out-of-bounds load throws a RuntimeError, not a subclass", () => {
    const { exports } = new Instance(
      new Module(parseWat(`(module (memory 1)
      (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))`)),
    );
    const load = exports.load as (p: number) => number;
    assert.throws(() => load(65534), (e: unknown) => {
      assert.equal(Object.getPrototypeOf(e), RuntimeError.prototype);
      assert.equal((e as Error).message, "out of bounds memory access");
      return true;
    });
  });
});
