/**
 * Handing a shared linear memory to another thread. A Gannet
 * `WebAssembly.Memory` object cannot cross a `postMessage` (structured
 * cloning keeps no class), but what holds its bytes can: the sender
 * describes the memory ({@link describeSharedMemory}), the receiver builds a
 * `Memory` over the very same bytes ({@link sharedMemoryFrom}). Growth by any
 * thread is seen by all: the size is the shared buffer's current length.
 *
 * @example
 * ```ts
 * import { describeSharedMemory, Memory, sharedMemoryFrom } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const memory = new Memory({ initial: 1, maximum: 2, shared: true });
 * const desc = describeSharedMemory(memory); // structured-cloneable
 * const other = sharedMemoryFrom(desc); // e.g. inside a Worker
 * new Uint8Array(other.buffer)[3] = 42;
 * assert.equal(new Uint8Array(memory.buffer)[3], 42);
 * other.grow(1);
 * assert.equal(memory.buffer.byteLength, 2 * 65536);
 * ```
 *
 * @module
 */
import { memOf } from "../api/_internals.ts";
import { type Memory, wrapMemory } from "../api/memory.ts";
import { GrowableSharedStore, MemInst, PAGE } from "../runtime/memory.ts";
import { type HostMemory, isHostMemory, NativeStore } from "../runtime/memory_store.ts";

/** A shared memory as it crosses `postMessage` (structured-cloneable). */
export interface SharedMemoryDescriptor {
  /** The memory's bytes as of the description (the size may grow later). */
  buffer: SharedArrayBuffer;
  /** Declared maximum in pages (shared memories always have one). */
  maximum: number;
  /** 64-bit addresses (memory64). */
  index64: boolean;
  /**
   * The host's shared `WebAssembly.Memory` that holds the bytes, where the
   * host has a native `WebAssembly` (hosts clone it by reference).
   */
  host?: unknown;
  /** Lock word serializing growth, for bytes in a growable `SharedArrayBuffer`. */
  lock?: SharedArrayBuffer;
}

/**
 * Describes a shared `Memory` for another thread; TypeError if `memory` is
 * not a Gannet `Memory` or is not shared.
 */
export function describeSharedMemory(memory: Memory): SharedMemoryDescriptor {
  const mi = typeof memory === "object" && memory !== null ? memOf.get(memory) : undefined;
  if (mi === undefined) throw new TypeError("describeSharedMemory: not a WebAssembly.Memory");
  if (!mi.shared) throw new TypeError("describeSharedMemory: the memory is not shared");
  mi.sync();
  const desc: SharedMemoryDescriptor = {
    buffer: mi.buf as unknown as SharedArrayBuffer,
    maximum: mi.declaredMax ?? mi.maxPages,
    index64: mi.index64,
  };
  if (mi.store instanceof NativeStore) desc.host = mi.store.host;
  else if (mi.store instanceof GrowableSharedStore) {
    desc.lock = mi.store.lock.buffer as SharedArrayBuffer;
  }
  return desc;
}

/** Whether `v` is a Gannet `Memory` over shared bytes. */
export function isSharedMemory(v: unknown): v is Memory {
  const mi = typeof v === "object" && v !== null ? memOf.get(v) : undefined;
  return mi !== undefined && mi.shared;
}

/**
 * A `Memory` over the bytes of a memory described by
 * {@link describeSharedMemory} (in this or another thread): writes and
 * growth on either side are seen by the other. TypeError on a malformed
 * descriptor.
 */
export function sharedMemoryFrom(desc: SharedMemoryDescriptor): Memory {
  if (typeof desc !== "object" || desc === null) {
    throw new TypeError("sharedMemoryFrom: the descriptor must be an object");
  }
  const host = desc.host;
  let store: NativeStore | GrowableSharedStore;
  if (host !== undefined) {
    if (!isHostMemory(host)) {
      throw new TypeError("sharedMemoryFrom: host must be this host's WebAssembly.Memory");
    }
    store = NativeStore.adopt(host as HostMemory);
  } else {
    const buf = desc.buffer;
    if (typeof SharedArrayBuffer === "undefined" || !(buf instanceof SharedArrayBuffer)) {
      throw new TypeError("sharedMemoryFrom: buffer must be a SharedArrayBuffer");
    }
    if (!(buf as SharedArrayBuffer & { growable?: boolean }).growable) {
      throw new TypeError("sharedMemoryFrom: buffer must be a growable SharedArrayBuffer");
    }
    const lock = desc.lock ?? new SharedArrayBuffer(4);
    if (!(lock instanceof SharedArrayBuffer) || lock.byteLength < 4) {
      throw new TypeError("sharedMemoryFrom: lock must be a SharedArrayBuffer of 4 bytes");
    }
    store = new GrowableSharedStore(buf, lock);
  }
  const len = store.current().byteLength;
  if (len % PAGE !== 0) {
    throw new TypeError("sharedMemoryFrom: buffer length is not a whole number of pages");
  }
  const pages = len / PAGE;
  if (!Number.isInteger(desc.maximum) || desc.maximum < pages) {
    throw new TypeError("sharedMemoryFrom: maximum must be an integer >= the current size");
  }
  return wrapMemory(new MemInst(pages, desc.maximum, Boolean(desc.index64), true, store));
}
