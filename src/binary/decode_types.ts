/**
 * Decoding of types: value, reference, heap and storage types, the type
 * section's recursion groups and subtype headers, and tag types. Encodings
 * that need a proposal (typed references, GC's abstract types, `exnref`)
 * are malformed while it is off, as they are for a wasm 2.0 decoder.
 *
 * @module
 */
import type { Features } from "./features.ts";
import type { Reader } from "./reader.ts";
import { type FieldType, type TypeDef, TypeKind } from "./types.ts";
import { concreteHeap, Heap, I16, I8, MAX_TYPE_INDEX, refType } from "./valtype.ts";

/** Whether typed references (`(ref ht)`, concrete heap types) are on. */
export function typedRefs(f: Readonly<Features>): boolean {
  return f.functionReferences || f.gc;
}

/** Whether the abstract heap type `code` exists under `f`. */
function abstractEnabled(code: number, f: Readonly<Features>): boolean {
  switch (code) {
    case Heap.func:
    case Heap.extern:
      return true;
    case Heap.exn:
    case Heap.noexn:
      return f.exceptions || f.legacyExceptions;
    default:
      return code >= Heap.exn && code <= Heap.noexn && f.gc;
  }
}

/** Reads a heap type: an abstract type's byte, or an s33 type index. */
export function readHeapType(r: Reader, f: Readonly<Features>): number {
  const at = r.pos;
  const b = r.peek();
  if (b >= Heap.exn && b <= Heap.noexn) {
    r.pos++;
    if (!abstractEnabled(b, f)) r.fail("malformed heap type", at);
    return b;
  }
  const x = r.s33();
  if (x < 0 || !typedRefs(f)) r.fail("malformed heap type", at);
  if (x > MAX_TYPE_INDEX) r.fail("type index too large", at);
  return concreteHeap(x);
}

/**
 * Reads a reference type: a nullable abstract shorthand byte, or 0x63 /
 * 0x64 (`ref null` / `ref`) and a heap type.
 */
export function readRefType(r: Reader, f: Readonly<Features>): number {
  const at = r.pos;
  const b = r.u8();
  if (b >= Heap.exn && b <= Heap.noexn && abstractEnabled(b, f)) return b;
  if ((b === 0x63 || b === 0x64) && typedRefs(f)) return refType(readHeapType(r, f), b === 0x63);
  r.fail("malformed reference type", at);
}

/** Reads a value type ("malformed value type" for an unknown byte). */
export function readValType(r: Reader, f: Readonly<Features>): number {
  const b = r.peek();
  if (b >= 0x7b && b <= 0x7f) {
    r.pos++;
    return b;
  }
  const at = r.pos;
  if ((b >= Heap.exn && b <= Heap.noexn) || b === 0x63 || b === 0x64) return readRefType(r, f);
  r.u8();
  r.fail("malformed value type", at);
}

function readFieldType(r: Reader, f: Readonly<Features>): FieldType {
  const b = r.peek();
  let type: number;
  if (b === I8 || b === I16) {
    r.pos++;
    type = b;
  } else {
    type = readValType(r, f);
  }
  const at = r.pos;
  const m = r.u8();
  if (m > 1) r.fail("malformed mutability", at);
  return { type, mutable: m === 1 };
}

function readVecOf<T>(r: Reader, item: (r: Reader) => T): T[] {
  const n = r.u32();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(r));
  return out;
}

/** Reads a composite type (`func`, `struct` or `array`) into a final, super-less definition. */
function readCompType(r: Reader, f: Readonly<Features>): TypeDef {
  const at = r.pos;
  const form = r.u8();
  // The form is a signed 7-bit LEB128: a continuation bit overflows it.
  if (form >= 0x80) r.fail("integer representation too long", r.pos);
  const val = (r: Reader) => readValType(r, f);
  switch (form) {
    case 0x60: {
      const params = readVecOf(r, val);
      const results = readVecOf(r, val);
      return { kind: TypeKind.func, params, results, fields: [], final: true, supertype: -1 };
    }
    case 0x5f:
    case 0x5e: {
      if (!f.gc) break;
      const fields = form === 0x5f
        ? readVecOf(r, (r) => readFieldType(r, f))
        : [readFieldType(r, f)];
      const kind = form === 0x5f ? TypeKind.struct : TypeKind.array;
      return { kind, params: [], results: [], fields, final: true, supertype: -1 };
    }
  }
  r.fail(f.gc ? "malformed definition type" : "malformed function type", at);
}

/** Reads a subtype: an optional `sub`/`sub final` header (0x50/0x4f), then the composite type. */
function readSubType(r: Reader, f: Readonly<Features>): TypeDef {
  const b = r.peek();
  if (f.gc && (b === 0x50 || b === 0x4f)) {
    r.pos++;
    const supers = readVecOf(r, (r) => r.u32());
    const t = readCompType(r, f);
    t.final = b === 0x4f;
    if (supers.length > 1) r.fail("multiple supertypes", r.pos);
    t.supertype = supers.length === 0 ? -1 : supers[0];
    return t;
  }
  return readCompType(r, f);
}

/**
 * Reads the type section: a vector of recursion groups (0x4e and a vector
 * of subtypes, or one subtype alone), appended to `m.types` with each
 * group's size in `m.recs`.
 */
export function readTypeSection(
  r: Reader,
  f: Readonly<Features>,
  m: { types: TypeDef[]; recs: number[]; recWritten: boolean[] },
): void {
  const { types, recs } = m;
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const written = f.gc && r.peek() === 0x4e;
    m.recWritten.push(written);
    if (written) {
      r.pos++;
      const k = r.u32();
      for (let j = 0; j < k; j++) types.push(readSubType(r, f));
      recs.push(k);
    } else {
      types.push(readSubType(r, f));
      recs.push(1);
    }
    if (types.length > MAX_TYPE_INDEX) r.fail("too many types", r.pos);
  }
}

/** Reads a tag type: the attribute byte (0: exception) and a type index. */
export function readTagType(r: Reader): number {
  const at = r.pos;
  if (r.u8() !== 0) r.fail("malformed tag attribute", at);
  return r.u32();
}
