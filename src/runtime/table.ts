/**
 * Table instances: growable arrays of references (function instances for
 * funcref tables, any JS value for externref; `null` is the null reference).
 *
 * @module
 */

import type { RefType } from "../binary/types.ts";

/** Largest table size Gannet allocates. */
export const MAX_TABLE = 10_000_000;

/** A table instance. */
export class TableInst {
  /** Elements. */
  elems: unknown[];
  /** Element type (funcref 0x70 or externref 0x6f). */
  readonly elemType: RefType;
  /** Maximum size. */
  readonly max: number;
  /** Whether limits declared a maximum. */
  readonly hasMax: boolean;
  /** The declared maximum (import matching compares it; {@link max} is capped). */
  readonly declaredMax: number | null;
  /** 64-bit indices (table64). */
  readonly index64: boolean;
  /**
   * The embedder's limits (a store's, see `store.ts`): asked before every
   * growth with the element count now and after; false refuses it (-1).
   */
  limiter: ((current: number, desired: number) => boolean) | null = null;

  /**
   * Creates a table of `initial` elements.
   *
   * @param elemType funcref or externref
   * @param initial initial size
   * @param max maximum, or null
   * @param init initial element value
   * @param index64 64-bit indices
   */
  constructor(
    elemType: RefType,
    initial: number,
    max: number | null,
    // No default: `undefined` is a valid (non-null) externref, the JS API's default.
    init: unknown,
    index64 = false,
  ) {
    this.elemType = elemType;
    this.max = max === null ? MAX_TABLE : Math.min(max, MAX_TABLE);
    this.hasMax = max !== null;
    this.declaredMax = max;
    this.index64 = index64;
    if (initial > this.max) throw new RangeError(`table size ${initial} is too large`);
    this.elems = new Array(initial).fill(init);
  }

  /** Grows by `delta` filled with `init`; returns the old size or -1. */
  grow(delta: number, init: unknown): number {
    const old = this.elems.length;
    if (delta < 0 || old + delta > this.max) return -1;
    if (delta > 0 && this.limiter !== null && !this.limiter(old, old + delta)) return -1;
    for (let i = 0; i < delta; i++) this.elems.push(init);
    return old;
  }
}
