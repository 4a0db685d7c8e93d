/**
 * Execution state a call owns: plain calls reuse pooled machines,
 * re-entrant calls nest on the running one, and paused or suspended calls
 * keep theirs while other calls run — several at once, resumed in any order.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance } from "../api/instance.ts";
import { promising, Suspending } from "../api/jspi.ts";
import { Module } from "../api/module.ts";
import { callResumable } from "../api/resumable.ts";
import { Store } from "../api/store.ts";
import type { Machine } from "../runtime/machine.ts";
import { parseWat } from "../text/parse_wat.ts";
import { idleMachines, runningMachine } from "./call.ts";

type Fn = (...a: unknown[]) => unknown;

/** `count(n)` loops n times (one taken branch each) and returns n; `probe` is called first. */
const COUNTER = `(module
  (import "h" "probe" (func $probe (param i32)))
  (global $calls (mut i32) (i32.const 0))
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (call $probe (local.get $n))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $i))
  (func (export "calls") (result i32) (global.get $calls)))`;

function counter(probe: (n: number) => void, store?: Store): Record<string, Fn> {
  return new Instance(new Module(parseWat(COUNTER)), { h: { probe } }, { store })
    .exports as Record<string, Fn>;
}

describe("execution state", () => {
  it("plain calls reuse one pooled machine; re-entry nests on the running one", () => {
    const seen: (Machine | null)[] = [];
    let e: Record<string, Fn> = {};
    e = counter((n) => {
      seen.push(runningMachine());
      if (n === 7) e.count(1);
    });
    e.count(3);
    e.count(4);
    e.count(7);
    assert.equal(runningMachine(), null);
    assert.ok(seen[0] !== null);
    assert.ok(seen.every((m) => m === seen[0]), "a call took a new machine");
    assert.ok(idleMachines() >= 1);
  });

  it("several paused calls keep their state while others run, resumed in any order", () => {
    const store = new Store({ fuel: 100 });
    const e = counter(() => {}, store);
    const sizes = [1000, 2500, 700, 4000];
    const calls = sizes.map((n) => {
      store.fuel = 100;
      const c = callResumable(e.count, [n]);
      assert.equal(c.pausedBy, "fuel");
      return c;
    });
    // A plain call runs to completion while four are parked.
    store.fuel = Infinity;
    assert.equal(e.count(50), 50);
    // Resume from the last to the first, a little fuel at a time.
    for (const c of [...calls].reverse()) {
      while (!c.done) {
        store.fuel = 333;
        c.resume();
      }
    }
    assert.deepEqual(calls.map((c) => c.value), sizes);
    assert.equal(e.calls(), sizes.length + 1);
    assert.equal(runningMachine(), null);
  });

  it("parked calls resumed in a shuffled order, some from a host function, beside suspended ones", async () => {
    // Six fuel-paused calls, two JSPI-suspended ones and plain calls, all at once.
    const store = new Store({ fuel: 0 });
    const e = counter(() => {}, store);
    const sizes = [1000, 2500, 700, 4000, 1, 3000];
    const calls = sizes.map((n) => {
      store.fuel = 50;
      return callResumable(e.count, [n]);
    });
    assert.ok(calls.every((c, i) => sizes[i] <= 50 ? c.done : c.pausedBy === "fuel"));
    const waiter = new Instance(
      new Module(parseWat(`(module (import "h" "wait" (func $w (param i32) (result i32)))
        (func (export "f") (param i32) (result i32)
          (i32.mul (call $w (local.get 0)) (call $w (i32.add (local.get 0) (i32.const 1))))))`)),
      {
        h: {
          wait: new Suspending((n: number) => new Promise((r) => setTimeout(() => r(n), 5))),
        },
      },
    );
    const f = promising(waiter.exports.f as Fn);
    const suspended = [f(3), f(6)];
    // A plain call in another store whose host function resumes a parked call.
    let pick = () => -1;
    const other = counter(() => {
      const k = pick();
      if (k < 0) return;
      store.fuel = 211;
      calls[k].resume();
    });
    let x = 0x2545f491; // xorshift32: a fixed, shuffled order
    const next = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % calls.length;
    };
    let steps = 0;
    while (calls.some((c) => !c.done)) {
      const k = next();
      if (calls[k].done) continue;
      steps++;
      if (steps % 3 === 0) {
        pick = () => k;
        assert.equal(other.count(5), 5);
        pick = () => -1;
      } else {
        store.fuel = 173;
        calls[k].resume();
      }
    }
    assert.ok(steps > 40, `only ${steps} resumptions`);
    assert.deepEqual(calls.map((c) => c.value), sizes);
    assert.equal(e.calls(), sizes.length);
    assert.deepEqual(await Promise.all(suspended), [12, 42]);
    assert.equal(runningMachine(), null);
  });

  it("a fuel-paused call resumes exactly where it stopped (fuel counts control transfers)", () => {
    const store = new Store({ fuel: 0 });
    const e = counter(() => {}, store);
    // count(n): the probe call, n - 1 taken back edges: n transfers.
    store.fuel = 1000;
    assert.equal(e.count(1000), 1000);
    assert.equal(store.fuel, 0);
    // One unit short: the last back edge stops it, and is owed.
    store.fuel = 999;
    const c = callResumable(e.count, [1000]);
    assert.equal(c.pausedBy, "fuel");
    assert.equal(store.fuel, 0);
    assert.equal(c.resume().pausedBy, "fuel", "resumed with nothing to pay what it owes");
    store.fuel = 5;
    assert.equal(c.resume().done, true);
    assert.equal(c.value, 1000);
    assert.equal(store.fuel, 4, "paid the transfer it owed, made no other");
  });

  it("100 concurrent promising calls into one instance keep their own state", async () => {
    const { instance } = {
      instance: new Instance(
        new Module(parseWat(`(module
      (import "h" "tick" (func $tick (param i32 i32) (result i32)))
      (func (export "walk") (param $id i32) (param $steps i32) (result i32)
        (local $i i32) (local $acc i32)
        (loop $l
          ;; acc = acc * 3 + tick(id, i): each call suspends the guest
          (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 3))
            (call $tick (local.get $id) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $steps))))
        (local.get $acc)))`)),
        {
          h: {
            tick: new Suspending(async (id: number, i: number) => {
              await new Promise((r) => setTimeout(r, (id * 7 + i * 13) % 5));
              return id + i;
            }),
          },
        },
      ),
    };
    const walk = promising(instance.exports.walk as Fn);
    const expected = (id: number, steps: number) => {
      let acc = 0;
      for (let i = 0; i < steps; i++) acc = (Math.imul(acc, 3) + id + i) | 0;
      return acc;
    };
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const results = await Promise.all(ids.map((id) => walk(id, 5 + (id % 7))));
    assert.deepEqual(results, ids.map((id) => expected(id, 5 + (id % 7))));
    assert.equal(runningMachine(), null);
  });
});
