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

const SMALL = /^[+-]?[0-9]{1,9}$/;

/** An integer lane of at most 32 bits, as its unsigned value (number), or null. */
function smallLane(text: string, bits: number): number | null {
  if (SMALL.test(text)) {
    const v = Number(text);
    const signed = text.charCodeAt(0) === 0x2d || text.charCodeAt(0) === 0x2b;
    const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    const min = signed ? -(2 ** (bits - 1)) : 0;
    if (v > max || v < min) throw new RangeProblem("constant out of range");
    return v < 0 ? v + 2 ** bits : v;
  }
  const v = parseIntLane(text, bits);
  return v === null ? null : Number(v);
}

function put(out: Uint8Array, at: number, value: number, bytes: number): void {
  for (let k = 0; k < bytes; k++) {
    out[at + k] = value & 0xff;
    value = Math.floor(value / 256);
  }
}

/**
 * Writes lane `i` of `shape`, parsed from `text`, into `out` (16 bytes).
 * Returns false when `text` has the wrong form for the shape (the caller
 * reports it); throws {@link RangeProblem} when the value is out of range.
 */
export function writeLane(out: Uint8Array, shape: V128Shape, i: number, text: string): boolean {
  switch (shape) {
    case "i8x16":
    case "i16x8":
    case "i32x4": {
      const width = shape === "i8x16" ? 1 : shape === "i16x8" ? 2 : 4;
      const v = smallLane(text, width * 8);
      if (v === null) return false;
      put(out, i * width, v, width);
      return true;
    }
    case "i64x2": {
      const v = parseIntLane(text, 64);
      if (v === null) return false;
      put(out, i * 8, Number(v & 0xffffffffn), 4);
      put(out, i * 8 + 4, Number(v >> 32n), 4);
      return true;
    }
    case "f32x4": {
      const v = parseF32(text);
      if (v === null) return false;
      put(out, i * 4, v, 4);
      return true;
    }
    case "f64x2": {
      const v = parseF64(text);
      if (v === null) return false;
      put(out, i * 8, Number(v & 0xffffffffn), 4);
      put(out, i * 8 + 4, Number(v >> 32n), 4);
      return true;
    }
  }
}
