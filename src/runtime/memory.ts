/**
 * Linear memory instances. The bytes live in an ArrayBuffer that is replaced
 * on growth (`ArrayBuffer.prototype.transfer`, which also detaches the old
 * buffer as the JS API requires); holders of views refresh them from here.
 *
 * @module
 */

import type { Limits } from "../binary/types.ts";

/** Bytes per wasm page. */
export const PAGE = 65536;
/** Largest page count of a 32-bit memory (4 GiB). */
export const MAX_PAGES32 = 65536;
/**
 * Largest page count Gannet allocates for a 64-bit memory: JS engines cap a
 * single ArrayBuffer well below 2^64 bytes; growth past this fails (-1).
 */
export const MAX_PAGES64 = 131072;

type Transferable = ArrayBuffer & { transfer?: (len: number) => ArrayBuffer };

/** A memory instance. */
export class MemInst {
  /** The current buffer. */
  buf: ArrayBuffer;
  /** Byte view of {@link buf}. */
  u8: Uint8Array;
  /** DataView of {@link buf} (little-endian accesses). */
  dv: DataView;
  /** Byte length. */
  len: number;
  /** Size in pages. */
  pages: number;
  /** Maximum pages (declared, or the address type's limit). */
  readonly maxPages: number;
  /** Whether the declared limits had a maximum. */
  readonly hasMax: boolean;
  /**
   * The declared maximum (up to 2^48 pages for memory64, so exact), which
   * import matching compares; {@link maxPages} is capped by what Gannet
   * can allocate.
   */
  readonly declaredMax: number | null;
  /** 64-bit addresses (memory64). */
  readonly index64: boolean;
  /** Shared memory (threads). */
  readonly shared: boolean;
  /** Called after every successful growth (the JS Memory object refreshes). */
  onGrow: (() => void) | null = null;
  /**
   * The embedder's limits (a store's, see `store.ts`): asked before every
   * growth with the size now and after, in bytes; false refuses it (-1).
   */
  limiter: ((current: number, desired: number) => boolean) | null = null;

  /**
   * Allocates a memory of `initial` pages.
   *
   * @param initial initial pages
   * @param max maximum pages, or null
   * @param index64 64-bit addresses
   * @param shared shared memory
   */
  constructor(initial: number, max: number | null, index64 = false, shared = false) {
    const limit = index64 ? MAX_PAGES64 : MAX_PAGES32;
    this.maxPages = max === null ? limit : Math.min(max, limit);
    this.hasMax = max !== null;
    this.declaredMax = max;
    this.index64 = index64;
    this.shared = shared;
    if (initial > this.maxPages) throw new RangeError(`memory size ${initial} pages is too large`);
    this.pages = initial;
    this.len = initial * PAGE;
    try {
      this.buf = shared
        ? new SharedArrayBuffer(this.len, {
          maxByteLength: this.maxPages * PAGE,
        }) as unknown as ArrayBuffer
        : new ArrayBuffer(this.len);
    } catch (e) {
      // e.g. JavaScriptCore (Bun) caps an ArrayBuffer below 4 GiB + 64 KiB.
      throw new RangeError(
        `cannot allocate a memory of ${initial} pages (${this.len} bytes) on this host: ${
          (e as Error).message
        }`,
      );
    }
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
  }

  /** Creates a memory from module limits. */
  static fromLimits(l: Limits): MemInst {
    return new MemInst(Number(l.min), l.max === null ? null : Number(l.max), l.index64, l.shared);
  }

  /**
   * Grows by `delta` pages. Returns the old size in pages, or -1 when the
   * maximum would be exceeded or the host cannot allocate the memory.
   */
  grow(delta: number): number {
    const old = this.pages;
    if (delta === 0) return old;
    if (delta < 0 || old + delta > this.maxPages) return -1;
    const newLen = (old + delta) * PAGE;
    if (this.limiter !== null && !this.limiter(this.len, newLen)) return -1;
    try {
      if (this.shared) {
        (this.buf as unknown as SharedArrayBuffer).grow(newLen);
      } else {
        const b = this.buf as Transferable;
        if (typeof b.transfer === "function") this.buf = b.transfer(newLen);
        else {
          const nb = new ArrayBuffer(newLen);
          new Uint8Array(nb).set(this.u8);
          this.buf = nb;
        }
      }
    } catch {
      return -1;
    }
    this.pages = old + delta;
    this.len = newLen;
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
    if (this.onGrow !== null) this.onGrow();
    return old;
  }

  /** Replaces the buffer with a fresh one of the same size (JS `grow(0)`). */
  refresh(): void {
    if (this.shared) return;
    const b = this.buf as Transferable;
    if (typeof b.transfer === "function") this.buf = b.transfer(this.len);
    else this.buf = this.buf.slice(0);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
  }
}

/** A 0-page memory stand-in for instances without memory 0. */
export const NO_MEMORY: MemInst = new MemInst(0, 0);
