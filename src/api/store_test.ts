/**
 * Store controls against hostile guests: fuel, deadlines, interruption
 * (from a Worker too), and limits on memory, tables and instances. Each
 * stop is a clear error, and the instance can be called again afterwards.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RuntimeError } from "../errors.ts";
import { parseWat } from "../text/parse_wat.ts";
import { Instance } from "./instance.ts";
import type { Memory } from "./memory.ts";
import { Module } from "./module.ts";
import { callResumable } from "./resumable.ts";
import { requestInterrupt, Store } from "./store.ts";
import type { Table } from "./table.ts";

type Fn = (...a: unknown[]) => unknown;

function exportsOf(wat: string, store: Store, imports: object = {}): Record<string, Fn> {
  return new Instance(new Module(parseWat(wat)), imports, { store }).exports as Record<string, Fn>;
}

const SPIN = `(module
  (func (export "spin") (loop $l (br $l)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;

const trap = (message: string) => (e: unknown) =>
  e instanceof RuntimeError && e.message === message;

describe("fuel", () => {
  it("stops an infinite loop; fuel is readable and refillable", () => {
    const store = new Store({ fuel: 50_000 });
    const e = exportsOf(SPIN, store);
    assert.throws(() => e.spin(), trap("all fuel consumed by WebAssembly"));
    assert.equal(store.fuel, 0);
    store.fuel = 10;
    assert.equal(e.add(2, 3), 5, "callable again after a fuel stop");
    assert.equal(store.fuel, 10, "straight-line code uses no fuel");
    store.fuel = Infinity;
    assert.equal(e.add(4, 5), 9);
  });

  it("validates what it is given", () => {
    assert.throws(() => new Store({ fuel: -1 }), TypeError);
    assert.throws(() => new Store({ fuel: 1.5 }), TypeError);
    assert.throws(() => new Store({ bogus: 1 } as never), TypeError);
    const store = new Store();
    assert.equal(store.fuel, Infinity);
    assert.throws(() => {
      store.fuel = NaN;
    }, TypeError);
  });
});

describe("deadlines and interruption", () => {
  it("a timeout stops an infinite loop; the next call gets a fresh budget", () => {
    const store = new Store({ timeout: 30 });
    const e = exportsOf(SPIN, store);
    assert.throws(() => e.spin(), trap("deadline exceeded"));
    assert.equal(e.add(1, 1), 2);
  });

  it("interrupt() requested before a call stops it at its first check", () => {
    const store = new Store();
    const e = exportsOf(SPIN, store);
    store.interrupt();
    assert.throws(() => e.spin(), trap("interrupt"));
    assert.equal(e.add(1, 2), 3, "the flag is consumed by the stop");
  });

  it("a resumable call pauses on an interrupt and on its deadline", () => {
    const store = new Store();
    const e = exportsOf(SPIN, store);
    requestInterrupt(store.interruptBuffer);
    const c = callResumable(e.spin, []);
    assert.equal(c.pausedBy, "interrupt");
    const d = callResumable(e.spin, [], { timeout: 5 });
    assert.equal(d.pausedBy, "deadline");
  });

  it("a Worker stops a running loop through the interrupt buffer", async () => {
    const store = new Store();
    const e = exportsOf(SPIN, store);
    const worker = new Worker(new URL("./_interrupt_worker.ts", import.meta.url), {
      type: "module",
    });
    try {
      const ready = new Promise<void>((resolve) => {
        worker.onmessage = () => resolve();
      });
      worker.postMessage({ buffer: store.interruptBuffer, afterMs: 50 });
      await ready; // the worker has the buffer and is counting down
      assert.throws(() => e.spin(), trap("interrupt"));
    } finally {
      worker.terminate();
    }
  });
});

describe("limits", () => {
  it("a memory bomb stops at the per-memory limit (memory.grow returns -1)", () => {
    const store = new Store({ limits: { memoryBytes: 16 * 65536 } });
    const e = exportsOf(
      `(module (memory (export "mem") 1)
        (func (export "bomb") (result i32)
          (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
          (memory.size)))`,
      store,
    );
    assert.equal(e.bomb(), 16);
    assert.throws(() => (e.mem as unknown as Memory).grow(1), RangeError);
  });

  it("a memory above the limit fails instantiation before it is allocated", () => {
    const store = new Store({ limits: { memoryBytes: 65536 } });
    assert.throws(() => exportsOf(`(module (memory 65536))`, store), RangeError);
  });

  it("the store's total counts every instance's memories", () => {
    const store = new Store({ limits: { storeMemoryBytes: 3 * 65536 } });
    const wat = `(module (memory 1)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;
    const a = exportsOf(wat, store), b = exportsOf(wat, store);
    assert.equal(a.grow(1), 1);
    assert.equal(b.grow(1), -1, "a: 2 pages + b: 1 page = 3, one more is over");
    assert.throws(() => exportsOf(wat, store), RangeError);
  });

  it("a table bomb stops at the element limit", () => {
    const store = new Store({ limits: { tableElements: 1000 } });
    const e = exportsOf(
      `(module (table (export "t") 10 funcref)
        (func (export "bomb") (result i32)
          (loop $l (br_if $l (i32.ne (table.grow (ref.null func) (i32.const 100)) (i32.const -1))))
          (table.size)))`,
      store,
    );
    assert.equal(e.bomb(), 910);
    assert.throws(() => (e.t as unknown as Table).grow(100), RangeError);
  });

  it("instances are counted", () => {
    const store = new Store({ limits: { instances: 2 } });
    exportsOf(`(module)`, store);
    exportsOf(`(module)`, store);
    assert.throws(() => exportsOf(`(module)`, store), RangeError);
  });

  it("the limiter sees every growth and can refuse it", () => {
    const seen: [string, number, number, number | null][] = [];
    const store = new Store({
      limiter: {
        memoryGrowing(current, desired, maximum) {
          seen.push(["memory", current, desired, maximum]);
          return desired <= 3 * 65536;
        },
        tableGrowing(current, desired, maximum) {
          seen.push(["table", current, desired, maximum]);
          return desired < 5;
        },
      },
    });
    const e = exportsOf(
      `(module (memory (export "memory") 1 10) (table (export "table") 1 funcref)
        (func (export "mem") (param i32) (result i32) (memory.grow (local.get 0)))
        (func (export "tab") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`,
      store,
    );
    assert.equal(e.mem(2), 1);
    assert.equal(e.mem(1), -1);
    assert.equal(e.tab(3), 1);
    assert.equal(e.tab(1), -1);
    // Growth from JS asks it too; a refusal is the JS API's RangeError, saying why.
    const refused = (what: string) => (err: unknown) =>
      err instanceof RangeError && err.message === `${what}: cannot grow past the maximum or ` +
          "its store's limits";
    assert.throws(
      () => (e.memory as unknown as Memory).grow(1),
      refused("WebAssembly.Memory.grow"),
    );
    assert.throws(() => (e.table as unknown as Table).grow(1), refused("WebAssembly.Table.grow"));
    assert.deepEqual(seen, [
      ["table", 0, 1, null],
      ["memory", 0, 65536, 655360],
      ["memory", 65536, 196608, 655360],
      ["memory", 196608, 262144, 655360],
      ["table", 1, 4, null],
      ["table", 4, 5, null],
      ["memory", 196608, 262144, 655360],
      ["table", 4, 5, null],
    ]);
  });

  it("unbounded recursion stops at the stack limit (frames or bytes)", () => {
    const wat = `(module (func $f (export "f") (param i64) (result i64)
      (i64.add (call $f (local.get 0)) (i64.const 1))))`;
    for (const limits of [{ stackFrames: 500 }, { stackBytes: 64 * 1024 }, {}]) {
      const e = exportsOf(wat, new Store({ limits }));
      assert.throws(() => e.f(0n), trap("call stack exhausted"));
    }
  });

  it("the byte limit holds after another store's deep recursion grew the register file", () => {
    // Machines are pooled: the first call's register file is reused by the next.
    const wat = `(module (func $d (export "d") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (call $d (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))`;
    const limited = () => exportsOf(wat, new Store({ limits: { stackBytes: 64 * 1024 } }));
    assert.throws(() => limited().d(15_000), trap("call stack exhausted"));
    assert.equal(exportsOf(wat, new Store()).d(15_000), 15_000);
    assert.throws(() => limited().d(15_000), trap("call stack exhausted"));
    assert.equal(limited().d(100), 100);
  });
});
