/**
 * The state every WASI call works on (memory, descriptors, arguments,
 * environment), and the guard that turns each call's failures into an
 * errno so that no exception escapes into the guest, except the one that
 * ends it (`proc_exit`).
 *
 * @module
 */
import { Errno, errnoName, toErrno, WasiError } from "./errno.ts";
import { FdTable } from "./fd_table.ts";
import { GuestMemory, MissingMemory } from "./memory.ts";

/**
 * Thrown through the guest by `proc_exit` (and a fatal `proc_raise`) to end it.
 *
 * @example
 * ```ts
 * import { Instance, Module, parseWat } from "@gannet/wasm";
 * import { WASI, WasiExit } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * // A reactor whose _initialize calls proc_exit(2): initialize() throws the exit.
 * const wasi = new WASI();
 * const module = new Module(parseWat(`(module
 *   (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
 *   (memory (export "memory") 1)
 *   (func (export "_initialize") (call $exit (i32.const 2))))`));
 * const instance = new Instance(module, wasi.getImportObject());
 * assert.throws(() => wasi.initialize(instance), (e) => e instanceof WasiExit && e.code === 2);
 * ```
 */
export class WasiExit extends Error {
  /** The exit status. */
  readonly code: number;
  /**
   * Creates the exit signal.
   *
   * @param code The guest's exit status.
   */
  constructor(code: number) {
    super(`WASI program exited with status ${code}`);
    this.name = "WasiExit";
    this.code = code;
  }
}

/**
 * Thrown through a thread's guest when another thread ended the program
 * (wasi-threads): that thread stops without a status of its own.
 */
export class ThreadStopped extends WasiExit {
  /** Creates the signal. */
  constructor() {
    super(0);
    this.name = "ThreadStopped";
    this.message = "stopped: another thread ended the program";
  }
}

/**
 * Thrown by a call that would block while its context is non-blocking
 * (the owner of a wasi-threads program's descriptors serves every thread
 * and must not block): the caller retries after `retryMs`.
 */
export class WouldBlock extends Error {
  /** When to try again, in ms. */
  readonly retryMs: number;
  /**
   * Creates the signal.
   *
   * @param retryMs When to try again, in ms.
   */
  constructor(retryMs: number) {
    super("the call would block");
    this.name = "WouldBlock";
    this.retryMs = retryMs;
  }
}

/** Poll interval, in ms, of a non-blocking context's retried read. */
export const RETRY_READ_MS = 2;

/**
 * The WasiExit behind an exception (an engine may wrap host exceptions).
 *
 * @example
 * ```ts
 * import { exitOf, WasiExit } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * assert.equal(exitOf(new WasiExit(3))?.code, 3);
 * assert.equal(exitOf(new Error("wrapped", { cause: new WasiExit(1) }))?.code, 1);
 * assert.equal(exitOf(new Error("a trap")), null);
 * ```
 */
export function exitOf(e: unknown): WasiExit | null {
  for (let x = e, depth = 0; x !== undefined && x !== null && depth < 4; depth++) {
    if (x instanceof WasiExit) return x;
    x = (x as { cause?: unknown }).cause;
  }
  return null;
}

/** What the calls share. */
export class WasiContext {
  /** The guest's memory. */
  readonly mem: GuestMemory = new GuestMemory();
  /** The guest's descriptors. */
  readonly fds: FdTable = new FdTable();
  /** `wasi_unstable` layouts and numbering instead of preview1's. */
  readonly unstable: boolean;
  /** Arguments, each UTF-8 with its terminating NUL. */
  args: Uint8Array[] = [];
  /** `NAME=value` strings, each UTF-8 with its terminating NUL. */
  env: Uint8Array[] = [];
  /** Receives one line per call when tracing. */
  trace: ((line: string) => void) | null = null;
  /**
   * Calls that would block throw {@link WouldBlock} instead (stream and
   * socket reads with nothing to read, `poll_oneoff` with nothing ready).
   */
  nonBlocking = false;
  /**
   * Nanoseconds a retried `poll_oneoff` already waited: relative clock
   * timeouts count from its first attempt.
   */
  pollWaitedNs = 0n;

  /**
   * Creates an empty context.
   *
   * @param unstable Serve `wasi_unstable` instead of preview1.
   */
  constructor(unstable: boolean) {
    this.unstable = unstable;
  }
}

/** A call's implementation: numbers (i32) and bigints (i64) in, errno (or nothing) out. */
export type AnyCall = (...args: never[]) => number | void;
type Untyped = (...args: unknown[]) => number | void;

/** A set of WASI calls by name. */
export type CallTable = Record<string, AnyCall>;

/**
 * Wraps a call so that it refreshes the memory views, returns SUCCESS when
 * the body returns nothing, and turns any failure into its errno.
 */
export function guard(ctx: WasiContext, name: string, fn: AnyCall): (...args: unknown[]) => number {
  return (...args: unknown[]): number => {
    try {
      ctx.mem.refresh();
      const r = (fn as unknown as Untyped)(...args);
      const errno = r === undefined ? Errno.SUCCESS : r;
      if (ctx.trace !== null) ctx.trace(`${name}(${args.join(", ")}) = ${errnoName(errno)}`);
      return errno;
    } catch (e) {
      if (e instanceof WasiExit || e instanceof MissingMemory || e instanceof WouldBlock) throw e;
      const errno = toErrno(e);
      if (ctx.trace !== null) {
        const why = e instanceof WasiError ? "" : ` [${(e as Error)?.message ?? e}]`;
        ctx.trace(`${name}(${args.join(", ")}) = ${errnoName(errno)}${why}`);
      }
      return errno;
    }
  };
}
