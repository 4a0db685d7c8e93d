/**
 * `WebAssembly.Table`.
 *
 * @module
 */

import { isRef } from "../binary/valtype.ts";
import { MAX_TABLE, TableInst } from "../runtime/table.ts";
import { readSlot, toWasm, writeSlot } from "./values.ts";
import {
  addressType,
  apiObject,
  descriptor,
  fromAddress,
  tableOf,
  toAddress,
  valueTypeCode,
} from "./_internals.ts";

/**
 * Descriptor of {@link Table}.
 *
 * @example
 * ```ts
 * import { Table, type TableDescriptor } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const descriptor: TableDescriptor = { element: "anyfunc", initial: 1, maximum: 10 };
 * const table = new Table(descriptor);
 * assert.equal(table.get(0), null);
 * ```
 */
export interface TableDescriptor {
  /**
   * A reference type: "anyfunc"/"funcref", "externref", or a GC type
   * ("anyref", "eqref", "i31ref", "structref", "arrayref", "nullref",
   * "nullexternref", "nullfuncref").
   */
  element: string;
  /** Initial length (a BigInt when `address` is "i64"). */
  initial: number | bigint;
  /** Maximum length (a BigInt when `address` is "i64"). */
  maximum?: number | bigint;
  /**
   * Index type (table64): "i32" (default) or "i64". With "i64", lengths and
   * indices are BigInts in and out, as the memory64 JS API defines.
   */
  address?: "i32" | "i64";
}

function inner(t: unknown, api: string): TableInst {
  const ti = typeof t === "object" && t !== null ? tableOf.get(t) : undefined;
  if (ti === undefined) throw new TypeError(`${api}: receiver is not a WebAssembly.Table`);
  return ti;
}

const scratchI32 = new Int32Array(2);
const scratchF32 = new Float32Array(2);

/** A reference value as JS sees it. */
function toJs(type: number, v: unknown): unknown {
  return readSlot(scratchI32, scratchF32, [v], 0, type);
}

/** A JS value as a table element (the default when `args` has none). */
function element(type: number, args: IArguments | unknown[], i: number): unknown {
  const v = args.length > i ? args[i] : undefined;
  // A missing (or undefined) value is the type's default: `undefined` for
  // externref (ToWebAssemblyValue(undefined)), null for the other types.
  if (v === undefined) return type === 0x6f ? undefined : null;
  const r: unknown[] = [null];
  writeSlot(scratchI32, scratchF32, r, 0, type, toWasm(type, v));
  return r[0];
}

/**
 * A table of references.
 *
 * @example
 * ```ts
 * import { Table } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const table = new Table({ element: "externref", initial: 2 });
 * table.set(0, { any: "JS value" });
 * assert.deepEqual(table.get(0), { any: "JS value" });
 * assert.equal(table.grow(3, "filler"), 2); // the old length
 * assert.equal(table.get(4), "filler");
 * assert.equal(table.length, 5);
 * ```
 */
export class Table {
  /** Creates a table filled with `value` (default: null / undefined). */
  constructor(desc: TableDescriptor, value?: unknown) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Table must be called with new");
    const d = descriptor(desc, "WebAssembly.Table");
    const type = valueTypeCode(d.element, "WebAssembly.Table");
    if (!isRef(type)) {
      throw new TypeError("WebAssembly.Table: element must be a reference type");
    }
    const is64 = addressType(d, "WebAssembly.Table") === "i64";
    if (d.initial === undefined) throw new TypeError("WebAssembly.Table: initial is required");
    const initial = toAddress(d.initial, is64, "WebAssembly.Table: initial");
    const maximum = d.maximum === undefined
      ? null
      : toAddress(d.maximum, is64, "WebAssembly.Table: maximum");
    if (maximum !== null && maximum < initial) {
      throw new RangeError("WebAssembly.Table: maximum is smaller than initial");
    }
    if (initial > BigInt(MAX_TABLE)) {
      throw new RangeError("WebAssembly.Table: initial is too large");
    }
    const init = element(type, arguments.length > 1 ? [value] : [], 0);
    const max = maximum === null ? null : Number(maximum);
    const ti = new TableInst(type, Number(initial), max, init, is64);
    tableOf.set(this, ti);
    apiObject.set(ti, this);
  }

  /** Current length (a BigInt for an "i64" table). */
  get length(): number | bigint {
    const ti = inner(this, "WebAssembly.Table.length");
    return fromAddress(ti.elems.length, ti.index64);
  }

  /** The element at `index` (RangeError when out of bounds; a BigInt for "i64"). */
  get(index: number | bigint): unknown {
    const ti = inner(this, "WebAssembly.Table.get");
    const i = toAddress(index, ti.index64, "WebAssembly.Table.get: index");
    if (i >= ti.elems.length) throw new RangeError("WebAssembly.Table.get: index out of bounds");
    return toJs(ti.elemType, ti.elems[Number(i)]);
  }

  /** Sets the element at `index` (RangeError when out of bounds; a BigInt for "i64"). */
  set(index: number | bigint, value?: unknown): void {
    const ti = inner(this, "WebAssembly.Table.set");
    const i = toAddress(index, ti.index64, "WebAssembly.Table.set: index");
    if (i >= ti.elems.length) throw new RangeError("WebAssembly.Table.set: index out of bounds");
    ti.elems[Number(i)] = element(ti.elemType, arguments.length > 1 ? [value] : [], 0);
  }

  /**
   * Grows by `delta` elements filled with `value`; returns the old length
   * (BigInts in and out for an "i64" table).
   */
  grow(delta: number, value?: unknown): number;
  /** Grows an "i64" table by `delta` elements; returns the old length. */
  grow(delta: bigint, value?: unknown): bigint;
  grow(delta: number | bigint, value?: unknown): number | bigint {
    const ti = inner(this, "WebAssembly.Table.grow");
    const n = toAddress(delta, ti.index64, "WebAssembly.Table.grow: delta");
    const init = element(ti.elemType, arguments.length > 1 ? [value] : [], 0);
    const old = n > BigInt(ti.max) ? -1 : ti.grow(Number(n), init);
    if (old < 0) {
      const why = ti.limiter === null ? "" : " or its store's limits";
      throw new RangeError(`WebAssembly.Table.grow: cannot grow past the maximum${why}`);
    }
    return fromAddress(old, ti.index64);
  }
}

Object.defineProperty(Table.prototype, Symbol.toStringTag, {
  value: "WebAssembly.Table",
  configurable: true,
});

/** The Table object for a runtime table (one per table). */
export function wrapTable(ti: TableInst): Table {
  let t = apiObject.get(ti) as Table | undefined;
  if (t === undefined) {
    t = Object.create(Table.prototype) as Table;
    tableOf.set(t, ti);
    apiObject.set(ti, t);
  }
  return t;
}
