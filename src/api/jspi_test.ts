/**
 * JSPI (`Suspending`, `promising`, `SuspendError`) with the semantics of the
 * js-promise-integration proposal's JS API, on Gannet's own execution
 * state: many suspensions, suspended calls side by side, nesting, errors.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RuntimeError, SuspendError } from "../errors.ts";
import { install } from "../polyfill.ts";
import { parseWat } from "../text/parse_wat.ts";
import { Instance } from "./instance.ts";
import { promising, Suspending } from "./jspi.ts";
import { Module } from "./module.ts";
import { WebAssemblyNamespace } from "./namespace.ts";
import { Store } from "./store.ts";

type Fn = (...a: unknown[]) => unknown;

function exportsOf(wat: string, imports: object = {}): Record<string, Fn> {
  return new Instance(new Module(parseWat(wat)), imports).exports as Record<string, Fn>;
}

const ONE_IMPORT = `(module
  (import "m" "imp" (func $imp (param i32) (result i32)))
  (global (export "g") (mut i32) (i32.const 0))
  (func (export "test") (param i32) (result i32)
    (global.set 0 (i32.const 42))
    (call $imp (local.get 0))))`;

describe("JSPI", () => {
  it("checks its arguments", () => {
    assert.throws(() => promising({} as never), /Argument 0 must be a function/);
    assert.throws(() => promising(() => {}), /exported wasm function/);
    assert.throws(() => (Suspending as unknown as Fn)(() => {}), TypeError);
    assert.throws(() => new Suspending({} as never), /Argument 0 must be a function/);
  });

  it("runs the export synchronously up to its first suspension", async () => {
    const e = exportsOf(ONE_IMPORT, { m: { imp: new Suspending((x: number) => x + 1) } });
    const p = promising(e.test)(5);
    assert.equal((e.g as unknown as { value: number }).value, 42, "ran before returning");
    assert.ok(p instanceof Promise);
    assert.equal(await p, 6);
  });

  it("every call of a Suspending import suspends, a plain value too", async () => {
    const order: string[] = [];
    const e = exportsOf(ONE_IMPORT, { m: { imp: new Suspending(() => 7) } });
    const p = promising(e.test)(0).then((v) => order.push(`wasm ${v}`));
    void Promise.resolve().then(() => order.push("microtask"));
    await p;
    assert.deepEqual(order, ["microtask", "wasm 7"]);
  });

  it("a Suspending import called outside a promising export throws SuspendError", () => {
    const e = exportsOf(ONE_IMPORT, { m: { imp: new Suspending(() => Promise.resolve(1)) } });
    assert.throws(() => e.test(1), SuspendError);
  });

  it("a JS frame between the promising export and the Suspending import is a SuspendError", async () => {
    let e: Record<string, Fn> = {};
    e = exportsOf(
      `(module
        (import "m" "plain" (func $plain (result i32)))
        (import "m" "susp" (func $susp (result i32)))
        (func (export "export1") (result i32) (call $plain))
        (func (export "export2") (result i32) (call $susp)))`,
      { m: { plain: () => e.export2(), susp: new Suspending(() => Promise.resolve(0)) } },
    );
    await assert.rejects(promising(e.export1)(), SuspendError);
  });

  it("10,000 suspensions, each awaiting a timer or I/O, give the right result", async () => {
    let calls = 0;
    const e = exportsOf(
      `(module
        (import "m" "next" (func $next (param i32) (result i32)))
        (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $acc i32)
          (loop $l
            (local.set $acc (i32.add (local.get $acc) (call $next (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
          (local.get $acc)))`,
      {
        m: {
          next: new Suspending(async (i: number) => {
            calls++;
            await new Promise((r) => i % 100 === 0 ? setTimeout(r, 0) : setImmediate(r));
            return i * 2;
          }),
        },
      },
    );
    assert.equal(await promising(e.sum)(10_000), 10_000 * 9_999);
    assert.equal(calls, 10_000);
  });

  it("nested promising calls: the outer one awaits the inner one's promise", async () => {
    let inner: Fn = () => 0;
    const wat = `(module
      (import "m" "inner" (func $inner (param i32) (result i32)))
      (import "m" "outer" (func $outer (param i32) (result i32)))
      (func (export "outer") (param i32) (result i32) (call $outer (local.get 0)))
      (func (export "inner") (param i32) (result i32) (call $inner (local.get 0))))`;
    for (const suspend of [true, false]) {
      const e = exportsOf(wat, {
        m: {
          inner: new Suspending(() => suspend ? Promise.resolve(42) : 43),
          outer: new Suspending(() => inner()),
        },
      });
      inner = promising(e.inner);
      assert.equal(await promising(e.outer)(0), suspend ? 42 : 43);
    }
  });

  it("suspends through a call into another instance", async () => {
    const a = exportsOf(
      `(module (import "m" "imp" (func $imp (result i32)))
        (func (export "f") (result i32) (i32.add (call $imp) (i32.const 1))))`,
      { m: { imp: new Suspending(() => Promise.resolve(1)) } },
    );
    const b = exportsOf(
      `(module (import "m" "f" (func $f (result i32)))
        (func (export "main") (result i32) (i32.add (call $f) (i32.const 1))))`,
      { m: { f: a.f } },
    );
    assert.equal(await promising(b.main)(), 3);
  });

  it("traps and rejections reject the promise; the instance stays usable", async () => {
    const e = exportsOf(
      `(module (import "m" "imp" (func $imp (param i32) (result i32)))
        (func $rec (export "rec") (call $rec))
        (func (export "test") (param i32) (result i32)
          (i32.div_u (i32.const 1) (call $imp (local.get 0)))))`,
      {
        m: {
          imp: new Suspending((x: number) => x < 0 ? Promise.reject(new Error("no")) : x),
        },
      },
    );
    await assert.rejects(promising(e.rec)(), RuntimeError);
    await assert.rejects(promising(e.test)(0), /integer divide by zero/);
    await assert.rejects(promising(e.test)(-1), /no/);
    assert.equal(await promising(e.test)(1), 1);
  });

  it("a re-exported Suspending import can be made promising itself", async () => {
    const e = exportsOf(
      `(module (import "m" "imp" (func $imp (param i32) (result i32))) (export "imp" (func $imp)))`,
      { m: { imp: new Suspending((x: number) => Promise.resolve(x * 3)) } },
    );
    assert.equal(await promising(e.imp)(5), 15);
  });

  it("a timer can interrupt a promising call while it is suspended or running", async () => {
    const store = new Store();
    const e = new Instance(
      new Module(parseWat(`(module (import "m" "tick" (func $tick))
        (func (export "forever") (loop $l (call $tick) (br $l))))`)),
      { m: { tick: new Suspending(() => new Promise((r) => setImmediate(r))) } },
      { store },
    ).exports as Record<string, Fn>;
    const t = setTimeout(() => store.interrupt(), 20);
    await assert.rejects(promising(e.forever)(), /^RuntimeError: interrupt$/);
    clearTimeout(t);
  });

  it("is on the polyfill's WebAssembly, so JSPI glue finds it", async () => {
    const ns = WebAssemblyNamespace as Record<string, unknown>;
    assert.equal(ns.Suspending, Suspending);
    assert.equal(ns.promising, promising);
    assert.equal(ns.SuspendError, SuspendError);
    const host = (globalThis as { WebAssembly?: unknown }).WebAssembly;
    try {
      install({ force: true });
      // Glue written for JSPI: everything through the global.
      const WA = (globalThis as unknown as { WebAssembly: typeof ns }).WebAssembly as {
        instantiate(
          b: Uint8Array,
          i: object,
        ): Promise<{ instance: { exports: Record<string, Fn> } }>;
        Suspending: typeof Suspending;
        promising: typeof promising;
      };
      const { instance } = await WA.instantiate(parseWat(ONE_IMPORT), {
        m: { imp: new WA.Suspending((x: number) => Promise.resolve(x + 100)) },
      });
      assert.equal(await WA.promising(instance.exports.test)(1), 101);
    } finally {
      Object.defineProperty(globalThis, "WebAssembly", {
        value: host,
        writable: true,
        configurable: true,
      });
    }
  });
});
