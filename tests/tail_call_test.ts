/**
 * Tail calls run in constant stack space: a million `return_call`s (direct,
 * indirect, mutually recursive, into another instance and back) neither
 * trap with "call stack exhausted" (the default limit is 20,000 frames) nor
 * grow the engine's frame stack or register file. A host import observes
 * the machine's frame depth and register-file size while the chain runs.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../src/text/parse_wat.ts";
import { Module } from "../src/api/module.ts";
import { Instance } from "../src/api/instance.ts";
import type { Table } from "../src/api/table.ts";
import { DEFAULT_MAX_DEPTH } from "../src/runtime/machine.ts";
import { runningMachine } from "../src/interp/call.ts";
import { RuntimeError } from "../src/errors.ts";

const N = 1_000_000;

/** What the probe import saw: frame depth and register-file capacity, per call. */
interface Seen {
  depth: number[];
  cap: number[];
}

function probe(seen: Seen): (x: number) => number {
  return (x: number) => {
    const m = runningMachine()!;
    seen.depth.push(m.depth);
    seen.cap.push(m.capSlots);
    return x;
  };
}

function instantiate(wat: string, imports: Record<string, Record<string, unknown>> = {}) {
  return new Instance(new Module(parseWat(wat)), imports).exports;
}

/**
 * Asserts the probe saw the same frame depth and register file after 1 and
 * after N tail calls, and that neither is out of proportion.
 */
function assertConstant(seen: Seen): void {
  assert.equal(seen.depth.length, 2);
  assert.equal(seen.depth[1], seen.depth[0], "frame depth grew with the number of tail calls");
  assert.equal(seen.cap[1], seen.cap[0], "register file grew with the number of tail calls");
  assert.ok(seen.depth[1] < 10, `frame depth ${seen.depth[1]}`);
  assert.equal(runningMachine(), null, "an activation left behind after the call");
}

describe("tail calls in constant stack space", () => {
  it("a million return_calls (a counting loop with a large frame)", () => {
    const seen: Seen = { depth: [], cap: [] };
    const e = instantiate(
      `(module
        (import "h" "probe" (func $probe (param i64) (result i64)))
        (func $loop (export "loop") (param $n i32) (param $acc i64) (result i64)
          ;; 200 locals make each frame big: a growing stack would show at once.
          (local f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
          (if (i32.eqz (local.get $n)) (then (return_call $probe (local.get $acc))))
          (return_call $loop
            (i32.sub (local.get $n) (i32.const 1))
            (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))))`,
      { h: { probe: probe(seen) } },
    ) as { loop: (n: number, acc: bigint) => bigint };
    assert.equal(e.loop(1, 0n), 1n);
    assert.equal(e.loop(N, 0n), BigInt(N) * BigInt(N + 1) / 2n);
    assertConstant(seen);
  });

  it("a million return_call_indirects", () => {
    const seen: Seen = { depth: [], cap: [] };
    const e = instantiate(
      `(module
        (import "h" "probe" (func $probe (param i32) (result i32)))
        (type $t (func (param i32 i32) (result i32)))
        (table 2 funcref)
        (elem (i32.const 0) $step $done)
        (func $step (type $t) (param $n i32) (param $acc i32) (result i32)
          (return_call_indirect (type $t)
            (i32.sub (local.get $n) (i32.const 1))
            (i32.xor (i32.mul (local.get $acc) (i32.const 31)) (local.get $n))
            ;; slot 1 ($done) once n reaches 1
            (i32.eq (local.get $n) (i32.const 1))))
        (func $done (type $t) (param $n i32) (param $acc i32) (result i32)
          (return_call $probe (local.get $acc)))
        (func (export "run") (param i32) (result i32)
          (return_call_indirect (type $t) (local.get 0) (i32.const 7) (i32.const 0))))`,
      { h: { probe: probe(seen) } },
    ) as { run: (n: number) => number };
    let expected = 7;
    for (let n = N; n >= 1; n--) expected = Math.imul(expected, 31) ^ n;
    assert.equal(e.run(1), Math.imul(7, 31) ^ 1);
    assert.equal(e.run(N), expected);
    assertConstant(seen);
  });

  it("mutual recursion between two functions", () => {
    const seen: Seen = { depth: [], cap: [] };
    const e = instantiate(
      `(module
        (import "h" "probe" (func $probe (param i32) (result i32)))
        (func $even (export "even") (param $n i32) (result i32)
          (if (i32.eqz (local.get $n)) (then (return_call $probe (i32.const 1))))
          (return_call $odd (i32.sub (local.get $n) (i32.const 1))))
        (func $odd (param $n i32) (result i32) (local i64 i64 i64)
          (if (i32.eqz (local.get $n)) (then (return_call $probe (i32.const 0))))
          (return_call $even (i32.sub (local.get $n) (i32.const 1)))))`,
      { h: { probe: probe(seen) } },
    ) as { even: (n: number) => number };
    assert.equal(e.even(2), 1);
    assert.equal(e.even(N + 1), 0);
    assertConstant(seen);
  });

  it("across instances: return_call into an import and return_call_indirect back", () => {
    const seen: Seen = { depth: [], cap: [] };
    const a = instantiate(
      `(module
        (import "h" "probe" (func $probe (param i32) (result i32)))
        (type $t (func (param i32) (result i32)))
        (table (export "t") 1 funcref)
        (func $f (export "f") (param $n i32) (result i32)
          (if (i32.eqz (local.get $n)) (then (return_call $probe (i32.const 42))))
          (return_call_indirect (type $t) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0))))`,
      { h: { probe: probe(seen) } },
    ) as { f: (n: number) => number; t: Table };
    const b = instantiate(
      `(module
        (import "a" "f" (func $f (param i32) (result i32)))
        (memory 1)
        (func (export "g") (param $n i32) (result i32) (local i64 i64)
          (return_call $f (local.get $n))))`,
      { a: { f: a.f } },
    ) as { g: (n: number) => number };
    a.t.set(0, b.g);
    assert.equal(a.f(1), 42);
    assert.equal(b.g(N), 42);
    assertConstant(seen);
  });

  it("the same recursion without tail calls does exhaust the stack", () => {
    // The control: a plain call chain of the same length is bounded.
    const e = instantiate(
      `(module (func $r (export "r") (param $n i32) (result i32)
        (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
        (i32.add (call $r (i32.sub (local.get $n) (i32.const 1))) (i32.const 1))))`,
    ) as { r: (n: number) => number };
    assert.equal(e.r(1000), 1000);
    assert.throws(() => e.r(DEFAULT_MAX_DEPTH * 2), (err: unknown) => {
      return err instanceof RuntimeError && /call stack exhausted/.test(err.message);
    });
    assert.equal(runningMachine(), null);
  });
});
