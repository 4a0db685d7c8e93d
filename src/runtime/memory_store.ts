/**
 * Where a linear memory's bytes live. The interpreter reads and writes them
 * through a `Uint8Array`/`DataView` pair, and V8 and JavaScriptCore only
 * compile those accesses to plain loads for views of ordinary buffers:
 * measured (bench/buffer_access.ts), a view of a resizable `ArrayBuffer` is
 * 3–4× slower for typed arrays and 25× for `DataView` on Deno, 3–5× on Bun,
 * and a length-tracking view of a growable `SharedArrayBuffer` 80× slower on
 * Deno. So, in order of preference:
 *
 * 1. {@link NativeStore}: the host's own `WebAssembly.Memory`, used as a
 *    byte store only (no wasm is compiled). It reserves address space and
 *    grows in place (1,024 one-page grows to 64 MiB: 40 ms on Deno, 18 ms on
 *    Bun), its `buffer` is an ordinary fixed-length `ArrayBuffer` that growth
 *    detaches — exactly the JS API's `Memory.buffer` — and a shared one is
 *    structured-cloneable, grows atomically and tells every thread its size.
 *    An unshared memory starts in a plain `ArrayBuffer` (`FixedStore.initial`:
 *    creating a host memory costs 0.1–0.2 ms on Deno and 0.3–3 ms on Bun,
 *    a plain buffer microseconds, and most memories never grow) and moves to
 *    a host memory on its first growth, copying its initial bytes once.
 * 2. Without a native `WebAssembly` (`--jitless`, lockdown hosts), where
 *    the JIT that makes view kinds differ is off too: a resizable
 *    `ArrayBuffer` or a growable `SharedArrayBuffer` (`memory_fallback.ts`).
 *
 * @module
 */

/** Bytes per wasm page. */
export const PAGE = 65536;

/** A memory's byte store. */
export interface MemoryStore {
  /** Which kind of store (for tests and diagnostics). */
  readonly kind: "initial" | "native" | "resizable" | "fixed" | "growable-shared";
  /**
   * The current buffer: what `Memory.buffer` returns. For a shared memory
   * this re-reads the size, which another thread may have grown.
   */
  current(): ArrayBuffer;
  /**
   * Grows by `delta` pages, at most to `maxPages`; returns the old size in
   * pages, or -1. Concurrent growers of a shared store are serialized: each
   * gets the size it grew from.
   */
  grow(delta: number, maxPages: number): number;
  /** The JS API's `grow(0)`: detaches and replaces a fixed-length buffer. */
  refresh(): void;
  /** Whether {@link current} is a resizable (or growable) buffer. */
  resizable(): boolean;
  /** The JS API's `toResizableBuffer()`: the store to use from now on. */
  toResizable(): MemoryStore;
  /** The JS API's `toFixedLengthBuffer()`: the store to use from now on. */
  toFixedLength(): MemoryStore;
}

/** The part of the host's `WebAssembly.Memory` a store uses. */
export interface HostMemory {
  /** The bytes. */
  readonly buffer: ArrayBuffer;
  /** Grows by pages (a BigInt for an "i64" memory); returns the old size. */
  grow(delta: number | bigint): number | bigint;
  /** Switches `buffer` to a resizable one (JS API, where the host has it). */
  toResizableBuffer?(): ArrayBuffer;
  /** Switches `buffer` back to a fixed-length one. */
  toFixedLengthBuffer?(): ArrayBuffer;
}

/** The host's `WebAssembly.Memory` constructor. */
type HostMemoryClass = new (desc: Record<string, unknown>) => HostMemory;

/**
 * The host's own `WebAssembly.Memory`, captured when this module loads
 * (before the polyfill may replace the global), or null. Only a native
 * function counts, so a Gannet installed as `globalThis.WebAssembly` by an
 * earlier copy is never mistaken for the host's.
 */
const HOST_MEMORY: HostMemoryClass | null = (() => {
  const M = (globalThis as { WebAssembly?: { Memory?: unknown } }).WebAssembly?.Memory;
  if (typeof M !== "function") return null;
  return /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(M))
    ? M as HostMemoryClass
    : null;
})();

/** Whether `v` is a memory of the host's own `WebAssembly` (e.g. sent by another thread). */
export function isHostMemory(v: unknown): v is HostMemory {
  return HOST_MEMORY !== null && v instanceof HOST_MEMORY;
}

/** Store policy: "auto" (native where the host has it) or a forced fallback (tests, benches). */
let preferNative = true;

/**
 * Chooses whether new memories use the host's `WebAssembly.Memory` (true, the
 * default) or the fallback stores; returns the previous setting. For tests
 * and benchmarks that compare the two.
 */
export function useNativeStores(on: boolean): boolean {
  const was = preferNative;
  preferNative = on;
  return was;
}

/** A store over the host's `WebAssembly.Memory`. */
export class NativeStore implements MemoryStore {
  /** The host memory. */
  readonly host: HostMemory;
  /** Whether the host memory has 64-bit addresses (sizes are BigInts). */
  readonly #i64: boolean;
  readonly kind = "native" as const;

  /**
   * Wraps `host`.
   *
   * @param host the host memory
   * @param i64 whether it was created with `address: "i64"`
   */
  constructor(host: HostMemory, i64: boolean) {
    this.host = host;
    this.#i64 = i64;
  }

  /**
   * A new host memory of `initial` pages that may grow to `maxPages`, or
   * null where the host has none or cannot allocate it.
   */
  static create(initial: number, maxPages: number, shared: boolean): NativeStore | null {
    if (HOST_MEMORY === null || !preferNative) return null;
    // The bytes do not care about the address type: a 64-bit memory uses a
    // 32-bit host memory unless it may outgrow 4 GiB (Bun has no memory64).
    const i64 = maxPages > 65536;
    try {
      const host = i64
        ? new HOST_MEMORY({
          address: "i64",
          initial: BigInt(initial),
          maximum: BigInt(maxPages),
          shared,
        })
        : new HOST_MEMORY({ initial, maximum: maxPages, shared });
      return new NativeStore(host, i64);
    } catch {
      if (!i64) return null;
      // No memory64 on this host: a 32-bit host memory still holds 4 GiB.
      return initial <= 65536 ? NativeStore.create(initial, 65536, shared) : null;
    }
  }

  /** Wraps a host memory made elsewhere (another thread's shared memory). */
  static adopt(host: HostMemory): NativeStore {
    // grow(0) changes nothing in a shared memory; an "i64" one wants a BigInt.
    try {
      host.grow(0);
      return new NativeStore(host, false);
    } catch {
      return new NativeStore(host, true);
    }
  }

  current(): ArrayBuffer {
    return this.host.buffer;
  }

  grow(delta: number, _maxPages: number): number {
    // The host memory was created with the maximum: it enforces it, atomically
    // for a shared memory.
    try {
      return Number(this.host.grow(this.#i64 ? BigInt(delta) : delta));
    } catch {
      return -1;
    }
  }

  refresh(): void {
    this.host.grow(this.#i64 ? 0n : 0);
  }

  resizable(): boolean {
    const b = this.host.buffer as ArrayBuffer & { resizable?: boolean; growable?: boolean };
    return b.resizable === true || b.growable === true;
  }

  toResizable(): MemoryStore {
    if (typeof this.host.toResizableBuffer !== "function") {
      throw new TypeError("WebAssembly.Memory.toResizableBuffer: not supported by this host");
    }
    this.host.toResizableBuffer();
    return this;
  }

  toFixedLength(): MemoryStore {
    if (typeof this.host.toFixedLengthBuffer === "function") this.host.toFixedLengthBuffer();
    return this;
  }
}

/** Whether new unshared memories start in a plain buffer (the host has a memory to move to). */
export function startsPlain(): boolean {
  return HOST_MEMORY !== null && preferNative;
}
