/**
 * Gannet: a WebAssembly engine written in TypeScript, for Deno and Bun.
 *
 * This entry exposes a `WebAssembly`-compatible API (`Module`, `Instance`,
 * `Memory`, `Table`, `Global`, `validate`, `compile`, `instantiate`, the
 * error classes) that runs on an interpreter: no native `WebAssembly`, no
 * `eval`.
 *
 * @example
 * ```ts
 * import { instantiate, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const { instance } = await instantiate(parseWat(`(module
 *   (func (export "add") (param i32 i32) (result i32)
 *     (i32.add (local.get 0) (local.get 1))))`));
 * const add = instance.exports.add as (a: number, b: number) => number;
 * assert.equal(add(2, 3), 5);
 * ```
 *
 * @module
 */
export { CompileError, LinkError, RuntimeError, SuspendError } from "./src/errors.ts";
export type { Features } from "./src/binary/features.ts";
export { compile, Module, validate } from "./src/api/module.ts";
export type {
  BytesSource,
  ImportExportKind,
  ModuleExportDescriptor,
  ModuleImportDescriptor,
  ModuleOptions,
} from "./src/api/module.ts";
export { parseWat, WatSyntaxError } from "./src/text/parse_wat.ts";
export type { ParseWatOptions } from "./src/text/parse_wat.ts";
export { Instance, instantiate } from "./src/api/instance.ts";
export type { InstanceOptions, WebAssemblyInstantiatedSource } from "./src/api/instance.ts";
export { requestInterrupt, Store } from "./src/api/store.ts";
export { callResumable, ResumableCall } from "./src/api/resumable.ts";
export type { ResumableOptions } from "./src/api/resumable.ts";
export type { WasmFrame } from "./src/interp/backtrace.ts";
export { snapshot } from "./src/api/snapshot.ts";
export type { SnapshotOptions } from "./src/api/snapshot.ts";
export { restore } from "./src/api/snapshot_restore.ts";
export type { Restored, RestoreOptions } from "./src/api/snapshot_restore.ts";
export { SnapshotError } from "./src/api/snapshot_codec.ts";
export type { StopReason } from "./src/runtime/store.ts";
export type { StoreLimits, StoreOptions } from "./src/api/store.ts";
export type { JitMode } from "./src/jit/tier.ts";
export type { GrowthLimiter } from "./src/runtime/store.ts";
export { promising, Suspending } from "./src/api/jspi.ts";
export { Memory } from "./src/api/memory.ts";
export type { MemoryDescriptor } from "./src/api/memory.ts";
export { describeSharedMemory, sharedMemoryFrom } from "./src/threads/shared_memory.ts";
export type { SharedMemoryDescriptor } from "./src/threads/shared_memory.ts";
export { describeModule, moduleFrom } from "./src/threads/module_transfer.ts";
export type { ModuleDescriptor } from "./src/threads/module_transfer.ts";
export { Table } from "./src/api/table.ts";
export type { TableDescriptor } from "./src/api/table.ts";
export { Global } from "./src/api/global.ts";
export type { GlobalDescriptor } from "./src/api/global.ts";
export { JSTag, Tag } from "./src/api/tag.ts";
export type { TagDescriptor } from "./src/api/tag.ts";
export { Exception } from "./src/api/exception.ts";
export type { ExceptionOptions } from "./src/api/exception.ts";
export { WebAssemblyNamespace } from "./src/api/namespace.ts";
