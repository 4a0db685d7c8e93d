/**
 * Byte stores for hosts without a native `WebAssembly` (see
 * `memory_store.ts`): a resizable `ArrayBuffer` that grows in place, a
 * fixed-length one that is copied on growth (the JS API's exact detaching,
 * on request), and a growable `SharedArrayBuffer` with a lock that
 * serializes growth across threads.
 *
 * Address space stays bounded: all resizable buffers together reserve at
 * most {@link RESERVE_BUDGET} bytes of `maxByteLength` (a memory declared up
 * to 4 GiB reserves its maximum while the budget lasts; past it, twice its
 * size, and a buffer that outgrows its reservation moves to one twice as
 * large, so growth stays linear overall).
 *
 * @module
 */

import { type MemoryStore, PAGE } from "./memory_store.ts";

/** Address space all resizable buffers may reserve together (1 TiB; x86-64 user space is 128 TiB). */
export const RESERVE_BUDGET = 2 ** 40;
/** Smallest reservation made once the budget is spent. */
const MIN_RESERVE = 64 * 1024 * 1024;

let budget = RESERVE_BUDGET;
let reserved = 0;
const released = new FinalizationRegistry<number>((bytes) => {
  reserved -= bytes;
});

/** Bytes currently reserved by resizable buffers (for tests). */
export function reservedBytes(): number {
  return reserved;
}

/** Sets the reservation budget (tests); returns the previous one. */
export function setReserveBudget(bytes: number): number {
  const was = budget;
  budget = bytes;
  return was;
}

/** A resizable buffer of `len` bytes reserving up to `max` (bounded by the budget). */
function reserve(len: number, max: number): ArrayBuffer {
  let want = reserved + max <= budget ? max : Math.min(max, Math.max(2 * len, MIN_RESERVE));
  for (;;) {
    try {
      const b = new ArrayBuffer(len, { maxByteLength: want });
      reserved += want;
      released.register(b, want);
      return b;
    } catch (e) {
      // The host refused the reservation: ask for less, down to the length.
      if (want <= len) throw e;
      want = Math.max(len, Math.floor(want / 2 / PAGE) * PAGE);
    }
  }
}

const AB = ArrayBuffer.prototype as ArrayBuffer & {
  resize(n: number): void;
  transferToFixedLength(n?: number): ArrayBuffer;
  transfer(n?: number): ArrayBuffer;
};

/** Detaches `b` (so that stale views of it fail loudly instead of reading old bytes). */
function detach(b: ArrayBuffer): void {
  try {
    AB.transferToFixedLength.call(b, 0);
  } catch {
    // Already detached, or the host cannot: nothing more to do.
  }
}

/** Copies `from` into a new buffer `to` (same or larger length). */
function copyInto(from: ArrayBuffer, to: ArrayBuffer): ArrayBuffer {
  new Uint8Array(to, 0, from.byteLength).set(new Uint8Array(from));
  return to;
}

/** What every store that grows in place, never detaching, has in common. */
abstract class InPlaceStore {
  refresh(): void {
    // Growth never detaches, so neither does grow(0).
  }

  resizable(): boolean {
    return true;
  }

  toResizable(): MemoryStore {
    return this as unknown as MemoryStore;
  }
}

/**
 * A resizable `ArrayBuffer`, resized in place. It is also what
 * `Memory.buffer` returns (a documented deviation: the JS API's default is a
 * fixed-length buffer detached by growth, which would cost a copy per grow
 * here): its own `resize` grows the memory as the JS API's resizable mode
 * defines, and `transfer` is refused.
 */
export class ResizableStore extends InPlaceStore implements MemoryStore {
  readonly kind = "resizable" as const;
  #buf: ArrayBuffer;
  readonly #max: number;
  /** Grows the owning memory by pages (set by it): `buffer.resize` goes through its checks. */
  growHook: ((delta: number) => number) | null = null;

  private constructor(buf: ArrayBuffer, max: number) {
    super();
    this.#max = max;
    this.#buf = this.#guard(buf);
  }

  /** A zeroed store of `len` bytes growable to `max`; RangeError if the host cannot. */
  static create(len: number, max: number): ResizableStore {
    return new ResizableStore(reserve(len, max), max);
  }

  /** A store holding a copy of `from`'s bytes; `from` is detached. */
  static copyOf(from: ArrayBuffer, max: number): ResizableStore {
    const s = new ResizableStore(copyInto(from, reserve(from.byteLength, max)), max);
    detach(from);
    return s;
  }

  /** Shadows the buffer's own `resize`/`transfer` so that glue cannot bypass the memory. */
  #guard(b: ArrayBuffer): ArrayBuffer {
    const resize = (n: number): void => {
      const len = this.#buf.byteLength;
      if (!Number.isInteger(n) || n % PAGE !== 0 || n < len) {
        throw new RangeError("WebAssembly.Memory buffer: resize to a larger whole number of pages");
      }
      if (n > len && (this.growHook === null || this.growHook((n - len) / PAGE) < 0)) {
        throw new RangeError("WebAssembly.Memory buffer: cannot grow past the maximum");
      }
    };
    const refuse = (): never => {
      throw new TypeError("a WebAssembly.Memory buffer cannot be transferred");
    };
    Object.defineProperties(b, {
      resize: { value: resize, configurable: true },
      transfer: { value: refuse, configurable: true },
      transferToFixedLength: { value: refuse, configurable: true },
    });
    return b;
  }

  current(): ArrayBuffer {
    return this.#buf;
  }

  grow(delta: number, maxPages: number): number {
    const b = this.#buf, len = b.byteLength, old = len / PAGE;
    if (old + delta > maxPages) return -1;
    const n = len + delta * PAGE;
    try {
      if (n <= b.maxByteLength) AB.resize.call(b, n);
      else {
        // Past the reservation: move to one twice as large (amortized linear).
        const nb = reserve(n, Math.min(this.#max, Math.max(2 * n, MIN_RESERVE)));
        this.#buf = this.#guard(copyInto(b, nb));
        detach(b);
      }
    } catch {
      return -1;
    }
    return old;
  }

  toFixedLength(): MemoryStore {
    return FixedStore.copyOf(this.#buf, this.#max);
  }
}

/**
 * A fixed-length `ArrayBuffer` replaced (copied) by each growth, the old one
 * detached: the JS API's exact `Memory.buffer` behaviour, at a cost that
 * grows with the memory (what `toFixedLengthBuffer()` asks for). Also where
 * an unshared memory starts (kind "initial", see `memory_store.ts`): its
 * owner moves it to a store that grows in place before its first growth.
 */
export class FixedStore implements MemoryStore {
  readonly kind: "fixed" | "initial";
  #buf: ArrayBuffer;
  readonly #max: number;

  private constructor(buf: ArrayBuffer, max: number, kind: "fixed" | "initial" = "fixed") {
    this.#buf = buf;
    this.#max = max;
    this.kind = kind;
  }

  /** A zeroed "initial" store of `len` bytes; RangeError if the host cannot allocate it. */
  static initial(len: number, max: number): FixedStore {
    return new FixedStore(new ArrayBuffer(len), max, "initial");
  }

  /** A store holding a copy of `from`'s bytes; `from` is detached. */
  static copyOf(from: ArrayBuffer, max: number): FixedStore {
    const s = new FixedStore(copyInto(from, new ArrayBuffer(from.byteLength)), max);
    detach(from);
    return s;
  }

  current(): ArrayBuffer {
    return this.#buf;
  }

  grow(delta: number, maxPages: number): number {
    const old = this.#buf.byteLength / PAGE;
    if (old + delta > maxPages) return -1;
    try {
      this.#buf = AB.transfer.call(this.#buf, (old + delta) * PAGE);
    } catch {
      return -1;
    }
    return old;
  }

  refresh(): void {
    this.#buf = AB.transfer.call(this.#buf, this.#buf.byteLength);
  }

  resizable(): boolean {
    return false;
  }

  toResizable(): MemoryStore {
    return ResizableStore.copyOf(this.#buf, this.#max);
  }

  toFixedLength(): MemoryStore {
    return this;
  }
}

/** Lock word states. */
const FREE = 0, HELD = 1;

/**
 * A growable `SharedArrayBuffer` reserving the memory's maximum (shared
 * memories always declare one), with a lock word in a second small
 * `SharedArrayBuffer` that every thread's copy shares, so that concurrent
 * growers are serialized and each gets the size it grew from.
 */
export class GrowableSharedStore extends InPlaceStore implements MemoryStore {
  readonly kind = "growable-shared" as const;
  /** The bytes. */
  readonly buffer: SharedArrayBuffer;
  /** The lock word (index 0). */
  readonly lock: Int32Array;

  /**
   * Wraps shared bytes and their lock (from another thread's descriptor).
   *
   * @param buffer the growable bytes
   * @param lock a 4-byte `SharedArrayBuffer` shared by every copy
   */
  constructor(buffer: SharedArrayBuffer, lock: SharedArrayBuffer) {
    super();
    this.buffer = buffer;
    this.lock = new Int32Array(lock, 0, 1);
  }

  /** A zeroed store of `len` bytes growable to `max`; RangeError if the host cannot. */
  static create(len: number, max: number): GrowableSharedStore {
    return new GrowableSharedStore(
      new SharedArrayBuffer(len, { maxByteLength: max }),
      new SharedArrayBuffer(4),
    );
  }

  current(): ArrayBuffer {
    return this.buffer as unknown as ArrayBuffer;
  }

  grow(delta: number, maxPages: number): number {
    const lock = this.lock;
    while (Atomics.compareExchange(lock, 0, FREE, HELD) !== FREE) {
      try {
        Atomics.wait(lock, 0, HELD, 1);
      } catch {
        // A thread that may not block (a browser's main thread) spins.
      }
    }
    try {
      const old = this.buffer.byteLength / PAGE;
      if (old + delta > maxPages) return -1;
      this.buffer.grow((old + delta) * PAGE);
      return old;
    } catch {
      return -1;
    } finally {
      Atomics.store(lock, 0, FREE);
      Atomics.notify(lock, 0, 1);
    }
  }

  /**
   * The bytes stay in the growable buffer: no fixed-length
   * `SharedArrayBuffer` can alias them (a documented deviation, only on
   * hosts without a native `WebAssembly`).
   */
  toFixedLength(): MemoryStore {
    return this;
  }
}
