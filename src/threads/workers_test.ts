/**
 * Atomics between real threads: workers (`_test_worker.ts`) run Gannet
 * instances that import one shared memory.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Memory } from "../api/memory.ts";
import { parseWat } from "../text/parse_wat.ts";
import { describeSharedMemory } from "./shared_memory.ts";
import { inWorker } from "./_in_worker.ts";

const COUNTER = parseWat(`(module
  (import "env" "mem" (memory 1 1 shared))
  ;; start barrier: all $parties workers arrive before any counts, so
  ;; that their loops really overlap
  (func $barrier (param $parties i32)
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (loop $spin (br_if $spin (i32.ne (i32.atomic.load (i32.const 4)) (local.get $parties)))))
  ;; adds 1 to the i32 at 8, n times, atomically
  (func (export "count") (param $n i32) (param $parties i32)
    (call $barrier (local.get $parties))
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; the same on the i64 at 16, through cmpxchg retry loops
  (func (export "count64") (param $n i32) (param $parties i32) (local $old i64)
    (call $barrier (local.get $parties))
    (loop $l
      (loop $retry
        (local.set $old (i64.atomic.load (i32.const 16)))
        (br_if $retry (i64.ne (local.get $old)
          (i64.atomic.rmw.cmpxchg (i32.const 16) (local.get $old)
            (i64.add (local.get $old) (i64.const 0x100000001))))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))`);

const WAITER = parseWat(`(module
  (import "env" "mem" (memory 1 1 shared))
  (func (export "wait") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
  ;; notifies address 0 until one waiter was woken; returns how many tries
  (func (export "wake") (result i32) (local $tries i32)
    (loop $l
      (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
      (br_if $l (i32.eqz (memory.atomic.notify (i32.const 0) (i32.const 1)))))
    (local.get $tries)))`);

describe("atomics across workers", () => {
  it("two workers incrementing one counter end exact (rmw.add and a cmpxchg loop)", async () => {
    const mem = new Memory({ initial: 1, maximum: 1, shared: true });
    const memory = describeSharedMemory(mem);
    const n = 50000;
    await Promise.all([
      inWorker({ bytes: COUNTER, memory, call: "count", args: [n, 4] }),
      inWorker({ bytes: COUNTER, memory, call: "count", args: [n, 4] }),
      inWorker({ bytes: COUNTER, memory, call: "count64", args: [n, 4] }),
      inWorker({ bytes: COUNTER, memory, call: "count64", args: [n, 4] }),
    ]);
    const view = new DataView(mem.buffer);
    assert.equal(view.getInt32(8, true), 2 * n);
    assert.equal(view.getBigUint64(16, true), BigInt(2 * n) * 0x100000001n);
  });

  it("memory.atomic.notify in one worker wakes memory.atomic.wait32 in another", async () => {
    const mem = new Memory({ initial: 1, maximum: 1, shared: true });
    const memory = describeSharedMemory(mem);
    const waiting = inWorker({ bytes: WAITER, memory, call: "wait", args: [] });
    const tries = await inWorker({ bytes: WAITER, memory, call: "wake", args: [] });
    assert.equal(await waiting, 0, "wait32 returns 0 (ok) when woken");
    assert.ok(typeof tries === "number" && tries >= 1);
  });
});
