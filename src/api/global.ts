/**
 * `WebAssembly.Global`.
 *
 * @module
 */

import { isRef } from "../binary/valtype.ts";
import { GlobalInst, globalStore } from "../runtime/globals.ts";
import { readSlot, toWasm, writeSlot } from "./values.ts";
import { apiObject, descriptor, globalOf, valueTypeCode } from "./_internals.ts";

/**
 * Descriptor of {@link Global}.
 *
 * @example
 * ```ts
 * import { Global, type GlobalDescriptor } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const descriptor: GlobalDescriptor = { value: "i64", mutable: false };
 * const big = new Global(descriptor, 5n);
 * assert.equal(big.value, 5n);
 * ```
 */
export interface GlobalDescriptor {
  /**
   * Value type name: "i32", "i64", "f32", "f64", "anyfunc"/"funcref",
   * "externref", or a GC reference type ("anyref", "eqref", "i31ref",
   * "structref", "arrayref", "nullref", "nullexternref", "nullfuncref").
   */
  value: string;
  /** Whether wasm and JS may change it. */
  mutable?: boolean;
}

function inner(g: unknown, api: string): GlobalInst {
  const gi = typeof g === "object" && g !== null ? globalOf.get(g) : undefined;
  if (gi === undefined) throw new TypeError(`${api}: receiver is not a WebAssembly.Global`);
  return gi;
}

const view = () => new Float32Array(globalStore.buf);

/** Reads a global as a JS value. */
export function readGlobal(gi: GlobalInst): unknown {
  return readSlot(globalStore.i32, view(), globalStore.refs, gi.cell, gi.type.type);
}

/** Writes a JS value (converted as ToWebAssemblyValue) into a global. */
export function writeGlobal(gi: GlobalInst, v: unknown): void {
  const w = toWasm(gi.type.type, v);
  writeSlot(globalStore.i32, view(), globalStore.refs, gi.cell, gi.type.type, w);
}

/**
 * A global variable.
 *
 * @example
 * ```ts
 * import { Global, instantiate, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const counter = new Global({ value: "i32", mutable: true }, 41);
 * const { instance } = await instantiate(parseWat(`(module
 *   (import "env" "counter" (global $c (mut i32)))
 *   (func (export "bump") (global.set $c (i32.add (global.get $c) (i32.const 1)))))`), {
 *   env: { counter },
 * });
 * (instance.exports.bump as () => void)();
 * assert.equal(counter.value, 42);
 * ```
 */
export class Global {
  /** Creates a global holding `value` (default: the type's zero / null / undefined). */
  constructor(desc: GlobalDescriptor, value?: unknown) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Global must be called with new");
    const d = descriptor(desc, "WebAssembly.Global");
    const type = valueTypeCode(d.value, "WebAssembly.Global");
    if (type === 0x7b) {
      throw new TypeError("WebAssembly.Global: v128 globals are not allowed from JS");
    }
    const gi = new GlobalInst({ type: type as 0x7f, mutable: Boolean(d.mutable) });
    // A missing (or undefined) value is the type's default.
    writeGlobal(
      gi,
      value !== undefined
        ? value
        : type === 0x7e
        ? 0n
        : type === 0x6f
        ? undefined
        : isRef(type)
        ? null
        : 0,
    );
    globalOf.set(this, gi);
    apiObject.set(gi, this);
  }

  /** The current value. */
  get value(): unknown {
    return readGlobal(inner(this, "WebAssembly.Global.value"));
  }

  /** Sets the value (TypeError for an immutable global). */
  set value(v: unknown) {
    const gi = inner(this, "WebAssembly.Global.value");
    if (!gi.type.mutable) throw new TypeError("WebAssembly.Global: cannot set an immutable global");
    writeGlobal(gi, v);
  }

  /** The current value. */
  valueOf(): unknown {
    return readGlobal(inner(this, "WebAssembly.Global.valueOf"));
  }
}

Object.defineProperty(Global.prototype, Symbol.toStringTag, {
  value: "WebAssembly.Global",
  configurable: true,
});

/** The Global object for a runtime global (one per global). */
export function wrapGlobal(gi: GlobalInst): Global {
  let g = apiObject.get(gi) as Global | undefined;
  if (g === undefined) {
    g = Object.create(Global.prototype) as Global;
    globalOf.set(g, gi);
    apiObject.set(gi, g);
  }
  return g;
}
