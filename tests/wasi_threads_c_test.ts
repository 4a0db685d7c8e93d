/**
 * A C program on Gannet's wasi-threads (tests/wasi_threads/threads.c, built
 * with clang by build.sh; the .wasm is checked in so CI needs no clang), run
 * through `gannet run` in child processes: N threads × M atomic increments on
 * one counter, thread ids, a 100,000-round wait/notify ping-pong between two
 * threads, an exit from one of 4 threads while the others are busy, blocked
 * in a wait and asleep in `poll_oneoff`, a parallel sum against the serial
 * one, `-W max-threads` and `-S threads=n`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runGannet } from "./_gannet_process.ts";

const WASM = fileURLToPath(new URL("./wasi_threads/threads.wasm", import.meta.url));
const run = (...args: string[]) => runGannet(["run", ...args], { timeoutMs: 60_000 });

describe("C program with wasi-threads (gannet run)", () => {
  it("threads.wasm was built from the sources beside it (build.sh records their hashes)", () => {
    const dir = fileURLToPath(new URL("./wasi_threads/", import.meta.url));
    const lines = readFileSync(`${dir}threads.wasm.sources`, "utf8").trim().split("\n");
    assert.equal(lines.length, 3);
    for (const line of lines) {
      const [hash, file] = line.split(" ");
      const actual = createHash("sha256").update(readFileSync(`${dir}${file}`)).digest("hex");
      assert.equal(actual, hash, `${file} changed since threads.wasm was built: run build.sh`);
    }
  });

  it("4 threads × 100,000 atomic increments of one counter give exactly 400,000", async () => {
    const r = await run(WASM, "counter", "4", "100000");
    assert.equal(r.stdout, "counter=400000\n", r.stderr);
    assert.equal(r.code, 0);
  });

  it("thread ids are distinct, in 1 … 2^29 - 1, and what wasi_thread_start receives", async () => {
    const r = await run(WASM, "ids", "5");
    assert.equal(r.code, 0, r.stderr);
    const ids = r.stdout.trim().split("\n").map(Number);
    assert.equal(ids.length, 5);
    assert.equal(new Set(ids).size, 5);
    for (const id of ids) assert.ok(id > 0 && id < 2 ** 29);
  });

  it("a wait/notify ping-pong of 100,000 rounds between two threads completes", async () => {
    const r = await run(WASM, "pingpong", "100000");
    assert.equal(r.stdout, "rounds=100000\n", r.stderr);
    assert.equal(r.code, 0);
  });

  it("an exit in one thread of a 4-thread program ends the process with its status", async () => {
    // The other threads: a busy loop, a memory.atomic.wait, a 100 s poll_oneoff sleep.
    const r = await runGannet(["run", WASM, "exit"], { timeoutMs: 60_000, mark: "exiting" });
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout, "exiting\n");
    console.log(`exit → process gone: ${r.afterMark?.toFixed(1)} ms`);
  });

  it("a parallel sum over 2 threads equals the serial one", async () => {
    const serial = await run(WASM, "sum", "0", "1000000");
    const parallel = await run(WASM, "sum", "2", "1000000");
    assert.match(serial.stdout, /^sum=\d+\n$/);
    assert.equal(parallel.stdout, serial.stdout);
  });

  it("-W max-threads bounds thread-spawn (it fails past the limit)", async () => {
    const r = await run("-W", "max-threads=1", WASM, "counter", "2", "10");
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "thread-spawn failed\n");
    const ok = await run("-W", "max-threads=2", WASM, "counter", "2", "10");
    assert.equal(ok.code, 0, ok.stderr);
  });

  it("-S threads=n refuses a threaded program as wasmtime does", async () => {
    const r = await run("-S", "threads=n", WASM, "counter", "1", "1");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown import: `wasi::thread-spawn` has not been defined/);
  });
});
