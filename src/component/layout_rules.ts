/**
 * The canonical ABI's size, alignment and flattening rules (CanonicalABI.md
 * "Alignment", "Element Size", "Flattening"), written once over sizes and
 * core types rather than component types: the run-time ABI
 * (`abi/layout.ts`, 32-bit pointers) and validation (`validate/layout.ts`'s
 * value-size bound with 64-bit pointers, `validate/canon_options.ts`'s core
 * signatures) walk their own type representations and combine the parts
 * with these functions and constants.
 *
 * @module
 */

/** Size and alignment of a value in linear memory (bytes). */
export interface SizeAlign {
  /** Size. */
  readonly size: number;
  /** Alignment (a power of two). */
  readonly align: number;
}

/** Pointer width of the memory: 4 (memory32) or 8 (memory64). */
export type PointerSize = 4 | 8;

/** Core value type codes (as in `src/binary`): i32. */
export const I32 = 0x7f;
/** i64. */
export const I64 = 0x7e;
/** f32. */
export const F32 = 0x7d;
/** f64. */
export const F64 = 0x7c;

/** Flattening limits of synchronous calls. */
export const MAX_FLAT_PARAMS = 16;
/** At most one flat result; more go through memory. */
export const MAX_FLAT_RESULTS = 1;
/** Flattening limit of the parameters of an async-lowered call. */
export const MAX_FLAT_ASYNC_PARAMS = 4;

/** The flat type that can hold both `a` and `b` (CanonicalABI.md `join`). */
export function joinFlat(a: number, b: number): number {
  if (a === b) return a;
  if ((a === I32 && b === F32) || (a === F32 && b === I32)) return I32;
  return I64;
}

/** Rounds `n` up to a multiple of `a` (a power of two). */
export function alignTo(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** A scalar of `n` bytes (aligned to its size). */
export function scalar(n: number): SizeAlign {
  return { size: n, align: n };
}

/** A `(pointer, length)` pair: strings, lists, maps. */
export function pointerPair(ptr: PointerSize): SizeAlign {
  return { size: 2 * ptr, align: ptr };
}

/** Byte size of the discriminant of a variant with `n` cases. */
export function discriminantSize(n: number): number {
  return n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
}

/** Number of i32 words holding `n` flags (0 for none). */
export function flagWords(n: number): number {
  return Math.ceil(n / 32);
}

/**
 * Flags with `n` labels: 1 byte up to 8, 2 up to 16, else an i32 per 32
 * (validation allows 32 at most; older toolchains and jco lay out more).
 */
export function flagsSizeAlign(n: number): SizeAlign {
  if (n <= 8) return scalar(1);
  if (n <= 16) return scalar(2);
  return { size: 4 * flagWords(n), align: 4 };
}

/** `list<T, N>`: `n` elements in place. */
export function fixedListSizeAlign(element: SizeAlign, n: number): SizeAlign {
  return { size: element.size * n, align: element.align };
}

/** A record or tuple of `fields`, with each field's offset. */
export function recordSizeAlign(fields: readonly SizeAlign[]): SizeAlign & { offsets: number[] } {
  let size = 0, align = 1;
  const offsets: number[] = [];
  for (const f of fields) {
    size = alignTo(size, f.align);
    offsets.push(size);
    size += f.size;
    if (f.align > align) align = f.align;
  }
  return { size: alignTo(size, align), align, offsets };
}

/** A variant of `cases` (null: no payload), with its discriminant size and payload offset. */
export function variantSizeAlign(
  cases: readonly (SizeAlign | null)[],
): SizeAlign & { discSize: number; payloadOffset: number } {
  const discSize = discriminantSize(cases.length);
  let caseAlign = 1, caseSize = 0;
  for (const c of cases) {
    if (c === null) continue;
    if (c.align > caseAlign) caseAlign = c.align;
    if (c.size > caseSize) caseSize = c.size;
  }
  const align = Math.max(discSize, caseAlign);
  const payloadOffset = alignTo(discSize, caseAlign);
  return { size: alignTo(payloadOffset + caseSize, align), align, discSize, payloadOffset };
}
