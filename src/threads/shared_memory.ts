/**
 * Handing a shared linear memory to another thread. A `WebAssembly.Memory`
 * object cannot cross a `postMessage`, but its `SharedArrayBuffer` can: the
 * sender describes the memory ({@link describeSharedMemory}), the receiver
 * builds a `Memory` over the very same bytes ({@link sharedMemoryFrom}).
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
 * ```
 *
 * @module
 */
import { memOf } from "../api/_internals.ts";
import { type Memory, wrapMemory } from "../api/memory.ts";
import { MemInst, PAGE } from "../runtime/memory.ts";

/** A shared memory as it crosses `postMessage` (structured-cloneable). */
export interface SharedMemoryDescriptor {
  /** The memory's bytes. */
  buffer: SharedArrayBuffer;
  /** Declared maximum in pages (shared memories always have one). */
  maximum: number;
  /** 64-bit addresses (memory64). */
  index64: boolean;
}

/**
 * Describes a shared `Memory` for another thread; TypeError if `memory` is
 * not a Gannet `Memory` or is not shared.
 */
export function describeSharedMemory(memory: Memory): SharedMemoryDescriptor {
  const mi = typeof memory === "object" && memory !== null ? memOf.get(memory) : undefined;
  if (mi === undefined) throw new TypeError("describeSharedMemory: not a WebAssembly.Memory");
  if (!mi.shared) throw new TypeError("describeSharedMemory: the memory is not shared");
  return {
    buffer: mi.buf as unknown as SharedArrayBuffer,
    maximum: mi.declaredMax ?? mi.maxPages,
    index64: mi.index64,
  };
}

/** Whether `v` is a Gannet `Memory` over shared bytes. */
export function isSharedMemory(v: unknown): v is Memory {
  const mi = typeof v === "object" && v !== null ? memOf.get(v) : undefined;
  return mi !== undefined && mi.shared;
}

/**
 * A `Memory` over the bytes of a memory described by
 * {@link describeSharedMemory} (in this or another thread): writes on either
 * side are seen by the other. TypeError on a malformed descriptor.
 */
export function sharedMemoryFrom(desc: SharedMemoryDescriptor): Memory {
  const buf = desc?.buffer;
  if (typeof SharedArrayBuffer === "undefined" || !(buf instanceof SharedArrayBuffer)) {
    throw new TypeError("sharedMemoryFrom: buffer must be a SharedArrayBuffer");
  }
  if (buf.byteLength % PAGE !== 0) {
    throw new TypeError("sharedMemoryFrom: buffer length is not a whole number of pages");
  }
  const pages = buf.byteLength / PAGE;
  if (!Number.isInteger(desc.maximum) || desc.maximum < pages) {
    throw new TypeError("sharedMemoryFrom: maximum must be an integer >= the current size");
  }
  // A 0-page instance with the right type, then pointed at the shared bytes
  // (the constructor would allocate fresh ones).
  const mi = new MemInst(0, desc.maximum, Boolean(desc.index64), true);
  mi.buf = buf as unknown as ArrayBuffer;
  mi.u8 = new Uint8Array(buf);
  mi.dv = new DataView(buf);
  mi.len = buf.byteLength;
  mi.pages = pages;
  return wrapMemory(mi);
}
