/**
 * Every divergence the wasm fuzzer found, kept: each regression module runs
 * on Gannet and its trace must match the native engine's, as recorded when
 * the bug was fixed (and, on a host with native wasm running the same bytes,
 * as the native engine produces it now).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compareTraces } from "./compare.ts";
import { gannetApi, nativeApi, storeTakesJit } from "./engines.ts";
import { runModule, type Trace } from "./execute.ts";
import { loadRegressions, memoryDigest } from "./regressions.ts";

const regressions = loadRegressions();

/** Gannet's trace against a recorded one (memories compared by digest). */
function againstRecord(g: Trace, expected: { engine: string; lines: string[] }) {
  return compareTraces({ ...g, memories: {} }, { ...expected, memories: {} });
}

// Every tier the build has (the JIT's eager mode once `Store` takes `jit`).
const tiers: (string | undefined)[] = storeTakesJit() ? [undefined, "eager"] : [undefined];

describe("wasm fuzzer regressions", () => {
  it("there is at least one", () => assert.ok(regressions.length > 0));
  for (const r of regressions) {
    for (const jit of tiers) {
      it(jit === undefined ? r.name : `${r.name} (jit=${jit})`, () => {
        const g = runModule(gannetApi(jit), r.module, false);
        const { divergence } = againstRecord(g, r.expected);
        assert.equal(divergence, null, `${r.description}\n${divergence?.detail}`);
        const digests = Object.fromEntries(
          Object.entries(g.memories).map(([k, v]) => [k, memoryDigest(v)]),
        );
        assert.deepEqual(digests, r.expected.memories);
        const native = nativeApi();
        if (native !== null && r.nativeSame && native.name === r.expected.engine) {
          const live = compareTraces(g, runModule(native, r.module, false));
          assert.equal(live.divergence, null, live.divergence?.detail);
        }
      });
    }
  }
});
