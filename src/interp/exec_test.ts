import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "../api/module.ts";
import { Instance } from "../api/instance.ts";
import type { Memory } from "../api/memory.ts";
import { RuntimeError } from "../errors.ts";
import { Store } from "../api/store.ts";
import { runningMachine } from "./call.ts";

type Fn = (...a: unknown[]) => unknown;
function inst(wat: string, imports?: object): Record<string, Fn> {
  return new Instance(new Module(parseWat(wat)), imports).exports as Record<string, Fn>;
}

describe("calls", () => {
  const e = inst(`(module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $depth (export "depth") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1)))))))
    (func $swap (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
    (func (export "callswap") (result i64) (local $x i64)
      (call $swap (i64.const 7) (f64.const 1.5)) (local.set $x) (drop) (local.get $x))
  )`);
  it("recursion and multi-value", () => {
    assert.equal(e.fib(20), 6765);
    assert.deepEqual(e.swap(5n, 2.5), [2.5, 5n]);
    assert.equal(e.callswap(), 7n);
  });
  it("deep recursion runs on the frame stack, runaway recursion traps", () => {
    assert.equal(e.depth(15000), 15000);
    assert.throws(
      () => e.depth(1e9),
      (err: Error) => err instanceof RuntimeError && err.message === "call stack exhausted",
    );
    // The machine is usable again afterwards.
    assert.equal(runningMachine(), null);
    assert.equal(e.fib(10), 55);
  });
  it("the depth limit is configurable per store", () => {
    const store = new Store({ limits: { stackFrames: 100 } });
    const { depth } = new Instance(
      new Module(parseWat(`(module
      (func $depth (export "depth") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1))))))))`)),
      {},
      { store },
    ).exports as Record<string, Fn>;
    assert.equal(depth(99), 99, "100 frames fit");
    assert.throws(() => depth(100), { name: "RuntimeError", message: "call stack exhausted" });
    assert.equal(e.depth(15000), 15000, "other stores keep the default");
  });
});

describe("host functions", () => {
  it("exceptions propagate unchanged and re-entry works", () => {
    const boom = new Error("boom");
    let e: Record<string, Fn> = {};
    e = inst(
      `(module
      (import "h" "f" (func $f (param i32) (result i32)))
      (func (export "call") (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1)))
      (func (export "leaf") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 10))))`,
      {
        h: {
          f: (x: number) => {
            if (x < 0) throw boom;
            return x === 0 ? 0 : (e.leaf(x) as number) + (x > 1 ? (e.call(x - 1) as number) : 0);
          },
        },
      },
    );
    assert.equal(e.call(3), 30 + 20 + 10 + 1 + 1 + 1);
    assert.throws(() => e.call(-1), (err) => err === boom);
    assert.equal(runningMachine(), null);
    assert.equal(e.call(1), 11);
  });
  it("converts arguments and results as the JS API does", () => {
    const seen: unknown[] = [];
    const e = inst(
      `(module
      (import "h" "f" (func $f (param i32 i64 f32 f64) (result i64 f64)))
      (func (export "g") (result i64 f64)
        (call $f (i32.const -1) (i64.const -2) (f32.const 0.5) (f64.const 0.25))))`,
      {
        h: {
          f: (...a: unknown[]) => {
            seen.push(...a);
            return [3n, "4.5"];
          },
        },
      },
    );
    assert.deepEqual(e.g(), [3n, 4.5]);
    assert.deepEqual(seen, [-1, -2n, 0.5, 0.25]);
  });
});

describe("cross-instance", () => {
  it("imported wasm functions, shared tables and memories", () => {
    const a = inst(`(module
      (memory (export "mem") 1 4)
      (table (export "tab") 2 funcref)
      (func $get (export "get") (param i32) (result i32) (i32.load (local.get 0)))
      (func $seven (result i32) (i32.const 7))
      (elem (i32.const 0) $seven))`);
    const b = inst(
      `(module
      (import "a" "get" (func $get (param i32) (result i32)))
      (import "a" "mem" (memory 1))
      (import "a" "tab" (table 2 funcref))
      (type $t (func (result i32)))
      (func (export "run") (result i32)
        (i32.store (i32.const 8) (i32.const 42))
        (drop (memory.grow (i32.const 1)))
        (i32.add (call $get (i32.const 8)) (call_indirect (type $t) (i32.const 0)))))`,
      { a },
    );
    assert.equal(b.run(), 49);
    assert.equal((a.mem as unknown as Memory).buffer.byteLength, 2 * 65536);
  });
});

describe("traps", () => {
  const e = inst(`(module (memory 1)
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "load") (param i32) (result i64) (i64.load offset=4 (local.get 0)))
    (func (export "unreachable") unreachable)
    (table 1 funcref)
    (func (export "ci") (call_indirect (i32.const 0))))`);
  it("have the spec's messages", () => {
    assert.throws(() => e.div(1, 0), { name: "RuntimeError", message: "integer divide by zero" });
    assert.throws(() => e.div(-2147483648, -1), { message: "integer overflow" });
    assert.throws(() => e.load(65528), { message: "out of bounds memory access" });
    assert.equal(e.load(65524), 0n);
    assert.throws(() => e.unreachable(), { message: "unreachable" });
    assert.throws(() => e.ci(), { message: /^uninitialized element/ });
  });
});

describe("tail calls and re-entry edge cases", () => {
  it("return_call to a host function and to another instance's function", () => {
    const other = inst(`(module (func (export "twice") (param i32) (result i32)
      (i32.mul (local.get 0) (i32.const 2))))`);
    const e = inst(
      `(module
      (import "h" "inc" (func $inc (param i32) (result i32)))
      (import "o" "twice" (func $twice (param i32) (result i32)))
      (func $a (export "a") (param i32) (result i32) (return_call $inc (local.get 0)))
      (func $b (export "b") (param i32) (result i32) (return_call $twice (local.get 0)))
      (func (export "c") (param i32) (result i32) (i32.add (call $a (local.get 0)) (call $b (local.get 0)))))`,
      {
        h: { inc: (x: number) => x + 1 },
        o: other,
      },
    );
    assert.equal(e.a(5), 6);
    assert.equal(e.b(5), 10);
    assert.equal(e.c(5), 16);
  });
  it("deep recursion inside a nested activation grows the register file safely", () => {
    let e: Record<string, Fn> = {};
    e = inst(
      `(module
      (import "h" "cb" (func $cb (param i32) (result i32)))
      (func $down (export "down") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
      (func (export "outer") (param i32) (result i32)
        (i32.add (call $cb (local.get 0)) (local.get 0))))`,
      {
        h: { cb: (n: number) => e.down(n) },
      },
    );
    assert.equal(e.outer(12000), 24000);
    assert.equal(runningMachine(), null);
  });
  it("a trap inside a nested activation propagates through the host and leaves a clean state", () => {
    let e: Record<string, Fn> = {};
    e = inst(
      `(module
      (import "h" "cb" (func $cb (result i32)))
      (func (export "boom") (result i32) unreachable)
      (func (export "outer") (result i32) (call $cb)))`,
      { h: { cb: () => e.boom() } },
    );
    assert.throws(() => e.outer(), { name: "RuntimeError", message: "unreachable" });
    assert.equal(runningMachine(), null);
  });
});
