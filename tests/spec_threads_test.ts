/**
 * The threads proposal's spec scripts through the async WAST harness, with
 * `threads` on: every assertion must pass and none may be skipped. The
 * litmus tests (`thread`/`wait`) run on real workers sharing memory.
 *
 * Following `../shared/testsuite/SOURCE.md`: `proposals/threads/` (16 files,
 * threads' `binary`/`exports`/`memory` supersede core's); `core/` minus those
 * three with threads on; and `mirror-2020/`, the 2020 copy kept for the
 * `spectest.shared_memory` import tests: it predates wasm 2.0, so its
 * `imports.wast` still says a second table is invalid (reference types, in
 * Gannet's wasm 2.0 baseline, made it valid) — exactly those assertions fail.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { corpus } from "./_shared.ts";
import { type Features, parseFeatureList, WASM2_FEATURES } from "../src/binary/features.ts";
import { newReport, type WastReport } from "../src/wast/runner.ts";
import { runWastAsync } from "../src/wast/threads.ts";
import { defaultJit, setDefaultJit } from "../src/jit/tier.ts";

const suite = corpus("testsuite");
const features = parseFeatureList("threads", WASM2_FEATURES);

function wastIn(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith(".wast")).sort().map((n) => join(dir, n));
}

async function run(files: string[], f: Readonly<Features>): Promise<WastReport> {
  const report = newReport();
  for (const file of files) await runWastAsync(readFileSync(file, "utf8"), file, f, report);
  return report;
}

function assertClean(report: WastReport, files: number): void {
  const shown = report.failures.slice(0, 10).map((x) => `${x.file}:${x.line}: ${x.message}`);
  assert.equal(report.failed, 0, shown.join("\n"));
  assert.equal(report.skipped, 0, `${report.skipped} assertions skipped`);
  assert.ok(report.passed > files, `only ${report.passed} assertions passed`);
}

describe("threads spec suite", () => {
  if (suite === null) return;
  const dir = join(suite, "proposals", "threads");

  it("proposals/threads/*.wast (litmus tests on workers)", async () => {
    const files = wastIn(dir);
    assert.equal(files.length, 16, `${dir}: .wast files`);
    const report = await run(files, features);
    assertClean(report, files.length);
    // Every thread block was joined (each `wait` counts one pass): a runner
    // that skipped threads could not reach this count.
    const waits = files.map((f) => readFileSync(f, "utf8").match(/\(wait \$/g)?.length ?? 0)
      .reduce((a, b) => a + b, 0);
    assert.ok(waits >= 20, `only ${waits} waits`);
  });

  it("proposals/threads/*.wast with the JIT compiling every function (jit eager, in every thread)", async () => {
    const was = defaultJit();
    setDefaultJit("eager");
    try {
      const files = wastIn(dir);
      assertClean(await run(files, features), files.length);
    } finally {
      setDefaultJit(was);
    }
  });

  it("core/ with threads on, minus binary/exports/memory", async () => {
    const superseded = ["binary", "exports", "memory"];
    const files = wastIn(join(suite, "core"))
      .filter((f) => !superseded.includes(basename(f, ".wast")));
    assertClean(await run(files, features), files.length);
  });

  it("mirror-2020/: all pass but the pre-wasm-2.0 'multiple tables' assertions", async () => {
    const files = wastIn(join(dir, "mirror-2020"));
    assert.equal(files.length, 4);
    const report = await run(files, features);
    const text = readFileSync(join(dir, "mirror-2020", "imports.wast"), "utf8").split("\n");
    for (const f of report.failures) {
      assert.equal(basename(f.file), "imports.wast", `${f.file}:${f.line}: ${f.message}`);
      // The failing assertion's module declares two tables; its message is "multiple tables".
      const cmd = text.slice(f.line - 1, f.line + 3).join("\n");
      assert.match(cmd, /\(table[\s\S]*\(table/, `${f.line}: ${f.message}`);
      assert.match(cmd, /"multiple tables"/);
    }
    assert.equal(report.failed, 3);
    assert.equal(report.skipped, 0);
    assert.ok(report.passed > 400, `only ${report.passed} passed`);
  });
});
