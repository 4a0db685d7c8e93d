/**
 * The adapter path: a WASI preview1 module wrapped into a WASI 0.2 command
 * component with the `wasi_snapshot_preview1` adapter (as
 * `wasm-tools component new --adapt` does). The wrapping is done by
 * `componentNew` of `@bytecodealliance/jco-transpile` (a development
 * dependency, which needs the host's native WebAssembly); it is loaded only
 * when a module is adapted.
 *
 * @module
 */

/**
 * Wraps the preview1 module `module` with `adapter` (e.g.
 * `wasi_snapshot_preview1.command.wasm`); returns the component's bytes.
 */
export async function adaptModule(module: Uint8Array, adapter: Uint8Array): Promise<Uint8Array> {
  let componentNew: (bytes: Uint8Array, adapters: [string, Uint8Array][]) => Promise<Uint8Array>;
  try {
    ({ componentNew } = await import("@bytecodealliance/jco-transpile/wasm-tools"));
  } catch {
    throw new Error("--adapt needs @bytecodealliance/jco-transpile (a development dependency)");
  }
  return await componentNew(module, [["wasi_snapshot_preview1", adapter]]);
}
