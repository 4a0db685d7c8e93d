/**
 * `gannet run` with wasi-threads programs, in process: a trap in a spawned
 * thread (status 134, the message naming the thread, a backtrace),
 * `--invoke` on the main thread, output and arguments through the one WASI
 * state, `-W fuel`/`-W timeout` per thread, and the `-W max-threads` /
 * `-S threads` options.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { FUEL_EXIT, LIMIT_EXIT, runCommand, TIMEOUT_EXIT, TRAP_EXIT } from "./run.ts";
import { parseArgs } from "./run_args.ts";
import { BufferInput, CapturedOutput } from "../wasi/mod.ts";
import { tempFiles } from "./_temp_files.ts";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const code = await runCommand(args, { stdin: new BufferInput(""), stdout, stderr });
  return { code, out: stdout.text(), err: stderr.text() };
}

const THREADED = `(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (func $crash (unreachable))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (if (local.get $arg) (then (call $crash)))
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
  (func (export "_start")
    (drop (call $spawn (i32.const 1)))
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))
  ;; spawns a thread that stores 1 at 0, waits for it; returns argc seen by this thread + 10
  (func (export "run_one") (result i32)
    (drop (call $spawn (i32.const 0)))
    (loop $l (br_if $l (i32.eqz (i32.atomic.load (i32.const 0)))))
    (drop (call $sizes (i32.const 16) (i32.const 20)))
    (i32.add (i32.load (i32.const 16)) (i32.const 10))))`;

describe("gannet run: wasi-threads programs", () => {
  const tmp = tempFiles("gannet-run-threads-");

  it("a trap in a spawned thread ends the program with 134, naming the thread", async () => {
    const r = await run([tmp.file("crash.wat", THREADED)]);
    assert.equal(r.code, TRAP_EXIT);
    assert.match(r.err, /wasm trap: unreachable \(in thread 1\)/);
    assert.match(r.err, /wasm backtrace:\n\s+0: \$crash|wasm backtrace:\n\s+0: crash/);
  });

  it("--invoke runs the export on the main thread, which can spawn", async () => {
    const r = await run(["--invoke", "run_one", tmp.file("invoke.wat", THREADED)]);
    assert.equal(r.err, "");
    assert.equal(r.out, "11\n", "argc (1: the program name) + 10");
    assert.equal(r.code, 0);
  });

  it("-W fuel and -W timeout apply to each thread: 125 / 124, naming the thread", async () => {
    const c = fileURLToPath(new URL("../../tests/wasi_threads/threads.wasm", import.meta.url));
    const fuel = await run(["-W", "fuel=100000", c, "counter", "2", "1000000"]);
    assert.equal(fuel.code, FUEL_EXIT);
    assert.match(fuel.err, /all fuel consumed by WebAssembly \(-W fuel\) \(in thread \d\)/);
    const slow = await run(["-W", "timeout=200ms", c, "counter", "2", "100000000"]);
    assert.equal(slow.code, TIMEOUT_EXIT);
    assert.match(slow.err, /deadline exceeded \(-W timeout\) \(in thread \d\)/);
  });

  it("-W max-memory-size bounds the shared memory the host creates", async () => {
    const wat = `(module
      (import "env" "memory" (memory 1 8 shared))
      (import "wasi" "thread-spawn" (func (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (func (export "_start")
        ;; status: 1 + what growing to 2 pages returns (1) + what growing to 3 returns (-1)
        (call $exit (i32.add (i32.const 1) (i32.add (memory.grow (i32.const 1))
          (memory.grow (i32.const 1)))))))`;
    const path = tmp.file("grow.wat", wat);
    const capped = await run(["-W", "max-memory-size=128k", path]);
    assert.equal(capped.code, 1, capped.err);
    const free = await run([path]);
    assert.equal(free.code, 4, "1 + 1 + 2 without the limit");
    const refused = await run(["-W", "max-memory-size=32k", path]);
    assert.equal(refused.code, LIMIT_EXIT);
    assert.match(refused.err, /store limit exceeded/);
  });

  it("parses -W max-threads and -S threads", () => {
    assert.equal(parseArgs(["-W", "max-threads=3", "x.wasm"]).wasm.maxThreads, 3);
    assert.equal(parseArgs(["-W", "max-threads=3", "x.wasm"]).wasm.any, false);
    assert.throws(() => parseArgs(["-W", "max-threads=x", "x.wasm"]), /max-threads=x/);
    assert.deepEqual(parseArgs(["-S", "threads=n", "x.wasm"]).wasi, [["threads", "n"]]);
  });

  it("-S threads=n refuses a module that only imports a shared memory, naming the import", async () => {
    const wat = `(module (import "foo" "bar" (memory 1 1 shared)) (func (export "_start")))`;
    const off = await run(["-S", "threads=n", tmp.file("noop.wat", wat)]);
    assert.equal(off.code, 1);
    assert.match(off.err, /unknown import: `foo::bar` has not been defined/);
    const on = await run([tmp.file("noop2.wat", wat)]);
    assert.equal(on.code, 0, on.err);
  });
});
