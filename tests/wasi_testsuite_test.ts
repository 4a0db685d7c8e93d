/**
 * Runs the 72 WASI preview1 programs of ../shared/wasi-testsuite the way
 * the suite's runner does: each in a fresh copy of its `root` directory
 * (preopened as the guest's `/`), with the JSON's args and env, comparing
 * the exit code and any given stdout/stderr exactly.
 *
 * GANNET_WASI_ENGINE=gannet (default) runs them on Gannet's interpreter;
 * =native on the host's WebAssembly (a stand-in that checks the WASI layer
 * alone). GANNET_WASI_VIA=cli (default) runs each through `gannet run`;
 * =api through the WASI class directly. GANNET_WASI_FS=memory (with
 * GANNET_WASI_VIA=api) uses the in-memory filesystem instead of real
 * directories. GANNET_WASI_ONLY=substring picks tests by name.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { corpus } from "./_shared.ts";
import { runSuiteTest, runSuiteTestCli, suiteTests } from "./wasi_testsuite_runner.ts";

const engine = process.env.GANNET_WASI_ENGINE ?? "gannet";
const only = process.env.GANNET_WASI_ONLY;
/** GANNET_WASI_FS=memory runs the suite on the in-memory filesystem instead of real directories. */
const backend = process.env.GANNET_WASI_FS === "memory" ? "memory" : "node";
const via = backend === "memory" ? "api" : process.env.GANNET_WASI_VIA ?? "cli";
const base = corpus("wasi-testsuite/tests");

describe(`wasi-testsuite preview1 (engine: ${engine}, via: ${via}, fs: ${backend})`, () => {
  if (base === null) {
    it.skip("wasi-testsuite corpus missing", () => {});
    return;
  }
  const tests = suiteTests(base).filter((t) => only === undefined || t.name.includes(only));
  it("finds all 72 preview1 programs", { skip: only !== undefined }, () => {
    assert.equal(tests.length, 72);
  });
  for (const t of tests) {
    it(t.name, async () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-wasi-"));
      try {
        const r = via === "cli"
          ? await runSuiteTestCli(t, tmp, engine)
          : await runSuiteTest(t, tmp, engine, backend);
        assert.equal(r.exitCode, t.spec.exit_code ?? 0, `exit code; stderr: ${r.stderr}`);
        if (t.spec.stdout !== undefined) assert.equal(r.stdout, t.spec.stdout, "stdout");
        if (t.spec.stderr !== undefined) assert.equal(r.stderr, t.spec.stderr, "stderr");
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});
