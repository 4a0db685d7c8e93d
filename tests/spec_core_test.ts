/**
 * The wasm 2.0 core spec suite (without the SIMD scripts, which the SIMD
 * issue covers) through Gannet's WAST harness: every assertion must pass.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { corpus } from "./_shared.ts";
import { WASM2_FEATURES } from "../src/binary/features.ts";
import { newReport, runWast } from "../src/wast/runner.ts";

const dir = corpus("testsuite/core");

describe("core spec suite (minus simd_*)", () => {
  if (dir === null) return;
  const files = readdirSync(dir).filter((f) => f.endsWith(".wast") && !f.startsWith("simd_"));
  it("has the expected scripts", () => {
    assert.ok(files.length >= 90, `only ${files.length} scripts found in ${dir}`);
  });
  for (const f of files.sort()) {
    it(f, () => {
      const report = newReport();
      runWast(readFileSync(join(dir, f), "utf8"), f, WASM2_FEATURES, report);
      const shown = report.failures.slice(0, 10).map((x) => `${x.file}:${x.line}: ${x.message}`);
      assert.equal(report.failed, 0, shown.join("\n"));
    });
  }
});
