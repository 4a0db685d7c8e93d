/**
 * Handing a compiled `Module` to another thread. Structured cloning keeps no
 * class, so a Gannet `Module` cannot cross a `postMessage` itself; its
 * description can ({@link describeModule}: the bytes and the features it was
 * validated with), and the receiver compiles it again ({@link moduleFrom};
 * decoding and validation are linear, and functions are translated lazily on
 * their first call, so this is the cheap part). With
 * `describeSharedMemory`/`sharedMemoryFrom` this is what a thread pool
 * needs.
 *
 * @example
 * ```ts
 * import { describeModule, Module, moduleFrom, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module (func (export "f")))`));
 * const desc = structuredClone(describeModule(module)); // what postMessage does
 * assert.deepEqual(Module.exports(moduleFrom(desc)), [{ name: "f", kind: "function" }]);
 * ```
 *
 * @module
 */
import type { Features } from "../binary/features.ts";
import { Module, moduleInternals } from "../api/module.ts";

/** A module as it crosses `postMessage` (structured-cloneable). */
export interface ModuleDescriptor {
  /** The module's bytes. */
  bytes: Uint8Array;
  /** The features it was compiled with. */
  features: Readonly<Features>;
}

/** Describes a `Module` for another thread; TypeError if it is not a Gannet `Module`. */
export function describeModule(module: Module): ModuleDescriptor {
  let c;
  try {
    c = moduleInternals(module);
  } catch {
    throw new TypeError("describeModule: not a WebAssembly.Module");
  }
  return { bytes: c.bytes, features: { ...c.features } };
}

/**
 * The `Module` a {@link describeModule} description stands for, compiled
 * with the same features. TypeError on a malformed descriptor.
 */
export function moduleFrom(desc: ModuleDescriptor): Module {
  if (typeof desc !== "object" || desc === null || !(desc.bytes instanceof Uint8Array)) {
    throw new TypeError("moduleFrom: bytes must be a Uint8Array");
  }
  if (typeof desc.features !== "object" || desc.features === null) {
    throw new TypeError("moduleFrom: features must be an object");
  }
  return new Module(desc.bytes, { features: desc.features });
}
