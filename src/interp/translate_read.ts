/**
 * The translator's cursor over a function body's bytes. It decodes the
 * immediates it uses itself rather than through the module decoder's
 * `Reader`: the body was validated, so no bounds or range checks, and an i64
 * comes as two int32 halves (the IR's form) instead of a BigInt. The
 * decoder's `Reader` still skips the immediates the translator ignores.
 *
 * @module
 */

import type { FuncType } from "../binary/types.ts";
import { Reader } from "../binary/reader.ts";
import { concreteHeap, NON_NULL } from "../binary/valtype.ts";

/** Reads a function body's instruction bytes and immediates. */
export class BodyReader {
  /** The body's instruction bytes. */
  readonly bytes: Uint8Array;
  /** A decoder's reader over {@link bytes}, for skipping immediates the translator does not read. */
  readonly reader: Reader;
  /** Read position in {@link bytes}. */
  pos: number;
  /** LEB scratch: high half of the last i64 read. */
  hi = 0;
  /** The module's types, which block types index. */
  private readonly types: readonly FuncType[];

  /** Starts reading `bytes`, a body of a module whose types are `types`. */
  constructor(bytes: Uint8Array, types: readonly FuncType[]) {
    this.bytes = bytes;
    this.reader = new Reader(bytes);
    this.pos = 0;
    this.types = types;
  }

  /** Reads a byte. */
  byte(): number {
    return this.bytes[this.pos++];
  }

  /** Reads an unsigned LEB128 u32. */
  u32(): number {
    let r = 0, shift = 0, b: number;
    do {
      b = this.bytes[this.pos++];
      r |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return r >>> 0;
  }

  /** Reads a signed LEB128 i32. */
  s32(): number {
    let r = 0, shift = 0, b: number;
    do {
      b = this.bytes[this.pos++];
      r |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 32 && (b & 0x40)) r |= -1 << shift;
    return r | 0;
  }

  /** Reads a signed LEB128 i64: returns the low half, sets {@link hi}. */
  s64(): number {
    return this.leb64(true);
  }

  /** Reads a value type (`valtype.ts` form, module type indices). */
  valType(): number {
    const b = this.byte();
    if (b === 0x63 || b === 0x64) return this.heapType() | (b === 0x64 ? NON_NULL : 0);
    return b;
  }

  /** Reads a heap type (an abstract type's byte or an s33 type index) in `valtype.ts` form. */
  heapType(): number {
    const b = this.bytes[this.pos];
    if (b >= 0x69 && b <= 0x74) {
      this.pos++;
      return b;
    }
    return concreteHeap(this.s32());
  }

  /** Reads an unsigned LEB128 u64 as halves (low returned, {@link hi} set). */
  u64(): number {
    return this.leb64(false);
  }

  /** A LEB128 of at most 64 bits as halves, sign-extended if `signed`. */
  private leb64(signed: boolean): number {
    let lo = 0, hi = 0, shift = 0, b: number;
    do {
      b = this.bytes[this.pos++];
      const v = b & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else if (shift < 64) hi |= v << (shift - 32);
      shift += 7;
    } while (b & 0x80);
    if (signed && shift < 64 && (b & 0x40)) {
      if (shift < 32) {
        lo |= -1 << shift;
        hi = -1;
      } else hi |= -1 << (shift - 32);
    }
    this.hi = hi | 0;
    return lo | 0;
  }

  /** Four little-endian bytes as an int32. */
  word(): number {
    const b = this.bytes, p = this.pos;
    this.pos = p + 4;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  /** A block type as [params, results]. */
  blockType(): [readonly number[], readonly number[]] {
    const b = this.bytes[this.pos];
    if (b === 0x40) {
      this.pos++;
      return [[], []];
    }
    if (b >= 0x69 && b <= 0x7f) {
      this.pos++;
      return [[], [b]];
    }
    if (b === 0x63 || b === 0x64) {
      this.pos++;
      return [[], [this.heapType() | (b === 0x64 ? NON_NULL : 0)]];
    }
    const t: FuncType = this.types[this.s32()];
    return [t.params, t.results];
  }
}
