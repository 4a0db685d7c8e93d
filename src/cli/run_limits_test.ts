/**
 * `gannet run -W …` (fuel, timeout, limits): each stop has its message and
 * exit status; `gannet PROGRAM` is short for `gannet run PROGRAM`; a module
 * without a memory export runs until a WASI call needs memory.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CapturedOutput } from "../wasi/mod.ts";
import { cli } from "./main.ts";
import { runCommand } from "./run.ts";
import {
  duration,
  FUEL_EXIT,
  LIMIT_EXIT,
  parseWasmOption,
  TIMEOUT_EXIT,
  TRAP_EXIT,
  type WasmOptions,
} from "./run_limits.ts";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new CapturedOutput(), stderr = new CapturedOutput();
  const code = await runCommand(args, { stdout, stderr });
  return { code, out: stdout.text(), err: stderr.text() };
}

const SPIN = `(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))`;
const RECURSE = `(module (memory (export "memory") 1)
  (func $f (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1)))
  (func (export "_start") (drop (call $f (i32.const 0)))))`;
const GROW = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (call $exit (memory.size))))`;
const NO_MEMORY_EXIT = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "_start") (call $exit (i32.const 9))))`;
const NO_MEMORY_WRITE = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (func (export "_start") (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;

describe("gannet run -W", () => {
  let tmp = "";
  const file = (name: string, text: string): string => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, text);
    return p;
  };
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-limits-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("parses wasmtime's spellings", () => {
    const o: WasmOptions = { store: {}, any: false };
    parseWasmOption("fuel=10k,timeout=1.5s", o);
    parseWasmOption("max-memory-size=2MiB", o);
    parseWasmOption("max-wasm-stack=65536,max-table-elements=100,max-instances=3", o);
    assert.deepEqual(o, {
      any: true,
      store: {
        fuel: 10240,
        timeout: 1500,
        limits: { memoryBytes: 2097152, stackBytes: 65536, tableElements: 100, instances: 3 },
      },
    });
    assert.equal(duration("250ms"), 250);
    assert.equal(duration("2"), 2000);
    assert.equal(duration("1m"), 60000);
    assert.throws(() => duration("soon"));
    assert.throws(() => parseWasmOption("fuel=lots", o));
    assert.throws(() => parseWasmOption("fuel", o));
  });

  it("out of fuel: its message and status 125", async () => {
    const r = await run(["-W", "fuel=100000", file("spin.wat", SPIN)]);
    assert.equal(r.code, FUEL_EXIT);
    assert.match(r.err, /all fuel consumed by WebAssembly/);
  });

  it("past the timeout: its message and status 124", async () => {
    const r = await run(["-W", "timeout=50ms", file("spin.wat", SPIN)]);
    assert.equal(r.code, TIMEOUT_EXIT);
    assert.match(r.err, /deadline exceeded/);
  });

  it("a stack limit in bytes stops unbounded recursion as a trap (134)", async () => {
    const r = await run(["-W", "max-wasm-stack=64k", file("rec.wat", RECURSE)]);
    assert.equal(r.code, TRAP_EXIT);
    assert.match(r.err, /call stack exhausted/);
  });

  it("max-memory-size: growth fails (-1); an initial size above it refuses to start (126)", async () => {
    const grow = file("grow.wat", GROW);
    assert.equal((await run(["-W", "max-memory-size=4MiB", grow])).code, 64);
    const r = await run(["-W", "max-memory-size=1k", grow]);
    assert.equal(r.code, LIMIT_EXIT);
    assert.match(r.err, /store limit exceeded/);
  });

  it("bad -W options are usage errors", async () => {
    assert.equal((await run(["-W", "nope=1", file("s.wat", SPIN)])).code, 2);
    assert.equal((await run(["-W"])).code, 2);
  });

  it("a module without a memory export runs until a WASI call needs memory", async () => {
    assert.equal((await run([file("nomem.wat", NO_MEMORY_EXIT)])).code, 9);
    const r = await run([file("nomem_write.wat", NO_MEMORY_WRITE)]);
    assert.equal(r.code, 1);
    assert.match(r.err, /exports no memory/);
  });

  it("gannet PROGRAM is short for gannet run PROGRAM", async () => {
    const p = file("nomem2.wat", NO_MEMORY_EXIT);
    assert.equal(await cli([p]), 9);
    assert.equal(await cli(["-W", "fuel=1000", p]), 9);
    assert.equal(await cli(["no-such-command"]), 2);
  });
});
