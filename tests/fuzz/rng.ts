/**
 * The fuzzers' seeded PRNG: the project's xorshift32 (the SIMD tests' one),
 * with scrambled seeds and the helpers fuzzers need. The same on every host,
 * so a seed printed by a failing run reproduces anywhere.
 *
 * @module
 */
import { Rng as Xorshift32 } from "../../src/simd/_edge_values.ts";

/** A seeded pseudo-random number generator. */
export class Rng {
  #x: Xorshift32;

  /** Starts the sequence for `seed` (any integer; mixed so nearby seeds differ). */
  constructor(seed: number) {
    // splitmix-style scrambling: seeds 1, 2, 3… start far apart.
    let z = (seed + 0x9e3779b9) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.#x = new Xorshift32(z ^ (z >>> 16));
  }

  /** The next 32 random bits, as an unsigned number. */
  next(): number {
    return this.#x.u32();
  }

  /** A number in `0 … n-1`. */
  int(n: number): number {
    return this.next() % n;
  }

  /** True with probability `1/n`. */
  oneIn(n: number): boolean {
    return this.int(n) === 0;
  }

  /** One element of `xs`. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.next();
      for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = v >>> (8 * k);
    }
    return out;
  }
}
