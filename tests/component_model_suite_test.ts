/**
 * The component-model script suite (the 29 in-scope scripts of
 * `../shared/component-model`) through Gannet's WAST harness. Every
 * `assert_invalid` and `assert_malformed` must pass with wasm-tools'
 * message, every component and definition must validate, and every other
 * assertion must pass except those listed in KNOWN, each with the reason.
 * `validation/max-value-size.wast` runs too: it is in `nyi.txt` (wasmtime
 * does not implement the rule yet) but the spec requires it and Gannet
 * implements it, making 769 assertions in all.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ASYNC_EXTRA,
  componentSuite,
  inScopeComponentScripts,
  KNOWN,
  MODULE_COMMANDS,
} from "./_component_suite.ts";
import { WASM2_FEATURES } from "../src/binary/features.ts";
import { newReport, runWast } from "../src/wast/runner.ts";

describe("component-model suite (in-scope scripts)", () => {
  const suite = componentSuite();
  if (suite === null) {
    it.skip("corpus missing", () => {});
    return;
  }
  const scripts = inScopeComponentScripts(suite);
  const inScope = scripts.length;
  it("has the 29 in-scope scripts", () => assert.equal(inScope, 29));
  scripts.push("validation/max-value-size.wast");
  let passed = 0;
  const failedKnown = new Set<string>();
  for (const rel of scripts) {
    it(rel, () => {
      const report = newReport();
      runWast(readFileSync(join(suite, rel), "utf8"), rel, WASM2_FEATURES, report);
      passed += report.passed;
      const unexpected: string[] = [];
      for (const f of report.failures) {
        const at = `${f.file}:${f.line}`;
        if (KNOWN[at] === undefined) unexpected.push(`${at}: ${f.message}`);
        else failedKnown.add(at);
      }
      assert.deepEqual(unexpected, []);
      assert.equal(report.skipped, 0);
    });
  }
  it("passes all but the known failures, and every known failure still fails", () => {
    const stale = Object.keys(KNOWN).filter((at) => !failedKnown.has(at));
    assert.deepEqual(stale, [], "known failures that pass now: remove them from KNOWN");
    const knownAssertions = Object.keys(KNOWN).filter((at) => !MODULE_COMMANDS.has(at)).length;
    assert.equal(passed, 769 - knownAssertions, `${passed} assertions passed`);
  });
  for (const rel of ASYNC_EXTRA) {
    it(`${rel} (async scope)`, () => {
      const report = newReport();
      runWast(readFileSync(join(suite, rel), "utf8"), rel, WASM2_FEATURES, report);
      assert.deepEqual(report.failures.map((f) => `${f.file}:${f.line}: ${f.message}`), []);
      assert.ok(report.passed > 0);
    });
  }
});
