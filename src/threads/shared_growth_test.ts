/**
 * Shared memory growth seen by every thread (issue 17): Workers grow one
 * shared memory while another reads and writes at its growing end, or while
 * another grows it too. On the host-memory store and on the fallback
 * growable `SharedArrayBuffer` with its lock.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Memory } from "../api/memory.ts";
import { Module } from "../api/module.ts";
import { useNativeStores } from "../runtime/memory_store.ts";
import { parseWat } from "../text/parse_wat.ts";
import { inWorker } from "./_in_worker.ts";
import { describeModule } from "./module_transfer.ts";
import { describeSharedMemory } from "./shared_memory.ts";

const N = 1500;
const MAX = 2 * N + 8;

const GUEST = parseWat(`(module
  (import "env" "mem" (memory 1 ${MAX} shared))
  ;; start barrier at word 0: both workers arrive before either starts
  (func $barrier
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (loop $spin (br_if $spin (i32.ne (i32.atomic.load (i32.const 0)) (i32.const 2)))))
  ;; grows by one page n times, marks each page it got with id; with
  ;; publish, stores the size reached at word 4 after each mark
  (func (export "grow") (param $n i32) (param $id i32) (param $publish i32) (result i32)
    (local $old i32)
    (call $barrier)
    (loop $l
      (local.set $old (memory.grow (i32.const 1)))
      (if (i32.lt_s (local.get $old) (i32.const 0)) (then (return (i32.const -1))))
      (i32.store (i32.shl (local.get $old) (i32.const 16)) (local.get $id))
      (if (local.get $publish)
        (then (i32.atomic.store (i32.const 4) (i32.add (local.get $old) (i32.const 1)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  ;; follows the published size up to $final: at each new size s, checks the
  ;; grower's mark on the newest page, writes s beside it (a plain store at
  ;; the end this thread has not seen grow yet), then checks memory.size;
  ;; returns the number of writes, or -2/-3 on a disagreement
  (func (export "follow") (param $final i32) (result i32)
    (local $s i32) (local $last i32) (local $writes i32) (local $at i32)
    (call $barrier)
    (loop $l
      (local.set $s (i32.atomic.load (i32.const 4)))
      (if (i32.gt_u (local.get $s) (local.get $last)) (then
        (local.set $at (i32.shl (i32.sub (local.get $s) (i32.const 1)) (i32.const 16)))
        (i32.store offset=8 (local.get $at) (local.get $s))
        (if (i32.ne (i32.load (local.get $at)) (i32.const 1)) (then (return (i32.const -3))))
        (if (i32.lt_u (memory.size) (local.get $s)) (then (return (i32.const -2))))
        (local.set $writes (i32.add (local.get $writes) (i32.const 1)))
        (local.set $last (local.get $s))))
      (br_if $l (i32.lt_u (local.get $last) (local.get $final))))
    (local.get $writes))
  ;; waits (with a handle made before the growth) until the published size
  ;; reaches $final; returns memory.size
  (func (export "await_size") (param $final i32) (result i32)
    (call $barrier)
    (loop $l (br_if $l (i32.lt_u (i32.atomic.load (i32.const 4)) (local.get $final))))
    (memory.size)))`);

const hasNative = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";
const STORES: [string, boolean][] = [
  ...(hasNative ? [["host shared memory", true]] as [string, boolean][] : []),
  ["growable SharedArrayBuffer", false],
];

function sharedMemory(native: boolean): Memory {
  const was = useNativeStores(native);
  try {
    return new Memory({ initial: 1, maximum: MAX, shared: true });
  } finally {
    useNativeStores(was);
  }
}

for (const [name, native] of STORES) {
  describe(`shared memory growth across workers (${name})`, () => {
    it("one worker grows, another reads and writes at the growing end: no trap, sizes agree, no lost write", async () => {
      const mem = sharedMemory(native);
      const memory = describeSharedMemory(mem);
      // The module crosses as a descriptor too (what a thread pool does).
      const bytes = describeModule(new Module(GUEST));
      const [grown, writes] = await Promise.all([
        inWorker({ bytes, memory, call: "grow", args: [N, 1, 1] }),
        inWorker({ bytes, memory, call: "follow", args: [N + 1] }),
      ]);
      assert.equal(grown, 0);
      assert.ok(typeof writes === "number" && writes >= 1, `follow returned ${writes}`);
      assert.equal(mem.buffer.byteLength, (N + 1) * 65536, "this thread sees the final size");
      assert.equal(mem.grow(0), N + 1);
      const view = new DataView(mem.buffer);
      let seen = 0;
      for (let p = 1; p <= N; p++) {
        assert.equal(view.getInt32(p * 65536, true), 1, `the grower's mark on page ${p}`);
        const w = view.getInt32(p * 65536 + 8, true);
        if (w !== 0) {
          assert.equal(w, p + 1);
          seen++;
        }
      }
      assert.equal(seen, writes, "every write of the follower is there");
    });

    it("memory.size, Memory.buffer and grow(0) agree on a thread whose handle predates the growth", async () => {
      const mem = sharedMemory(native);
      const memory = describeSharedMemory(mem);
      const [, seen] = await Promise.all([
        inWorker({ bytes: GUEST, memory, call: "grow", args: [64, 1, 1] }),
        inWorker({ bytes: GUEST, memory, call: "await_size", args: [65], report: true }),
      ]);
      assert.deepEqual(seen, { result: 65, bufferBytes: 65 * 65536, grow0: 65 });
    });

    it("two workers growing at once get distinct pages (growth is serialized)", async () => {
      const mem = sharedMemory(native);
      const memory = describeSharedMemory(mem);
      await Promise.all([
        inWorker({ bytes: GUEST, memory, call: "grow", args: [N, 1, 0] }),
        inWorker({ bytes: GUEST, memory, call: "grow", args: [N, 2, 0] }),
      ]);
      assert.equal(mem.buffer.byteLength, (2 * N + 1) * 65536);
      const view = new DataView(mem.buffer);
      const count = [0, 0, 0];
      for (let p = 1; p <= 2 * N; p++) count[view.getInt32(p * 65536, true)]++;
      assert.deepEqual(count, [0, N, N]);
    });
  });
}
