/**
 * Standard streams: the host's own descriptors (inherited), buffers fed to
 * stdin, captured output, callbacks and a null device. Every stream is
 * synchronous: a write has reached its destination when it returns, so
 * nothing the guest wrote is lost when it exits.
 *
 * @module
 */
import { Filetype } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import { fdFiletype, readFd, writeFd } from "./host_process.ts";
import { sleepMs } from "./sleep.ts";
import { StdinPump } from "./stdin_pump.ts";

/**
 * A byte stream a WASI descriptor can be bound to (stdio, pipes, devices).
 *
 * @example
 * ```ts
 * import { Filetype, type StdioOption, WASI, type WasiStream } from "@gannet/wasm/wasi";
 *
 * // A stream that counts what the guest writes.
 * class Counter implements WasiStream {
 *   readonly filetype: Filetype = Filetype.UNKNOWN;
 *   bytes = 0;
 *   write(buf: Uint8Array): number {
 *     this.bytes += buf.length;
 *     return buf.length;
 *   }
 * }
 * const stdout: StdioOption = new Counter();
 * const stderr: StdioOption = (chunk: Uint8Array) => console.error(new TextDecoder().decode(chunk));
 * new WASI({ stdin: "some input", stdout, stderr });
 * ```
 */
export interface WasiStream {
  /** The type `fd_fdstat_get` reports (a terminal is a character device). */
  readonly filetype: Filetype;
  /** Reads up to `buf.length` bytes, blocking until some are there; 0 at end of input. */
  read?(buf: Uint8Array): number;
  /** Writes all of `buf` (blocking as needed); returns its length. */
  write?(buf: Uint8Array): number;
  /**
   * For `poll_oneoff`: waits up to `timeoutMs` (0 = just look, Infinity =
   * forever) until a read would not block; returns the bytes known to be
   * available (≥ 1 when ready, 0 at end of input), or -1 if still not ready.
   */
  waitReadable?(timeoutMs: number): number;
  /** Releases the stream when its descriptor is closed. */
  close?(): void;
}

/**
 * A host descriptor (0, 1, 2 or any other the embedder passes), used as is.
 *
 * @example
 * ```ts
 * import { HostFdStream, NullStream, WASI } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * // The guest's stdout goes to the host's stderr; it reads no input.
 * const wasi = new WASI({ stdin: new NullStream(), stdout: new HostFdStream(2) });
 * assert.deepEqual(Object.keys(wasi.getImportObject()), ["wasi_snapshot_preview1"]);
 * ```
 */
export class HostFdStream implements WasiStream {
  readonly filetype: Filetype;
  #fd: number;
  #regular: boolean;
  #pump: StdinPump | null = null;
  /**
   * Wraps a host descriptor.
   *
   * @param fd The host's file descriptor.
   */
  constructor(fd: number) {
    this.#fd = fd;
    const type = fdFiletype(fd);
    this.filetype = type;
    this.#regular = type === Filetype.REGULAR_FILE;
  }
  read(buf: Uint8Array): number {
    if (this.#pump !== null) return this.#pump.read(buf);
    for (;;) {
      try {
        return readFd(this.#fd, buf);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "EAGAIN") {
          sleepMs(1);
          continue;
        }
        if (code === "EOF") return 0;
        throw e;
      }
    }
  }
  write(buf: Uint8Array): number {
    let done = 0;
    while (done < buf.length) {
      try {
        done += writeFd(this.#fd, buf.subarray(done));
      } catch (e) {
        if ((e as { code?: string }).code === "EAGAIN") {
          sleepMs(1);
          continue;
        }
        if (done > 0) return done;
        throw e;
      }
    }
    return done;
  }
  waitReadable(timeoutMs: number): number {
    if (this.#regular) return 1;
    // A terminal or pipe: a helper thread reads it so that the wait can have a timeout.
    this.#pump ??= StdinPump.start(this.#fd);
    if (this.#pump === null) return 1; // no threads on this host: claim readiness, read will block
    return this.#pump.waitReadable(timeoutMs);
  }
}

/**
 * Input fed from a fixed buffer (stdin for tests and embedding).
 *
 * @example
 * ```ts
 * import { BufferInput, WASI } from "./mod.ts";
 * const wasi = new WASI({ stdin: new BufferInput("line 1\nline 2\n") });
 * // (passing the string itself as `stdin` does the same)
 * ```
 */
export class BufferInput implements WasiStream {
  readonly filetype: Filetype = Filetype.UNKNOWN;
  #data: Uint8Array;
  #pos = 0;
  /**
   * Creates input that yields `data`, then end of input.
   *
   * @param data The whole input (a string is UTF-8 encoded).
   */
  constructor(data: Uint8Array | string) {
    this.#data = typeof data === "string" ? new TextEncoder().encode(data) : data.slice();
  }
  read(buf: Uint8Array): number {
    const n = Math.min(buf.length, this.#data.length - this.#pos);
    buf.set(this.#data.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return n;
  }
  waitReadable(): number {
    return this.#data.length - this.#pos;
  }
}

/**
 * Output collected in memory; read it with {@link CapturedOutput.text} or `.bytes()`.
 *
 * @example
 * ```ts
 * import { CapturedOutput } from "./mod.ts";
 * const out = new CapturedOutput();
 * out.write(new TextEncoder().encode("hello"));
 * console.log(out.text()); // "hello"
 * ```
 */
export class CapturedOutput implements WasiStream {
  readonly filetype: Filetype = Filetype.UNKNOWN;
  #chunks: Uint8Array[] = [];
  #length = 0;
  write(buf: Uint8Array): number {
    this.#chunks.push(buf.slice());
    this.#length += buf.length;
    return buf.length;
  }
  /** Everything written so far. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
  /** Everything written so far, decoded as UTF-8. */
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

/**
 * Output handed to a callback, chunk by chunk (the chunk is a copy the callback may keep).
 *
 * @example
 * ```ts
 * import { WASI } from "./mod.ts";
 * const lines: string[] = [];
 * const wasi = new WASI({ stdout: (chunk) => lines.push(new TextDecoder().decode(chunk)) });
 * ```
 */
export class CallbackOutput implements WasiStream {
  readonly filetype: Filetype = Filetype.UNKNOWN;
  #fn: (chunk: Uint8Array) => void;
  /**
   * Creates output that calls `fn`.
   *
   * @param fn Receives each chunk the guest writes.
   */
  constructor(fn: (chunk: Uint8Array) => void) {
    this.#fn = fn;
  }
  write(buf: Uint8Array): number {
    this.#fn(buf.slice());
    return buf.length;
  }
}

/**
 * The null device: reads end at once, writes are discarded.
 *
 * @example
 * ```ts
 * import { HostFdStream, NullStream, WASI } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * // The guest's stdout goes to the host's stderr; it reads no input.
 * const wasi = new WASI({ stdin: new NullStream(), stdout: new HostFdStream(2) });
 * assert.deepEqual(Object.keys(wasi.getImportObject()), ["wasi_snapshot_preview1"]);
 * ```
 */
export class NullStream implements WasiStream {
  readonly filetype: Filetype = Filetype.CHARACTER_DEVICE;
  read(): number {
    return 0;
  }
  write(buf: Uint8Array): number {
    return buf.length;
  }
  waitReadable(): number {
    return 0;
  }
}

/**
 * What a stdio option may be.
 *
 * @example
 * ```ts
 * import { Filetype, type StdioOption, WASI, type WasiStream } from "@gannet/wasm/wasi";
 *
 * // A stream that counts what the guest writes.
 * class Counter implements WasiStream {
 *   readonly filetype: Filetype = Filetype.UNKNOWN;
 *   bytes = 0;
 *   write(buf: Uint8Array): number {
 *     this.bytes += buf.length;
 *     return buf.length;
 *   }
 * }
 * const stdout: StdioOption = new Counter();
 * const stderr: StdioOption = (chunk: Uint8Array) => console.error(new TextDecoder().decode(chunk));
 * new WASI({ stdin: "some input", stdout, stderr });
 * ```
 */
export type StdioOption =
  | number
  | "inherit"
  | "null"
  | WasiStream
  | string
  | Uint8Array
  | ((chunk: Uint8Array) => void);

/** Turns a stdio option into a stream; `fd` is the stdio slot (0, 1, 2). */
export function makeStdio(option: StdioOption | undefined, fd: number): WasiStream {
  if (option === undefined || option === "inherit") return new HostFdStream(fd);
  if (option === "null") return new NullStream();
  if (typeof option === "number") return new HostFdStream(option);
  if (typeof option === "function") return new CallbackOutput(option);
  if (typeof option === "string" || option instanceof Uint8Array) {
    if (fd !== 0) throw new TypeError(`stdio ${fd}: a buffer can only feed stdin`);
    return new BufferInput(option);
  }
  return option;
}

/** Throws EBADF for a stream that cannot do `what`. */
export function unsupported(what: string): never {
  throw new WasiError(Errno.BADF, `stream cannot ${what}`);
}
