/**
 * GC objects and reference values as the engine holds them (DESIGN.md: GC
 * objects live on the host's heap, collected by the host):
 *
 * - `null` is the null reference of every type;
 * - an `i31ref` is a JS number, an integer in [-2^30, 2^30);
 * - a struct is a {@link GcStruct}: its canonical type and one plain array
 *   `v` of field values, in register-word form (an i32 or f32 field is one
 *   entry, a number; i64 and f64 fields are two int32 entries, low word
 *   first; a v128 field four; a reference field one entry, the reference);
 * - an array is a {@link GcArray}: its canonical type and a typed array of
 *   its elements in the same word form (a plain array for references, a
 *   byte or halfword array for `i8`/`i16` elements, an Int32Array for the
 *   rest: f32 elements too, as bits, since a round trip through a float
 *   view may quiet a signalling NaN);
 * - a function reference is a function instance, an `exnref` an exception;
 * - any other JS value is a host reference (`externref`, or `anyref` that
 *   is not an i31, struct or array); a JS number that is not an i31 value
 *   enters as a {@link HostNumber} box so that it cannot pass for one.
 *
 * One class per kind keeps every field access site monomorphic: a struct
 * load is `s.v[k]` on the one `GcStruct` shape, and each array element kind
 * has its own executor op (see the interpreter).
 *
 * @module
 */
import type { FieldType } from "../binary/types.ts";
import { F32, F64, I16, I32, I64, I8, isRef, V128 } from "../binary/valtype.ts";
import type { CanonType } from "../validate/type_store.ts";

/** How a field or element is stored (its register-word form). */
export const Storage = {
  i32: 0,
  i64: 1,
  f32: 2,
  f64: 3,
  v128: 4,
  ref: 5,
  i8: 6,
  i16: 7,
} as const;
/** A {@link Storage} kind. */
export type Storage = typeof Storage[keyof typeof Storage];

/** Storage kind of a field's storage type. */
export function storageOf(t: number): Storage {
  switch (t) {
    case I32:
      return Storage.i32;
    case I64:
      return Storage.i64;
    case F32:
      return Storage.f32;
    case F64:
      return Storage.f64;
    case V128:
      return Storage.v128;
    case I8:
      return Storage.i8;
    case I16:
      return Storage.i16;
    default:
      if (!isRef(t)) throw new Error(`not a storage type: ${t}`);
      return Storage.ref;
  }
}

/** Register words (entries of `v`) a field of kind `k` takes. */
export function wordsOf(k: Storage): number {
  return k === Storage.i64 || k === Storage.f64 ? 2 : k === Storage.v128 ? 4 : 1;
}

/** A struct's field layout: where each field's words start in `v`, and their kinds. */
export interface StructLayout {
  readonly offsets: Int32Array;
  readonly kinds: Uint8Array;
  /** Length of `v`. */
  readonly words: number;
  /** A `v` of default values (copied by `struct.new_default`). */
  readonly defaults: readonly unknown[];
}

const layouts: (StructLayout | undefined)[] = [];

/** The layout of struct type `t` (computed once per canonical type). */
export function structLayout(t: CanonType): StructLayout {
  let l = layouts[t.id];
  if (l === undefined) l = layouts[t.id] = computeLayout(t.fields);
  return l;
}

function computeLayout(fields: readonly FieldType[]): StructLayout {
  const offsets = new Int32Array(fields.length);
  const kinds = new Uint8Array(fields.length);
  let words = 0;
  fields.forEach((f, i) => {
    const k = storageOf(f.type);
    offsets[i] = words;
    kinds[i] = k;
    words += wordsOf(k);
  });
  const defaults: unknown[] = new Array(words).fill(0);
  fields.forEach((_, i) => {
    if (kinds[i] === Storage.ref) defaults[offsets[i]] = null;
  });
  return { offsets, kinds, words, defaults };
}

/** A struct: its canonical type and its fields' words. */
export class GcStruct {
  /** Its (canonical) type: the runtime type that casts test. */
  readonly t: CanonType;
  /** Field words (see the module documentation). */
  readonly v: unknown[];

  /**
   * @param t the struct type
   * @param v the field words, laid out as {@link structLayout} says
   */
  constructor(t: CanonType, v: unknown[]) {
    this.t = t;
    this.v = v;
  }
}

/** Element storage of an array: words in a typed array, or references. */
export type ArrayStore =
  | Int32Array
  | Uint8Array
  | Uint16Array
  | unknown[];

/** An array: its canonical type, length and elements. */
export class GcArray {
  /** Its (canonical) type. */
  readonly t: CanonType;
  /** Number of elements. */
  readonly length: number;
  /** Element words: `length × words` entries (see the module documentation). */
  readonly v: ArrayStore;

  /**
   * @param t the array type
   * @param length the number of elements
   * @param v storage for them, as {@link newArrayStore} makes it
   */
  constructor(t: CanonType, length: number, v: ArrayStore) {
    this.t = t;
    this.length = length;
    this.v = v;
  }
}

/** Most elements one array may have (the JS typed-array limit is far above). */
export const MAX_ARRAY_LENGTH = 1 << 28;
/** Most bytes one array's storage may take (1 GiB), whatever its element kind. */
export const MAX_ARRAY_BYTES = 1 << 30;
/**
 * Most elements of a reference array: a plain JS array, whose length V8
 * caps below 2^27 (beyond, allocation throws instead of trapping).
 */
export const MAX_REF_ARRAY_LENGTH = 1 << 26;

/** Zeroed (null) storage for `n` elements of kind `k`. */
export function newArrayStore(k: Storage, n: number): ArrayStore {
  switch (k) {
    case Storage.i8:
      return new Uint8Array(n);
    case Storage.i16:
      return new Uint16Array(n);
    case Storage.ref:
      return new Array(n).fill(null);
    default:
      return new Int32Array(n * wordsOf(k));
  }
}

/** The storage kind of array type `t`'s elements. */
export function elementStorage(t: CanonType): Storage {
  return storageOf(t.fields[0].type);
}

/** A host number in a reference: a JS number that is not an i31 value. */
export class HostNumber {
  /** The number. */
  readonly n: number;
  /** @param n the number */
  constructor(n: number) {
    this.n = n;
  }
}

/** Whether `v` (a JS number) is an i31 value: an integer in [-2^30, 2^30). */
export function isI31(v: number): boolean {
  return (v | 0) === v && v >= -0x4000_0000 && v < 0x4000_0000 && !Object.is(v, -0);
}

/** `ref.i31`: the i31 value of the low 31 bits of `x` (an i32). */
export function i31Of(x: number): number {
  return (x << 1) >> 1;
}

/**
 * A JS value as a reference inside the engine (JS API ToWebAssemblyValue
 * for `externref`, and for `anyref` after the caller has checked its
 * kind): numbers that are not i31 values are boxed; the rest is kept as is.
 */
export function hostRef(v: unknown): unknown {
  return typeof v === "number" && !isI31(v) ? new HostNumber(v) : v;
}

/** A reference as a JS value (ToJSValue): host numbers unboxed, everything else as is. */
export function jsValueOf(r: unknown): unknown {
  return r instanceof HostNumber ? r.n : r;
}
