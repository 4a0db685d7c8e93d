/**
 * Modules whose imports name ES modules by path (`(import "./glue.js" "f"
 * …)`, as wasm-bindgen's `bundler` output and the wasm ESM-integration
 * proposal have it) load as generated JavaScript: static `import`
 * statements let Bun resolve, load and order those modules (cycles
 * included) as for any ES module, and the generated code then asks this
 * module to instantiate the wasm with their namespaces. Generated code, not
 * a dynamic `import()` here, keeps every import analyzable.
 *
 * @module
 */
import type { Module } from "../api/module.ts";
import { finishFile } from "./_load.ts";
import type { ResolvedFileOptions } from "./_options.ts";

interface Pending {
  path: string;
  module: Module;
  options: ResolvedFileOptions;
}

/** Compiled files waiting for their generated module to run, by ticket. */
const pending = new Map<number, Pending>();
let nextTicket = 1;

/**
 * Instantiates the file behind `ticket` (called by the generated module,
 * once, with the namespaces of the ES modules it imported).
 */
export function completeImport(
  ticket: number,
  namespaces: Record<string, object>,
): Record<string, unknown> {
  const p = pending.get(ticket);
  if (p === undefined) throw new Error(`gannet/bun-plugin: unknown or used ticket ${ticket}`);
  pending.delete(ticket);
  return finishFile(p.path, p.module, p.options, namespaces);
}

/**
 * JavaScript source for a module that imports `esModules`, instantiates the
 * wasm file through {@link completeImport}, and exports `exportNames` (and
 * the whole exports object as `default`).
 */
export function generatedModule(
  path: string,
  module: Module,
  options: ResolvedFileOptions,
  esModules: string[],
  exportNames: string[],
): string {
  const ticket = nextTicket++;
  pending.set(ticket, { path, module, options });
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    `import { completeImport } from ${q(import.meta.url)};`,
    ...esModules.map((spec, i) => `import * as m${i} from ${q(spec)};`),
    `const wasmExports = completeImport(${ticket}, {${
      esModules.map((spec, i) => `${q(spec)}: m${i}`).join(", ")
    }});`,
    "export default wasmExports;",
    // String export names (ES2022) allow any wasm export name.
    ...exportNames.filter((n) => n !== "default").map((n, i) =>
      `const e${i} = wasmExports[${q(n)}];\nexport { e${i} as ${q(n)} };`
    ),
  ];
  return lines.join("\n") + "\n";
}
