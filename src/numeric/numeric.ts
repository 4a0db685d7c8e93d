/**
 * Numeric semantics of wasm's scalar instructions, written once and used by
 * the interpreter, constant-expression evaluation, the SIMD lane operations
 * (`src/simd`, per lane) and (later) the JIT.
 *
 * Value representation (chosen by measurement, see below):
 * - i32: a JS int32 number.
 * - i64: two int32 halves `lo`, `hi`. Functions that produce an i64 write it
 *   into an `Int32Array` at `[d]` (lo) and `[d + 1]` (hi) — the register file
 *   layout — so no object is allocated per operation.
 * - f32: a JS number where only the value matters; raw bits (int32) where the
 *   spec demands exact bits (abs, neg, copysign, reinterpret, load/store).
 *   Reading a signalling NaN through `Float32Array` or `Math.fround` quiets it,
 *   so bit-exact operations never go through a float view.
 * - f64: likewise a number, or two int32 halves for bit-exact operations
 *   (JavaScriptCore canonicalises NaN payloads when it boxes a double).
 *
 * Why i64 as halves and not `BigInt64Array` (measured on this machine, 10M
 * iterations of add+xor on register slots / 5M of mul+shl):
 *   Deno (V8 JIT)     halves 46 ms / 36 ms   BigInt 43 ms / 118 ms
 *   Deno --jitless    halves 1361 / 1377     BigInt 1083 / 1042
 *   Bun (JSC)         halves 41 ms / 38 ms   BigInt 1185 ms / 1099 ms
 * Halves are never much worse and BigInt is 30× slower on JSC, so BigInt is
 * only used for 64-bit division and remainder (after cheap fast paths).
 *
 * @module
 */

import { RuntimeError, Trap } from "../errors.ts";

const TWO32 = 4294967296;
const TWO31 = 2147483648;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;
const TWO52 = 4503599627370496;

// Scratch views for bit casts. Not re-entrant across awaits, but every use
// below is a straight-line read-after-write.
const scratch = new ArrayBuffer(8);
const sF32 = new Float32Array(scratch);
const sF64 = new Float64Array(scratch);
const sI32 = new Int32Array(scratch);

export * from "./numeric_i64.ts";
import { put } from "./numeric_i64.ts";

/** Throws the trap with the given message. */
export function trap(message: string): never {
  throw new RuntimeError(message);
}

// ---------------------------------------------------------------- i32 ----

/** i32.clz */
export function clz32(x: number): number {
  return Math.clz32(x);
}

/** i32.ctz */
export function ctz32(x: number): number {
  if (x === 0) return 32;
  return 31 - Math.clz32(x & -x);
}

/** i32.popcnt */
export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** i32.rotl */
export function rotl32(x: number, n: number): number {
  return (x << (n & 31)) | (x >>> ((32 - n) & 31));
}

/** i32.rotr */
export function rotr32(x: number, n: number): number {
  return (x >>> (n & 31)) | (x << ((32 - n) & 31));
}

/** i32.div_s, trapping on zero and on overflow. */
export function divS32(a: number, b: number): number {
  if (b === 0) trap(Trap.divideByZero);
  if (a === -2147483648 && b === -1) trap(Trap.integerOverflow);
  return (a / b) | 0;
}

/** i32.div_u, trapping on zero. */
export function divU32(a: number, b: number): number {
  if (b === 0) trap(Trap.divideByZero);
  return ((a >>> 0) / (b >>> 0)) | 0;
}

/** i32.rem_s, trapping on zero. */
export function remS32(a: number, b: number): number {
  if (b === 0) trap(Trap.divideByZero);
  return (a % b) | 0;
}

/** i32.rem_u, trapping on zero. */
export function remU32(a: number, b: number): number {
  if (b === 0) trap(Trap.divideByZero);
  return ((a >>> 0) % (b >>> 0)) | 0;
}

// ---------------------------------------------------------- float bits ----

/** The bits of `x` rounded to f32 (for constants; NaNs come out quiet). */
export function f32ToBits(x: number): number {
  sF32[0] = x;
  return sI32[0];
}

/**
 * The f32 whose bits are `b`, as a number. A signalling NaN comes out quiet:
 * only use this where the value, not the bit pattern, matters.
 */
export function bitsToF32(b: number): number {
  sI32[0] = b;
  return sF32[0];
}

/** Writes the bits of the f64 `x` as halves at `r[d]`, `r[d+1]`. */
export function f64ToBits(r: Int32Array, d: number, x: number): void {
  sF64[0] = x;
  r[d] = sI32[0];
  r[d + 1] = sI32[1];
}

/** The f64 with the given halves, as a number. */
export function bitsToF64(lo: number, hi: number): number {
  sI32[0] = lo;
  sI32[1] = hi;
  return sF64[0];
}

// -------------------------------------------------------------- floats ----

/**
 * f32/f64.nearest on the value: round to integer, ties to even, keeping the
 * sign of zero. Exact for f32 inputs too (every f32 is a double, and the
 * result is an integer the f32 can hold), so f32 has no double rounding.
 */
export function nearest(x: number): number {
  const t = Math.abs(x);
  // False for NaN and for |x| ≥ 2^52, which are already integral (or NaN).
  if (t < TWO52) {
    // Adding 2^52 leaves no fraction bits: the FPU rounds ties to even.
    const n = t + TWO52 - TWO52;
    if (n === 0) return x * 0; // ±0 with the sign of x
    return x < 0 ? -n : n;
  }
  return x + 0; // quiets a signalling NaN; other values are unchanged
}

// The rounding and min/max helpers below never hand a NaN to the host's
// Math functions: V8 returns a signalling f64 NaN from Math.ceil/floor/trunc
// unchanged, and its optimized Math.min/max may build a NaN with every
// payload bit set. wasm wants a quiet NaN, canonical when the inputs' NaNs
// were canonical. `x + 0` quiets a NaN through the FPU and keeps its payload.

/** f32/f64.ceil on the value (NaN in, quiet NaN out). */
export function ceil(x: number): number {
  return x === x ? Math.ceil(x) : x + 0;
}

/** f32/f64.floor on the value (NaN in, quiet NaN out). */
export function floor(x: number): number {
  return x === x ? Math.floor(x) : x + 0;
}

/** f32/f64.trunc on the value (NaN in, quiet NaN out). */
export function trunc(x: number): number {
  return x === x ? Math.trunc(x) : x + 0;
}

/**
 * The canonical quiet NaN every NaN result is stored as, kept in memory:
 * V8 compiles `r === r ? r : NaN` to a select on the value's dependency
 * chain, but `r === r ? r : QNAN[0]` to a branch (measured on Deno: a chain
 * of float ops 2.2× slower with the literal; JavaScriptCore: the same).
 */
export const QNAN: Float64Array = new Float64Array([NaN]);

/**
 * `x`, or the canonical NaN for any NaN: a vector lane's arithmetic result.
 * Hosts differ on the payload a NaN operand passes on (JavaScriptCore's
 * lower tiers replace it, its optimizing ones and V8 keep it), so a kept
 * payload could change from one run, or one tier, to the next.
 */
export function canonNaN(x: number): number {
  return x === x ? x : QNAN[0];
}

/** f32/f64.min: NaN if either is NaN (the canonical one), and -0 < +0. */
export function fmin(x: number, y: number): number {
  // Ordered, distinct values take the first two tests; equal values (±0
  // among them) and NaNs fall through to the careful path.
  return x < y ? x : y < x ? y : x !== x || y !== y ? NaN : Math.min(x, y);
}

/** f32/f64.max: NaN if either is NaN (the canonical one), and -0 < +0. */
export function fmax(x: number, y: number): number {
  return x > y ? x : y > x ? y : x !== x || y !== y ? NaN : Math.max(x, y);
}

/** f32.copysign on bits. */
export function copysign32(a: number, b: number): number {
  return (a & 0x7fffffff) | (b & -2147483648);
}

// ----------------------------------------------------------- truncation ----

/** i32.trunc_f32_s / i32.trunc_f64_s on the value, trapping. */
export function truncS32(x: number): number {
  if (x !== x) trap(Trap.invalidConversion);
  if (!(x > -2147483649 && x < TWO31)) trap(Trap.integerOverflow);
  return x | 0;
}

/** i32.trunc_f32_u / i32.trunc_f64_u on the value, trapping. */
export function truncU32(x: number): number {
  if (x !== x) trap(Trap.invalidConversion);
  if (!(x > -1 && x < TWO32)) trap(Trap.integerOverflow);
  return Math.trunc(x) | 0;
}

/** i32.trunc_sat_*_s */
export function truncSatS32(x: number): number {
  if (x !== x) return 0;
  if (x <= -TWO31) return -2147483648;
  if (x >= TWO31) return 2147483647;
  return x | 0;
}

/** i32.trunc_sat_*_u */
export function truncSatU32(x: number): number {
  if (x !== x || x <= 0) return 0;
  if (x >= TWO32) return -1;
  return Math.trunc(x) | 0;
}

/** Writes the integral double `t` (|t| < 2^64) as i64 halves, modulo 2^64. */
function putInt(r: Int32Array, d: number, t: number): void {
  const hi = Math.floor(t / TWO32);
  put(r, d, (t - hi * TWO32) | 0, hi | 0);
}

/** i64.trunc_f*_s on the value, trapping. */
export function truncS64(r: Int32Array, d: number, x: number): void {
  if (x !== x) trap(Trap.invalidConversion);
  if (!(x >= -TWO63 && x < TWO63)) trap(Trap.integerOverflow);
  putInt(r, d, Math.trunc(x));
}

/** i64.trunc_f*_u on the value, trapping. */
export function truncU64(r: Int32Array, d: number, x: number): void {
  if (x !== x) trap(Trap.invalidConversion);
  if (!(x > -1 && x < TWO64)) trap(Trap.integerOverflow);
  putInt(r, d, Math.trunc(x));
}

/** i64.trunc_sat_f*_s */
export function truncSatS64(r: Int32Array, d: number, x: number): void {
  if (x !== x) put(r, d, 0, 0);
  else if (x < -TWO63) put(r, d, 0, -2147483648);
  else if (x >= TWO63) put(r, d, -1, 0x7fffffff);
  else putInt(r, d, Math.trunc(x));
}

/** i64.trunc_sat_f*_u */
export function truncSatU64(r: Int32Array, d: number, x: number): void {
  if (x !== x || x <= -1) put(r, d, 0, 0);
  else if (x >= TWO64) put(r, d, -1, -1);
  else putInt(r, d, Math.trunc(x));
}

// ----------------------------------------------------------- conversion ----

/** f64.convert_i64_s: one correctly rounded addition. */
export function convertS64F64(lo: number, hi: number): number {
  return hi * TWO32 + (lo >>> 0);
}

/** f64.convert_i64_u */
export function convertU64F64(lo: number, hi: number): number {
  return (hi >>> 0) * TWO32 + (lo >>> 0);
}

/**
 * Unsigned (hi, lo) to f32, correctly rounded. Above 2^53 the double would
 * round once and f32 again (double rounding); folding the low 11 bits into a
 * sticky bit keeps the double exact and the f32 rounding unchanged.
 */
function u64ToF32(lo: number, hi: number): number {
  const h = hi >>> 0;
  if (h >= 0x200000 && (lo & 0x7ff) !== 0) lo = (lo & ~0x7ff) | 0x800;
  return Math.fround(h * TWO32 + (lo >>> 0));
}

/** f32.convert_i64_u */
export function convertU64F32(lo: number, hi: number): number {
  return u64ToF32(lo, hi);
}

/** f32.convert_i64_s */
export function convertS64F32(lo: number, hi: number): number {
  if (hi >= 0) return u64ToF32(lo, hi);
  // Magnitude of a negative value: two's complement negation.
  const nlo = (-lo) | 0;
  const nhi = (~hi + (lo === 0 ? 1 : 0)) | 0;
  return -u64ToF32(nlo, nhi);
}
