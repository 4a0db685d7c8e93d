/**
 * Address operands of memory and table instructions, read from the register
 * file: one definition for the interpreter's out-of-line paths, the SIMD
 * executor and the atomics executor. (The dispatch loop's and `simd_run.ts`'s
 * inline i32 fast paths compute `(addr >>> 0) + offset` in place.)
 *
 * @module
 */

const TWO32 = 4294967296;

/**
 * An address/length operand at word `w`: an unsigned i32, or for 64-bit
 * index types the exact u64 value (as a double, which is exact below 2^53;
 * anything above is beyond every memory and table and maps to Infinity).
 */
export function addrAt(I32: Int32Array, w: number, is64: boolean): number {
  if (!is64) return I32[w] >>> 0;
  const hi = I32[w + 1] >>> 0;
  return hi >= 0x200000 ? Infinity : hi * TWO32 + (I32[w] >>> 0);
}

/**
 * The effective address of a memory access: the address operand at word `w`
 * plus the u64 offset immediate (`offLo`, `offHi`), exact below 2^53 (above,
 * only ever compared against a memory length, so precision does not matter).
 */
export function effectiveAddress(
  I32: Int32Array,
  w: number,
  is64: boolean,
  offLo: number,
  offHi: number,
): number {
  return addrAt(I32, w, is64) + (offHi >>> 0) * TWO32 + (offLo >>> 0);
}
