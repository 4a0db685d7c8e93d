/**
 * Value types as plain numbers, so that type stacks, local lists and
 * signatures stay integer arrays (no objects per type):
 *
 * - number and vector types are their binary codes (`i32` 0x7f … `v128` 0x7b);
 * - a reference type is a heap type plus {@link NON_NULL} when it excludes
 *   null. An abstract heap type is its binary code (`func` 0x70, `extern`
 *   0x6f, `any` 0x6e, … `noexn` 0x74), so the nullable shorthands keep their
 *   codes (`funcref` is 0x70); a concrete heap type, type index `x`, is
 *   `(x + 1) << 9` ({@link concreteHeap});
 * - packed storage types (`i8` 0x78, `i16` 0x77) appear only in fields;
 * - 0 is the validator's unknown type, and {@link HEAP_BOT} its unknown
 *   heap type.
 *
 * Type indices in a module structure are the module's own; the validator
 * and the runtime use the same encoding over canonical type ids (see
 * `src/validate/type_store.ts`), so that equal types are equal numbers.
 *
 * @module
 */

/** Number and vector type codes. */
export const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
/** Packed storage type codes (struct and array fields only). */
export const I8 = 0x78, I16 = 0x77;

/** Abstract heap types, by their binary codes. */
export const Heap = {
  func: 0x70,
  extern: 0x6f,
  any: 0x6e,
  eq: 0x6d,
  i31: 0x6c,
  struct: 0x6b,
  array: 0x6a,
  exn: 0x69,
  none: 0x71,
  noextern: 0x72,
  nofunc: 0x73,
  noexn: 0x74,
} as const;

/** The validator's heap type of an unknown reference (below an unreachable point). */
export const HEAP_BOT = 0x01;
/** Set in a reference type that excludes null. */
export const NON_NULL = 0x100;
const CONCRETE_SHIFT = 9;
/** Most type indices (and canonical type ids) the encoding holds in an int32. */
export const MAX_TYPE_INDEX = (1 << (31 - CONCRETE_SHIFT)) - 2;

/** The heap type of type index (or canonical id) `x`. */
export function concreteHeap(x: number): number {
  return (x + 1) << CONCRETE_SHIFT;
}

/** The type index of a concrete heap type, or -1 for an abstract one. */
export function heapIndex(heap: number): number {
  return (heap >> CONCRETE_SHIFT) - 1;
}

/** A reference type. */
export function refType(heap: number, nullable: boolean): number {
  return nullable ? heap : heap | NON_NULL;
}

/** The heap type of reference type `t`. */
export function heapOf(t: number): number {
  return t & ~NON_NULL;
}

/** Whether reference type `t` includes null. */
export function isNullable(t: number): boolean {
  return (t & NON_NULL) === 0;
}

/** Whether `t` (not 0, the unknown type) is a reference type. */
export function isRef(t: number): boolean {
  return t !== 0 && (t < V128 || t > I32) && t !== I8 && t !== I16;
}

/** Whether `t` is a number or vector type. */
export function isNumOrVec(t: number): boolean {
  return t >= V128 && t <= I32;
}

/** Whether a value of type `t` has a default (numbers, vectors, nullable references). */
export function isDefaultable(t: number): boolean {
  return !isRef(t) || isNullable(t);
}

/** The value type a field of storage type `t` reads as (packed types read as i32). */
export function unpacked(t: number): number {
  return t === I8 || t === I16 ? I32 : t;
}

/** Whether `h` is an abstract heap type code. */
export function isAbstractHeap(h: number): boolean {
  return h >= Heap.exn && h <= Heap.noexn;
}

const ABSTRACT_NAMES: Record<number, string> = {};
for (const [name, code] of Object.entries(Heap)) ABSTRACT_NAMES[code] = name;

/** Text name of a heap type (`func`, `$3` style indices shown as the number). */
export function heapName(h: number, index: (x: number) => string = String): string {
  if (h === HEAP_BOT) return "something";
  const abs = ABSTRACT_NAMES[h];
  if (abs !== undefined) return abs;
  return index(heapIndex(h));
}

/**
 * Text name of a value or storage type: `i32`, `funcref` (nullable abstract
 * references by their shorthand), `(ref func)`, `(ref null 3)`. `index`
 * names concrete type indices.
 */
export function valTypeName(t: number, index: (x: number) => string = String): string {
  switch (t) {
    case 0:
      return "unknown";
    case I32:
      return "i32";
    case I64:
      return "i64";
    case F32:
      return "f32";
    case F64:
      return "f64";
    case V128:
      return "v128";
    case I8:
      return "i8";
    case I16:
      return "i16";
  }
  const h = heapOf(t);
  if (isNullable(t) && ABSTRACT_NAMES[h] !== undefined) return `${ABSTRACT_NAMES[h]}ref`;
  return `(ref ${isNullable(t) ? "null " : ""}${heapName(h, index)})`;
}

/** Names a list of value types as the reference interpreter does: `[i32 f64]`. */
export function resultTypeName(ts: ArrayLike<number>, index?: (x: number) => string): string {
  const names: string[] = [];
  for (let i = 0; i < ts.length; i++) names.push(valTypeName(ts[i], index));
  return `[${names.join(" ")}]`;
}

/** The type of an element segment given as function indices: `(ref func)`. */
export const FUNC_INDEX_ELEM = Heap.func | NON_NULL;
