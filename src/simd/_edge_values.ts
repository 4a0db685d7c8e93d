/**
 * Deterministic test inputs for the SIMD lane operations: a seeded PRNG and
 * 16-byte vectors mixing random bits with the edge cases lane semantics get
 * wrong (NaNs with payloads, signed zeros, infinities, subnormals, rounding
 * ties, saturation and truncation boundaries, integer lane limits).
 * Used by the tests here and, later, by the JIT's tests.
 *
 * @module
 */

/** xorshift32: tiny, seedable, good enough for test inputs. */
export class Rng {
  #s: number;
  /** Seeds the generator (0 is replaced by a fixed non-zero seed). */
  constructor(seed: number) {
    this.#s = seed | 0 || 0x2545f491;
  }
  /** A random u32. */
  u32(): number {
    let x = this.#s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#s = x;
    return x >>> 0;
  }
  /** A random integer in [0, n). */
  below(n: number): number {
    return this.u32() % n;
  }
}

const F32_BITS = [
  0x00000000,
  0x80000000,
  0x3f800000,
  0xbf800000,
  0x3f000000,
  0xbf000000,
  0x3fc00000,
  0xbfc00000,
  0x40200000,
  0xc0200000,
  0x40600000,
  0x3effffff,
  0x3f000001,
  0x7f800000,
  0xff800000,
  0x7fc00000,
  0xffc00000,
  0x7fc00001,
  0x7fe00000,
  0xffd55555,
  0x7f800001,
  0x7fa00000,
  0xff800001,
  0x00000001,
  0x80000001,
  0x007fffff,
  0x807fffff,
  0x00800000,
  0x7f7fffff,
  0xff7fffff,
  0x4f000000,
  0xcf000000,
  0x4effffff,
  0xcf000001,
  0x4f800000,
  0x4f7fffff,
  0x4b000000,
  0x4b000001,
  0x4affffff,
  0xcaffffff,
  0x4b7fffff,
  0x5f000000,
  0xdf000000,
  0x46fffe00,
  0x477fff00,
  0xc7000000,
  0x501502f9,
];

const F64_BITS: [number, number][] = [
  [0, 0],
  [0, 0x80000000],
  [0, 0x3ff00000],
  [0, 0xbff00000],
  [0, 0x3fe00000],
  [0, 0xbfe00000],
  [0, 0x3ff80000],
  [0, 0xbff80000],
  [0, 0x40040000],
  [0, 0xc0040000],
  [0xffffffff, 0x3fdfffff],
  [0, 0x7ff00000],
  [0, 0xfff00000],
  [0, 0x7ff80000],
  [0, 0xfff80000],
  [1, 0x7ff80000],
  [0, 0x7ffc0000],
  [0x55555555, 0xfffd5555],
  [1, 0x7ff00000],
  [0, 0x7ff40000],
  [1, 0xfff00000],
  [1, 0],
  [1, 0x80000000],
  [0xffffffff, 0x000fffff],
  [0, 0x00100000],
  [0xffffffff, 0x7fefffff],
  [0xffffffff, 0xffefffff],
  [0, 0x41e00000],
  [0xffc00000, 0x41dfffff],
  [0, 0xc1e00000],
  [0x00200000, 0xc1e00000],
  [0x00100000, 0xc1e00000],
  [0, 0x41f00000],
  [0xffe00000, 0x41efffff],
  [0xfff00000, 0x41efffff],
  [0, 0x43300000],
  [0xffffffff, 0x432fffff],
  [1, 0x43300000],
  [0xffffffff, 0x4337ffff],
  [0xe0000000, 0x47efffff],
  [0xf0000000, 0x47efffff],
  [0x10000000, 0x47efffff],
  [0, 0x36a00000],
  [0, 0x36980000],
  [0, 0x36900000],
  [0x20000000, 0x3ff00000],
  [0x10000000, 0x3ff00000],
  [0x30000000, 0x3ff00000],
];

const I32_EDGE = [0, 1, -1, 2, 0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff, 0x8000, 0x7fff];
const I16_EDGE = [0, 1, -1, 0x7fff, -0x8000, 0x7ffe, -0x7fff, 0x4000, 0xff, 0x80, 0x7f, -0x80];
const I8_EDGE = [0, 1, -1, 0x7f, -0x80, 0x7e, -0x7f, 0x40, 15, 16, 31, 32];

/**
 * Fills the 16 bytes at `at` in `u8` with a test vector: random bits, or
 * lanes of one width (1, 2, 4 or 8 bytes) each drawn from that width's edge
 * cases (float and integer alike) or at random.
 */
export function fillVector(rng: Rng, u8: Uint8Array, at: number): void {
  const dv = new DataView(u8.buffer, u8.byteOffset + at, 16);
  const kind = rng.below(6);
  if (kind === 0) {
    for (let i = 0; i < 16; i += 4) dv.setUint32(i, rng.u32(), true);
    return;
  }
  const width = [1, 2, 4, 4, 8][kind - 1];
  for (let i = 0; i < 16; i += width) {
    const pick = rng.below(4);
    if (width === 1) {
      dv.setInt8(i, pick < 2 ? I8_EDGE[rng.below(I8_EDGE.length)] : rng.u32());
    } else if (width === 2) {
      dv.setInt16(i, pick < 2 ? I16_EDGE[rng.below(I16_EDGE.length)] : rng.u32(), true);
    } else if (width === 4) {
      const v = pick === 0
        ? I32_EDGE[rng.below(I32_EDGE.length)]
        : pick < 3
        ? F32_BITS[rng.below(F32_BITS.length)]
        : rng.u32();
      dv.setUint32(i, v >>> 0, true);
    } else if (pick < 2) {
      const [lo, hi] = F64_BITS[rng.below(F64_BITS.length)];
      dv.setUint32(i, lo, true);
      dv.setUint32(i + 4, hi, true);
    } else if (pick === 2) {
      const x = I32_EDGE[rng.below(I32_EDGE.length)];
      dv.setInt32(i, x, true);
      dv.setInt32(i + 4, rng.below(2) ? x >> 31 : x, true);
    } else {
      dv.setUint32(i, rng.u32(), true);
      dv.setUint32(i + 4, rng.u32(), true);
    }
  }
}
