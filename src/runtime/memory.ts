/**
 * Linear memory instances. The bytes live in a {@link MemoryStore}
 * (`memory_store.ts`: the host's `WebAssembly.Memory` where there is one,
 * else a resizable buffer), which grows in place: a grow costs what it adds,
 * not what exists. The interpreter reads through {@link MemInst.u8} and
 * {@link MemInst.dv}, fixed-length views of the current buffer that are
 * replaced whenever its size or identity changes; holders of those views
 * refresh them from here after anything that may grow the memory.
 *
 * A shared memory may be grown by another thread at any time: its size is
 * the buffer's current length, which {@link MemInst.sync} re-reads (the
 * interpreter calls it on an out-of-bounds access before trapping, and at
 * slice boundaries).
 *
 * @module
 */

import type { Limits } from "../binary/types.ts";
import { FixedStore, GrowableSharedStore, ResizableStore } from "./memory_fallback.ts";
import { type MemoryStore, NativeStore, PAGE, startsPlain } from "./memory_store.ts";

export { PAGE };
/** Largest page count of a 32-bit memory (4 GiB). */
export const MAX_PAGES32 = 65536;
/**
 * Largest page count Gannet allocates for a 64-bit memory: JS engines cap a
 * single ArrayBuffer well below 2^64 bytes; growth past this fails (-1).
 */
export const MAX_PAGES64 = 131072;

/**
 * What an embedder may impose on memory growth (wasmtime's resource limiter):
 * set {@link MemInst.limiter}; a denied growth makes `memory.grow` return -1
 * and the JS API's `grow` throw a RangeError.
 */
export interface GrowLimiter {
  /** Largest byte size the memory may reach. */
  readonly maxBytes?: number;
  /**
   * Asked before each growth with the sizes in bytes (`maximum`: the
   * declared maximum, or null); false denies it.
   */
  growing?(currentBytes: number, desiredBytes: number, maximum: number | null): boolean;
}

/** A memory instance. */
export class MemInst {
  /** Where the bytes live. */
  store: MemoryStore;
  /** The current buffer (what `Memory.buffer` returns). */
  buf: ArrayBuffer;
  /** Byte view of {@link buf}, {@link len} bytes long. */
  u8: Uint8Array;
  /** DataView of {@link buf}, {@link len} bytes long (little-endian accesses). */
  dv: DataView;
  /** Byte length, as of the last {@link sync} for a shared memory. */
  len: number;
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
  /** Embedder limits on growth (null: only the maximum applies). */
  limiter: GrowLimiter | null = null;

  /**
   * Allocates a memory of `initial` pages (RangeError if the host cannot).
   *
   * @param initial initial pages
   * @param max maximum pages, or null
   * @param index64 64-bit addresses
   * @param shared shared memory
   * @param store the bytes, when they exist already (another thread's shared memory)
   */
  constructor(
    initial: number,
    max: number | null,
    index64 = false,
    shared = false,
    store: MemoryStore | null = null,
  ) {
    const limit = index64 ? MAX_PAGES64 : MAX_PAGES32;
    this.maxPages = max === null ? limit : Math.min(max, limit);
    this.hasMax = max !== null;
    this.declaredMax = max;
    this.index64 = index64;
    this.shared = shared;
    if (initial > this.maxPages) throw new RangeError(`memory size ${initial} pages is too large`);
    try {
      this.store = store ?? newStore(initial, this.maxPages, shared);
    } catch (e) {
      // e.g. JavaScriptCore (Bun) caps an ArrayBuffer below 4 GiB + 64 KiB.
      throw new RangeError(
        `cannot allocate a memory of ${initial} pages (${initial * PAGE} bytes) on this host: ${
          (e as Error).message
        }`,
      );
    }
    this.buf = this.store.current();
    this.len = this.buf.byteLength;
    this.u8 = new Uint8Array(this.buf, 0, this.len);
    this.dv = new DataView(this.buf, 0, this.len);
    this.#hook();
  }

  /** Creates a memory from module limits. */
  static fromLimits(l: Limits): MemInst {
    return new MemInst(Number(l.min), l.max === null ? null : Number(l.max), l.index64, l.shared);
  }

  /** Size in pages (re-read for a shared memory: another thread may have grown it). */
  get pages(): number {
    if (this.shared) this.sync();
    return this.len / PAGE;
  }

  /**
   * Re-reads the buffer and its length; replaces the views and returns true
   * if either changed (another thread grew a shared memory, or JS resized a
   * resizable buffer). Cheap: the hook for slice boundaries.
   */
  sync(): boolean {
    const b = this.store.current();
    const n = b.byteLength;
    if (b === this.buf && n === this.len) return false;
    this.buf = b;
    this.len = n;
    this.u8 = new Uint8Array(b, 0, n);
    this.dv = new DataView(b, 0, n);
    return true;
  }

  /**
   * Whether bytes `[0, end)` are inside the memory: the slow path of a
   * bounds check, which re-reads a size another thread (or JS) may have
   * grown before saying no. The views are fresh afterwards.
   */
  covers(end: number): boolean {
    return end <= this.len || (this.sync() && end <= this.len);
  }

  /**
   * Grows by `delta` pages. Returns the old size in pages, or -1 when the
   * maximum or the {@link limiter} would be exceeded or the host cannot
   * allocate the memory. The single entry of every growth (`memory.grow`,
   * the JS API, a resizable buffer's `resize`).
   */
  grow(delta: number): number {
    const old = this.pages;
    if (delta === 0) return old;
    if (delta < 0 || old + delta > this.maxPages) return -1;
    const lim = this.limiter;
    if (lim !== null) {
      const want = (old + delta) * PAGE;
      if (lim.maxBytes !== undefined && want > lim.maxBytes) return -1;
      const max = this.declaredMax === null ? null : this.declaredMax * PAGE;
      if (lim.growing !== undefined && !lim.growing(old * PAGE, want, max)) return -1;
    }
    if (this.store.kind === "initial" && !this.#moveToGrowable()) return -1;
    const r = this.store.grow(delta, this.maxPages);
    if (r < 0) return -1;
    this.sync();
    if (this.onGrow !== null) this.onGrow();
    return r;
  }

  /** The JS API's `grow(0)`: a fixed-length buffer is detached and replaced. */
  refresh(): void {
    if (this.store.kind === "initial") this.#moveToGrowable();
    this.store.refresh();
    this.sync();
  }

  /** The JS API's `toResizableBuffer()`. */
  toResizableBuffer(): ArrayBuffer {
    if (this.store.kind === "initial" && !this.#moveToGrowable()) {
      throw new RangeError("WebAssembly.Memory.toResizableBuffer: cannot allocate the memory");
    }
    this.#switch(this.store.toResizable());
    return this.buf;
  }

  /**
   * Moves an initial plain buffer's bytes into a store that grows in place
   * (one copy of the memory as it is, before its first growth; the old
   * buffer is detached, as growth requires). False if the host cannot
   * allocate one.
   */
  #moveToGrowable(): boolean {
    const pages = this.len / PAGE;
    let next: MemoryStore;
    try {
      next = NativeStore.create(pages, this.maxPages, false) ??
        ResizableStore.create(this.len, this.maxPages * PAGE);
    } catch {
      return false;
    }
    const old = this.buf;
    new Uint8Array(next.current(), 0, this.len).set(this.u8);
    (old as ArrayBuffer & { transfer(n: number): ArrayBuffer }).transfer(0);
    this.#switch(next);
    return true;
  }

  /** The JS API's `toFixedLengthBuffer()`. */
  toFixedLengthBuffer(): ArrayBuffer {
    this.#switch(this.store.toFixedLength());
    return this.buf;
  }

  #switch(store: MemoryStore): void {
    this.store = store;
    this.#hook();
    this.sync();
    if (this.onGrow !== null) this.onGrow();
  }

  /** Routes a resizable fallback buffer's own `resize` through {@link grow}. */
  #hook(): void {
    if (this.store instanceof ResizableStore) this.store.growHook = (d) => this.grow(d);
  }
}

/** The store of a new memory (see memory_store.ts for the order of preference). */
function newStore(initial: number, maxPages: number, shared: boolean): MemoryStore {
  if (!shared && startsPlain()) return FixedStore.initial(initial * PAGE, maxPages * PAGE);
  const native = NativeStore.create(initial, maxPages, shared);
  if (native !== null) return native;
  return shared
    ? GrowableSharedStore.create(initial * PAGE, maxPages * PAGE)
    : ResizableStore.create(initial * PAGE, maxPages * PAGE);
}

/** Re-exported for the JS API's exact mode and for tests. */
export { FixedStore, GrowableSharedStore, NativeStore, ResizableStore };

/** A 0-page memory stand-in for instances without memory 0. */
export const NO_MEMORY: MemInst = new MemInst(0, 0);
