/**
 * Where the shared test corpora live (`../shared` beside the checkout, or
 * `$GANNET_SHARED`), and the rule for a missing corpus: under CI (CI=true)
 * it is a failure, elsewhere the test is skipped with a note.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The repository's root folder. */
export function repoDir(): string {
  return repoRoot;
}

/** The shared corpus folder (`$GANNET_SHARED` or `../shared`). */
export function sharedDir(): string {
  return process.env.GANNET_SHARED ?? join(repoRoot, "..", "shared");
}

/** True when running under CI, where missing corpora are failures. */
export function inCI(): boolean {
  return process.env.CI === "true" || process.env.CI === "1";
}

/**
 * Resolves `rel` inside the shared corpus. Returns null when it is missing
 * outside CI (the caller skips); throws when it is missing under CI.
 */
export function corpus(rel: string): string | null {
  const path = join(sharedDir(), rel);
  if (existsSync(path)) return path;
  if (inCI()) throw new Error(`required test corpus missing: ${path} (set GANNET_SHARED)`);
  console.warn(`skipping: test corpus missing: ${path}`);
  return null;
}
