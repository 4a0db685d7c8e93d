/**
 * Regression files: every divergence the wasm fuzzer found, reduced, with
 * the native engine's trace recorded when it was fixed. `NAME.wasm` is the
 * module exactly as Gannet runs it (adapted, state exposed); `NAME.json`
 * says what the bug was and what the native engine did. The
 * test (`regressions_test.ts`) runs each on Gannet and compares with the
 * recorded trace — no native engine needed, so it also runs jitless — and,
 * where the host has one, with the native engine live as well.
 *
 * Recording: `deno run -A tests/fuzz/record.ts NAME FILE.reduced "what the bug was"`.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Trace } from "./execute.ts";

/** Where regression files live. */
export const REGRESSIONS_DIR: string = new URL("./regressions/", import.meta.url).pathname;

/** The recorded part of a regression. */
export interface RegressionRecord {
  /** What was wrong, and the commit that fixed it. */
  description: string;
  /** Where it came from (seed, binaryen version). */
  found: string;
  /** Whether the native engine ran these same bytes (false when relaxed SIMD was lowered). */
  nativeSame: boolean;
  /** The native engine's trace, with memories as length and hash. */
  expected: { engine: string; lines: string[]; memories: Record<string, string> };
}

/** A regression: its name, module and record. */
export interface Regression extends RegressionRecord {
  /** The file name without extension. */
  name: string;
  /** The module. */
  module: Uint8Array;
}

/** Length and FNV-1a hash of a memory, as recorded. */
export function memoryDigest(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `${bytes.length}:${(h >>> 0).toString(16).padStart(8, "0")}`;
}

/** A trace as recorded (memories digested). */
export function recordTrace(t: Trace): RegressionRecord["expected"] {
  const memories: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(t.memories)) memories[name] = memoryDigest(bytes);
  return { engine: t.engine, lines: t.lines, memories };
}

/** Every regression file. */
export function loadRegressions(dir: string = REGRESSIONS_DIR): Regression[] {
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => {
    const name = f.slice(0, -5);
    const record = JSON.parse(readFileSync(join(dir, f), "utf8")) as RegressionRecord;
    return { ...record, name, module: new Uint8Array(readFileSync(join(dir, `${name}.wasm`))) };
  });
}
