/**
 * The WASI class: options validation, start/initialize contracts, exit
 * statuses, memory growth between calls, bad guest pointers, args/env.
 * Programs run on Gannet (parseWat + Instance).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "../api/module.ts";
import { Instance } from "../api/instance.ts";
import { CapturedOutput, Errno, type InstanceLike, MemoryFileSystem, WASI } from "./mod.ts";
import { Guest } from "./_harness_test.ts";

function instantiate(wat: string, wasi: WASI): InstanceLike {
  const bytes = new Uint8Array(parseWat(wat));
  return new Instance(new Module(bytes), wasi.getImportObject()) as unknown as InstanceLike;
}

const WRITE =
  `(import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))`;
const EXIT = `(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))`;

describe("WASI class", () => {
  it("validates options with messages naming the option", () => {
    const bad = (o: unknown, re: RegExp) =>
      assert.throws(
        () => new WASI(o as never),
        (e: Error) => e instanceof TypeError && re.test(e.message),
      );
    bad({ args: ["a", 1] }, /args\.1/);
    bad({ env: { A: 1 } }, /env\.A/);
    bad({ env: { "A=B": "x" } }, /must not contain '='/);
    bad({ args: ["a\0b"] }, /NUL/);
    bad({ version: "preview2" }, /version/);
    bad({ stdout: -1 }, /stdout/);
    bad({ preopens: { "/": 42 } }, /preopens\./);
    bad({ returnOnExit: "yes" }, /returnOnExit/);
    bad({ bogus: true }, /bogus/);
    bad({ preopens: { "/": "/definitely/not/here" } }, /cannot open host directory/);
    assert.throws(() => new WASI({ stdout: "text" }), /only feed stdin/);
  });

  it("start() returns 0, or the proc_exit status; it runs only once", () => {
    const wasi = new WASI({ stdout: "null" });
    const inst = instantiate(
      `(module ${EXIT} (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 42))))`,
      wasi,
    );
    assert.equal(wasi.start(inst), 42);
    assert.throws(() => wasi.start(inst), /already started/);
    const w2 = new WASI({});
    assert.equal(
      w2.start(instantiate(`(module (memory (export "memory") 1) (func (export "_start")))`, w2)),
      0,
    );
  });

  it("start()/initialize() check the instance's exports", () => {
    const w = () => new WASI({});
    // No memory export is allowed (calls that need memory fail then); a non-memory is not.
    assert.throws(() => w().start({ exports: {} }), /no _start/);
    assert.throws(() => w().start({ exports: { memory: 1, _start() {} } }), /not a memory/);
    assert.throws(
      () => w().start({ exports: { memory: { buffer: new ArrayBuffer(8) } } }),
      /_start/,
    );
    assert.throws(
      () =>
        w().start({
          exports: { memory: { buffer: new ArrayBuffer(8) }, _start() {}, _initialize() {} },
        }),
      /_initialize/,
    );
    assert.throws(
      () => w().initialize({ exports: { memory: { buffer: new ArrayBuffer(8) }, _start() {} } }),
      /_start/,
    );
    let called = 0;
    w().initialize({
      exports: { memory: { buffer: new ArrayBuffer(8) }, _initialize: () => called++ },
    });
    assert.equal(called, 1);
  });

  it("a trap propagates out of start() as the engine's error", () => {
    const wasi = new WASI({});
    const inst = instantiate(
      `(module (memory (export "memory") 1) (func (export "_start") unreachable))`,
      wasi,
    );
    assert.throws(() => wasi.start(inst), (e: Error) => e.name === "RuntimeError");
  });

  it("sees memory grown between calls, and output written before proc_exit", () => {
    const out = new CapturedOutput();
    const wasi = new WASI({ stdout: out });
    // Grow by one page, write "grown\\n" into the new page, print it from there, then exit.
    const inst = instantiate(
      `(module ${WRITE} ${EXIT} (memory (export "memory") 1)
      (func (export "_start")
        (drop (memory.grow (i32.const 1)))
        (i64.store (i32.const 65600) (i64.const 0x0a6e776f7267))
        (i32.store (i32.const 65536) (i32.const 65600))
        (i32.store (i32.const 65540) (i32.const 6))
        (drop (call $write (i32.const 1) (i32.const 65536) (i32.const 1) (i32.const 65544)))
        (call $exit (i32.const 3))))`,
      wasi,
    );
    assert.equal(wasi.start(inst), 3);
    assert.equal(out.text(), "grown\n");
  });

  it("returns EFAULT for pointers outside memory, changing nothing", () => {
    const fs = new MemoryFileSystem();
    fs.writeFile("f.txt", "data");
    const g = new Guest({ preopens: { "/": fs.root() }, stdout: "null" });
    const size = g.memory.buffer.byteLength;
    assert.equal(g.call.args_sizes_get(size - 2, 0), Errno.FAULT);
    assert.equal(g.call.fd_write(1, size - 4, 1, 0), Errno.FAULT);
    assert.equal(g.call.random_get(size - 10, 11), Errno.FAULT);
    const fd = g.open(3, "f.txt").value;
    // A read whose output pointer is bad must not consume the file's data.
    const iov = g.alloc(8);
    g.view.setUint32(iov, 100, true);
    g.view.setUint32(iov + 4, 4, true);
    assert.equal(g.call.fd_read(fd, iov, 1, size), Errno.FAULT);
    assert.equal(g.read(fd).value, "data");
  });

  it("passes args and env exactly", () => {
    const g = new Guest({ args: ["prog", "", "é ü"], env: { A: "1", EMPTY: "" } });
    const sizes = g.alloc(8);
    assert.equal(g.call.args_sizes_get(sizes, sizes + 4), 0);
    assert.equal(g.view.getUint32(sizes, true), 3);
    const bufSize = g.view.getUint32(sizes + 4, true);
    const ptrs = g.alloc(12);
    const buf = g.alloc(bufSize);
    assert.equal(g.call.args_get(ptrs, buf), 0);
    const text = new TextDecoder().decode(new Uint8Array(g.memory.buffer, buf, bufSize));
    assert.equal(text, "prog\0\0é ü\0");
    assert.equal(g.view.getUint32(ptrs + 8, true) - buf, 6);
    assert.equal(g.call.environ_sizes_get(sizes, sizes + 4), 0);
    assert.equal(g.view.getUint32(sizes, true), 2);
    assert.equal(g.view.getUint32(sizes + 4, true), "A=1\0EMPTY=\0".length);
  });

  it("proc_raise ends the program for fatal signals only", () => {
    const g = new Guest({});
    assert.equal(g.call.proc_raise(0), Errno.SUCCESS);
    assert.equal(g.call.proc_raise(16), Errno.SUCCESS); // SIGCHLD: ignored by default
    assert.equal(g.call.proc_raise(99), Errno.INVAL);
    assert.throws(() => g.call.proc_raise(15), (e: { code?: number }) => e.code === 128 + 15);
  });

  it("clocks tick and random_get fills buffers", () => {
    const g = new Guest({});
    const t = g.alloc(16);
    assert.equal(g.call.clock_time_get(1, 0n, t), 0);
    assert.equal(g.call.clock_time_get(1, 0n, t + 8), 0);
    assert.ok(g.view.getBigUint64(t + 8, true) >= g.view.getBigUint64(t, true));
    assert.equal(g.call.clock_time_get(0, 0n, t), 0);
    const now = BigInt(Date.now()) * 1_000_000n;
    const rt = g.view.getBigUint64(t, true);
    assert.ok(rt > now - 5_000_000_000n && rt < now + 5_000_000_000n);
    assert.equal(g.call.clock_res_get(2, t), 0);
    assert.equal(g.call.clock_time_get(7, 0n, t), Errno.INVAL);
    const buf = g.alloc(200_000);
    assert.equal(g.call.random_get(buf, 200_000), 0);
    const bytes = new Uint8Array(g.memory.buffer, buf, 200_000);
    const tail = bytes.subarray(150_000);
    assert.ok(tail.some((b) => b !== 0), "bytes past the first 64 KiB chunk are filled too");
  });
});
