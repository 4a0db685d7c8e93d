/**
 * `gannet wast [--features LIST] FILE.wast…`: runs spec scripts (core and
 * component-model: `(component …)` commands, component values) and prints
 * each failure as `file:line: message`, then
 * `wast: N passed, N failed, N skipped`. Exit code 1 when anything failed.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import process from "node:process";
import { parseFeatureList, WASM2_FEATURES } from "../binary/features.ts";
import { newReport } from "../wast/runner.ts";
import { runWastAsync } from "../wast/threads.ts";

const USAGE = "usage: gannet wast [--features LIST] [--quiet] FILE.wast…\n" +
  "  --features LIST  proposals over the wasm 2.0 baseline: NAME on, -NAME off, all";

/** Entry point; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let features = { ...WASM2_FEATURES };
  let quiet = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--features") {
      const list = args[++i];
      if (list === undefined) {
        console.error(`wast: --features needs a list\n${USAGE}`);
        return Promise.resolve(2);
      }
      try {
        features = parseFeatureList(list, features);
      } catch (e) {
        console.error(`wast: ${(e as Error).message}`);
        return Promise.resolve(2);
      }
    } else if (a.startsWith("--features=")) {
      features = parseFeatureList(a.slice(11), features);
    } else if (a === "--quiet" || a === "-q") quiet = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      return Promise.resolve(0);
    } else files.push(a);
  }
  if (files.length === 0) {
    console.error(USAGE);
    return Promise.resolve(2);
  }
  const report = newReport();
  for (const file of files) {
    let source: string;
    try {
      source = readFileSync(file, "utf8");
    } catch (e) {
      console.error(`wast: cannot read ${file}: ${(e as Error).message}`);
      report.failed++;
      continue;
    }
    const before = report.failures.length;
    // The async runner: `thread` blocks run on workers (files without
    // threads run exactly as with the sync runner).
    await runWastAsync(source, file, features, report);
    if (!quiet) {
      for (const f of report.failures.slice(before)) {
        console.log(`${f.file}:${f.line}: ${f.message}`);
      }
    }
  }
  console.log(`wast: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return Promise.resolve(report.failed > 0 ? 1 : 0);
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
