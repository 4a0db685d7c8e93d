/**
 * The canonical type store: every recursion group of every module, deduplicated
 * iso-recursively, so that a type defined the same way in two modules (or
 * twice in one) is one canonical id. Validation maps a module's type indices
 * to these ids and works with them from then on; the runtime uses the same
 * ids for signatures (`call_indirect`), casts and import matching. Value
 * types over canonical ids use `valtype.ts`'s encoding.
 *
 * A group's key spells each of its types with references inside the group
 * as relative positions and references outside it as canonical ids, so
 * equal keys mean equal groups (the spec's type equivalence). Groups are
 * never removed: the store grows with the number of distinct groups ever
 * validated, like V8's canonical type table.
 *
 * Subtyping between canonical types is a depth check on a precomputed
 * ancestor list (constant time), which is what `ref.cast` runs at run time.
 *
 * @module
 */
import type { FieldType, TypeDef } from "../binary/types.ts";
import {
  concreteHeap,
  HEAP_BOT,
  heapIndex,
  heapOf,
  isNullable,
  isRef,
  MAX_TYPE_INDEX,
  NON_NULL,
} from "../binary/valtype.ts";
import { Heap } from "../binary/valtype.ts";

/** A canonical type: a type definition whose types all use canonical ids. */
export interface CanonType extends TypeDef {
  /** Its canonical id (its index in the store). */
  readonly id: number;
  /** Number of supertypes above it. */
  readonly depth: number;
  /** Its supertype chain from the root down: `ancestors[depth] === id`. */
  readonly ancestors: Int32Array;
}

const store: CanonType[] = [];
const groups = new Map<string, number>();

/** The canonical type with id `id`. */
export function canonType(id: number): CanonType {
  return store[id];
}

/**
 * Canonicalizes the recursion group `types[start … start+n)` of a module
 * whose earlier types have the canonical ids `ids[0 … start)`; writes the
 * group's ids into `ids`. References must already be in range (validated).
 */
export function canonicalizeGroup(
  types: readonly TypeDef[],
  start: number,
  n: number,
  ids: Int32Array,
): void {
  const ref = (t: number): string => {
    if (!isRef(t)) return String(t);
    const x = heapIndex(heapOf(t));
    if (x < 0) return String(t);
    const nn = isNullable(t) ? "" : "!";
    return x >= start ? `r${x - start}${nn}` : `c${ids[x]}${nn}`;
  };
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = types[start + i];
    const sup = t.supertype < 0
      ? "-"
      : t.supertype >= start
      ? `r${t.supertype - start}`
      : `c${ids[t.supertype]}`;
    const body = t.kind === 0
      ? `${t.params.map(ref).join(",")}>${t.results.map(ref).join(",")}`
      : t.fields.map((f) => `${f.mutable ? "m" : ""}${ref(f.type)}`).join(",");
    parts.push(`${t.kind}${t.final ? "f" : ""}${sup}(${body})`);
  }
  const key = parts.join(";");
  let base = groups.get(key);
  if (base === undefined) {
    base = store.length;
    if (base + n > MAX_TYPE_INDEX) throw new RangeError("too many distinct types");
    groups.set(key, base);
    const map = (t: number): number => {
      if (!isRef(t)) return t;
      const x = heapIndex(heapOf(t));
      if (x < 0) return t;
      const id = x >= start ? base! + x - start : ids[x];
      return concreteHeap(id) | (t & NON_NULL);
    };
    for (let i = 0; i < n; i++) {
      const t = types[start + i];
      const id = base + i;
      const supertype = t.supertype < 0
        ? -1
        : t.supertype >= start
        ? base + t.supertype - start
        : ids[t.supertype];
      const parent = supertype < 0 ? null : store[supertype];
      const depth = parent === null ? 0 : parent.depth + 1;
      const ancestors = new Int32Array(depth + 1);
      if (parent !== null) ancestors.set(parent.ancestors);
      ancestors[depth] = id;
      store.push({
        id,
        kind: t.kind,
        params: t.params.map(map),
        results: t.results.map(map),
        fields: t.fields.map((f): FieldType => ({ type: map(f.type), mutable: f.mutable })),
        final: t.final,
        supertype,
        depth,
        ancestors,
      });
    }
  }
  for (let i = 0; i < n; i++) ids[start + i] = base + i;
}

/**
 * The canonical id of the final function type without supertype whose
 * parameters and results are already canonical value types (a host
 * function's signature, or one built by the embedder): the id a module's
 * `(type (func …))` of the same signature gets.
 */
export function canonicalFuncType(params: readonly number[], results: readonly number[]): number {
  // A one-type group whose references all point outside it: spelled with
  // canonical ids, exactly as `canonicalizeGroup` spells such a group.
  const max = [...params, ...results].reduce((m, t) => {
    const x = isRef(t) ? heapIndex(heapOf(t)) : -1;
    return x > m ? x : m;
  }, -1);
  const ids = new Int32Array(max + 2);
  for (let i = 0; i <= max; i++) ids[i] = i;
  const types: TypeDef[] = new Array(max + 2);
  types[max + 1] = {
    kind: 0,
    params: [...params],
    results: [...results],
    fields: [],
    final: true,
    supertype: -1,
  };
  canonicalizeGroup(types, max + 1, 1, ids);
  return ids[max + 1];
}

/** Whether canonical type `a` is canonical type `b` or one of its subtypes. */
export function isSubId(a: number, b: number): boolean {
  if (a === b) return true;
  const ta = store[a], tb = store[b];
  return ta.depth > tb.depth && ta.ancestors[tb.depth] === b;
}

/** The abstract top heap type (`any`, `func`, `exn` or `extern`) above heap type `h`. */
export function topOf(h: number): number {
  const x = heapIndex(h);
  if (x >= 0) return store[x].kind === 0 ? Heap.func : Heap.any;
  switch (h) {
    case Heap.func:
    case Heap.nofunc:
      return Heap.func;
    case Heap.extern:
    case Heap.noextern:
      return Heap.extern;
    case Heap.exn:
    case Heap.noexn:
      return Heap.exn;
    default:
      return Heap.any;
  }
}

/** The bottom heap type (`none`, `nofunc`, `noexn` or `noextern`) below heap type `h`. */
export function bottomOf(h: number): number {
  switch (topOf(h)) {
    case Heap.func:
      return Heap.nofunc;
    case Heap.extern:
      return Heap.noextern;
    case Heap.exn:
      return Heap.noexn;
    default:
      return Heap.none;
  }
}

/** Whether heap type `a` matches heap type `b` (canonical ids). */
export function isSubHeap(a: number, b: number): boolean {
  if (a === b || a === HEAP_BOT) return true;
  const xa = heapIndex(a), xb = heapIndex(b);
  if (xa >= 0) {
    if (xb >= 0) return isSubId(xa, xb);
    switch (store[xa].kind) {
      case 0:
        return b === Heap.func;
      case 1:
        return b === Heap.struct || b === Heap.eq || b === Heap.any;
      default:
        return b === Heap.array || b === Heap.eq || b === Heap.any;
    }
  }
  if (b === HEAP_BOT) return false;
  if (a === Heap.none || a === Heap.nofunc || a === Heap.noextern || a === Heap.noexn) {
    return topOf(b) === topOf(a);
  }
  if (xb >= 0) return false;
  switch (a) {
    case Heap.eq:
      return b === Heap.any;
    case Heap.i31:
    case Heap.struct:
    case Heap.array:
      return b === Heap.eq || b === Heap.any;
    default:
      return false;
  }
}

/** Whether value type `a` matches value type `b` (canonical ids; 0 is the unknown type). */
export function isSubVal(a: number, b: number): boolean {
  if (a === b || a === 0) return true;
  if (!isRef(a) || !isRef(b)) return false;
  if (isNullable(a) && !isNullable(b)) return false;
  return isSubHeap(heapOf(a), heapOf(b));
}

/** Whether every type of `a` matches the type at the same place of `b`. */
export function isSubResult(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!isSubVal(a[i], b[i])) return false;
  return true;
}

function fieldMatches(a: FieldType, b: FieldType): boolean {
  if (a.mutable !== b.mutable) return false;
  if (a.mutable) return a.type === b.type || (isSubVal(a.type, b.type) && isSubVal(b.type, a.type));
  return isSubVal(a.type, b.type);
}

/** Whether the composite type of `a` matches that of `b` (for a declared supertype). */
export function compMatches(a: TypeDef, b: TypeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 0) return isSubResult(b.params, a.params) && isSubResult(a.results, b.results);
  if (a.fields.length < b.fields.length) return false;
  for (let i = 0; i < b.fields.length; i++) {
    if (!fieldMatches(a.fields[i], b.fields[i])) return false;
  }
  return true;
}
