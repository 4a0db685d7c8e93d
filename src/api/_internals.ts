/**
 * Links between the JS API objects and the runtime objects they stand for.
 * One API object per runtime object (exports keep their identity), created
 * lazily; a WeakMap is the brand check for methods.
 *
 * @module
 */

import type { GlobalInst } from "../runtime/globals.ts";
import type { MemInst } from "../runtime/memory.ts";
import type { TableInst } from "../runtime/table.ts";

/** Runtime object of each API object. */
export const memOf: WeakMap<object, MemInst> = new WeakMap();
/** Runtime object of each API object. */
export const tableOf: WeakMap<object, TableInst> = new WeakMap();
/** Runtime object of each API object. */
export const globalOf: WeakMap<object, GlobalInst> = new WeakMap();

/** API object of each runtime object. */
export const apiObject: WeakMap<object, object> = new WeakMap();

/** The `[EnforceRange] unsigned long` conversion of WebIDL. */
export function enforceU32(v: unknown, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number`);
  const t = Math.trunc(n);
  if (t < 0 || t > 0xffffffff) throw new TypeError(`${what} is out of range`);
  return t;
}

/**
 * The address type of a Memory/Table descriptor (memory64 JS API):
 * `address` ("i32" by default; `index` is its earlier name).
 */
export function addressType(d: Record<string, unknown>, api: string): "i32" | "i64" {
  const a = d.address !== undefined ? d.address : d.index;
  if (a === undefined) return "i32";
  const s = String(a);
  if (s !== "i32" && s !== "i64") {
    throw new TypeError(`${api}: address must be "i32" or "i64", got ${JSON.stringify(s)}`);
  }
  return s;
}

const U64_MAX = (1n << 64n) - 1n;

/**
 * AddressValueToU64 of the memory64 JS API: an `[EnforceRange] unsigned
 * long` for "i32" (a BigInt is a TypeError there, as in WebIDL's ToNumber),
 * and for "i64" ToBigInt (a Number is a TypeError) within 0…2^64−1.
 */
export function toAddress(v: unknown, is64: boolean, what: string): bigint {
  if (!is64) {
    if (typeof v === "bigint") throw new TypeError(`${what} must be a Number, not a BigInt`);
    return BigInt(enforceU32(v, what));
  }
  let p = v;
  if (typeof p === "object" && p !== null) p = (p as { valueOf(): unknown }).valueOf();
  let n: bigint;
  if (typeof p === "bigint") n = p;
  else if (typeof p === "boolean") n = p ? 1n : 0n;
  else if (typeof p === "string") {
    try {
      n = BigInt(p);
    } catch {
      throw new SyntaxError(`${what}: cannot convert ${JSON.stringify(p)} to a BigInt`);
    }
  } else throw new TypeError(`${what} must be a BigInt for a 64-bit address type`);
  if (n < 0n || n > U64_MAX) throw new TypeError(`${what} is out of range`);
  return n;
}

/** U64ToAddressValue: a Number for "i32", a BigInt for "i64". */
export function fromAddress(v: number, is64: boolean): number | bigint {
  return is64 ? BigInt(v) : v;
}

/** Parses a JS API value type name (`"i32"`, `"anyfunc"`…) to its code. */
export function valueTypeCode(name: unknown, api: string): number {
  switch (String(name)) {
    case "i32":
      return 0x7f;
    case "i64":
      return 0x7e;
    case "f32":
      return 0x7d;
    case "f64":
      return 0x7c;
    case "v128":
      return 0x7b;
    case "anyfunc":
    case "funcref":
      return 0x70;
    case "externref":
      return 0x6f;
    // The GC proposal's JS API names (nullable abstract reference types).
    case "anyref":
      return 0x6e;
    case "eqref":
      return 0x6d;
    case "i31ref":
      return 0x6c;
    case "structref":
      return 0x6b;
    case "arrayref":
      return 0x6a;
    case "nullref":
      return 0x71;
    case "nullexternref":
      return 0x72;
    case "nullfuncref":
      return 0x73;
    default:
      throw new TypeError(`${api}: invalid value type ${String(name)}`);
  }
}

/** A descriptor argument as a record (TypeError if not an object). */
export function descriptor(v: unknown, api: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null) {
    throw new TypeError(`${api}: Argument 0 must be a descriptor object`);
  }
  return v as Record<string, unknown>;
}
