/**
 * The adapter path: a WASI preview1 module wrapped into a WASI 0.2 command
 * component with the `wasi_snapshot_preview1` adapter (as
 * `wasm-tools component new --adapt` does). The wrapping is done by
 * `componentNew` of `@bytecodealliance/jco-transpile` (a development
 * dependency), loaded only when a module is adapted. It is wasm itself: where
 * the host has no native WebAssembly (`--jitless`), Gannet's polyfill runs it
 * (about 18 s for a 84 KB module on this machine, against 0.3 s natively).
 *
 * @module
 */
import { install } from "../polyfill.ts";

/**
 * Wraps the preview1 module `module` with `adapter` (e.g.
 * `wasi_snapshot_preview1.command.wasm`); returns the component's bytes.
 */
export async function adaptModule(module: Uint8Array, adapter: Uint8Array): Promise<Uint8Array> {
  install();
  let componentNew: (bytes: Uint8Array, adapters: [string, Uint8Array][]) => Promise<Uint8Array>;
  try {
    ({ componentNew } = await import("@bytecodealliance/jco-transpile/wasm-tools"));
  } catch {
    throw new Error("--adapt needs @bytecodealliance/jco-transpile (a development dependency)");
  }
  return await componentNew(module, [["wasi_snapshot_preview1", adapter]]);
}
