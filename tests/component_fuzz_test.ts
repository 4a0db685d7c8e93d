/**
 * Fuzzing of the component model (`_component_fuzz.ts`), deterministic
 * (seeded):
 *
 * - 10,000 mutants (byte flips, insertions, deletions, truncations,
 *   duplicated runs) of valid components — every text component of the
 *   in-scope component-model scripts and the smaller components of
 *   `../shared/components` — decoded and validated: accepted or rejected
 *   with a `CompileError`, never another exception, never a hang;
 * - 2,000 cases instantiated and called: a mutant (or, one in five, the
 *   valid component) compiled, instantiated with generated host imports in
 *   a store with fuel, and its exports called with random arguments;
 * - 2,000 canonical-ABI cases: random types, random memory and flat values
 *   lifted, what lifts stored and loaded back unchanged, wrong values lowered.
 *
 * Only CompileError, LinkError, RuntimeError, value-check TypeErrors and
 * `result` errors may come out. `GANNET_FUZZ_CASES` scales every count
 * (10,000 = the counts above).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { CompileError } from "../src/errors.ts";
import { decodeComponent } from "../src/component/binary/decode.ts";
import { validateComponent } from "../src/component/validate/validate.ts";
import { Rng } from "../src/component/abi/_random.ts";
import {
  componentInput,
  componentSeeds,
  type FuzzOutcome,
  mutate,
  runAbiCase,
  runComponentCase,
} from "./_component_fuzz.ts";

const SCALE = Number(process.env.GANNET_FUZZ_CASES ?? 10_000) / 10_000;
const DECODE_CASES = Math.round(10_000 * SCALE);
const RUN_CASES = Math.round(2_000 * SCALE);
const ABI_CASES = Math.round(2_000 * SCALE);

/** Runs `n` cases from seed `first`; returns the findings (at most 10) and the tag counts. */
function runCases(n: number, first: number, run: (seed: number) => FuzzOutcome) {
  const findings: string[] = [];
  const tags: Record<string, number> = {};
  for (let seed = first; seed < first + n; seed++) {
    const o = run(seed);
    for (const t of o.tags ?? []) tags[t] = (tags[t] ?? 0) + 1;
    if (o.status === "fail" && findings.length < 10) findings.push(`seed ${seed}: ${o.detail}`);
  }
  return { findings, tags };
}

describe("component model under fuzzing", () => {
  const seeds = componentSeeds();
  it(
    `${DECODE_CASES} mutants: decoded and validated, or rejected with a CompileError only`,
    { timeout: 300_000 },
    () => {
      if (seeds.length === 0) return;
      const r = new Rng(0x5eed_c0de);
      const problems: string[] = [];
      let rejected = 0;
      for (let i = 0; i < DECODE_CASES; i++) {
        const m = mutate(r.pick(seeds), r);
        try {
          validateComponent(decodeComponent(m));
        } catch (e) {
          if (e instanceof CompileError) rejected++;
          else if (problems.length < 10) problems.push(`case ${i}: ${e}`);
        }
      }
      assert.deepEqual(problems, []);
      assert.ok(rejected > DECODE_CASES / 2, `${rejected} rejected`);
    },
  );

  it(
    `${RUN_CASES} components instantiated and called: only the errors a bad component may cause`,
    { timeout: 600_000 },
    () => {
      if (seeds.length === 0) return;
      const { findings, tags } = runCases(
        RUN_CASES,
        1,
        (seed) => runComponentCase(componentInput(seeds, seed), seed),
      );
      assert.deepEqual(findings, []);
      assert.ok(
        (tags.called ?? 0) > RUN_CASES / 20,
        `too few cases reached a call: ${tags.called}`,
      );
    },
  );

  it(
    `${ABI_CASES} canonical-ABI cases: random lifted values trap or round-trip`,
    { timeout: 600_000 },
    () => {
      const { findings, tags } = runCases(ABI_CASES, 1, runAbiCase);
      assert.deepEqual(findings, []);
      assert.ok((tags.lifted ?? 0) > ABI_CASES / 5, `too few values lifted: ${tags.lifted}`);
    },
  );
});
