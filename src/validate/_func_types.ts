/**
 * Small type helpers and shared result types for the function validator's
 * files.
 *
 * @module
 */
import type { TableType } from "../binary/types.ts";
import { valTypeName } from "../binary/types.ts";

// Binary-format type codes.
const UNKNOWN = 0;
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
const FUNCREF = 0x70, EXTERNREF = 0x6f;

/** The empty result type, shared so frames need no allocation. */
export const EMPTY: readonly number[] = [];
/** One-value result types by value type code (undefined: not a value type). */
export const SINGLE: Record<number, readonly number[]> = {};
for (const t of [I32, I64, F32, F64, V128, FUNCREF, EXTERNREF]) SINGLE[t] = [t];

/** The address type (i32 or i64) of a table. */
export function addrOf(t: TableType): number {
  return t.limits.index64 ? I64 : I32;
}

/** A type code's name for messages; UNKNOWN reads "unknown". */
export function typeName(t: number): string {
  return t === UNKNOWN ? "unknown" : valTypeName(t);
}

/** True for number and vector types (what an untyped `select` accepts). */
export function isNumOrVec(t: number): boolean {
  return t === I32 || t === I64 || t === F32 || t === F64 || t === V128;
}

/** True when two result types are equal. */
export function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
