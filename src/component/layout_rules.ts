/**
 * The canonical ABI's size and alignment rules (CanonicalABI.md
 * "Alignment", "Element Size"), written once over sizes rather than types:
 * the run-time ABI (`abi/layout.ts`, 32-bit pointers) and validation's
 * value-size bound (`validate/layout.ts`, 64-bit pointers) walk their own
 * type representations and combine the parts with these functions.
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
