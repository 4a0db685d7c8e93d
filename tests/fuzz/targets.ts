/**
 * The fuzz targets, by name: each entry is the module the worker imports
 * (it exports `target: FuzzTarget`).
 *
 * @module
 */

/** Target name → module URL. */
export const TARGETS: Readonly<Record<string, URL>> = {
  wasm: new URL("./wasm_target.ts", import.meta.url),
  text: new URL("./text_target.ts", import.meta.url),
  wasi: new URL("./wasi_target.ts", import.meta.url),
  decode: new URL("./decode_target.ts", import.meta.url),
  component: new URL("./component_target.ts", import.meta.url),
  "component-run": new URL("./component_run_target.ts", import.meta.url),
  "canon-abi": new URL("./canon_abi_target.ts", import.meta.url),
};

/** One line per target, for `--help` (kept beside the table so it stays complete). */
export const TARGET_SUMMARIES: Readonly<Record<string, string>> = {
  wasm: "binaryen translate-to-fuzz modules on Gannet and on the host's native WebAssembly",
  text: "mutated .wat: parse or WatSyntaxError, nothing else, no hang",
  wasi: "random preview1 call sequences against a temporary directory: errno only, no escape",
  decode: "mutated binaries: validate() a boolean, Module a CompileError, agreement with native",
  component: "mutated components: Component accepts or throws CompileError, nothing else",
  "component-run": "components instantiated, exports called: only expected errors, no hang",
  "canon-abi": "random component types and values lifted, stored, loaded back and lowered",
};
