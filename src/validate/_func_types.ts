/**
 * Small type helpers shared by the function validator's files.
 *
 * @module
 */
import type { TableType } from "../binary/types.ts";

const I32 = 0x7f, I64 = 0x7e;

/** The empty result type, shared so frames need no allocation. */
export const EMPTY: readonly number[] = [];

const singles = new Map<number, readonly number[]>();

/** The one-value result type `[t]` (shared per type, so frames need no allocation). */
export function single(t: number): readonly number[] {
  let s = singles.get(t);
  if (s === undefined) {
    s = [t];
    singles.set(t, s);
  }
  return s;
}

/** The address type (i32 or i64) of a table. */
export function addrOf(t: TableType): number {
  return t.limits.index64 ? I64 : I32;
}

/** True when two result types are equal. */
export function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
