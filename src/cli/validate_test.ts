import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "./validate.ts";
import { funcModule } from "../../tests/_module_builder.ts";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = "", err = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { code: await main(args), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

const dir = mkdtempSync(join(tmpdir(), "gannet-validate-"));
const good = join(dir, "good.wasm");
const bad = join(dir, "bad.wasm");
const tail = join(dir, "tail.wasm");
writeFileSync(good, funcModule([0x0b]));
writeFileSync(bad, funcModule([0x6a, 0x0b]));
writeFileSync(tail, funcModule([0x12, 0x00, 0x0b]));

describe("gannet validate", () => {
  it("prints valid for a valid module", async () => {
    const r = await run([good]);
    assert.equal(r.code, 0);
    assert.equal(r.out, "valid\n");
  });
  it("prints the first error and exits 1", async () => {
    const r = await run([bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.wasm: type mismatch.*offset/);
  });
  it("honours --features", async () => {
    assert.equal((await run([tail])).code, 0);
    const r = await run(["--features", "wasm2", tail]);
    assert.equal(r.code, 1);
    assert.match(r.err, /illegal opcode 12/);
    assert.equal((await run(["--features=tail-call", tail])).code, 0);
    assert.equal((await run(["--features", "nope", tail])).code, 2);
  });
  it("reports usage and unreadable files with exit 2", async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run([good, bad])).code, 2);
    assert.equal((await run(["--bogus", good])).code, 2);
    const r = await run([join(dir, "missing.wasm")]);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read/);
  });
});
