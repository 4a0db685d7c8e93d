/**
 * Gannet's WASI preview1 host (`gannet/wasi`): the {@link WASI} class,
 * filesystem backends (host directories, in memory), stdio streams and
 * sockets.
 *
 * @example
 * ```ts
 * import { CapturedOutput, MemoryFileSystem, WASI } from "./mod.ts";
 * const fs = new MemoryFileSystem();
 * fs.writeFile("greeting.txt", "hello");
 * const out = new CapturedOutput();
 * const wasi = new WASI({ args: ["cat", "greeting.txt"], preopens: { "/": fs.root() }, stdout: out });
 * console.log(typeof wasi.wasiImport.fd_write); // "function"
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
export { Errno, WasiError } from "./errno.ts";
export { Filetype } from "./constants.ts";
export { Rights } from "./rights.ts";
