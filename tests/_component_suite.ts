/**
 * The component-model script suite (`../shared/component-model`) and the
 * part of it in Gannet's scope: every script except those in `nyi.txt`
 * and those of the component-model async scope — the `async/` scripts that
 * use async built-ins, and `values/variants.wast` and
 * `values/post-return.wast` (which use `task.return`, streams, futures).
 * That is 29 scripts (SOURCE.md, MANIFEST.tsv).
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { corpus } from "./_shared.ts";
import { parseWast, wastModuleBytes } from "../src/text/wast.ts";

/** In-scope scripts that nonetheless use the async ABI. */
const ASYNC_VALUES = new Set(["values/variants.wast", "values/post-return.wast"]);

/** Known failures of the in-scope scripts (`file:line`), with the reason. */
export const KNOWN: Readonly<Record<string, string>> = {};

/** The KNOWN entries that are module commands (the others are assertions). */
export const MODULE_COMMANDS: ReadonlySet<string> = new Set<string>();

/**
 * Scripts of the async scope that pass with the part of component-model
 * async Gannet runs (async lifts, async lowers and `task.return` of tasks
 * that never wait): run too, so they stay passing; not counted in the 769.
 */
export const ASYNC_EXTRA = ["values/variants.wast"];

/** The suite's folder, or null when the corpus is missing (outside CI). */
export function componentSuite(): string | null {
  return corpus("component-model");
}

/** Paths (relative to the suite) of the in-scope scripts, from MANIFEST.tsv. */
export function inScopeComponentScripts(suite: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync(join(suite, "MANIFEST.tsv"), "utf8").split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const [path, , , , groups, , , nyi] = line.split("\t");
    if (nyi === "yes" || ASYNC_VALUES.has(path)) continue;
    if (path.startsWith("async/") && groups.split(",").includes("async")) continue;
    out.push(path);
  }
  return out;
}

/**
 * The component binaries of `../shared/components` (every folder), with
 * their paths; null when the corpus is missing (outside CI).
 */
export function sharedComponents(): { path: string; bytes: Uint8Array }[] | null {
  const dir = corpus("components");
  if (dir === null) return null;
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => {
      const p = join(d, f);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith(".wasm") ? [p] : [];
    });
  return walk(dir)
    .map((path) => ({ path, bytes: new Uint8Array(readFileSync(path)) }))
    .filter((c) => c.bytes[4] === 0x0d && c.bytes[6] === 0x01);
}

/**
 * Seeds for mutation fuzzing: every component of the in-scope scripts that
 * `isValid` accepts, and the shared components under 20 KB.
 */
export function componentSeeds(isValid: (bytes: Uint8Array) => boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  const suite = componentSuite();
  if (suite !== null) {
    for (const rel of inScopeComponentScripts(suite)) {
      for (const c of parseWast(readFileSync(join(suite, rel), "utf8"), rel)) {
        if (c.type !== "module" || c.module.component !== true) continue;
        try {
          const bytes = wastModuleBytes(c.module);
          if (isValid(bytes)) out.push(bytes);
        } catch { /* not a valid seed */ }
      }
    }
  }
  for (const { bytes } of sharedComponents() ?? []) if (bytes.length < 20_000) out.push(bytes);
  return out;
}
