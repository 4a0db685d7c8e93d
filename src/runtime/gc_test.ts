import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type TypeDef, TypeKind } from "../binary/types.ts";
import { concreteHeap, F64, Heap, I16, I32, I64, I8 } from "../binary/valtype.ts";
import { RuntimeError } from "../errors.ts";
import { canonicalizeGroup, type CanonType, canonType } from "../validate/type_store.ts";
import {
  arrayCopy,
  arrayFill,
  arrayInitData,
  arrayInitElem,
  newArrayData,
  newArrayElem,
  newArrayFilled,
} from "./gc_arrays.ts";
import { isOfHeap, isOfRefType } from "./gc_casts.ts";
import {
  GcArray,
  GcStruct,
  HostNumber,
  hostRef,
  i31Of,
  isI31,
  jsValueOf,
  structLayout,
} from "./gc_objects.ts";

function canon(...types: TypeDef[]): CanonType[] {
  const ids = new Int32Array(types.length);
  types.forEach((_, i) => canonicalizeGroup(types, i, 1, ids));
  return Array.from(ids, canonType);
}
const array = (type: number, supertype = -1): TypeDef => ({
  kind: TypeKind.array,
  params: [],
  results: [],
  fields: [{ type, mutable: true }],
  final: false,
  supertype,
});
const struct = (types: number[], supertype = -1): TypeDef => ({
  kind: TypeKind.struct,
  params: [],
  results: [],
  fields: types.map((type) => ({ type, mutable: true })),
  final: false,
  supertype,
});
const traps = (f: () => unknown, message: string) =>
  assert.throws(f, (e) => e instanceof RuntimeError && e.message === message);

describe("GC objects", () => {
  it("lay struct fields out in register words", () => {
    const [s] = canon(struct([I32, I64, Heap.any, F64, I8]));
    const l = structLayout(s);
    assert.deepEqual([...l.offsets], [0, 1, 3, 4, 6]);
    assert.equal(l.words, 7);
    assert.deepEqual(l.defaults, [0, 0, 0, null, 0, 0, 0]);
    assert.equal(structLayout(s), l, "computed once per type");
  });

  it("keeps i31 values as numbers and boxes other host numbers", () => {
    assert.equal(i31Of(0x7fff_ffff), -1);
    assert.equal(i31Of(0x4000_0000), -0x4000_0000);
    assert.ok(isI31(5) && isI31(-0x4000_0000) && !isI31(0x4000_0000) && !isI31(1.5));
    assert.ok(!isI31(-0), "-0 stays a host number, so it round-trips");
    const boxed = hostRef(2 ** 40);
    assert.ok(boxed instanceof HostNumber);
    assert.equal(jsValueOf(boxed), 2 ** 40);
    const o = {};
    assert.equal(hostRef(o), o);
    assert.equal(hostRef(7), 7);
  });
});

describe("GC array operations", () => {
  const [a32, a8, a16, a64, aref] = canon(
    array(I32),
    array(I8),
    array(I16),
    array(I64),
    array(Heap.func),
  );

  it("fill, copy (overlapping too) and bounds-check", () => {
    const a = newArrayFilled(a32, 5, 7, 0, 0, 0);
    assert.deepEqual([...(a.v as Int32Array)], [7, 7, 7, 7, 7]);
    arrayFill(a, 1, 2, -1, 0, 0, 0);
    arrayCopy(a, 2, a, 0, 3);
    assert.deepEqual([...(a.v as Int32Array)], [7, -1, 7, -1, -1]);
    traps(() => arrayFill(a, 4, 2, 0, 0, 0, 0), "out of bounds array access");
    traps(() => arrayCopy(a, 0, a, -1, 1), "out of bounds array access");
    arrayFill(a, 5, 0, 0, 0, 0, 0); // empty at the end is in bounds
    const w = newArrayFilled(a64, 2, 1, 2, 0, 0);
    assert.deepEqual([...(w.v as Int32Array)], [1, 2, 1, 2]);
  });

  it("read data segments little-endian, packed elements wrapping", () => {
    const data = Uint8Array.of(1, 2, 3, 4, 5, 6, 0xff, 0xff);
    const h = newArrayData(a16, data, 2, 3);
    assert.deepEqual([...(h.v as Uint16Array)], [0x0403, 0x0605, 0xffff]);
    traps(() => newArrayData(a16, data, 4, 3), "out of bounds memory access");
    const b = newArrayFilled(a8, 4, 0x1ff, 0, 0, 0);
    assert.deepEqual([...(b.v as Uint8Array)], [0xff, 0xff, 0xff, 0xff]);
    arrayInitData(b, 1, data, 0, 2);
    assert.deepEqual([...(b.v as Uint8Array)], [0xff, 1, 2, 0xff]);
    traps(() => arrayInitData(b, 3, data, 0, 2), "out of bounds array access");
    traps(() => arrayInitData(b, 0, data, 7, 2), "out of bounds memory access");
  });

  it("take references from element segments", () => {
    const f = {}, g = {};
    const r = newArrayElem(aref, [f, g, null], 1, 2);
    assert.deepEqual(r.v, [g, null]);
    traps(() => newArrayElem(aref, [f], 0, 2), "out of bounds table access");
    arrayInitElem(r, 0, [f], 0, 1);
    assert.equal((r.v as unknown[])[0], f);
    traps(() => arrayInitElem(r, 2, [f], 0, 1), "out of bounds array access");
  });
});

describe("run-time casts", () => {
  const [base, sub, other] = canon(struct([I32]), struct([I32, I32], 0), array(I32));
  const s = new GcStruct(sub, [1, 2]);
  const arr = new GcArray(other, 0, new Int32Array(0));

  it("follow the declared subtype chain for concrete types", () => {
    assert.ok(isOfHeap(s, concreteHeap(sub.id)) && isOfHeap(s, concreteHeap(base.id)));
    assert.ok(!isOfHeap(new GcStruct(base, [0]), concreteHeap(sub.id)));
    assert.ok(!isOfHeap(arr, concreteHeap(base.id)));
  });

  it("place values in the abstract hierarchy", () => {
    assert.ok(isOfHeap(5, Heap.i31) && isOfHeap(5, Heap.eq) && !isOfHeap(5, Heap.struct));
    assert.ok(isOfHeap(s, Heap.struct) && isOfHeap(s, Heap.eq) && !isOfHeap(s, Heap.array));
    assert.ok(isOfHeap(arr, Heap.array) && isOfHeap({}, Heap.any) && !isOfHeap({}, Heap.eq));
    assert.ok(!isOfHeap(s, Heap.none));
    assert.ok(isOfRefType(null, Heap.none, true) && !isOfRefType(null, Heap.any, false));
  });
});
