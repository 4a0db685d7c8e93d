/**
 * `wasi:io` streams and pollables backed by a Gannet {@link WasiStream} (the
 * stdio streams of preview1: a host descriptor, a buffer, captured output, a
 * callback). They extend the shim's `InputStream`/`OutputStream`/`Pollable`
 * classes, so a component sees one resource type whether a stream is the
 * shim's (a file, a socket) or the host's (its stdio), and they never go
 * through the shim's I/O worker.
 *
 * Errors follow jco's convention for `result` (return, or throw the error
 * payload): `{ tag: "closed" }` at end of stream,
 * `{ tag: "last-operation-failed", val: Error }` when the host stream fails.
 *
 * @module
 */
import type { WasiStream } from "../wasi/stdio.ts";
import { IoError, ShimInputStream, ShimOutputStream, ShimPollable } from "./shim.ts";

/** How many bytes `check-write` allows at a time (writes are synchronous). */
const WRITE_BUDGET = 1n << 20n;
/** The largest read done at once, whatever the guest asks for. */
const MAX_READ = 1 << 16;

/**
 * A pollable whose readiness the host computes: `ready()` looks, `wait(ms)`
 * waits up to `ms` milliseconds (Infinity: until ready) and says whether it
 * became ready.
 */
export class HostPollable extends ShimPollable {
  #ready: () => boolean;
  #wait: (ms: number) => boolean;
  /**
   * Creates a pollable from two functions.
   *
   * @param ready Whether the event happened (never blocks).
   * @param wait Waits up to `ms` ms for the event; true once it happened.
   */
  constructor(ready: () => boolean, wait: (ms: number) => boolean) {
    super();
    this.#ready = ready;
    this.#wait = wait;
    (this as unknown as Record<symbol, number>)[cabiRep] = nextRep++;
  }
  /** Whether the event happened (never blocks). */
  override ready(): boolean {
    return this.#ready();
  }
  /** Waits for the event. */
  override block(): void {
    this.#wait(Infinity);
  }
  /** Waits up to `ms` milliseconds; true once the event happened. */
  wait(ms: number): boolean {
    return this.#wait(ms);
  }
}

/**
 * jco's glue keys host resources by `Symbol.for("cabiRep")` when present, else
 * by a counter from 1 — which the shim's pollables (whose rep is their I/O
 * worker id, also from 1) collide with. Host pollables take reps from a range
 * of their own.
 */
const cabiRep = Symbol.for("cabiRep");
let nextRep = 0x2000_0000;

/** A pollable that is always ready (output that never blocks, input at hand). */
export function alwaysReady(): HostPollable {
  return new HostPollable(() => true, () => true);
}

function closed(): never {
  throw { tag: "closed" };
}

function failed(e: unknown): never {
  const message = e instanceof Error ? e.message : String(e);
  throw { tag: "last-operation-failed", val: new IoError(message) };
}

function byteCount(len: bigint | number): number {
  const n = typeof len === "bigint" ? len : BigInt(len);
  return n > BigInt(MAX_READ) ? MAX_READ : Number(n);
}

/** A `wasi:io/streams.input-stream` reading a host stream. */
export class HostInputStream extends ShimInputStream {
  #stream: WasiStream;
  #ended = false;
  /**
   * Reads `stream`.
   *
   * @param stream The host stream to read (needs `read`).
   */
  constructor(stream: WasiStream) {
    super();
    this.#stream = stream;
  }
  /** Bytes available without blocking: -1 none yet, 0 at end, else how many (at least 1). */
  #available(): number {
    const wait = this.#stream.waitReadable;
    return wait === undefined ? 1 : wait.call(this.#stream, 0);
  }
  #readNow(max: number): Uint8Array {
    const read = this.#stream.read;
    if (read === undefined) return this.#end();
    const buf = new Uint8Array(max);
    let n: number;
    try {
      n = read.call(this.#stream, buf);
    } catch (e) {
      this.#ended = true;
      return failed(e);
    }
    if (n === 0) return this.#end();
    return buf.subarray(0, n);
  }
  #end(): never {
    this.#ended = true;
    return closed();
  }
  /** Up to `len` bytes available now (none if nothing is); throws `closed` at the end. */
  read(len: bigint): Uint8Array {
    if (this.#ended) closed();
    const max = byteCount(len);
    if (max === 0) return new Uint8Array(0);
    const available = this.#available();
    if (available < 0) return new Uint8Array(0);
    if (available === 0) this.#end();
    return this.#readNow(Math.min(max, available));
  }
  /** Up to `len` bytes, waiting for at least one; throws `closed` at the end. */
  blockingRead(len: bigint): Uint8Array {
    if (this.#ended) closed();
    const max = byteCount(len);
    if (max === 0) return new Uint8Array(0);
    return this.#readNow(max);
  }
  /** Like `read`, discarding the bytes; returns how many. */
  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }
  /** Like `blockingRead`, discarding the bytes; returns how many. */
  blockingSkip(len: bigint): bigint {
    return BigInt(this.blockingRead(len).length);
  }
  /** A pollable ready when a read would not block. */
  subscribe(): HostPollable {
    const stream = this.#stream;
    const wait = stream.waitReadable;
    if (wait === undefined || this.#ended) return alwaysReady();
    return new HostPollable(
      () => wait.call(stream, 0) !== -1,
      (ms) => wait.call(stream, ms) !== -1,
    );
  }
}

/** What a splice reads from: any input stream. */
interface Readable {
  read(len: bigint): Uint8Array;
  blockingRead(len: bigint): Uint8Array;
}

/** A `wasi:io/streams.output-stream` writing a host stream (synchronously: it never blocks). */
export class HostOutputStream extends ShimOutputStream {
  #stream: WasiStream;
  #broken = false;
  /**
   * Writes `stream`.
   *
   * @param stream The host stream to write (needs `write`).
   */
  constructor(stream: WasiStream) {
    super();
    this.#stream = stream;
  }
  #put(buf: Uint8Array): void {
    if (this.#broken) closed();
    const write = this.#stream.write;
    if (write === undefined) {
      this.#broken = true;
      failed(new Error("stream is not writable"));
    }
    try {
      let done = 0;
      while (done < buf.length) {
        const n = write.call(this.#stream, done === 0 ? buf : buf.subarray(done));
        if (n <= 0) throw new Error("short write");
        done += n;
      }
    } catch (e) {
      this.#broken = true;
      failed(e);
    }
  }
  /** How many bytes may be written now. */
  checkWrite(): bigint {
    if (this.#broken) closed();
    return WRITE_BUDGET;
  }
  /** Writes `buf` (all of it: the host stream is synchronous). */
  write(buf: Uint8Array): void {
    this.#put(buf);
  }
  /** Writes `buf`. */
  blockingWriteAndFlush(buf: Uint8Array): void {
    this.#put(buf);
  }
  /** Nothing to flush: writes are synchronous. */
  flush(): void {
    if (this.#broken) closed();
  }
  /** Nothing to flush: writes are synchronous. */
  blockingFlush(): void {
    if (this.#broken) closed();
  }
  /** Writes `len` zero bytes. */
  writeZeroes(len: bigint): void {
    this.#put(new Uint8Array(Number(len)));
  }
  /** Writes `len` zero bytes. */
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.#put(new Uint8Array(Number(len)));
  }
  /** Copies up to `len` bytes available now from `src`; returns how many. */
  splice(src: Readable, len: bigint): bigint {
    const bytes = src.read(len);
    this.#put(bytes);
    return BigInt(bytes.length);
  }
  /** Copies up to `len` bytes from `src`, waiting for some; returns how many. */
  blockingSplice(src: Readable, len: bigint): bigint {
    const bytes = src.blockingRead(len);
    this.#put(bytes);
    return BigInt(bytes.length);
  }
  /** Always ready: writes never block. */
  subscribe(): HostPollable {
    return alwaysReady();
  }
}
