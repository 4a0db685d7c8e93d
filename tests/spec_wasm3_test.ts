/**
 * The wasm 3.0 scripts that need exception handling or typed function
 * references but not GC (`core-wasm3/gc-eh-fr/`, listed in
 * `_wasm3_scripts.ts`; the GC ones run in `spec_proposals_test.ts`): each must pass its every assertion, with
 * every feature on, and none may be skipped.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { corpus } from "./_shared.ts";
import { ALL_FEATURES } from "../src/binary/features.ts";
import { newReport, runWast } from "../src/wast/runner.ts";
import { EH_SCRIPTS, FR_SCRIPTS } from "./_wasm3_scripts.ts";

const dir = corpus("testsuite/core-wasm3/gc-eh-fr");

describe("core-wasm3/gc-eh-fr", () => {
  if (dir === null) return;
  const scripts = [
    ...Object.entries(EH_SCRIPTS).map(([n, c]) => [n, c, "exception handling"] as const),
    ...Object.entries(FR_SCRIPTS).map(([n, c]) => [n, c, "typed function references"] as const),
  ];
  for (const [name, count, what] of scripts) {
    it(`${name} (${what}): ${count} assertions`, () => {
      const report = newReport();
      const file = join(dir, name);
      runWast(readFileSync(file, "utf8"), file, ALL_FEATURES, report);
      const shown = report.failures.slice(0, 10).map((x) => `${x.file}:${x.line}: ${x.message}`);
      assert.equal(report.failed, 0, shown.join("\n"));
      assert.equal(report.skipped, 0, `${report.skipped} assertions skipped`);
      assert.equal(report.passed, count);
    });
  }
});
