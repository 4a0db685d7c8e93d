/**
 * The `WASI` class: a WASI preview1 (or `wasi_unstable`) host for one
 * instance, shaped like Node's and Deno's `WASI` (`wasiImport`,
 * `getImportObject()`, `start()`, `initialize()`), so code can switch
 * between them. It works with any instance whose exports have `memory`
 * (with `.buffer`) and `_start`/`_initialize`: Gannet's `Instance` or the
 * host's `WebAssembly.Instance`.
 *
 * @module
 */
import { Filetype } from "./constants.ts";
import { type CallTable, exitOf, guard, WasiContext, WasiExit } from "./context.ts";
import { FdEntry } from "./fd_table.ts";
import type { DirHandle } from "./fs_host.ts";
import { encodeUtf8, type MemoryLike } from "./memory.ts";
import { openHostDirectory } from "./node_fs.ts";
import { hostExit } from "./host_process.ts";
import { parseOptions, type WasiOptions } from "./options.ts";
import {
  RIGHTS_DIR_BASE,
  RIGHTS_DIR_INHERITING,
  RIGHTS_SOCKET_BASE,
  RIGHTS_TTY_BASE,
} from "./rights.ts";
import { makeStdio } from "./stdio.ts";
import { argsCalls } from "./calls_args.ts";
import { clockCalls } from "./calls_clock.ts";
import { dirCalls } from "./calls_dir.ts";
import { fdIoCalls } from "./calls_fd_io.ts";
import { fdMetaCalls } from "./calls_fd_meta.ts";
import { pathCalls } from "./calls_path.ts";
import { pathOpenCalls } from "./calls_path_open.ts";
import { pollCalls } from "./calls_poll.ts";
import { procCalls } from "./calls_proc.ts";
import { sockCalls } from "./calls_sock.ts";

export type { WasiOptions } from "./options.ts";

/**
 * What `start`/`initialize` need from an instance.
 *
 * @example
 * ```ts
 * import { type InstanceLike, WASI } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * // WASI needs only `exports.memory` and `_start` (or `_initialize`): here, a stand-in.
 * const instance: InstanceLike = {
 *   exports: { memory: { buffer: new ArrayBuffer(65536) }, _start() {} },
 * };
 * assert.equal(new WASI().start(instance), 0);
 * ```
 */
export interface InstanceLike {
  /** The instance's exports: `memory`, and `_start` or `_initialize`. */
  readonly exports: Record<string, unknown>;
}

/**
 * A WASI host function: numbers and bigints in, an errno out.
 *
 * @example
 * ```ts
 * import { Errno, WASI, type WasiFunction } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const wasi = new WASI();
 * // Calls work once an instance's memory is bound (by start() or initialize()).
 * wasi.initialize({ exports: { memory: { buffer: new ArrayBuffer(65536) } } });
 * const schedYield: WasiFunction = wasi.wasiImport.sched_yield;
 * assert.equal(schedYield(), Errno.SUCCESS);
 * ```
 */
export type WasiFunction = (...args: unknown[]) => number;

/**
 * A WASI host for one instance.
 *
 * @example
 * ```ts
 * import { WASI } from "./wasi.ts";
 * const wasi = new WASI({ args: ["prog", "hello"], env: { LANG: "C" }, stdout: "null" });
 * const imports = wasi.getImportObject();
 * console.log(Object.keys(imports)); // ["wasi_snapshot_preview1"]
 * ```
 */
export class WASI {
  /** The import module's functions, by WASI name. */
  readonly wasiImport: Record<string, WasiFunction>;
  #ctx: WasiContext;
  #module: string;
  #returnOnExit: boolean;
  #started = false;

  /**
   * Sets up descriptors (stdio, preopens, sockets), arguments and environment.
   *
   * @param options See {@link WasiOptions}; validated, with a TypeError for anything wrong.
   */
  constructor(options: WasiOptions = {}) {
    const o = parseOptions(options);
    const unstable = o.version === "unstable";
    this.#module = unstable ? "wasi_unstable" : "wasi_snapshot_preview1";
    this.#returnOnExit = o.returnOnExit ?? true;
    const ctx = new WasiContext(unstable);
    this.#ctx = ctx;
    contexts.set(this, ctx);
    ctx.args = (o.args ?? []).map((a) => encodeUtf8(a + "\0"));
    ctx.env = Object.entries(o.env ?? {}).map(([k, v]) => encodeUtf8(`${k}=${v}\0`));
    if (o.trace === true) ctx.trace = (line) => console.error(`[wasi] ${line}`);
    else if (typeof o.trace === "function") ctx.trace = o.trace as (line: string) => void;

    [o.stdin, o.stdout, o.stderr].forEach((opt, fd) => {
      const stream = makeStdio(opt, fd);
      // Streams cannot seek, even a redirected file (the host's offset is shared).
      const e = new FdEntry(stream.filetype, RIGHTS_TTY_BASE, 0);
      e.stream = stream;
      ctx.fds.set(fd, e);
    });
    let fd = 3;
    for (const [guest, host] of Object.entries(o.preopens ?? {})) {
      let dir: DirHandle;
      if (typeof host === "string") {
        try {
          dir = openHostDirectory(host);
        } catch (e) {
          throw new TypeError(
            `invalid WASI options: preopens.${guest}: cannot open host directory ${
              JSON.stringify(host)
            }: ${(e as Error).message}`,
          );
        }
      } else dir = host;
      const e = new FdEntry(Filetype.DIRECTORY, RIGHTS_DIR_BASE, RIGHTS_DIR_INHERITING);
      e.dir = dir;
      e.preopen = guest;
      ctx.fds.set(fd++, e);
    }
    for (const socket of o.sockets ?? []) {
      const e = new FdEntry(socket.filetype, RIGHTS_SOCKET_BASE, 0);
      e.socket = socket;
      ctx.fds.set(fd++, e);
    }

    const calls: CallTable = {
      ...argsCalls(ctx),
      ...clockCalls(ctx),
      ...fdMetaCalls(ctx),
      ...fdIoCalls(ctx),
      ...dirCalls(ctx),
      ...pathCalls(ctx),
      ...pathOpenCalls(ctx),
      ...pollCalls(ctx),
      ...procCalls(ctx),
      ...sockCalls(ctx),
    };
    const table: Record<string, WasiFunction> = {};
    for (const [name, fn] of Object.entries(calls)) table[name] = guard(ctx, name, fn);
    this.wasiImport = table;
  }

  /** The import object to instantiate with: `{ wasi_snapshot_preview1: wasiImport }` (or `wasi_unstable`). */
  getImportObject(): Record<string, Record<string, WasiFunction>> {
    return { [this.#module]: this.wasiImport };
  }

  #bind(instance: InstanceLike, entry: "_start" | "_initialize"): (() => unknown) | undefined {
    if (this.#started) throw new Error("WASI: this instance was already started or initialized");
    const exports = instance?.exports;
    if (typeof exports !== "object" || exports === null) {
      throw new TypeError("WASI: expected an instance with exports");
    }
    // Without a memory export the program still runs (as in wasmtime) until
    // a call needs memory, which then fails with MissingMemory.
    const memory = exports.memory as MemoryLike | undefined;
    if (
      memory !== undefined &&
      (typeof memory !== "object" || memory === null || !("buffer" in memory))
    ) {
      throw new TypeError('WASI: the export "memory" is not a memory');
    }
    const other = entry === "_start" ? "_initialize" : "_start";
    if (exports[other] !== undefined) {
      throw new TypeError(
        `WASI: the instance exports ${other}; use ${
          other === "_start" ? "start()" : "initialize()"
        }`,
      );
    }
    const fn = exports[entry];
    if (fn !== undefined && typeof fn !== "function") {
      throw new TypeError(`WASI: export ${entry} is not a function`);
    }
    this.#started = true;
    this.#ctx.mem.bind(memory ?? null);
    return fn as (() => unknown) | undefined;
  }

  /**
   * Runs a command's `_start`; returns its exit status (0 when `_start`
   * returns, else the `proc_exit` status). With `returnOnExit: false` a
   * `proc_exit` ends the host process instead. A trap is rethrown.
   */
  start(instance: InstanceLike): number {
    const fn = this.#bind(instance, "_start");
    if (fn === undefined) throw new TypeError("WASI: the instance has no _start export");
    let code = 0;
    try {
      fn();
    } catch (e) {
      const exit = exitOf(e);
      if (exit === null) throw e;
      code = exit.code;
      if (!this.#returnOnExit) hostExit(code);
    } finally {
      this.#ctx.fds.closeAll();
    }
    return code;
  }

  /** Runs a reactor's `_initialize` (if any); the instance stays usable afterwards. */
  initialize(instance: InstanceLike): void {
    const fn = this.#bind(instance, "_initialize");
    if (fn === undefined) return;
    try {
      fn();
    } catch (e) {
      const exit = exitOf(e);
      if (exit === null) throw e;
      if (!this.#returnOnExit) hostExit(exit.code);
      throw exit;
    }
  }
}

const contexts = new WeakMap<WASI, WasiContext>();

/**
 * The state behind a {@link WASI} (for the wasi-threads host, which serves
 * every thread's calls from it): TypeError for anything else.
 */
export function wasiContext(wasi: WASI): WasiContext {
  const ctx = contexts.get(wasi);
  if (ctx === undefined) throw new TypeError("not a Gannet WASI");
  return ctx;
}

/** The module name the WASI's calls are imported from. */
export function wasiModuleName(wasi: WASI): string {
  return wasiContext(wasi).unstable ? "wasi_unstable" : "wasi_snapshot_preview1";
}

export { exitOf, WasiExit };
