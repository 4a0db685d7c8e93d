/**
 * i64 semantics on int32 halves (lo, hi), for the interpreter, constant
 * evaluation and the JIT. Results are written into an `Int32Array` at
 * `[d]` (lo) and `[d + 1]` (hi) — the register file layout — so nothing is
 * allocated per operation; BigInt only backs 64-by-64-bit division with
 * large divisors. (Why halves: see `numeric.ts`.)
 *
 * @module
 */

import { RuntimeError, Trap } from "../errors.ts";

function trap(message: string): never {
  throw new RuntimeError(message);
}

const TWO32 = 4294967296;

/** Writes the i64 `lo`,`hi` halves to `r[d]`, `r[d+1]`. */
export function put(r: Int32Array, d: number, lo: number, hi: number): void {
  r[d] = lo;
  r[d + 1] = hi;
}

// i64 add, sub, mul and the shifts are expressions in the IR table
// (`interp/ir_defs.ts`), which the loop and compiled code expand inline.

/** i64.rotl */
export function rotl64(r: Int32Array, d: number, al: number, ah: number, n: number) {
  n &= 63;
  if (n >= 32) {
    const t = al;
    al = ah;
    ah = t;
    n -= 32;
  }
  if (n === 0) put(r, d, al, ah);
  else put(r, d, (al << n) | (ah >>> (32 - n)), (ah << n) | (al >>> (32 - n)));
}

/** i64.rotr */
export function rotr64(r: Int32Array, d: number, al: number, ah: number, n: number) {
  rotl64(r, d, al, ah, 64 - (n & 63));
}

/** i64.clz, as a number. */
export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

/** i64.ctz, as a number. */
export function ctz64(lo: number, hi: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** i64.popcnt, as a number. */
export function popcnt64(lo: number, hi: number): number {
  return popcnt32(lo) + popcnt32(hi);
}

/** Unsigned comparison of two i64s: -1, 0 or 1. */
export function cmpU64(al: number, ah: number, bl: number, bh: number): number {
  if (ah !== bh) return (ah >>> 0) < (bh >>> 0) ? -1 : 1;
  if (al !== bl) return (al >>> 0) < (bl >>> 0) ? -1 : 1;
  return 0;
}

/** Signed comparison of two i64s: -1, 0 or 1. */
export function cmpS64(al: number, ah: number, bl: number, bh: number): number {
  if (ah !== bh) return ah < bh ? -1 : 1;
  if (al !== bl) return (al >>> 0) < (bl >>> 0) ? -1 : 1;
  return 0;
}

/** The i64 halves as a signed BigInt. */
export function toBigInt64(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

/** The i64 halves as an unsigned BigInt. */
export function toBigUint64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Writes a BigInt (taken modulo 2^64) as i64 halves. */
export function putBigInt(r: Int32Array, d: number, v: bigint): void {
  put(r, d, Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n)));
}

/**
 * Unsigned 64-bit division/remainder. Operands below 2^52 divide exactly in
 * doubles (with a one-step correction); others fall back to BigInt.
 */
function divRemU64(
  r: Int32Array,
  d: number,
  al: number,
  ah: number,
  bl: number,
  bh: number,
  rem: boolean,
) {
  if (bl === 0 && bh === 0) trap(Trap.divideByZero);
  const ahu = ah >>> 0, bhu = bh >>> 0;
  // Below 2^52 the product q * b stays exact, so the correction is exact too.
  if (ahu < 0x100000 && bhu < 0x100000) {
    const a = ahu * TWO32 + (al >>> 0), b = bhu * TWO32 + (bl >>> 0);
    let q = Math.floor(a / b);
    let m = a - q * b;
    if (m < 0) {
      q -= 1;
      m += b;
    } else if (m >= b) {
      q += 1;
      m -= b;
    }
    const v = rem ? m : q;
    const hi = Math.floor(v / TWO32);
    put(r, d, (v - hi * TWO32) | 0, hi);
    return;
  }
  if (bh === 0) {
    divRemBy32(al, ah, bl >>> 0);
    if (rem) put(r, d, dmRem | 0, 0);
    else put(r, d, dmQlo | 0, dmQhi | 0);
    return;
  }
  const a = toBigUint64(al, ah), b = toBigUint64(bl, bh);
  putBigInt(r, d, rem ? a % b : a / b);
}

// Results of divRemBy32 (module scratch: no allocation per division).
let dmQhi = 0, dmQlo = 0, dmRem = 0;

/** floor(t / d) for 0 ≤ t < 2^49, 0 < d < 2^32, corrected to be exact. */
function exactDiv(t: number, d: number): number {
  let q = Math.floor(t / d);
  const r = t - q * d;
  if (r < 0) q -= 1;
  else if (r >= d) q += 1;
  return q;
}

/**
 * Unsigned (hi:lo) / d for a divisor below 2^32, by long division in 32-
 * and 16-bit chunks so every intermediate stays below 2^49 (exact in
 * doubles). Sets dmQhi, dmQlo, dmRem. (Unsigned division by at most 2^30,
 * bignum base conversion's, takes a shorter path in the IR's own body:
 * `interp/ir_defs.ts`.)
 */
function divRemBy32(lo: number, hi: number, d: number): void {
  const h = hi >>> 0, l = lo >>> 0;
  const qh = Math.floor(h / d);
  const r1 = h - qh * d;
  const t1 = r1 * 65536 + (l >>> 16);
  const q1 = exactDiv(t1, d);
  const t2 = (t1 - q1 * d) * 65536 + (l & 0xffff);
  const q0 = exactDiv(t2, d);
  dmQhi = qh;
  dmQlo = q1 * 65536 + q0;
  dmRem = t2 - q0 * d;
}

/** i64.div_u */
export function divU64(r: Int32Array, d: number, al: number, ah: number, bl: number, bh: number) {
  divRemU64(r, d, al, ah, bl, bh, false);
}

/** i64.rem_u */
export function remU64(r: Int32Array, d: number, al: number, ah: number, bl: number, bh: number) {
  divRemU64(r, d, al, ah, bl, bh, true);
}

/** i64.div_s */
export function divS64(r: Int32Array, d: number, al: number, ah: number, bl: number, bh: number) {
  if (bl === 0 && bh === 0) trap(Trap.divideByZero);
  if (ah === -2147483648 && al === 0 && bl === -1 && bh === -1) trap(Trap.integerOverflow);
  // Small operands (|x| < 2^52, i.e. hi is a sign extension of 21 bits) divide in doubles.
  if ((ah >> 20) === (ah >> 31) && (bh >> 20) === (bh >> 31)) {
    const a = ah * TWO32 + (al >>> 0), b = bh * TWO32 + (bl >>> 0);
    const q = Math.trunc(a / b);
    // a/b is correctly rounded; truncation can be off by one only when the
    // true quotient is within one ulp of an integer, so verify with the exact
    // remainder (all products below 2^53).
    let qq = q;
    const m = a - qq * b;
    if (m !== 0 && (m < 0) !== (a < 0)) qq += (a < 0) === (b < 0) ? -1 : 1;
    else if (Math.abs(m) >= Math.abs(b)) qq += (a < 0) === (b < 0) ? 1 : -1;
    const hi = Math.floor(qq / TWO32);
    put(r, d, (qq - hi * TWO32) | 0, hi);
    return;
  }
  if (smallMagnitude(bl, bh)) {
    // |b| < 2^32: divide magnitudes, then restore the signs.
    const neg = (ah < 0) !== (bh < 0);
    const [ml, mh] = magnitude(al, ah), [nl] = magnitude(bl, bh);
    divRemBy32(ml, mh, nl >>> 0);
    if (neg) put(r, d, -dmQlo | 0, ~dmQhi + (dmQlo === 0 ? 1 : 0) | 0);
    else put(r, d, dmQlo | 0, dmQhi | 0);
    return;
  }
  putBigInt(r, d, toBigInt64(al, ah) / toBigInt64(bl, bh));
}

/** Whether the i64 (lo, hi) has a magnitude below 2^32. */
function smallMagnitude(lo: number, hi: number): boolean {
  return hi === 0 || (hi === -1 && lo !== 0);
}

const mag: [number, number] = [0, 0];
/** |x| of an i64 as unsigned halves (2^63 for the minimum). */
function magnitude(lo: number, hi: number): [number, number] {
  if (hi >= 0) {
    mag[0] = lo;
    mag[1] = hi;
  } else {
    mag[0] = -lo | 0;
    mag[1] = ~hi + (lo === 0 ? 1 : 0) | 0;
  }
  return mag;
}

/** i64.rem_s */
export function remS64(r: Int32Array, d: number, al: number, ah: number, bl: number, bh: number) {
  if (bl === 0 && bh === 0) trap(Trap.divideByZero);
  if (bl === -1 && bh === -1) {
    put(r, d, 0, 0);
    return;
  }
  if ((ah >> 20) === (ah >> 31) && (bh >> 20) === (bh >> 31)) {
    const a = ah * TWO32 + (al >>> 0), b = bh * TWO32 + (bl >>> 0);
    // `%` on doubles is exact.
    const m = a % b;
    const hi = Math.floor(m / TWO32);
    put(r, d, (m - hi * TWO32) | 0, hi);
    return;
  }
  if (smallMagnitude(bl, bh)) {
    const negA = ah < 0;
    const [nl] = magnitude(bl, bh);
    const b = nl >>> 0;
    const [ml, mh] = magnitude(al, ah);
    divRemBy32(ml, mh, b);
    // The remainder takes the dividend's sign.
    const m = negA ? -dmRem : dmRem;
    put(r, d, m | 0, m < 0 ? -1 : 0);
    return;
  }
  putBigInt(r, d, toBigInt64(al, ah) % toBigInt64(bl, bh));
}
