/**
 * Validation of the type section, one recursion group at a time: type
 * references in range, declared supertypes earlier, not final and matched
 * by their subtypes; each group is then canonicalized (`type_store.ts`).
 * Also the conversion of a module's value types to canonical ones.
 *
 * @module
 */
import type { ModuleStruct, TypeDef } from "../binary/types.ts";
import { concreteHeap, heapIndex, heapOf, isRef, NON_NULL } from "../binary/valtype.ts";
import { invalid } from "./_errors.ts";
import { canonicalizeGroup, type CanonType, canonType, compMatches } from "./type_store.ts";

/** The canonical ids and definitions of a module's type indices. */
export interface ModuleTypes {
  ids: Int32Array;
  types: CanonType[];
}

function checkRefs(t: TypeDef, limit: number, where: string): void {
  const check = (v: number) => {
    if (!isRef(v)) return;
    const x = heapIndex(heapOf(v));
    if (x >= limit) invalid(`unknown type ${x}`, undefined, where);
  };
  for (const p of t.params) check(p);
  for (const r of t.results) check(r);
  for (const f of t.fields) check(f.type);
}

/** Validates and canonicalizes the type section of `m`. */
export function validateTypes(m: ModuleStruct): ModuleTypes {
  const ids = new Int32Array(m.types.length);
  let start = 0;
  for (const n of m.recs) {
    for (let i = 0; i < n; i++) {
      const x = start + i;
      const t = m.types[x];
      const where = `type ${x}`;
      checkRefs(t, start + n, where);
      if (t.supertype >= m.types.length) invalid(`unknown type ${t.supertype}`, undefined, where);
      if (t.supertype >= x) {
        invalid(`forward use of type ${t.supertype} in sub type definition`, undefined, where);
      }
    }
    canonicalizeGroup(m.types, start, n, ids);
    for (let i = 0; i < n; i++) {
      const x = start + i;
      const s = m.types[x].supertype;
      if (s < 0) continue;
      const sup = canonType(ids[s]);
      if (sup.final) invalid(`sub type ${x} has final super type ${s}`, undefined, `type ${x}`);
      if (!compMatches(canonType(ids[x]), sup)) {
        invalid(`sub type ${x} does not match super type ${s}`, undefined, `type ${x}`);
      }
    }
    start += n;
  }
  return { ids, types: Array.from(ids, canonType) };
}

/**
 * The canonical form of value type `t` of a module whose type indices have
 * canonical ids `ids`; "unknown type" for an index out of range.
 */
export function canonVal(t: number, ids: Int32Array, at?: number, where?: string): number {
  if (!isRef(t)) return t;
  const x = heapIndex(heapOf(t));
  if (x < 0) return t;
  if (x >= ids.length) invalid(`unknown type ${x}`, at, where);
  return concreteHeap(ids[x]) | (t & NON_NULL);
}
