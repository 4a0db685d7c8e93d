/**
 * Resumable calls as the embedder sees them: a deadline counts only time
 * the call runs and can be renewed on resume; a call cannot be continued
 * by a host function it is running; a call that traps is over.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { idleMachines, runningMachine } from "../interp/call.ts";
import { RuntimeError } from "../errors.ts";
import { parseWat } from "../text/parse_wat.ts";
import { Instance } from "./instance.ts";
import { Module } from "./module.ts";
import { callResumable, type ResumableCall } from "./resumable.ts";
import { snapshot } from "./snapshot.ts";
import { Store } from "./store.ts";

type Fn = (...a: unknown[]) => unknown;

const WAT = `(module
  (import "h" "cb" (func $cb))
  (global $g (mut i32) (i32.const 0))
  (func (export "spin") (loop $l (br $l)))
  ;; count(n): n taken back edges, returns n
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
  ;; cb, two branches, cb again, then one more than the global
  (func (export "twice") (result i32)
    (call $cb) (block (br 0)) (block (br 0)) (call $cb)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (global.get $g))
  (func (export "trap") (param i32) (result i32)
    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (unreachable)))`;

function setup(store: Store, cb: () => void = () => {}): { e: Record<string, Fn>; i: Instance } {
  const i = new Instance(new Module(parseWat(WAT)), { h: { cb: () => cb() } }, { store });
  return { e: i.exports as Record<string, Fn>, i };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("resumable calls", () => {
  it("a deadline pause needs a new timeout; resume({ timeout }) gives one", () => {
    const { e } = setup(new Store());
    const c = callResumable(e.spin, [], { timeout: 5 });
    assert.equal(c.pausedBy, "deadline");
    assert.equal(c.resume().pausedBy, "deadline", "nothing was left of its budget");
    const t = performance.now();
    assert.equal(c.resume({ timeout: 20 }).pausedBy, "deadline");
    assert.ok(performance.now() - t >= 20, "ran for its new budget");
    assert.throws(() => c.resume({ timeout: -1 }), TypeError);
    assert.throws(() => c.resume({ timeout: "1" as never }), TypeError);
  });

  it("time spent paused does not count against the deadline", async () => {
    const store = new Store({ fuel: 100 });
    const { e } = setup(store);
    const c = callResumable(e.count, [100_000], { timeout: 250 });
    assert.equal(c.pausedBy, "fuel");
    await sleep(400); // paused longer than its whole budget
    store.fuel = Infinity;
    assert.equal(c.resume().done, true, `paused by ${c.pausedBy}`);
    assert.equal(c.value, 100_000);
  });

  it("a host function cannot continue the call it runs in; the call is unharmed", () => {
    const store = new Store({ fuel: 1 });
    const seen: unknown[] = [];
    let c: ResumableCall | null = null;
    const { e, i } = setup(store, () => {
      if (c === null) return;
      assert.equal(c.pausedBy, null, "running, not paused");
      try {
        c.resume();
      } catch (err) {
        seen.push(err);
      }
      try {
        snapshot(i, { call: c });
      } catch (err) {
        seen.push((err as Error).message);
      }
    });
    const idle = idleMachines();
    c = callResumable(e.twice, []);
    assert.equal(c.pausedBy, "fuel", "paused between the two host calls");
    store.fuel = Infinity;
    assert.equal(c.resume().value, 1);
    assert.equal(seen.length, 2);
    assert.ok(seen[0] instanceof RuntimeError);
    assert.match((seen[0] as Error).message, /the call is running/);
    assert.match(seen[1] as string, /not paused/);
    assert.equal(runningMachine(), null);
    assert.equal(idleMachines(), idle, "a machine given back twice or lost");
    // The pool is sound: two calls at once get two machines.
    const a = callResumable(e.count, [10], { timeout: 1000 });
    const b = callResumable(e.count, [20]);
    assert.deepEqual([a.value, b.value], [10, 20]);
  });

  it("a call that traps is over: neither done nor paused", () => {
    const store = new Store({ fuel: 10 });
    const { e } = setup(store);
    const c = callResumable(e.trap, [100]);
    assert.equal(c.pausedBy, "fuel");
    store.fuel = Infinity;
    assert.throws(
      () => c.resume(),
      (err) => err instanceof RuntimeError && /unreachable/.test(err.message),
    );
    assert.equal(c.done, false);
    assert.equal(c.pausedBy, null);
    assert.deepEqual(c.frames, []);
    assert.throws(() => c.value, /failed/);
    assert.throws(() => c.resume(), /already finished/);
    assert.equal(e.count(3), 3, "the instance answers");
  });
});
