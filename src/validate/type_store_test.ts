import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type FieldType, type TypeDef, TypeKind } from "../binary/types.ts";
import { concreteHeap, Heap, HEAP_BOT, I32, I8, NON_NULL } from "../binary/valtype.ts";
import {
  canonicalFuncType,
  canonicalizeGroup,
  canonType,
  compMatches,
  isSubHeap,
  isSubId,
  isSubVal,
  topOf,
} from "./type_store.ts";

const struct = (fields: FieldType[], final = true, supertype = -1): TypeDef => ({
  kind: TypeKind.struct,
  params: [],
  results: [],
  fields,
  final,
  supertype,
});
const func = (params: number[], results: number[]): TypeDef => ({
  kind: TypeKind.func,
  params,
  results,
  fields: [],
  final: true,
  supertype: -1,
});
const ref = (x: number, nullable = true) => concreteHeap(x) | (nullable ? 0 : NON_NULL);

/** Canonicalizes a module's types given as groups; returns their ids. */
function canon(types: TypeDef[], recs: number[]): Int32Array {
  const ids = new Int32Array(types.length);
  let start = 0;
  for (const n of recs) {
    canonicalizeGroup(types, start, n, ids);
    start += n;
  }
  return ids;
}

describe("canonical type store", () => {
  it("gives structurally equal groups of different modules one id", () => {
    const a = canon([func([I32], []), struct([{ type: ref(0), mutable: false }])], [1, 1]);
    const b = canon([func([I32], []), struct([{ type: ref(0), mutable: false }])], [1, 1]);
    assert.deepEqual([...a], [...b]);
    // The struct's field names the canonical function type.
    assert.equal(canonType(a[1]).fields[0].type, concreteHeap(a[0]));
  });

  it("tells apart what iso-recursive equivalence tells apart", () => {
    const base = canon([struct([{ type: I32, mutable: false }])], [1])[0];
    const mutable = canon([struct([{ type: I32, mutable: true }])], [1])[0];
    const open = canon([struct([{ type: I32, mutable: false }], false)], [1])[0];
    const inRec = canon([struct([{ type: I32, mutable: false }]), struct([])], [2])[0];
    assert.equal(new Set([base, mutable, open, inRec]).size, 4);
  });

  it("keeps recursive references relative to their group", () => {
    // (rec (type $a (struct (field (ref null $b)))) (type $b (struct (field (ref null $a)))))
    const group = () => [
      struct([{ type: ref(1), mutable: false }]),
      struct([{ type: ref(0), mutable: false }]),
    ];
    const x = canon(group(), [2]);
    const y = canon([func([], []), ...group().map(shift)], [1, 2]);
    assert.deepEqual([...x], [y[1], y[2]]);
    // Swapping the two types is another group.
    const z = canon(group().reverse(), [2]);
    assert.notEqual(z[0], x[0]);
  });

  it("decides subtyping between canonical ids through the declared chain", () => {
    const ids = canon([
      struct([], false),
      struct([{ type: I32, mutable: false }], false, 0),
      struct([{ type: I32, mutable: false }, { type: I8, mutable: true }], true, 1),
    ], [1, 1, 1]);
    assert.ok(isSubId(ids[2], ids[0]) && isSubId(ids[2], ids[1]) && isSubId(ids[1], ids[0]));
    assert.ok(!isSubId(ids[0], ids[1]));
    assert.ok(compMatches(canonType(ids[2]), canonType(ids[1])));
    assert.ok(!compMatches(canonType(ids[0]), canonType(ids[1])));
  });

  it("orders abstract and concrete heap types as the spec's lattice", () => {
    const [f, s] = canon([func([], []), struct([])], [1, 1]);
    assert.ok(isSubHeap(Heap.i31, Heap.any) && isSubHeap(Heap.struct, Heap.eq));
    assert.ok(isSubHeap(concreteHeap(s), Heap.struct) && isSubHeap(concreteHeap(s), Heap.any));
    assert.ok(isSubHeap(concreteHeap(f), Heap.func) && !isSubHeap(concreteHeap(f), Heap.any));
    assert.ok(isSubHeap(Heap.none, concreteHeap(s)) && !isSubHeap(Heap.none, concreteHeap(f)));
    assert.ok(isSubHeap(Heap.nofunc, concreteHeap(f)) && !isSubHeap(Heap.noextern, Heap.any));
    assert.ok(!isSubHeap(Heap.extern, Heap.any) && !isSubHeap(Heap.exn, Heap.any));
    assert.ok(isSubHeap(HEAP_BOT, Heap.noexn));
    assert.equal(topOf(concreteHeap(s)), Heap.any);
    assert.equal(topOf(Heap.noexn), Heap.exn);
    // Nullability: (ref $s) <: (ref null $s) <: anyref, not the other way.
    assert.ok(isSubVal(ref(s, false), ref(s)) && isSubVal(ref(s), Heap.any));
    assert.ok(!isSubVal(ref(s), ref(s, false)) && !isSubVal(Heap.any, I32));
  });

  it("gives a signature built outside a module the id of the same module type", () => {
    // A host function's signature (canonical value types) and a module's
    // final, supertype-less function type of the same shape are one type.
    const [st, f] = canon([struct([{ type: I32, mutable: false }]), func([I32, ref(0)], [])], [
      1,
      1,
    ]);
    assert.equal(canonicalFuncType([I32, ref(st)], []), f);
    assert.equal(canonicalFuncType([I32, ref(st)], []), f, "the same id every time");
    assert.notEqual(canonicalFuncType([I32, ref(st, false)], []), f, "nullability counts");
    const [g] = canon([func([Heap.any], [I32])], [1]);
    assert.equal(canonicalFuncType([Heap.any], [I32]), g);
  });
});

/** The same type one index later (it moved behind a new type 0). */
function shift(t: TypeDef): TypeDef {
  return { ...t, fields: t.fields.map((f) => ({ ...f, type: f.type + (1 << 9) })) };
}
