/**
 * The component target: valid components (every text component of the
 * in-scope component-model scripts, the smaller components of
 * `../shared/components`) mutated like the `decode` target's modules. `new
 * Component(bytes)` — decoding, validation, and compiling the core modules
 * inside — must succeed or throw a `CompileError`: never another exception,
 * never a hang. The canonical ABI has its own differential test against jco
 * (`tests/canonical_abi_differential_test.ts`); a target that generates
 * random types and values for it is the next step (TIERS.md).
 *
 * @module
 */
import { Component } from "../../src/component/mod.ts";
import { CompileError } from "../../src/errors.ts";
import { componentSeeds } from "../_component_suite.ts";
import { mutateBinary } from "./decode_target.ts";
import { Rng } from "./rng.ts";
import type { CaseOutcome, FuzzTarget } from "./target.ts";

let seeds: Uint8Array[] = [];

function check(bytes: Uint8Array): CaseOutcome {
  try {
    new Component(bytes);
    return { status: "pass", tags: ["accepted"] };
  } catch (e) {
    if (e instanceof CompileError) return { status: "pass", tags: ["rejected"] };
    return {
      status: "fail",
      detail: `new Component threw ${(e as Error)?.stack ?? e}`,
      input: bytes,
      signature: `${(e as Error)?.constructor?.name}: ${String((e as Error)?.message ?? e)}`
        .replace(/\d+/g, "N").slice(0, 80),
    };
  }
}

/** The target. */
export const target: FuzzTarget = {
  name: "component",
  summary: "mutated components: Component accepts or throws CompileError, nothing else",
  init(): Promise<string> {
    seeds = componentSeeds((bytes) => {
      new Component(bytes);
      return true;
    });
    if (seeds.length === 0) throw new Error("no component seeds (component-model corpus missing)");
    return Promise.resolve(`${seeds.length} seed components`);
  },
  runSeed(seed: number): Promise<CaseOutcome> {
    const rng = new Rng(seed);
    return Promise.resolve(check(mutateBinary(rng.pick(seeds), rng)));
  },
  runInput: (input: Uint8Array) => Promise.resolve(check(input)),
  async *shrink(input: Uint8Array): AsyncGenerator<Uint8Array> {
    for (let size = input.length >> 1; size >= 1; size >>= 1) {
      for (let at = 8; at < input.length; at += size) {
        yield Uint8Array.of(...input.subarray(0, at), ...input.subarray(at + size));
      }
    }
  },
};
