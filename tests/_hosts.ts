/**
 * The three hosts the embedder-controls tests run guests on — Deno, Bun and
 * Deno without V8's JIT (so without native `WebAssembly`) — as command
 * prefixes, from the repository's pinned `node_modules/.bin`.
 *
 * @module
 */
import { join } from "node:path";
import { repoDir } from "./_shared.ts";

/** A pinned tool from the repository's `node_modules/.bin`. */
export function localBin(name: string): string {
  return join(repoDir(), "node_modules", ".bin", name);
}

/** The hosts by name, each as the command prefix that runs a script on it. */
export const HOSTS: Readonly<Record<string, readonly string[]>> = {
  deno: [localBin("deno"), "run", "-A"],
  bun: [localBin("bun")],
  jitless: [localBin("deno"), "run", "-A", "--v8-flags=--jitless"],
};

/** Child processes on three hosts take a while (bun test's default timeout is 5 s). */
export const LONG = { timeout: 600_000 };
