/**
 * `gannet run` end to end, on Gannet's interpreter (GANNET_WASI_ENGINE=native
 * injects the host's WebAssembly instead, to tell WASI/CLI faults from
 * engine faults; the command itself always uses Gannet).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import { once } from "node:events";
import { spawn } from "node:child_process";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type Instantiate, runCommand, TRAP_EXIT } from "./run.ts";
import { BufferInput, CapturedOutput } from "../wasi/mod.ts";
import { tempFiles } from "./_temp_files.ts";

// deno-lint-ignore no-explicit-any
const NativeWasm = (globalThis as any).WebAssembly;
const native: Instantiate = (_module, bytes, imports) =>
  Promise.resolve(new NativeWasm.Instance(new NativeWasm.Module(bytes), imports));

const examples = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");

async function run(
  args: string[],
  stdin = "",
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const code = await runCommand(args, {
    instantiate: process.env.GANNET_WASI_ENGINE === "native" ? native : undefined,
    stdin: new BufferInput(stdin),
    stdout,
    stderr,
  });
  return { code, out: stdout.text(), err: stderr.text() };
}

const HELLO = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;

const EXIT = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 7)) unreachable))`;

const TRAP = `(module
  (memory (export "memory") 1)
  (func $deep (unreachable))
  (func (export "_start") (call $deep)))`;

const MATH = `(module
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))
  (func (export "pair") (result i32 i32) (i32.const 1) (i32.const 2)))`;

const ECHO = `(module
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $conn i32)
    (if (call $accept (i32.const 3) (i32.const 0) (i32.const 0)) (then (call $exit (i32.const 100))))
    (local.set $conn (i32.load (i32.const 0)))
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 256))
    (if (call $recv (local.get $conn) (i32.const 16) (i32.const 1) (i32.const 0) (i32.const 24) (i32.const 28))
      (then (call $exit (i32.const 101))))
    (i32.store (i32.const 20) (i32.load (i32.const 24)))
    (if (call $send (local.get $conn) (i32.const 16) (i32.const 1) (i32.const 0) (i32.const 32))
      (then (call $exit (i32.const 102))))
    (drop (call $shutdown (local.get $conn) (i32.const 2)))
    (call $exit (i32.load (i32.const 24)))))`;

/** Word counts as wordfreq defines words (letters, inner apostrophes, ASCII case folded). */
function wordCounts(text: string, minLen: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/[A-Za-z]+(?:'[A-Za-z]+)*/g)) {
    const w = m[0].toLowerCase();
    if (w.length >= minLen) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

describe("gannet run", () => {
  const tmp = tempFiles("gannet-run-");
  const file = tmp.file;

  it("runs a .wat program; the exit status is 0 when _start returns", async () => {
    const r = await run([file("hello.wat", HELLO)]);
    assert.deepEqual(r, { code: 0, out: "hello\n", err: "" });
  });

  it("exits with the guest's proc_exit status", async () => {
    const r = await run([file("exit.wat", EXIT)]);
    assert.equal(r.code, 7);
  });

  it("reports a trap with its message and a distinct status", async () => {
    const r = await run([file("trap.wat", TRAP)]);
    assert.equal(r.code, TRAP_EXIT);
    assert.match(r.err, /wasm trap: .*unreachable/i);
    // The backtrace, innermost first, with names from the name section.
    assert.ok(
      r.err.includes("wasm backtrace:\n  0: deep (wasm-function[0])\n  1: wasm-function[1]"),
      r.err,
    );
  });

  it("--jit eager/off run the same program the same way; a bad mode is a usage error", async () => {
    const trap = file("trap_jit.wat", TRAP);
    for (const mode of ["eager", "off", "auto"]) {
      const r = await run(["--jit", mode, trap]);
      assert.equal(r.code, TRAP_EXIT, mode);
      assert.ok(r.err.includes("0: deep (wasm-function[0])"), `${mode}: ${r.err}`);
      assert.equal(
        (await run([`--jit=${mode}`, "--invoke", "add", file("m.wat", MATH), "2", "3"])).out,
        "5\n",
      );
    }
    const bad = await run(["--jit", "fast", trap]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--jit fast: expected off, auto or eager/);
  });

  it("--invoke parses arguments by parameter type and prints the results", async () => {
    const math = file("math.wat", MATH);
    assert.deepEqual(await run(["--invoke", "add", math, "40", "2"]), {
      code: 0,
      out: "42\n",
      err: "",
    });
    assert.equal((await run(["--invoke", "add", math, "-1", "0x10"])).out, "15\n");
    assert.equal((await run(["--invoke=mul64", math, "4294967296", "3"])).out, "12884901888\n");
    assert.equal((await run(["--invoke", "half", math, "5"])).out, "2.5\n");
    assert.equal((await run(["--invoke", "pair", math])).out, "1\n2\n");
    const bad = await run(["--invoke", "add", math, "1", "x"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /argument 2 \("x"\) is not a valid i32/);
    assert.equal((await run(["--invoke", "add", math, "1"])).code, 2);
    assert.equal((await run(["--invoke", "nope", math])).code, 1);
  });

  it("runs the wordfreq example with a preopened directory, args and env", async () => {
    const wasm = path.join(examples, "wordfreq.wasm");
    const text = fs.readFileSync(path.join(examples, "data", "gannets.txt"), "utf8");
    const counts = wordCounts(text, 4);
    const r = await run([
      "--dir",
      `${path.join(examples, "data")}::/data`,
      "--env",
      "WORDFREQ_TOP=3",
      wasm,
      "-m",
      "4",
      "/data/gannets.txt",
    ]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split("\n");
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    assert.equal(lines[0], `${total} words, ${counts.size} distinct`);
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
    assert.deepEqual(
      lines.slice(1).map((l) => l.trim().split(/\s+/).slice(0, 2)),
      top.map(([w, n]) => [String(n), w]),
    );
  });

  it("feeds stdin and reports a missing file with the guest's own status", async () => {
    const wasm = path.join(examples, "wordfreq.wasm");
    const r = await run(["--dir", `${tmp.dir()}::/t`, wasm, "-", "/t/missing.txt"], "b a b");
    assert.equal(r.code, 1);
    assert.match(r.err, /missing\.txt: No such file or directory/);
    assert.match(r.out, /^3 words, 2 distinct\n +2 +b /);
  });

  it("--tcplisten preopens a real listening socket (echo server in a child process)", async () => {
    const probe = net.createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const main = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.ts");
    const argv = ["run", "--tcplisten", `127.0.0.1:${port}`, file("echo.wat", ECHO)];
    const cmd = process.versions.bun !== undefined
      ? [process.execPath, main, ...argv]
      : [process.execPath, "run", "-A", main, ...argv];
    const child = spawn(cmd[0], cmd.slice(1), { stdio: "inherit" });
    const exited = once(child, "exit");
    let sock: net.Socket | null = null;
    for (let i = 0; i < 100 && sock === null; i++) {
      const s = net.connect(port, "127.0.0.1");
      try {
        await Promise.race([once(s, "connect"), once(s, "error").then(([e]) => Promise.reject(e))]);
        sock = s;
      } catch {
        s.destroy();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    assert.ok(sock !== null, "the guest's listener accepted a connection");
    let echoed = "";
    sock.on("data", (d) => echoed += d);
    const ended = once(sock, "end");
    sock.write("hello");
    await ended;
    sock.destroy();
    assert.equal(echoed, "hello");
    assert.deepEqual((await exited)[0], 5, "exit status = bytes echoed");
    const busy = await run(["--tcplisten", "127.0.0.1:x", file("echo2.wat", ECHO)]);
    assert.equal(busy.code, 2);
  });

  it("rejects bad usage and unloadable programs", async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(["--bogus", "x.wasm"])).code, 2);
    assert.equal((await run(["--dir"])).code, 2);
    assert.equal((await run(["--help"])).code, 0);
    const missing = await run([path.join(tmp.dir(), "nope.wasm")]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.wasm/);
    const garbage = await run([file("bad.wasm", "\0asm\x02\0\0\0")]);
    assert.equal(garbage.code, 1);
    const noDir = await run(["--dir", path.join(tmp.dir(), "absent"), file("hello2.wat", HELLO)]);
    assert.equal(noDir.code, 1);
    assert.match(noDir.err, /cannot open host directory/);
  });
});
