/**
 * WASI 0.2 for components: a host built from `@bytecodealliance/preview2-shim`
 * (`wasi:cli`, `clocks`, `filesystem`, `io`, `random`, `sockets`, `http`
 * types and outgoing handler) in jco's import-object shape, configured per
 * component instance.
 *
 * @example
 * ```ts
 * import { WasiP2Host } from "@gannet/wasm/wasip2";
 * import { CapturedOutput } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const stdout = new CapturedOutput();
 * const imports = new WasiP2Host({ args: ["tool"], stdout }).importObject();
 * const stream = (imports["wasi:cli/stdout"].getStdout as () => {
 *   blockingWriteAndFlush(b: Uint8Array): void;
 * })();
 * stream.blockingWriteAndFlush(new TextEncoder().encode("hi"));
 * assert.equal(stdout.text(), "hi");
 * ```
 *
 * @module
 */
export { exitStatus, type ImportObject, WasiP2Host, wasiP2Interface } from "./host.ts";
export type { HttpOptions, NetworkOptions, WasiP2Options } from "./options.ts";
export { type InstantiateComponent, runCommandComponent, runExport } from "./run.ts";
export type { StdioOption, WasiStream } from "../wasi/stdio.ts";
export { Filetype } from "../wasi/constants.ts";
