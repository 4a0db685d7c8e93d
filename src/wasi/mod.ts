/**
 * Gannet's WASI preview1 host (`gannet/wasi`): the {@link WASI} class,
 * filesystem backends (host directories, in memory), stdio streams and
 * sockets.
 *
 * @example Run a WASI program on Gannet with captured output
 * ```ts
 * import { CapturedOutput, WASI } from "./mod.ts";
 * import { Module } from "../api/module.ts";
 * import { Instance } from "../api/instance.ts";
 * import { parseWat } from "../text/parse_wat.ts";
 *
 * const bytes = new Uint8Array(parseWat(`(module
 *   (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
 *   (memory (export "memory") 1)
 *   (data (i32.const 8) "hi\\n")
 *   (func (export "_start")
 *     (i32.store (i32.const 0) (i32.const 8))
 *     (i32.store (i32.const 4) (i32.const 3))
 *     (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))))`));
 * const stdout = new CapturedOutput();
 * const wasi = new WASI({ args: ["hi"], stdout });
 * const instance = new Instance(new Module(bytes), wasi.getImportObject());
 * const status = wasi.start(instance);
 * console.log(status, JSON.stringify(stdout.text())); // 0 "hi\n"
 * ```
 *
 * @example Sandbox a program in memory
 * ```ts
 * import { MemoryFileSystem, WASI } from "./mod.ts";
 * const fs = new MemoryFileSystem();
 * fs.writeFile("data/in.txt", "hello");
 * const wasi = new WASI({ args: ["cat", "/data/in.txt"], preopens: { "/": fs.root() } });
 * console.log(Object.keys(wasi.getImportObject())); // ["wasi_snapshot_preview1"]
 * ```
 *
 * @module
 */
export { exitOf, type InstanceLike, WASI, WasiExit, type WasiFunction } from "./wasi.ts";
export type { WasiOptions } from "./options.ts";
export { MemoryFileSystem } from "./mem_fs.ts";
export { openHostDirectory } from "./node_fs.ts";
export type {
  DirEntry,
  DirHandle,
  FileHandle,
  Filestat,
  OpenFileOptions,
  TimeSpec,
} from "./fs_host.ts";
export {
  BufferInput,
  CallbackOutput,
  CapturedOutput,
  HostFdStream,
  NullStream,
  type StdioOption,
  type WasiStream,
} from "./stdio.ts";
export { MemoryListener, MemorySocket, type WasiSocket } from "./socket.ts";
export { TcpListener } from "./tcp_bridge.ts";
export {
  DEFAULT_MAX_THREADS,
  runWasiThreads,
  type ThreadFailure,
  usesWasiThreads,
  type WasiThreadsOptions,
  type WasiThreadsResult,
} from "./threads_host.ts";
// The types a threads host's signature names (the classes come from the main entry).
export type { Module } from "../api/module.ts";
export type { StoreLimits, StoreOptions } from "../api/store.ts";
export type { GrowthLimiter } from "../runtime/store.ts";
export type { JitMode } from "../jit/tier.ts";
export { Errno, WasiError } from "./errno.ts";
export { Filetype } from "./constants.ts";
export { Rights } from "./rights.ts";
