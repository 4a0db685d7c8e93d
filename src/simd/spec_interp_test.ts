/**
 * The acceptance run: every spec SIMD script (`core/simd_*.wast`, and the
 * relaxed-SIMD scripts of `core-wasm3/in-scope` with `relaxed-simd` on)
 * through the interpreter with this folder's executor installed. Every
 * assertion must pass, none may be skipped.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { corpus } from "../../tests/_shared.ts";
import { parseFeatureList, WASM2_FEATURES } from "../binary/features.ts";
import { newReport, runWast } from "../wast/runner.ts";

describe("spec SIMD scripts on the interpreter", () => {
  const sets: [string, (f: string) => boolean, string][] = [
    ["testsuite/core", (f) => f.startsWith("simd_"), ""],
    ["testsuite/core-wasm3/in-scope", (f) => f.includes("relaxed"), "relaxed-simd"],
  ];
  let passed = 0;
  for (const [rel, pick, list] of sets) {
    const dir = corpus(rel);
    if (dir === null) continue;
    const features = list ? parseFeatureList(list, WASM2_FEATURES) : WASM2_FEATURES;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".wast") && pick(f)).sort()) {
      it(file, () => {
        const report = newReport();
        runWast(readFileSync(join(dir, file), "utf8"), file, features, report);
        passed += report.passed;
        const shown = report.failures.slice(0, 5).map((f) => `${f.line}: ${f.message}`);
        assert.deepEqual(shown, [], `${report.failed} failed`);
        assert.equal(report.skipped, 0, "skipped assertions");
      });
    }
  }
  it("summary", () => {
    console.log(`spec SIMD scripts on the interpreter: ${passed} assertions passed`);
    assert.ok(passed > 0);
  });
});
