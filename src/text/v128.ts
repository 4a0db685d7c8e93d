/**
 * `v128.const` literals: a lane shape followed by one literal per lane,
 * giving 16 little-endian bytes. Shared by the WAT parser and the WAST
 * script parser.
 *
 * @module
 */
import { parseF32, parseF64, parseIntParts, RangeProblem } from "./numbers.ts";
import type { V128Shape } from "./wast_types.ts";

/** Lane count of each shape. */
export const LANE_COUNT: Readonly<Record<V128Shape, number>> = {
  i8x16: 16,
  i16x8: 8,
  i32x4: 4,
  i64x2: 2,
  f32x4: 4,
  f64x2: 2,
};

/** True when `s` names a v128 lane shape. */
export function isShape(s: string): s is V128Shape {
  return Object.hasOwn(LANE_COUNT, s);
}

/**
 * Parses an integer lane of `bits` bits (signed or unsigned range) to its
 * unsigned value; null if `text` is not an integer literal.
 */
export function parseIntLane(text: string, bits: number): bigint | null {
  const p = parseIntParts(text);
  if (p === null) return null;
  const b = BigInt(bits);
  const limit = p.signed ? (p.neg ? 1n << (b - 1n) : (1n << (b - 1n)) - 1n) : (1n << b) - 1n;
  if (p.mag > limit) throw new RangeProblem("constant out of range");
  return BigInt.asUintN(bits, p.neg ? -p.mag : p.mag);
}

/**
 * Writes lane `i` of `shape`, parsed from `text`, into `out`. Returns false
 * when `text` has the wrong form for the shape (the caller reports it);
 * throws {@link RangeProblem} when the value is out of range.
 */
export function writeLane(out: Uint8Array, shape: V128Shape, i: number, text: string): boolean {
  const view = new DataView(out.buffer, out.byteOffset, 16);
  switch (shape) {
    case "i8x16": {
      const v = parseIntLane(text, 8);
      if (v === null) return false;
      view.setUint8(i, Number(v));
      return true;
    }
    case "i16x8": {
      const v = parseIntLane(text, 16);
      if (v === null) return false;
      view.setUint16(i * 2, Number(v), true);
      return true;
    }
    case "i32x4": {
      const v = parseIntLane(text, 32);
      if (v === null) return false;
      view.setUint32(i * 4, Number(v), true);
      return true;
    }
    case "i64x2": {
      const v = parseIntLane(text, 64);
      if (v === null) return false;
      view.setBigUint64(i * 8, v, true);
      return true;
    }
    case "f32x4": {
      const v = parseF32(text);
      if (v === null) return false;
      view.setUint32(i * 4, v, true);
      return true;
    }
    case "f64x2": {
      const v = parseF64(text);
      if (v === null) return false;
      view.setBigUint64(i * 8, v, true);
      return true;
    }
  }
}
