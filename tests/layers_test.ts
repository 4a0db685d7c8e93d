/**
 * The layers point one way (docs/ARCHITECTURE.md): no module imports a layer
 * above its own. Checked over the non-test sources of each folder.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoDir } from "./_shared.ts";

/** Folders each folder must not import from. */
const FORBIDDEN: Record<string, string[]> = {
  binary: ["text", "validate", "numeric", "runtime", "interp", "api", "wasi", "cli", "wast"],
  numeric: ["runtime", "interp", "simd", "threads", "api", "wasi", "cli", "wast"],
  runtime: ["interp", "simd", "threads", "jit", "api", "wasi", "cli", "wast", "component"],
  interp: ["api", "wasi", "cli", "wast", "component"],
  api: ["wasi", "cli", "wast", "component"],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith("_test.ts") && !e.name.startsWith("_")
      ? [p]
      : [];
  });
}

/**
 * Folders of the engine core that use no host module at all: they run the
 * same on every host, and nothing in them reads files or the environment
 * (a debugging hook that loaded compiled code named by an environment
 * variable once slipped into src/jit).
 */
const HOSTLESS = ["numeric", "runtime", "jit", "simd", "validate"];

describe("layers", () => {
  for (const folder of HOSTLESS) {
    it(`src/${folder} imports no host module`, () => {
      const bad: string[] = [];
      for (const file of sources(join(repoDir(), "src", folder))) {
        const text = readFileSync(file, "utf8");
        for (const [, target] of text.matchAll(/^(?:import|export)[^"']*["'](node:[\w/]+)["']/gm)) {
          bad.push(`${file.slice(repoDir().length + 1)} → ${target}`);
        }
      }
      assert.deepEqual(bad, []);
    });
  }

  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`src/${folder} imports no layer above it`, () => {
      const bad: string[] = [];
      for (const file of sources(join(repoDir(), "src", folder))) {
        const text = readFileSync(file, "utf8");
        for (const [, target] of text.matchAll(/^(?:import|export)[^"']*["']\.\.\/([a-z_]+)\//gm)) {
          if (forbidden.includes(target)) {
            bad.push(`${file.slice(repoDir().length + 1)} → ${target}`);
          }
        }
      }
      assert.deepEqual(bad, []);
    });
  }
});
