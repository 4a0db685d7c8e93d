import { test } from "node:test";
import assert from "node:assert/strict";
import { CompileError, LinkError, RuntimeError } from "../errors.ts";
import { parseWat } from "../text/parse_wat.ts";
import { Component, instantiateComponent, instantiateComponentSync } from "./component.ts";
import { Store } from "../api/store.ts";

const ADDER = `(component
  (import "test:t/host@0.2.0" (instance $host (export "log" (func (param "msg" string)))))
  (core module $m
    (memory (export "mem") 1)
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add"))))`;

test("a Component describes its imports and exports at the WIT level", () => {
  const c = new Component(parseWat(ADDER));
  assert.deepEqual(c.imports.map((i) => [i.name, i.type.kind]), [[
    "test:t/host@0.2.0",
    "instance",
  ]]);
  const add = c.exports[0];
  assert.equal(add.name, "add");
  assert.equal(add.type.kind, "func");
  if (add.type.kind === "func") {
    assert.deepEqual(add.type.params.map((p) => [p.name, p.type.kind]), [["a", "u32"], [
      "b",
      "u32",
    ]]);
  }
});

test("malformed and invalid components are CompileErrors; bad imports are LinkErrors naming them", async () => {
  const bytes = parseWat(ADDER);
  assert.throws(() => new Component(bytes.slice(0, bytes.length - 3)), CompileError);
  assert.throws(() => new Component(parseWat(`(component (type (record)))`)), CompileError);
  assert.throws(
    () => new Component(parseWat(`(module)`)),
    (e) => e instanceof CompileError && /not a component/.test(e.message),
  );
  const c = new Component(bytes);
  assert.throws(
    () => instantiateComponentSync(c, {}),
    (e) => e instanceof LinkError && e.message.includes(`"test:t/host@0.2.0"`),
  );
  assert.throws(
    () => instantiateComponentSync(c, { "test:t/host": { log: 42 } }),
    (e) => e instanceof LinkError && e.message.includes("log"),
  );
  await assert.rejects(
    instantiateComponent(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1])),
    CompileError,
  );
  const { add } = await instantiateComponent(c, {
    "test:t/host@0.3.0": { log: 1 },
    "test:t/host@0.2.3": { log() {} },
  }) as {
    add(a: number, b: number): number;
  };
  assert.equal(add(0xffffffff, 2), 1);
});

test("a trap poisons the component instance; a new instance works", () => {
  const c = new Component(parseWat(`(component
    (core module $m (func (export "boom") unreachable) (func (export "ok") (result i32) (i32.const 7)))
    (core instance $i (instantiate $m))
    (func (export "boom") (canon lift (core func $i "boom")))
    (func (export "ok") (result u32) (canon lift (core func $i "ok"))))`));
  const e = instantiateComponentSync(c) as { boom(): void; ok(): number };
  assert.throws(() => e.boom(), RuntimeError);
  assert.throws(
    () => e.ok(),
    (err) => err instanceof RuntimeError && err.message === "cannot enter component instance",
  );
  assert.equal((instantiateComponentSync(c) as { ok(): number }).ok(), 7);
});

test("a component importing a core module is described; instantiating it takes a Module", async () => {
  const c = new Component(parseWat(`(component
    (import "m" (core module $m (export "f" (func (result i32)))))
    (core instance $i (instantiate $m))
    (func (export "f") (result u32) (canon lift (core func $i "f"))))`));
  assert.deepEqual(c.imports.map((i) => [i.name, i.type.kind]), [["m", "module"]]);
  const { Module } = await import("../api/module.ts");
  const m = new Module(parseWat(`(module (func (export "f") (result i32) (i32.const 42)))`));
  assert.equal((instantiateComponentSync(c, { m }) as { f(): number }).f(), 42);
  assert.throws(() => instantiateComponentSync(c, { m: {} }), LinkError);
});

test("a component's core instances belong to the store given: fuel bounds its calls", () => {
  const c = new Component(parseWat(`(component
    (core module $m (func (export "spin") (loop (br 0))) (func (export "one") (result i32) (i32.const 1)))
    (core instance $i (instantiate $m))
    (func (export "spin") (canon lift (core func $i "spin")))
    (func (export "one") (result u32) (canon lift (core func $i "one"))))`));
  const store = new Store({ fuel: 10_000 });
  const { spin, one } = instantiateComponentSync(c, {}, { store }) as Record<string, () => unknown>;
  assert.equal(one(), 1);
  assert.throws(spin, (e) => e instanceof RuntimeError && /fuel/.test(e.message));
  assert.throws(
    () => instantiateComponentSync(c, {}, { store: {} as Store }),
    (e) => e instanceof TypeError && /options\.store/.test(e.message),
  );
});
