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
