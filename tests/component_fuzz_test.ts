/**
 * Mutation fuzzing of the component decoder and validator: 10,000 mutants
 * (byte flips, insertions, deletions, truncations, duplicated runs) of
 * valid components — every text component of the in-scope component-model
 * scripts and the smaller components of `../shared/components` — must each
 * be accepted or rejected with a `CompileError`: never another exception,
 * never a hang. Deterministic (seeded); `GANNET_FUZZ_CASES` changes the
 * count.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { componentSeeds } from "./_component_suite.ts";
import { CompileError } from "../src/errors.ts";
import { decodeComponent } from "../src/component/binary/decode.ts";
import { validateComponent } from "../src/component/validate/validate.ts";

const CASES = Number(process.env.GANNET_FUZZ_CASES ?? 10_000);

/** xorshift32: a small deterministic generator. */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function mutate(b: Uint8Array, r: (n: number) => number): Uint8Array {
  const a = [...b];
  const edits = 1 + r(4);
  for (let k = 0; k < edits; k++) {
    const at = 8 + r(Math.max(1, a.length - 8));
    switch (r(6)) {
      case 0:
        a[at] = r(256);
        break;
      case 1:
        a[at] ^= 1 << r(8);
        break;
      case 2:
        a.splice(at, 0, r(256));
        break;
      case 3:
        a.splice(at, 1 + r(4));
        break;
      case 4:
        a.length = Math.max(8, at);
        break;
      default: {
        const len = 1 + r(16);
        a.splice(at, 0, ...a.slice(at, at + len));
      }
    }
  }
  return Uint8Array.from(a);
}

function seeds(): Uint8Array[] {
  return componentSeeds((bytes) => {
    validateComponent(decodeComponent(bytes));
    return true;
  });
}

describe("component decoder and validator under mutation", () => {
  it(
    `${CASES} mutants: accepted or rejected with a CompileError only`,
    { timeout: 300_000 },
    () => {
      const pool = seeds();
      if (pool.length === 0) return;
      const r = rng(0x5eed_c0de);
      const problems: string[] = [];
      let rejected = 0;
      for (let i = 0; i < CASES; i++) {
        const seed = r(pool.length);
        const m = mutate(pool[seed], r);
        try {
          validateComponent(decodeComponent(m));
        } catch (e) {
          if (e instanceof CompileError) rejected++;
          else if (problems.length < 10) problems.push(`case ${i} (seed ${seed}): ${e}`);
        }
      }
      assert.deepEqual(problems, []);
      assert.ok(rejected > CASES / 2, `${rejected} rejected`);
    },
  );
});
