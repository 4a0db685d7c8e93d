import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "./wat2wasm.ts";
import { parseWat } from "../text/parse_wat.ts";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "gannet-wat2wasm-"));
}

/** Runs `main` with console.error captured. */
async function run(args: string[]): Promise<{ code: number; err: string }> {
  const saved = console.error;
  let err = "";
  console.error = (...a: unknown[]) => {
    err += a.join(" ") + "\n";
  };
  try {
    return { code: await main(args), err };
  } finally {
    console.error = saved;
  }
}

describe("wat2wasm", () => {
  const text = `(module (func (export "f") (result i32) i32.const 7))`;
  it("writes IN.wasm beside IN.wat by default", async () => {
    const dir = tempDir();
    const input = path.join(dir, "m.wat");
    fs.writeFileSync(input, text);
    assert.equal((await run([input])).code, 0);
    assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(dir, "m.wasm"))), parseWat(text));
    fs.rmSync(dir, { recursive: true });
  });
  it("honours -o", async () => {
    const dir = tempDir();
    const input = path.join(dir, "in.txt");
    const out = path.join(dir, "out.bin");
    fs.writeFileSync(input, text);
    assert.equal((await run([input, "-o", out])).code, 0);
    assert.deepEqual(new Uint8Array(fs.readFileSync(out)), parseWat(text));
    fs.rmSync(dir, { recursive: true });
  });
  it("reports malformed text as FILE:line:column and exits 1", async () => {
    const dir = tempDir();
    const input = path.join(dir, "bad.wat");
    fs.writeFileSync(input, "(module\n  (func i32.bogus))");
    const r = await run([input]);
    assert.equal(r.code, 1);
    assert.equal(r.err.trim(), `${input}:2:9: unknown operator i32.bogus`);
    assert.equal(fs.existsSync(path.join(dir, "bad.wasm")), false);
    fs.rmSync(dir, { recursive: true });
  });
  it("rejects bad usage with status 2 and a missing file with 1", async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(["a.wat", "b.wat"])).code, 2);
    assert.equal((await run(["a.wat", "-o"])).code, 2);
    assert.equal((await run(["--nope", "a.wat"])).code, 2);
    assert.equal((await run([path.join(os.tmpdir(), "gannet-no-such-file.wat")])).code, 1);
  });
});
