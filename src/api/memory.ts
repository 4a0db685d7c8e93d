/**
 * `WebAssembly.Memory`.
 *
 * @module
 */

import { MAX_PAGES32, MAX_PAGES64, MemInst } from "../runtime/memory.ts";
import { addressType, apiObject, descriptor, fromAddress, memOf, toAddress } from "./_internals.ts";

/**
 * Descriptor of {@link Memory}.
 *
 * @example
 * ```ts
 * import { Memory, type MemoryDescriptor } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const descriptor: MemoryDescriptor = { initial: 1, maximum: 2, shared: true };
 * const memory = new Memory(descriptor);
 * assert.ok(memory.buffer instanceof SharedArrayBuffer);
 * ```
 */
export interface MemoryDescriptor {
  /** Initial size in pages (a BigInt when `address` is "i64"). */
  initial: number | bigint;
  /** Maximum size in pages (a BigInt when `address` is "i64"). */
  maximum?: number | bigint;
  /** Shared memory (threads). */
  shared?: boolean;
  /**
   * Address type (memory64): "i32" (default) or "i64". With "i64", sizes
   * are BigInts in and out, as the memory64 JS API defines.
   */
  address?: "i32" | "i64";
}

/** Largest page count a memory type allows: 2^16 for i32, 2^48 for i64 addresses. */
const TYPE_LIMIT32 = 65536n;
const TYPE_LIMIT64 = 1n << 48n;

function inner(m: unknown, api: string): MemInst {
  const mi = typeof m === "object" && m !== null ? memOf.get(m) : undefined;
  if (mi === undefined) throw new TypeError(`${api}: receiver is not a WebAssembly.Memory`);
  return mi;
}

/**
 * A linear memory.
 *
 * @example
 * ```ts
 * import { Instance, Memory, Module, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const memory = new Memory({ initial: 1, maximum: 4 });
 * assert.equal(memory.buffer.byteLength, 65536);
 * assert.equal(memory.grow(1), 1); // the old size in pages
 * assert.equal(memory.buffer.byteLength, 2 * 65536);
 * // Shared with a module that imports it.
 * const module = new Module(parseWat(`(module (import "env" "mem" (memory 1))
 *   (func (export "poke") (i32.store8 (i32.const 7) (i32.const 99))))`));
 * const instance = new Instance(module, { env: { mem: memory } });
 * (instance.exports.poke as () => void)();
 * assert.equal(new Uint8Array(memory.buffer)[7], 99);
 * ```
 */
export class Memory {
  /** Creates a memory of `initial` pages (RangeError if too large). */
  constructor(desc: MemoryDescriptor) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Memory must be called with new");
    const d = descriptor(desc, "WebAssembly.Memory");
    const is64 = addressType(d, "WebAssembly.Memory") === "i64";
    if (d.initial === undefined) throw new TypeError("WebAssembly.Memory: initial is required");
    const initial = toAddress(d.initial, is64, "WebAssembly.Memory: initial");
    const maximum = d.maximum === undefined
      ? null
      : toAddress(d.maximum, is64, "WebAssembly.Memory: maximum");
    const shared = Boolean(d.shared);
    // The memory type's own limits (2^16 or 2^48 pages)…
    const typeLimit = is64 ? TYPE_LIMIT64 : TYPE_LIMIT32;
    if (initial > typeLimit) throw new RangeError("WebAssembly.Memory: initial is too large");
    if (maximum !== null && maximum > typeLimit) {
      throw new RangeError("WebAssembly.Memory: maximum is too large");
    }
    if (maximum !== null && maximum < initial) {
      throw new RangeError("WebAssembly.Memory: maximum is smaller than initial");
    }
    if (shared && maximum === null) {
      throw new TypeError("WebAssembly.Memory: a shared memory needs a maximum");
    }
    // …then what Gannet allocates (a larger declared maximum stays valid).
    if (initial > BigInt(is64 ? MAX_PAGES64 : MAX_PAGES32)) {
      throw new RangeError(`WebAssembly.Memory: cannot allocate ${initial} pages`);
    }
    const mi = new MemInst(
      Number(initial),
      maximum === null ? null : Number(maximum),
      is64,
      shared,
    );
    memOf.set(this, mi);
    apiObject.set(mi, this);
  }

  /**
   * The memory's bytes. Where the host has a native `WebAssembly` this is
   * exactly the JS API's buffer: fixed-length, detached and replaced by
   * growth (or resizable after {@link toResizableBuffer}). Without one it is
   * a resizable `ArrayBuffer` grown in place (a shared memory's, a growable
   * `SharedArrayBuffer`); {@link toFixedLengthBuffer} gives the exact
   * behaviour there, at the cost of a copy per growth. See docs/memory.md.
   */
  get buffer(): ArrayBuffer {
    const mi = inner(this, "WebAssembly.Memory.buffer");
    mi.sync();
    return mi.buf;
  }

  /**
   * Makes {@link buffer} a resizable `ArrayBuffer` (growable
   * `SharedArrayBuffer` if shared) that growth resizes in place instead of
   * detaching; its `resize` grows the memory (whole pages only).
   */
  toResizableBuffer(): ArrayBuffer {
    return inner(this, "WebAssembly.Memory.toResizableBuffer").toResizableBuffer();
  }

  /** Makes {@link buffer} fixed-length again: detached and replaced by each growth. */
  toFixedLengthBuffer(): ArrayBuffer {
    return inner(this, "WebAssembly.Memory.toFixedLengthBuffer").toFixedLengthBuffer();
  }

  /**
   * Grows by `delta` pages; returns the old size (BigInts in and out for an
   * "i64" memory). RangeError past the maximum or when the host cannot
   * allocate the memory.
   */
  grow(delta: number): number;
  /** Grows an "i64" memory by `delta` pages; returns the old size. */
  grow(delta: bigint): bigint;
  grow(delta: number | bigint): number | bigint {
    const mi = inner(this, "WebAssembly.Memory.grow");
    const n = toAddress(delta, mi.index64, "WebAssembly.Memory.grow: delta");
    if (n === 0n) {
      mi.refresh();
      return fromAddress(mi.pages, mi.index64);
    }
    const old = n > BigInt(mi.maxPages) ? -1 : mi.grow(Number(n));
    if (old < 0) {
      const why = mi.limiter === null ? "" : " or its store's limits";
      throw new RangeError(`WebAssembly.Memory.grow: cannot grow past the maximum${why}`);
    }
    return fromAddress(old, mi.index64);
  }
}

Object.defineProperty(Memory.prototype, Symbol.toStringTag, {
  value: "WebAssembly.Memory",
  configurable: true,
});

/** The Memory object for a runtime memory (one per memory). */
export function wrapMemory(mi: MemInst): Memory {
  let m = apiObject.get(mi) as Memory | undefined;
  if (m === undefined) {
    m = Object.create(Memory.prototype) as Memory;
    memOf.set(m, mi);
    apiObject.set(mi, m);
  }
  return m;
}
