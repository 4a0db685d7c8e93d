/**
 * `gannet/polyfill`: installs Gannet's `WebAssembly`-compatible API as
 * `globalThis.WebAssembly` where the host has none (e.g. `deno
 * --v8-flags=--jitless`, JIT-less hosts), so existing glue code (emscripten,
 * wasm-bindgen, Go's wasm_exec.js) runs unchanged.
 *
 * ```ts
 * import { install } from "@gannet/wasm/polyfill";
 * install();                  // only if the host has no WebAssembly
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
}

/**
 * Puts Gannet's API on `globalThis.WebAssembly` when the host has none, or
 * when `force` is set. Returns whether it did.
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
  const present = (globalThis as { WebAssembly?: unknown }).WebAssembly !== undefined;
  if (present && options?.force !== true) return false;
  Object.defineProperty(globalThis, "WebAssembly", {
    value: WebAssemblyNamespace,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return true;
}

export { WebAssemblyNamespace };
