/**
 * The host process: standard descriptors by kind, reads and writes, files,
 * environment — each on the runtime running the tests — and, on Deno, that
 * `gannet run` of a plain program loads no `node:` module.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Filetype } from "./constants.ts";
import {
  fdFiletype,
  hostEnv,
  hostPathExists,
  nodeModule,
  readFd,
  readHostFile,
  writeFd,
} from "./host_process.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.dirname(HERE);
const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-host-"));

const CHILD = path.join(HERE, "_host_process_child.ts");

/**
 * Runs the child helper with `args` on this runtime, its stdin `stdin`:
 * "pipe:TEXT" (a pipe carrying TEXT), a file's path, or null (an empty pipe).
 */
function child(
  args: string[],
  stdin: string | null = null,
): { status: number | null; stdout: string; stderr: string } {
  const cmd = isDeno
    ? [process.execPath, "run", "-A", CHILD, ...args]
    : [process.execPath, CHILD, ...args];
  // Through the shell, so that the child gets a real pipe or the file itself
  // (a runtime may hand `input` over as a file).
  const q = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  const line = stdin === null
    ? `exec ${cmd.map(q).join(" ")}`
    : stdin.startsWith("pipe:")
    ? `printf %s ${q(stdin.slice(5))} | ${cmd.map(q).join(" ")}`
    : `exec ${cmd.map(q).join(" ")} < ${q(stdin)}`;
  const r = spawnSync("sh", ["-c", line], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("host process", () => {
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("reports each standard descriptor's kind as WASI does", () => {
    const file = path.join(tmp, "input.txt");
    fs.writeFileSync(file, "x");
    // stdin a regular file; stdout a pipe (UNKNOWN, as wasmtime reports pipes).
    const fromFile = child(["kinds"], file);
    assert.equal(fromFile.status, 0, fromFile.stderr);
    const [stdin, stdout] = JSON.parse(fromFile.stdout);
    assert.deepEqual([stdin, stdout], [Filetype.REGULAR_FILE, Filetype.UNKNOWN]);
    if (fs.existsSync("/dev/null")) {
      const fromNull = child(["kinds"], "/dev/null");
      assert.equal(JSON.parse(fromNull.stdout)[0], Filetype.CHARACTER_DEVICE);
    }
    assert.equal(JSON.parse(child(["kinds"], "pipe:x").stdout)[0], Filetype.UNKNOWN);
  });

  it("reads standard input and writes standard output and error, blocking", () => {
    const r = child(["upper"], "pipe:hello, host");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "HELLO, HOST");
    assert.equal(r.stderr, "err");
  });

  it("reads and writes other descriptors through node:fs", () => {
    const file = path.join(tmp, "rw.bin");
    fs.writeFileSync(file, "");
    const fd = fs.openSync(file, "r+");
    try {
      assert.equal(fdFiletype(fd), Filetype.REGULAR_FILE);
      assert.equal(writeFd(fd, new Uint8Array([1, 2, 3])), 3);
      assert.deepEqual([...fs.readFileSync(file)], [1, 2, 3]);
      const back = fs.openSync(file, "r");
      const buf = new Uint8Array(8);
      assert.equal(readFd(back, buf), 3);
      assert.equal(readFd(back, buf), 0);
      fs.closeSync(back);
    } finally {
      fs.closeSync(fd);
    }
    assert.equal(fdFiletype(1_000_000), Filetype.UNKNOWN);
    assert.throws(() => writeFd(1_000_000, new Uint8Array(1)), { code: "EBADF" });
  });

  it("reads files, tells what exists, reads the environment", () => {
    const file = path.join(tmp, "bytes.bin");
    fs.writeFileSync(file, new Uint8Array([0, 97, 115, 109]));
    assert.deepEqual([...readHostFile(file)], [0, 97, 115, 109]);
    assert.throws(() => readHostFile(path.join(tmp, "missing")), { code: "ENOENT" });
    assert.equal(hostPathExists(file), true);
    assert.equal(hostPathExists(tmp), true);
    assert.equal(hostPathExists(path.join(tmp, "missing")), false);
    assert.equal(hostEnv("PATH"), process.env.PATH);
    assert.equal(hostEnv("GANNET_NO_SUCH_VARIABLE"), undefined);
    assert.equal(typeof nodeModule("node:fs").openSync, "function");
  });

  it("on Deno, gannet run of a plain program never touches Node's `process`", {
    skip: !isDeno && "Deno's start-up only",
  }, () => {
    // A trap on `process` catches any use during a run (_host_process_child.ts);
    // static node: imports: the next test.
    const wat = path.join(tmp, "hello.wat");
    fs.writeFileSync(
      wat,
      `(module (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1) (data (i32.const 16) "hi\\n")
        (func (export "_start") (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))
          (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`,
    );
    const r = child(["trapped", wat]);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "hi\n");
    assert.equal(r.status, 0);
  });

  it("gannet run's modules import no node: module", () => {
    const bad: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, "utf8");
      // Static imports and re-exports of values (`import type` is erased).
      for (
        const [, spec] of text.matchAll(/^(?:import|export) (?!type\b)[^;]*? from "([^"]+)";/gms)
      ) {
        if (spec.startsWith("node:")) bad.push(`${path.relative(SRC, file)} → ${spec}`);
        else if (spec.startsWith(".")) visit(path.resolve(path.dirname(file), spec));
      }
    };
    visit(path.join(SRC, "cli", "main.ts"));
    visit(path.join(SRC, "cli", "run.ts"));
    assert.ok(seen.size > 100, `${seen.size} modules`);
    assert.deepEqual(bad, []);
  });
});
