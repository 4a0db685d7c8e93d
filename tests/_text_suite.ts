/**
 * Helpers for the text-format suite tests: the spec scripts in scope, the
 * features each folder is written against, and custom-section stripping for
 * comparisons with wasm-tools.
 *
 * @module
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ALL_FEATURES, type Features, WASM2_FEATURES } from "../src/binary/features.ts";

/** All `.wast` files under `dir`, sorted. */
export function wastFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".wast")) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The scripts of the acceptance scope: core/, proposals/, core-wasm3/ (in-scope/ and gc-eh-fr/). */
export function inScopeFiles(suite: string): string[] {
  return [
    ...wastFiles(join(suite, "core")),
    ...wastFiles(join(suite, "proposals")),
    ...wastFiles(join(suite, "core-wasm3", "in-scope")),
    ...wastFiles(join(suite, "core-wasm3", "gc-eh-fr")),
  ];
}

/**
 * The features a script is written against: wasm 2.0 for core/ and the
 * 2.0-based proposals, memory64 for its proposal folder, all for wasm 3.0.
 * (Only memory64 changes what the text parser accepts.)
 */
export function featuresFor(path: string): Features {
  if (path.includes("core-wasm3") || path.includes("memory64")) return { ...ALL_FEATURES };
  return { ...WASM2_FEATURES };
}

/** The module without its custom sections (wasm-tools adds a `name` section). */
export function stripCustomSections(b: Uint8Array): Uint8Array {
  const out: number[] = Array.from(b.subarray(0, 8));
  // In a component, embedded modules (section 1) and components (4) are stripped too.
  const component = b[4] === 0x0d;
  let i = 8;
  while (i < b.length) {
    const id = b[i];
    let j = i + 1;
    let size = 0;
    let shift = 0;
    for (;;) {
      const x = b[j++];
      size += (x & 0x7f) * 2 ** shift;
      shift += 7;
      if ((x & 0x80) === 0) break;
    }
    if (component && (id === 1 || id === 4)) {
      const inner = stripCustomSections(b.subarray(j, j + size));
      out.push(id);
      let n = inner.length;
      do {
        out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
        n = Math.floor(n / 128);
      } while (n > 0);
      for (const x of inner) out.push(x);
    } else if (id !== 0) { for (let k = i; k < j + size; k++) out.push(b[k]); }
    i = j + size;
  }
  return Uint8Array.from(out);
}
