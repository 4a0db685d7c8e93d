/**
 * Numeric literals of the text format, converted exactly: integers through
 * BigInt when they do not fit a double, floats (decimal and hexadecimal)
 * rounded once, to nearest-even, straight to the target precision, with
 * subnormals and the overflow boundary handled (a literal that rounds to
 * infinity is out of range). No double rounding through f64 for f32.
 *
 * Each function takes the token text (already known to match the number
 * grammar or to be one of `inf`, `nan`, `nan:0x…`) and returns null when the
 * text has the wrong shape (e.g. a float where an integer is expected); it
 * throws {@link RangeProblem} when the value does not fit.
 *
 * @module
 */

/** A literal of the right shape whose value does not fit; `message` is the spec wording. */
export class RangeProblem extends Error {}

const SMALL_DEC = /^[+-]?[0-9]{1,15}$/;
const INT = /^([+-]?)(?:(0x)([0-9a-fA-F](?:_?[0-9a-fA-F])*)|([0-9](?:_?[0-9])*))$/;

/** Parses an integer literal into sign and magnitude, or null if it is not an integer. */
export function parseIntParts(text: string): { neg: boolean; signed: boolean; mag: bigint } | null {
  const m = INT.exec(text);
  if (m === null) return null;
  const digits = (m[3] ?? m[4]).replaceAll("_", "");
  const mag = BigInt(m[2] !== undefined ? "0x" + digits : digits);
  return { neg: m[1] === "-", signed: m[1] !== "", mag };
}

/**
 * An i32 literal: unsigned `0 … 2^32-1` or signed `-2^31 … 2^31-1`, as the
 * signed 32-bit value.
 */
export function parseI32(text: string): number | null {
  if (SMALL_DEC.test(text)) {
    const v = Number(text);
    const neg = text.charCodeAt(0) === 0x2d;
    const signed = neg || text.charCodeAt(0) === 0x2b;
    if (signed ? (v < -0x80000000 || v > 0x7fffffff) : v > 0xffffffff) {
      throw new RangeProblem("i32 constant out of range");
    }
    return v | 0;
  }
  const p = parseIntParts(text);
  if (p === null) return null;
  const limit = p.signed ? (p.neg ? 0x80000000n : 0x7fffffffn) : 0xffffffffn;
  if (p.mag > limit) throw new RangeProblem("i32 constant out of range");
  return Number(BigInt.asIntN(32, p.neg ? -p.mag : p.mag));
}

/** An i64 literal (unsigned or signed range), as the signed 64-bit value. */
export function parseI64(text: string): bigint | null {
  const p = parseIntParts(text);
  if (p === null) return null;
  const limit = p.signed
    ? (p.neg ? 0x8000000000000000n : 0x7fffffffffffffffn)
    : 0xffffffffffffffffn;
  if (p.mag > limit) throw new RangeProblem("i64 constant out of range");
  return BigInt.asIntN(64, p.neg ? -p.mag : p.mag);
}

/**
 * An unsigned integer literal (no sign) of at most `bits` bits, e.g. an
 * index, an alignment or a limit; null if the text is not one.
 */
export function parseUnsigned(text: string, bits: number): bigint | null {
  const p = parseIntParts(text);
  if (p === null || p.signed) return null;
  if (p.mag >= 1n << BigInt(bits)) throw new RangeProblem(`i${bits} constant out of range`);
  return p.mag;
}

/** Float formats: significand bits (with the implicit one), exponent bits. */
interface FloatFormat {
  p: number;
  expBits: number;
  /** exponent of the least significant bit of the smallest subnormal */
  minLsb: number;
  /** exponent bias */
  bias: number;
}
const F32: FloatFormat = { p: 24, expBits: 8, minLsb: -149, bias: 127 };
const F64: FloatFormat = { p: 53, expBits: 11, minLsb: -1074, bias: 1023 };

const FLOAT = new RegExp(
  "^([+-]?)(?:(inf)|(nan)(?::0x([0-9a-fA-F](?:_?[0-9a-fA-F])*))?" +
    "|0x([0-9a-fA-F](?:_?[0-9a-fA-F])*)(?:\\.([0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?" +
    "(?:[pP]([+-]?[0-9](?:_?[0-9])*))?" +
    "|([0-9](?:_?[0-9])*)(?:\\.([0-9](?:_?[0-9])*)?)?(?:[eE]([+-]?[0-9](?:_?[0-9])*))?)$",
);

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds `num / den` (positive) to the format: returns the biased exponent
 * and fraction field, or null on overflow.
 */
function roundRational(num: bigint, den: bigint, f: FloatFormat): { exp: number; frac: bigint } {
  const p = f.p;
  // Choose k so that q = floor(num / (den * 2^k)) has p bits.
  let k = bitLength(num) - bitLength(den) - p;
  let q: bigint, r: bigint, d: bigint;
  for (;;) {
    if (k < f.minLsb) k = f.minLsb;
    const n2 = k < 0 ? num << BigInt(-k) : num;
    d = k > 0 ? den << BigInt(k) : den;
    q = n2 / d;
    r = n2 - q * d;
    if (q >= 1n << BigInt(p) && k >= f.minLsb) {
      k++;
      continue;
    }
    if (q < 1n << BigInt(p - 1) && k > f.minLsb) {
      k--;
      continue;
    }
    break;
  }
  // Round to nearest, ties to even.
  const twice = r * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
  if (q === 1n << BigInt(p)) {
    q >>= 1n;
    k++;
  }
  const implicit = 1n << BigInt(p - 1);
  if (q < implicit) return { exp: 0, frac: q }; // subnormal (k === minLsb)
  const exp = k + (p - 1) + f.bias;
  if (exp >= (1 << f.expBits) - 1) throw new RangeProblem("constant out of range");
  return { exp, frac: q - implicit };
}

/** Parses a float literal to its raw bits for format `f` (as bigint). */
function parseFloatBits(text: string, f: FloatFormat): bigint | null {
  const m = FLOAT.exec(text);
  if (m === null) return null;
  const sign = m[1] === "-" ? 1n << BigInt(f.p - 1 + f.expBits) : 0n;
  const fracBits = BigInt(f.p - 1);
  const expAll = (1n << BigInt(f.expBits)) - 1n;
  if (m[2] !== undefined) return sign | (expAll << fracBits);
  if (m[3] !== undefined) {
    let payload = 1n << (fracBits - 1n);
    if (m[4] !== undefined) {
      payload = BigInt("0x" + m[4].replaceAll("_", ""));
      if (payload === 0n || payload >= 1n << fracBits) {
        throw new RangeProblem("constant out of range");
      }
    }
    return sign | (expAll << fracBits) | payload;
  }
  let num: bigint;
  let den = 1n;
  if (m[5] !== undefined) {
    const intDigits = m[5].replaceAll("_", "");
    const fracDigits = (m[6] ?? "").replaceAll("_", "");
    const mant = BigInt("0x" + intDigits + fracDigits);
    if (mant === 0n) return sign;
    let e = parseExponent(m[7]) - 4 * fracDigits.length;
    // Clamp absurd exponents: beyond these the result is 0/inf regardless.
    if (e > 100000) throw new RangeProblem("constant out of range");
    if (e < -100000) e = -100000;
    num = e >= 0 ? mant << BigInt(e) : mant;
    if (e < 0) den = 1n << BigInt(-e);
  } else {
    const intDigits = m[8].replaceAll("_", "");
    const fracDigits = (m[9] ?? "").replaceAll("_", "");
    const mant = BigInt(intDigits + fracDigits);
    if (mant === 0n) return sign;
    let e = parseExponent(m[10]) - fracDigits.length;
    if (e > 100000) throw new RangeProblem("constant out of range");
    if (e < -100000) e = -100000;
    num = e >= 0 ? mant * 10n ** BigInt(e) : mant;
    if (e < 0) den = 10n ** BigInt(-e);
  }
  const { exp, frac } = roundRational(num, den, f);
  return sign | (BigInt(exp) << fracBits) | frac;
}

function parseExponent(text: string | undefined): number {
  if (text === undefined) return 0;
  const v = Number(text.replaceAll("_", ""));
  return Math.max(-1e9, Math.min(1e9, v));
}

const scratch = new DataView(new ArrayBuffer(8));

/**
 * A fast, exact conversion to a double when one is available: decimal
 * literals of at most 17 digits (ECMAScript's `Number` rounds those
 * correctly) and hexadecimal literals whose mantissa fits 53 bits with a
 * moderate exponent (exact). Returns undefined when the slow path is needed.
 * `exact` tells whether the double is the literal's exact value.
 */
function quickDouble(text: string): { d: number; exact: boolean } | undefined {
  const m = FLOAT.exec(text);
  if (m === null || m[2] !== undefined || m[3] !== undefined) return undefined;
  if (m[5] !== undefined) {
    const digits = (m[5] + (m[6] ?? "")).replaceAll("_", "");
    if (digits.length > 14) return undefined;
    const mant = parseInt(digits, 16);
    if (mant > 2 ** 53) return undefined; // not exact
    const e = parseExponent(m[7]) - 4 * (m[6] ?? "").replaceAll("_", "").length;
    if (e < -1000 || e > 900) return undefined;
    const v = mant * 2 ** e;
    return { d: m[1] === "-" ? -v : v, exact: true };
  }
  const digits = (m[8] + (m[9] ?? "")).replaceAll("_", "");
  if (digits.length > 17) return undefined;
  const d = Number(text.replaceAll("_", ""));
  return { d, exact: false };
}

const F32_OVERFLOW_TIE = 2 ** 128 - 2 ** 103;

/** An f32 literal as its raw 32 bits (unsigned), or null if not a float literal. */
export function parseF32(text: string): number | null {
  const q = quickDouble(text);
  if (q !== undefined) {
    const { d, exact } = q;
    const f = Math.fround(d);
    // Rounding to f32 after a correct rounding to f64 is still correct unless the
    // double landed exactly on an f32 midpoint (or the overflow tie): f64 rounding is
    // monotonic and every such midpoint is a double, so otherwise d and the literal
    // lie on the same side of every midpoint.
    if (exact || (!isMidpoint32(d, f) && Math.abs(d) !== F32_OVERFLOW_TIE)) {
      if (!Number.isFinite(f)) throw new RangeProblem("constant out of range");
      scratch.setFloat32(0, f);
      return scratch.getUint32(0);
    }
  }
  const bits = parseFloatBits(text, F32);
  return bits === null ? null : Number(bits);
}

/** True when `d` lies exactly halfway between `f` (= fround(d)) and the adjacent f32. */
function isMidpoint32(d: number, f: number): boolean {
  if (d === f || !Number.isFinite(f)) return false;
  scratch.setFloat32(0, f);
  const bits = scratch.getUint32(0);
  // Step one ulp of f32 towards d (same sign as f, as d and f share it).
  scratch.setUint32(0, Math.abs(d) > Math.abs(f) ? bits + 1 : bits - 1);
  const g = scratch.getFloat32(0);
  return (f + g) / 2 === d;
}

/** An f64 literal as its raw 64 bits (unsigned bigint), or null if not a float literal. */
export function parseF64(text: string): bigint | null {
  const q = quickDouble(text);
  if (q !== undefined) {
    if (!Number.isFinite(q.d)) throw new RangeProblem("constant out of range");
    scratch.setFloat64(0, q.d);
    return scratch.getBigUint64(0);
  }
  return parseFloatBits(text, F64);
}
