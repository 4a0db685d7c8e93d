/**
 * `gannet/polyfill`: installs Gannet's `WebAssembly`-compatible API as
 * `globalThis.WebAssembly` where the host has none (e.g. `deno
 * --v8-flags=--jitless`, JIT-less hosts), so existing glue code (emscripten,
 * wasm-bindgen, Go's wasm_exec.js) runs unchanged.
 *
 * ```ts
 * import { install } from "@gannet/wasm/polyfill";
 * install();                  // only if the host has no WebAssembly
 * install({ jspi: true });    // also if the host's has no JSPI (Suspending, promising)
 * install({ force: true });   // replace the host's
 * ```
 *
 * @module
 */

import { WebAssemblyNamespace } from "./api/namespace.ts";

/**
 * Options of {@link install}.
 *
 * @example
 * ```ts
 * import { install, type InstallOptions } from "@gannet/wasm/polyfill";
 * import assert from "node:assert/strict";
 *
 * const options: InstallOptions = { force: false };
 * assert.equal(install(options), globalThis.WebAssembly === undefined);
 * ```
 */
export interface InstallOptions {
  /** Replace the host's `WebAssembly` even if it has one. */
  force?: boolean;
  /**
   * Replace the host's `WebAssembly` if it lacks JSPI (`Suspending` and
   * `promising`, e.g. Node 20), so that glue which picks its JSPI build when
   * they exist (emscripten's `-sJSPI`) runs on Gannet instead of failing.
   */
  jspi?: boolean;
}

/**
 * Puts Gannet's API on `globalThis.WebAssembly` when the host has none, when
 * `jspi` is set and the host's has no JSPI, or when `force` is set. Returns
 * whether it did.
 *
 * @example
 * ```ts
 * import { install, WebAssemblyNamespace } from "@gannet/wasm/polyfill";
 * import assert from "node:assert/strict";
 *
 * const host = globalThis.WebAssembly;
 * // Deno and Bun have WebAssembly: without `force`, install leaves it alone.
 * assert.equal(install(), host === undefined);
 * assert.equal(install({ force: true }), true);
 * assert.equal(globalThis.WebAssembly, WebAssemblyNamespace);
 * Object.defineProperty(globalThis, "WebAssembly", { value: host, writable: true, configurable: true });
 * ```
 */
export function install(options?: InstallOptions): boolean {
  const host = (globalThis as { WebAssembly?: Record<string, unknown> }).WebAssembly;
  const keep = host !== undefined && options?.force !== true &&
    !(options?.jspi === true &&
      (typeof host.Suspending !== "function" || typeof host.promising !== "function"));
  if (keep) return false;
  Object.defineProperty(globalThis, "WebAssembly", {
    value: WebAssemblyNamespace,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return true;
}

export { WebAssemblyNamespace };
