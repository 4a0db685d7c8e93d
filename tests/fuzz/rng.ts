/**
 * The fuzzers' one seeded PRNG (xorshift32): small, fast, and the same on
 * every host, so a seed printed by a failing run reproduces anywhere.
 *
 * @module
 */

/** A seeded pseudo-random number generator. */
export class Rng {
  #s: number;

  /** Starts the sequence for `seed` (any integer; mixed so nearby seeds differ). */
  constructor(seed: number) {
    // splitmix-style scrambling: seeds 1, 2, 3… start far apart.
    let z = (seed + 0x9e3779b9) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.#s = (z ^ (z >>> 16)) | 0 || 1;
  }

  /** The next 32 random bits, as an unsigned number. */
  next(): number {
    let x = this.#s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#s = x;
    return x >>> 0;
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
