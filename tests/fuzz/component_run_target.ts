/**
 * The component-run target: a component (one of the component target's
 * seeds, mutated four times in five) compiled, instantiated with generated
 * host imports in a store with fuel, a deadline and limits, and its exports
 * called with random arguments (`tests/_component_fuzz.ts`, shared with
 * `tests/component_fuzz_test.ts`). Only the errors a bad component or a bad
 * value may cause come out — CompileError, LinkError, traps, value-check
 * TypeErrors, `result` errors, the store's limit refusal — never an engine
 * exception, never a hang.
 *
 * @module
 */
import { componentInput, componentSeeds, runComponentCase } from "../_component_fuzz.ts";
import { target as componentTarget } from "./component_target.ts";
import type { CaseOutcome, FuzzTarget } from "./target.ts";

let seeds: Uint8Array[] = [];

/** The target. */
export const target: FuzzTarget = {
  name: "component-run",
  summary: "components instantiated and called with random arguments: only expected errors",
  init(): Promise<string> {
    seeds = componentSeeds();
    if (seeds.length === 0) throw new Error("no component seeds (component-model corpus missing)");
    return Promise.resolve(`${seeds.length} seed components`);
  },
  runSeed(seed: number): Promise<CaseOutcome> {
    return Promise.resolve(runComponentCase(componentInput(seeds, seed), seed));
  },
  // A saved input runs with seed 0's host answers and arguments.
  runInput: (input: Uint8Array) => Promise.resolve(runComponentCase(input, 0)),
  shrink: componentTarget.shrink,
};
