/**
 * Access to the guest's linear memory from host calls. The memory can grow
 * (and its `ArrayBuffer` be replaced) between any two calls, so views are
 * re-derived at the start of every call and every guest pointer is bounds
 * checked before any side effect happens.
 *
 * @module
 */
import { Errno, WasiError } from "./errno.ts";

/** Anything with a current `buffer`, like `WebAssembly.Memory` and Gannet's `Memory`. */
export interface MemoryLike {
  /** The memory's current bytes. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** A WASI call reached guest memory in an instance that exports none (it propagates, like a trap). */
export class MissingMemory extends Error {
  /** Creates the error. */
  constructor() {
    super('the module exports no memory ("memory"), which this WASI call needs');
    this.name = "MissingMemory";
  }
}

/** The stand-in for an instance without memory: empty, so every access is checked against it. */
const NO_MEMORY: MemoryLike = { buffer: new ArrayBuffer(0) };

/** A guest memory accessor; {@link GuestMemory.refresh} before each call's first access. */
export class GuestMemory {
  #memory: MemoryLike | null = null;
  #buffer: ArrayBufferLike | null = null;
  #length = -1;
  /** A view of all of memory (valid until the next refresh). */
  view: DataView = new DataView(new ArrayBuffer(0));
  /** The bytes of all of memory (valid until the next refresh). */
  bytes: Uint8Array = new Uint8Array(0);

  /**
   * Binds the instance's memory (done by `start`/`initialize`); null for an
   * instance that exports none: calls that touch memory then fail with
   * {@link MissingMemory}, the others work.
   */
  bind(memory: MemoryLike | null): void {
    this.#memory = memory ?? NO_MEMORY;
    this.#buffer = null;
  }

  /** True once a memory is bound. */
  get bound(): boolean {
    return this.#memory !== null;
  }

  /** Re-derives the views if the memory grew or its buffer was replaced. */
  refresh(): void {
    const memory = this.#memory;
    if (memory === null) throw new WasiError(Errno.FAULT, "WASI call before start()/initialize()");
    const buffer = memory.buffer;
    if (buffer !== this.#buffer || buffer.byteLength !== this.#length) {
      this.#buffer = buffer;
      this.#length = buffer.byteLength;
      this.view = new DataView(buffer);
      this.bytes = new Uint8Array(buffer);
    }
  }

  /** Throws EFAULT unless `[ptr, ptr+len)` lies inside memory. */
  check(ptr: number, len: number): void {
    if (this.#memory === NO_MEMORY) throw new MissingMemory();
    if (ptr < 0 || len < 0 || ptr + len > this.bytes.length) {
      throw new WasiError(Errno.FAULT, `guest range ${ptr}+${len} out of bounds`);
    }
  }

  /** Reads a u32. */
  u32(ptr: number): number {
    this.check(ptr, 4);
    return this.view.getUint32(ptr, true);
  }

  /** Reads a u64. */
  u64(ptr: number): bigint {
    this.check(ptr, 8);
    return this.view.getBigUint64(ptr, true);
  }

  /** Writes a u8. */
  setU8(ptr: number, v: number): void {
    this.check(ptr, 1);
    this.view.setUint8(ptr, v);
  }

  /** Writes a u16. */
  setU16(ptr: number, v: number): void {
    this.check(ptr, 2);
    this.view.setUint16(ptr, v, true);
  }

  /** Writes a u32. */
  setU32(ptr: number, v: number): void {
    this.check(ptr, 4);
    this.view.setUint32(ptr, v, true);
  }

  /** Writes a u64. */
  setU64(ptr: number, v: bigint | number): void {
    this.check(ptr, 8);
    this.view.setBigUint64(ptr, BigInt.asUintN(64, typeof v === "bigint" ? v : BigInt(v)), true);
  }

  /** A copy-free view of `len` guest bytes at `ptr` (valid until the next refresh). */
  slice(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return this.bytes.subarray(ptr, ptr + len);
  }

  /** Decodes a UTF-8 string argument (EILSEQ when it is not valid UTF-8). */
  string(ptr: number, len: number): string {
    const raw = this.slice(ptr, len);
    try {
      // A shared buffer cannot be decoded directly.
      return utf8.decode(raw.buffer instanceof ArrayBuffer ? raw : raw.slice());
    } catch {
      throw new WasiError(Errno.ILSEQ, "string is not valid UTF-8");
    }
  }

  /**
   * Reads an iovec/ciovec array and returns the buffers as views into
   * memory, after checking every one is in bounds.
   */
  iovecs(ptr: number, count: number): Uint8Array[] {
    this.check(ptr, count * 8);
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const buf = this.view.getUint32(ptr + i * 8, true);
      const len = this.view.getUint32(ptr + i * 8 + 4, true);
      out.push(this.slice(buf, len));
    }
    return out;
  }
}

/** UTF-8 encodes a host string for the guest. */
export function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}
