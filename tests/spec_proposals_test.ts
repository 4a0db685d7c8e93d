/**
 * The proposal spec suites through Gannet's WAST harness, each with its
 * feature on: every assertion must pass and none may be skipped.
 *
 * Following `../shared/testsuite/SOURCE.md`:
 * - `proposals/NAME/` runs with NAME on (over the wasm 2.0 baseline), and so
 *   does `core/` minus the files NAME supersedes (a proposal file with the
 *   same name as a core file replaces it: the core version asserts, e.g.,
 *   that a second memory is invalid);
 * - the wasm 3.0 suite is `core-wasm3/in-scope/` (custom/ included) plus the
 *   `core/` files that `core-wasm3/IDENTICAL-TO-CORE.txt` lists, with every
 *   feature on;
 * - `core-wasm3/gc-eh-fr/`'s GC scripts (`_gc_suite.ts`) with every feature
 *   on: every assertion passes but the listed known failures (which must
 *   still fail), and each script passes at least the count given here.
 *   Exception handling and typed function references run elsewhere.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { corpus } from "./_shared.ts";
import {
  ALL_FEATURES,
  type Features,
  parseFeatureList,
  WASM2_FEATURES,
} from "../src/binary/features.ts";
import { newReport, runWast } from "../src/wast/runner.ts";
import { GC_KNOWN, GC_SCRIPTS } from "./_gc_suite.ts";

const suite = corpus("testsuite");

/** Each proposal folder, its `.wast` count and the core files it supersedes, per SOURCE.md. */
const PROPOSALS: { name: string; files: number; supersedes: string }[] = [
  {
    name: "memory64",
    files: 27,
    supersedes: "address binary-leb128 binary call_indirect memory memory_copy memory_fill " +
      "memory_init simd_address table table_copy table_fill table_get table_grow table_init " +
      "table_set table_size",
  },
  {
    name: "multi-memory",
    files: 48,
    supersedes: "align binary data imports load memory memory_grow memory_size store",
  },
  { name: "extended-const", files: 3, supersedes: "data elem global" },
  { name: "tail-call", files: 2, supersedes: "" },
];

function wastFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...wastFiles(path));
    else if (name.endsWith(".wast")) out.push(path);
  }
  return out;
}

/** Runs `files` with `features`; asserts no failure, no skip, and some passes. */
function runAll(files: string[], features: Readonly<Features>): void {
  const report = newReport();
  for (const f of files) runWast(readFileSync(f, "utf8"), f, features, report);
  const shown = report.failures.slice(0, 10).map((x) => `${x.file}:${x.line}: ${x.message}`);
  assert.equal(report.failed, 0, shown.join("\n"));
  assert.equal(report.skipped, 0, `${report.skipped} assertions skipped`);
  assert.ok(report.passed > files.length, `only ${report.passed} assertions passed`);
}

describe("proposal spec suites", () => {
  if (suite === null) return;
  const core = join(suite, "core");
  const coreFiles = wastFiles(core);

  for (const p of PROPOSALS) {
    const dir = join(suite, "proposals", p.name);
    const features = parseFeatureList(p.name, WASM2_FEATURES);

    it(`proposals/${p.name}/ with ${p.name} on`, () => {
      const files = wastFiles(dir);
      assert.equal(files.length, p.files, `${dir}: .wast files`);
      runAll(files, features);
    });

    it(`core/ with ${p.name} on, minus the files it supersedes`, () => {
      // The same-name rule and SOURCE.md's list agree.
      const sameName = wastFiles(dir).map((f) => basename(f, ".wast"))
        .filter((n) => existsSync(join(core, `${n}.wast`)));
      const listed = p.supersedes === "" ? [] : p.supersedes.split(" ");
      assert.deepEqual(sameName.sort(), listed.sort());
      runAll(coreFiles.filter((f) => !listed.includes(basename(f, ".wast"))), features);
    });
  }

  it("wasm 3.0 GC scripts (core-wasm3/gc-eh-fr), all features", () => {
    const dir = join(suite, "core-wasm3", "gc-eh-fr");
    let total = 0;
    for (const name of GC_SCRIPTS) {
      const report = newReport();
      runWast(readFileSync(join(dir, name), "utf8"), name, ALL_FEATURES, report);
      const failures = report.failures.map((f) => `${f.file}:${f.line}`);
      const unexpected = report.failures.filter((f) => !(`${f.file}:${f.line}` in GC_KNOWN));
      assert.deepEqual(
        unexpected.map((f) => `${f.file}:${f.line}: ${f.message}`),
        [],
        `${name}: unexpected failures`,
      );
      const stale = Object.keys(GC_KNOWN).filter((k) =>
        k.startsWith(`${name}:`) && !failures.includes(k)
      );
      assert.deepEqual(stale, [], `${name}: known failures that now pass (remove them)`);
      assert.equal(report.skipped, 0, `${name}: ${report.skipped} assertions skipped`);
      total += report.passed;
    }
    // 659 when written, 2263 with the typed-reference failures fixed and ref_null,
    // table_init and table_init64 added; a drop means assertions stopped running.
    assert.ok(total >= 2263, `only ${total} assertions passed`);
  });

  it("wasm 3.0 in scope: core-wasm3/in-scope/ and the unchanged core/ files, all features", () => {
    const inScope = wastFiles(join(suite, "core-wasm3", "in-scope"));
    assert.equal(inScope.length, 97, "core-wasm3/in-scope .wast files");
    const identical = readFileSync(join(suite, "core-wasm3", "IDENTICAL-TO-CORE.txt"), "utf8")
      .split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"))
      .map((n) => join(core, n));
    assert.ok(identical.length >= 100, `only ${identical.length} identical core files listed`);
    for (const f of identical) assert.ok(existsSync(f), `${f} is missing`);
    runAll([...inScope, ...identical], ALL_FEATURES);
  });
});
