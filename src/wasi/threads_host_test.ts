/**
 * The wasi-threads host in process (`runWasiThreads`): calls from every
 * thread act on one WASI state, a thread waiting for input holds up no other,
 * how a program ends (return, proc_exit, trap in a thread) and that every
 * thread then stops by itself (no Worker had to be terminated), thread-spawn
 * past the limit, and the errors for a module the host cannot run.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Module } from "../api/module.ts";
import { parseWat } from "../text/parse_wat.ts";
import { Filetype } from "./constants.ts";
import { CapturedOutput, type WasiStream } from "./stdio.ts";
import { MemoryFileSystem } from "./mem_fs.ts";
import { runWasiThreads } from "./threads_host.ts";
import { WASI } from "./wasi.ts";

/** Imports and helpers every program below shares. */
const PRELUDE = `
  (import "env" "memory" (memory 1 4 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  ;; writes the byte b to stdout (iovec and buffer at 256 + 16 * slot)
  (func $putc (param $b i32) (param $slot i32) (local $at i32)
    (local.set $at (i32.add (i32.const 256) (i32.shl (local.get $slot) (i32.const 4))))
    (i32.store8 offset=8 (local.get $at) (local.get $b))
    (i32.store (local.get $at) (i32.add (local.get $at) (i32.const 8)))
    (i32.store offset=4 (local.get $at) (i32.const 1))
    (drop (call $fd_write (i32.const 1) (local.get $at) (i32.const 1) (i32.add (local.get $at) (i32.const 12)))))
  ;; counts a finished thread (word 0) and wakes the joiner
  (func $finish
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const -1))))
  ;; waits until n threads have finished
  (func $join (param $n i32) (local $f i32)
    (loop $l
      (local.set $f (i32.atomic.load (i32.const 0)))
      (if (i32.lt_u (local.get $f) (local.get $n)) (then
        (drop (memory.atomic.wait32 (i32.const 0) (local.get $f) (i64.const -1)))
        (br $l)))))`;

function program(body: string): Module {
  return new Module(parseWat(`(module ${PRELUDE} ${body})`));
}

describe("wasi-threads host (runWasiThreads)", () => {
  it("every thread writes through the one stdout; the program ends when _start returns", async () => {
    // Three threads write 'A' + arg; the main thread joins them and writes '\n'.
    const m = program(`
      (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
        (call $putc (i32.add (i32.const 65) (local.get $arg)) (local.get $arg))
        (call $finish))
      (func (export "_start")
        (drop (call $spawn (i32.const 0)))
        (drop (call $spawn (i32.const 1)))
        (drop (call $spawn (i32.const 2)))
        (call $join (i32.const 3))
        (call $putc (i32.const 10) (i32.const 3)))`);
    const stdout = new CapturedOutput();
    const r = await runWasiThreads(m, { wasi: new WASI({ stdout }) });
    assert.equal(r.status, 0);
    assert.equal(r.terminated, 0);
    const text = stdout.text();
    assert.equal(text.at(-1), "\n");
    assert.deepEqual([...text.slice(0, 3)].sort(), ["A", "B", "C"]);
  });

  it("a spawned thread spawns threads too; ids stay distinct", async () => {
    // Thread 1 (arg 0) spawns two more (args 1, 2); each records its id at 64 + 4 * arg.
    const m = program(`
      (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
        (i32.store (i32.add (i32.const 64) (i32.shl (local.get $arg) (i32.const 2))) (local.get $tid))
        (if (i32.eqz (local.get $arg)) (then
          (drop (call $spawn (i32.const 1)))
          (drop (call $spawn (i32.const 2)))))
        (call $finish))
      (func (export "_start")
        (drop (call $spawn (i32.const 0)))
        (call $join (i32.const 3))
        ;; status: first id * 100 + the other two
        (call $exit (i32.add
          (i32.mul (i32.load (i32.const 64)) (i32.const 100))
          (i32.add (i32.load (i32.const 68)) (i32.load (i32.const 72))))))`);
    const r = await runWasiThreads(m, { wasi: new WASI() });
    assert.equal(r.status, 100 + 2 + 3, "thread 1 spawned threads 2 and 3");
  });

  it("a memory64 shared memory: a thread grows it and writes past the old end; the main thread sees both", async () => {
    const m = new Module(parseWat(`(module
      (import "env" "memory" (memory i64 1 2 shared))
      (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (func (export "wasi_thread_start") (param i32 i32)
        (drop (memory.grow (i64.const 1)))
        (i32.atomic.store (i64.const 65536) (i32.const 7))
        (i32.atomic.store (i64.const 0) (i32.const 1))
        (drop (memory.atomic.notify (i64.const 0) (i32.const 1))))
      (func (export "_start")
        (drop (call $spawn (i32.const 0)))
        (loop $l (if (i32.eqz (i32.atomic.load (i64.const 0))) (then
          (drop (memory.atomic.wait32 (i64.const 0) (i32.const 0) (i64.const -1))) (br $l))))
        ;; status: the value past the old end + the size in pages
        (call $exit (i32.add (i32.load (i64.const 65536)) (i32.wrap_i64 (memory.size))))))`));
    const r = await runWasiThreads(m, { wasi: new WASI() });
    assert.equal(r.status, 7 + 2);
  });

  it("descriptors are one table: a file a thread opened is written by another, at the shared position", async () => {
    const fs = new MemoryFileSystem();
    const m = new Module(parseWat(`(module
      (import "env" "memory" (memory 1 1 shared))
      (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "path_open" (func $open
        (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
      (data (i32.const 64) "f.txt")
      (data (i32.const 80) "hi!")
      ;; writes len bytes at ptr to fd (iovec at 96)
      (func $put (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
        (i32.store (i32.const 96) (local.get $ptr))
        (i32.store (i32.const 100) (local.get $len))
        (call $write (local.get $fd) (i32.const 96) (i32.const 1) (i32.const 104)))
      (func (export "wasi_thread_start") (param i32 i32)
        ;; open /f.txt (create) in preopen 3; fd at 128; write "hi"; tell main
        (i32.store (i32.const 132) (call $open (i32.const 3) (i32.const 0) (i32.const 64)
          (i32.const 5) (i32.const 1) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 128)))
        (i32.store (i32.const 136) (call $put (i32.load (i32.const 128)) (i32.const 80) (i32.const 2)))
        (i32.atomic.store (i32.const 0) (i32.const 1))
        (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
      (func (export "_start")
        (drop (call $spawn (i32.const 0)))
        (loop $l (if (i32.eqz (i32.atomic.load (i32.const 0))) (then
          (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))) (br $l))))
        (if (i32.load (i32.const 132)) (then (unreachable)))
        (if (i32.load (i32.const 136)) (then (unreachable)))
        ;; the thread's descriptor, from this thread: "!" lands after "hi"
        (if (call $put (i32.load (i32.const 128)) (i32.const 82) (i32.const 1)) (then (unreachable)))
        (if (call $close (i32.load (i32.const 128))) (then (unreachable)))))`));
    const r = await runWasiThreads(m, { wasi: new WASI({ preopens: { "/": fs.root() } }) });
    assert.equal(r.failure, undefined);
    assert.equal(r.status, 0);
    assert.equal(new TextDecoder().decode(fs.readFile("f.txt")), "hi!");
  });

  it("a thread blocked reading stdin holds up no other thread's calls", async () => {
    // Input arrives only once the main thread's output is there: if the
    // read blocked the host, the main thread's write could never happen.
    const stdout = new CapturedOutput();
    let delivered = false;
    const stdin: WasiStream = {
      filetype: Filetype.CHARACTER_DEVICE,
      waitReadable: () => stdout.text().includes("M") && !delivered ? 1 : -1,
      read(buf: Uint8Array): number {
        delivered = true;
        buf[0] = 0x52; // 'R'
        return 1;
      },
    };
    const m = program(`
      (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
        ;; read one byte into 512 (iovec at 96), echo it
        (i32.store (i32.const 96) (i32.const 512))
        (i32.store (i32.const 100) (i32.const 1))
        (drop (call $fd_read (i32.const 0) (i32.const 96) (i32.const 1) (i32.const 104)))
        (call $putc (i32.load8_u (i32.const 512)) (i32.const 1))
        (call $finish))
      (func (export "_start")
        (drop (call $spawn (i32.const 0)))
        ;; give the reader time to block in fd_read first (50 ms on a clock)
        (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const 50000000)))
        (call $putc (i32.const 77) (i32.const 0))
        (call $join (i32.const 1)))`);
    const r = await runWasiThreads(m, { wasi: new WASI({ stdout, stdin }) });
    assert.equal(r.status, 0);
    assert.equal(stdout.text(), "MR");
  });

  for (const jit of ["off", "eager"] as const) {
    it(`proc_exit in one thread ends the program with its status; the busy, waiting and sleeping ones stop by themselves (jit ${jit})`, async () => {
      const m = program(`
      (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
        (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))
        (if (i32.eq (local.get $arg) (i32.const 0)) (then (loop $busy (br $busy))))
        (if (i32.eq (local.get $arg) (i32.const 1)) (then
          (drop (memory.atomic.wait32 (i32.const 32) (i32.const 0) (i64.const -1)))))
        ;; arg 2: sleep 100 s in poll_oneoff (a relative monotonic clock)
        (i32.store (i32.const 1024) (i32.const 0))
        (i32.store8 (i32.const 1032) (i32.const 0))
        (i32.store (i32.const 1040) (i32.const 1))
        (i64.store (i32.const 1048) (i64.const 100000000000))
        (i32.store16 (i32.const 1064) (i32.const 0))
        (drop (call $poll (i32.const 1024) (i32.const 1536) (i32.const 1) (i32.const 1600))))
      (func (export "_start")
        (drop (call $spawn (i32.const 0)))
        (drop (call $spawn (i32.const 1)))
        (drop (call $spawn (i32.const 2)))
        (loop $l (br_if $l (i32.lt_u (i32.atomic.load (i32.const 16)) (i32.const 3))))
        (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const 50000000)))
        (call $exit (i32.const 42)))`);
      const r = await runWasiThreads(m, { wasi: new WASI(), store: { jit } });
      assert.equal(r.status, 42);
      assert.equal(r.terminated, 0, "every thread stopped without being terminated");
    });
  }

  it("a trap in a spawned thread ends the program and says which thread", async () => {
    const m = program(`
      (func (export "wasi_thread_start") (param $tid i32) (param $arg i32) (unreachable))
      (func (export "_start")
        (i32.store (i32.const 8) (call $spawn (i32.const 0)))
        (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))`);
    const r = await runWasiThreads(m, { wasi: new WASI() });
    assert.equal(r.status, null);
    assert.equal(r.failure?.name, "RuntimeError");
    assert.equal(r.failure?.message, "unreachable");
    assert.equal(r.failure?.tid, 1);
    assert.ok(Array.isArray(r.failure?.wasmStack) && r.failure.wasmStack.length > 0);
    assert.equal(r.terminated, 0);
  });

  it("thread-spawn returns -EAGAIN past maxThreads, and ids count from 1", async () => {
    const m = program(`
      (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
        (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
        (call $finish))
      (func (export "_start")
        (i32.store (i32.const 4) (call $spawn (i32.const 0)))
        (i32.store (i32.const 8) (call $spawn (i32.const 0)))
        ;; exit status: the first id * 100 - the second result (-6 when refused)
        (call $exit (i32.sub (i32.mul (i32.load (i32.const 4)) (i32.const 100))
          (i32.load (i32.const 8)))))`);
    const r = await runWasiThreads(m, { wasi: new WASI(), maxThreads: 1 });
    assert.equal(r.status, 106);
  });

  it("invoke calls an export instead of _start and returns its results", async () => {
    const m = program(`
      (func (export "wasi_thread_start") (param i32 i32))
      (func (export "_start") (unreachable))
      (func (export "add") (param i32 i64) (result i64)
        (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1)))`);
    const r = await runWasiThreads(m, {
      wasi: new WASI(),
      invoke: { name: "add", args: [2, 40n] },
    });
    assert.equal(r.status, 0);
    assert.deepEqual(r.results, [42n]);
  });

  it("refuses a module without a shared memory import, and bad options", () => {
    const own = new Module(parseWat(`(module
      (import "wasi" "thread-spawn" (func (param i32) (result i32)))
      (memory 1 1 shared))`));
    assert.throws(
      () => runWasiThreads(own, { wasi: new WASI() }),
      /must import its \(shared\) memory/,
    );
    const unshared = new Module(parseWat(`(module
      (import "wasi" "thread-spawn" (func (param i32) (result i32)))
      (import "env" "memory" (memory 1 1)))`));
    assert.throws(() => runWasiThreads(unshared, { wasi: new WASI() }), /is not shared/);
    const m = program(`(func (export "_start"))`);
    assert.throws(() => runWasiThreads(m, { wasi: new WASI(), maxThreads: -1 }), /maxThreads:/);
    assert.throws(() => runWasiThreads(m, { wasi: {} as WASI }), /wasi: expected a Gannet WASI/);
    assert.throws(
      () => runWasiThreads(m, { wasi: new WASI(), store: { limiter: {} } }),
      /store\.limiter cannot be sent/,
    );
    assert.throws(() => runWasiThreads(m, { wasi: new WASI(), store: { fuel: -1 } }), /fuel/);
    assert.throws(
      () => runWasiThreads(m, { wasi: new WASI(), bogus: 1 } as never),
      /invalid options/,
    );
  });
});
