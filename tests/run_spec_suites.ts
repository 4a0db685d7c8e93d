/**
 * Runs every spec suite Gannet claims, each with its features, and prints a
 * line per suite plus the total; exits 1 on any failure or skip. CI runs it
 * under `deno run --v8-flags=--jitless` to prove the engine needs no native
 * WebAssembly (the test files cover the normal runtime).
 *
 * Usage: deno run -A tests/run_spec_suites.ts [--only NAME,…] [--require-no-native]
 *   [--jit=off|auto|eager]
 *
 * `--jit=eager` compiles every function on its first call (`src/jit`), so
 * the suites check compiled code; the default is the engine's (auto).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { corpus } from "./_shared.ts";
import {
  ALL_FEATURES,
  type Features,
  parseFeatureList,
  WASM2_FEATURES,
} from "../src/binary/features.ts";
import { ASYNC_EXTRA, inScopeComponentScripts, KNOWN } from "./_component_suite.ts";
import { GC_KNOWN, GC_SCRIPTS } from "./_gc_suite.ts";
import { newReport } from "../src/wast/runner.ts";
import { EH_SCRIPTS, FR_SCRIPTS } from "./_wasm3_scripts.ts";
import { runWastAsync } from "../src/wast/threads.ts";
import { type JitMode, setDefaultJit } from "../src/jit/tier.ts";
import { jitStats } from "../src/jit/compile.ts";

interface Suite {
  name: string;
  dir: string;
  features: Features;
  /** Only the folder's own files (threads: mirror-2020/ predates wasm 2.0). */
  flat?: boolean;
  /** The scripts to run (paths relative to `dir`) instead of every `.wast` below it. */
  files?: (dir: string) => string[];
  /** `file:line` of failures the suite expects (each must still fail). */
  known?: readonly string[];
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
  {
    // The gc-eh-fr scripts that need exception handling or typed function
    // references but not GC (tests/_wasm3_scripts.ts).
    name: "wasm3-eh-fr",
    dir: "testsuite/core-wasm3/gc-eh-fr",
    features: { ...ALL_FEATURES },
    files: () => [...Object.keys(EH_SCRIPTS), ...Object.keys(FR_SCRIPTS)],
  },
  {
    // The GC scripts of the wasm 3.0 suite (issue 15).
    name: "wasm3-gc",
    dir: "testsuite/core-wasm3/gc-eh-fr",
    features: { ...ALL_FEATURES },
    files: () => [...GC_SCRIPTS],
    known: Object.keys(GC_KNOWN),
  },
  {
    // Issue 13's acceptance: the 29 in-scope scripts and max-value-size (769 assertions).
    name: "component-model",
    dir: "component-model",
    features: WASM2_FEATURES,
    files: (dir) => [...inScopeComponentScripts(dir), "validation/max-value-size.wast"],
    known: Object.keys(KNOWN),
  },
  {
    // The async-scope scripts that pass with the async Gannet runs.
    name: "component-model-async-part",
    dir: "component-model",
    features: WASM2_FEATURES,
    files: () => ASYNC_EXTRA,
  },
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
const jitArg = process.argv.find((a) => a.startsWith("--jit="))?.slice(6);
if (jitArg !== undefined) {
  if (!["off", "auto", "eager"].includes(jitArg)) {
    throw new TypeError(`--jit=${jitArg}: off, auto or eager`);
  }
  setDefaultJit(jitArg as JitMode);
  console.log(`jit: ${jitArg}`);
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
  const files = suite.files?.(dir).map((f) => join(dir, f)) ?? wastFiles(dir, suite.flat);
  for (const file of files) {
    // Async: the threads suite's `thread` blocks run on workers.
    await runWastAsync(readFileSync(file, "utf8"), file, suite.features, report);
  }
  const ms = Math.round(performance.now() - t0);
  const known = new Set(suite.known ?? []);
  const at = (f: { file: string; line: number }) => `${relative(dir, f.file)}:${f.line}`;
  const failures = report.failures.filter((f) => !known.has(at(f)));
  const stillFailing = new Set(report.failures.map(at));
  const stale = [...known].filter((k) => !stillFailing.has(k));
  for (const f of failures.slice(0, 20)) console.log(`  ${f.file}:${f.line}: ${f.message}`);
  for (const k of stale) console.log(`  ${k}: listed as a known failure but passes`);
  const expected = report.failures.length - failures.length;
  console.log(
    `${suite.name}: ${report.passed} passed, ${failures.length + stale.length} failed, ` +
      `${report.skipped} skipped` + (expected > 0 ? `, ${expected} known failures` : "") +
      ` (${ms} ms)`,
  );
  passed += report.passed;
  failed += failures.length + stale.length;
  skipped += report.skipped;
}
console.log(`spec: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (jitArg !== undefined) {
  console.log(
    `jit: ${jitStats.compiled} functions compiled (${Math.round(jitStats.ms)} ms), ` +
      `${jitStats.declined} declined`,
  );
}
process.exitCode = failed > 0 || skipped > 0 ? 1 : 0;
