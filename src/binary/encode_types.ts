/**
 * Encoding of types (the inverse of `decode_types.ts`): value, reference,
 * heap and storage types, and the type section's recursion groups.
 *
 * @module
 */
import type { ByteWriter } from "./leb_write.ts";
import type { FieldType, TypeDef } from "./types.ts";
import { heapIndex, heapOf, isAbstractHeap, isNullable, isRef } from "./valtype.ts";

/** Writes a heap type: an abstract type's byte, or its type index as s33. */
export function writeHeapType(w: ByteWriter, heap: number): void {
  if (isAbstractHeap(heap)) w.u8(heap);
  else w.s64(BigInt(heapIndex(heap)));
}

/** Writes a value type (nullable abstract references by their shorthand byte). */
export function writeValType(w: ByteWriter, t: number): void {
  if (!isRef(t)) {
    w.u8(t);
    return;
  }
  const h = heapOf(t);
  if (isNullable(t) && isAbstractHeap(h)) {
    w.u8(h);
    return;
  }
  w.u8(isNullable(t) ? 0x63 : 0x64);
  writeHeapType(w, h);
}

function writeField(w: ByteWriter, f: FieldType): void {
  writeValType(w, f.type);
  w.u8(f.mutable ? 1 : 0);
}

function writeSubType(w: ByteWriter, t: TypeDef): void {
  if (!t.final || t.supertype >= 0) {
    w.u8(t.final ? 0x4f : 0x50);
    if (t.supertype >= 0) {
      w.u32(1);
      w.u32(t.supertype);
    } else w.u32(0);
  }
  switch (t.kind) {
    case 0:
      w.u8(0x60);
      w.u32(t.params.length);
      for (const p of t.params) writeValType(w, p);
      w.u32(t.results.length);
      for (const r of t.results) writeValType(w, r);
      return;
    case 1:
      w.u8(0x5f);
      w.u32(t.fields.length);
      for (const f of t.fields) writeField(w, f);
      return;
    case 2:
      w.u8(0x5e);
      writeField(w, t.fields[0]);
      return;
  }
}

/**
 * Writes the type section's contents: the number of recursion groups, then
 * each (a one-type group without the 0x4e prefix unless it was written with one).
 */
export function writeTypeSection(
  w: ByteWriter,
  types: TypeDef[],
  recs: number[],
  recWritten: boolean[],
): void {
  w.u32(recs.length);
  let k = 0;
  for (let g = 0; g < recs.length; g++) {
    const n = recs[g];
    if (n !== 1 || recWritten[g]) {
      w.u8(0x4e);
      w.u32(n);
    }
    for (let i = 0; i < n; i++) writeSubType(w, types[k++]);
  }
}
