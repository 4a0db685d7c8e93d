/**
 * The canonical ABI against jco: components generated for random value
 * types (every kind, nested) pass random values both ways — the host's
 * value is lowered into the guest and lifted for the host's import, whose
 * result is lowered and lifted back (`_abi_component.ts`). On Gannet the
 * import must receive exactly the value sent and the export return exactly
 * what the import returned; jco-transpiled glue on native wasm must record
 * the identical transcript.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomType, randomValue, Rng } from "../src/component/abi/_random.ts";
import { instantiateComponent } from "../src/component/component.ts";
import type { ValType } from "../src/component/types.ts";
import { abiComponent } from "./_abi_component.ts";
import { hasNativeWasm, type Log, norm } from "./_component_transcript.ts";
import { jcoInstantiate } from "./_jco.ts";

const ROUNDS = 4;
const TYPES_PER_COMPONENT = 24;
const CALLS_PER_TYPE = 6;

/** Imports whose function i answers with a fresh random value of types[i], recording what it got. */
function hostFor(types: ValType[], seed: number, log: Log) {
  const fns: Record<string, unknown> = {};
  types.forEach((t, i) => {
    const r = new Rng(seed * 1000 + i); // per function, so skipping one leaves the others alone
    fns[`f${i}`] = (a: unknown) => {
      const answer = randomValue(r, t);
      log.push([`host f${i}`, norm(a), norm(answer)]);
      return answer;
    };
  });
  return { "test:abi/host": fns, "test:abi/types": {} };
}

/**
 * jco's glue mistakes a host's `{ tag, val }` for the inner result when a
 * `result`'s ok type is itself a `result` (see the results component in
 * component_runtime_test.ts): such types are checked on Gannet only.
 */
function jcoNestedResultBug(t: ValType): boolean {
  switch (t.kind) {
    case "result":
      return t.ok?.kind === "result" ||
        [t.ok, t.error].some((u) => u !== null && jcoNestedResultBug(u));
    case "list":
      return jcoNestedResultBug(t.element);
    case "option":
      return jcoNestedResultBug(t.type);
    case "tuple":
      return t.types.some(jcoNestedResultBug);
    case "record":
      return t.fields.some((f) => jcoNestedResultBug(f.type));
    case "variant":
      return t.cases.some((c) => c.type !== null && jcoNestedResultBug(c.type));
    default:
      return false;
  }
}

/** Calls every export with random values (but `skip`ped ones); checks the round trip on Gannet. */
function drive(
  exports: Record<string, unknown>,
  types: ValType[],
  seed: number,
  log: Log,
  check: boolean,
  skip: (t: ValType) => boolean = () => false,
) {
  const guest = exports["test:abi/guest"] as Record<string, (a: unknown) => unknown>;
  const r = new Rng(seed);
  types.forEach((t, i) => {
    for (let k = 0; k < CALLS_PER_TYPE; k++) {
      const v = randomValue(r, t);
      if (skip(t)) continue;
      const before = log.length;
      const got = t.kind === "result" ? asResult(() => guest[`f${i}`](v)) : guest[`f${i}`](v);
      log.push([`f${i}`, norm(v), norm(got)]);
      if (check) {
        const [, received, answered] = log[before] as unknown[];
        assert.deepStrictEqual(received, norm(v), `f${i}: the import got what was sent`);
        assert.deepStrictEqual(
          norm(got),
          answered,
          `f${i}: the export returned the import's answer`,
        );
      }
    }
  });
}

/**
 * A `result`-returning export as the `{ tag, val }` it returned or threw
 * (a ComponentError's payload; jco-transpile throws the payload itself).
 */
function asResult(f: () => unknown): unknown {
  try {
    return { tag: "ok", val: f() };
  } catch (e) {
    if (e !== null && typeof e === "object" && Object.hasOwn(e, "payload")) {
      return { tag: "err", val: (e as { payload: unknown }).payload };
    }
    if (e instanceof Error) throw e;
    return { tag: "err", val: e };
  }
}

for (let round = 0; round < ROUNDS; round++) {
  test(`canonical ABI round trips of random types (round ${round}) on Gannet, as on jco`, {
    timeout: 120_000,
  }, async () => {
    const r = new Rng(1000 + round);
    const types = Array.from({ length: TYPES_PER_COMPONENT }, () => randomType(r, 3, 32));
    const bytes = await abiComponent(types);
    const mine: Log = [];
    drive(await instantiateComponent(bytes, hostFor(types, round, mine)), types, round, mine, true);
    if (!hasNativeWasm()) return; // jitless: Gannet alone (jco's glue needs native wasm)
    const theirs: Log = [];
    const jco = await jcoInstantiate(bytes, hostFor(types, round, theirs) as never);
    drive(jco, types, round, theirs, false, jcoNestedResultBug);
    const buggy = new Set(
      types.flatMap((u, i) => jcoNestedResultBug(u) ? [`f${i}`, `host f${i}`] : []),
    );
    const compared = mine.filter((e) => !buggy.has((e as string[])[0]));
    assert.equal(compared.length, theirs.length);
    for (let i = 0; i < compared.length; i++) {
      assert.deepStrictEqual(compared[i], theirs[i], `transcript entry ${i}`);
    }
  });
}
