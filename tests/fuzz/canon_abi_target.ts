/**
 * The canonical-ABI target: per seed a random value type (nested up to 3
 * deep); random memory lifted as its value through a lifted function, what
 * lifts stored and loaded back unchanged; random flat values lifted as a
 * lowered import's argument; random JS values of another type lowered as
 * this one (`runAbiCase` in `tests/_component_fuzz.ts`). Only value-check
 * errors and traps may come out. Not differential: jco is compared with in
 * `tests/canonical_abi_differential_test.ts`.
 *
 * @module
 */
import { runAbiCase } from "../_component_fuzz.ts";
import type { CaseOutcome, FuzzTarget } from "./target.ts";

/** The target. */
export const target: FuzzTarget = {
  name: "canon-abi",
  summary: "random component types and values lifted, stored, loaded and lowered",
  init(): Promise<string> {
    return Promise.resolve("random types up to 3 deep (flags up to 32 labels)");
  },
  runSeed: (seed: number): Promise<CaseOutcome> => Promise.resolve(runAbiCase(seed)),
};
