/**
 * Runs every spec suite Gannet claims, each with its features, and prints a
 * line per suite plus the total; exits 1 on any failure or skip. CI runs it
 * under `deno run --v8-flags=--jitless` to prove the engine needs no native
 * WebAssembly (the test files cover the normal runtime).
 *
 * Usage: deno run -A tests/run_spec_suites.ts [--only NAME,…] [--require-no-native]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { corpus } from "./_shared.ts";
import { ALL_FEATURES, type Features, parseFeatureList } from "../src/binary/features.ts";
import { newReport } from "../src/wast/runner.ts";
import { runWastAsync } from "../src/wast/threads.ts";

interface Suite {
  name: string;
  dir: string;
  features: Features;
  /** Only the folder's own files (threads: mirror-2020/ predates wasm 2.0). */
  flat?: boolean;
}

const SUITES: Suite[] = [
  { name: "core", dir: "testsuite/core", features: parseFeatureList("") },
  { name: "memory64", dir: "testsuite/proposals/memory64", features: parseFeatureList("memory64") },
  {
    name: "multi-memory",
    dir: "testsuite/proposals/multi-memory",
    features: parseFeatureList("multi-memory"),
  },
  {
    name: "extended-const",
    dir: "testsuite/proposals/extended-const",
    features: parseFeatureList("extended-const"),
  },
  {
    name: "tail-call",
    dir: "testsuite/proposals/tail-call",
    features: parseFeatureList("tail-call"),
  },
  {
    name: "threads",
    dir: "testsuite/proposals/threads",
    features: parseFeatureList("threads"),
    flat: true,
  },
  { name: "wasm3-in-scope", dir: "testsuite/core-wasm3/in-scope", features: { ...ALL_FEATURES } },
];

function wastFiles(dir: string, flat = false): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!flat) out.push(...wastFiles(path));
    } else if (name.endsWith(".wast")) out.push(path);
  }
  return out;
}

console.log(
  `native WebAssembly: ${typeof (globalThis as { WebAssembly?: unknown }).WebAssembly}` +
    (process.argv.includes("--require-no-native") ? " (must be undefined)" : ""),
);
if (
  process.argv.includes("--require-no-native") &&
  typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== "undefined"
) {
  console.error("native WebAssembly is present; run with --v8-flags=--jitless");
  process.exit(1);
}
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1].split(",")) : null;
let passed = 0, failed = 0, skipped = 0;
for (const suite of SUITES) {
  if (only !== null && !only.has(suite.name)) continue;
  const dir = corpus(suite.dir);
  if (dir === null) continue;
  const report = newReport();
  const t0 = performance.now();
  for (const file of wastFiles(dir, suite.flat)) {
    // Async: the threads suite's `thread` blocks run on workers.
    await runWastAsync(readFileSync(file, "utf8"), file, suite.features, report);
  }
  const ms = Math.round(performance.now() - t0);
  for (const f of report.failures.slice(0, 20)) console.log(`  ${f.file}:${f.line}: ${f.message}`);
  console.log(
    `${suite.name}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped (${ms} ms)`,
  );
  passed += report.passed;
  failed += report.failed;
  skipped += report.skipped;
}
console.log(`spec: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || skipped > 0 ? 1 : 0;
