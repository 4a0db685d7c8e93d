/**
 * Hostile guests against a Store's controls, on whatever host runs this
 * (Deno, Bun, `deno --v8-flags=--jitless`; `--jit=off|auto|eager`): prints
 * one JSON line per guest with how it was stopped and whether the instance
 * still answers afterwards.
 * `tests/controls_hosts_test.ts` runs it under the three hosts.
 *
 * @module
 */
import process from "node:process";
import { Instance, Module, parseWat, RuntimeError, Store } from "../mod.ts";
import { setDefaultJit } from "../src/jit/tier.ts";

// `--jit=off|auto|eager`: the tier every store below runs in (default: auto).
const jit = process.argv.find((a) => a.startsWith("--jit="))?.slice(6);
if (jit === "off" || jit === "auto" || jit === "eager") setDefaultJit(jit);

type Fn = (...a: unknown[]) => unknown;

/** Every guest also exports `ok`, called after the stop. */
const GUESTS: Record<string, string> = {
  loop: `(func (export "run") (loop $l (br $l)))`,
  recursion: `(func $f (export "run") (call $f))`,
  reentry: `(import "h" "back" (func $back)) (func (export "run") (call $back))`,
  memoryBomb: `(memory 1) (func (export "run") (result i32)
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 16)) (i32.const -1)))) (memory.size))`,
  tableBomb: `(table 0 funcref) (func (export "run") (result i32)
    (loop $l (br_if $l (i32.ne (table.grow (ref.null func) (i32.const 1000)) (i32.const -1))))
    (table.size))`,
};

function instance(guest: string, store: Store, back: () => void = () => {}): Record<string, Fn> {
  const wat = `(module ${GUESTS[guest]} (func (export "ok") (result i32) (i32.const 42)))`;
  return new Instance(new Module(parseWat(wat)), { h: { back } }, { store })
    .exports as Record<string, Fn>;
}

/** Runs `run`, returns how it ended and what `ok` says afterwards. */
function attempt(e: Record<string, Fn>, extra: Record<string, unknown> = {}): object {
  let outcome: string;
  const t = performance.now();
  try {
    outcome = `returned ${e.run()}`;
  } catch (err) {
    outcome = `${err instanceof RuntimeError ? "RuntimeError" : (err as Error).name}: ${
      (err as Error).message
    }`;
  }
  return { outcome, after: e.ok(), ms: Math.round(performance.now() - t), ...extra };
}

const results: Record<string, object> = {};
results.loopFuel = attempt(instance("loop", new Store({ fuel: 1_000_000 })));
results.loopDeadline = attempt(instance("loop", new Store({ timeout: 100 })));
{
  const store = new Store();
  const e = instance("loop", store);
  const worker = new Worker(new URL("../src/api/_interrupt_worker.ts", import.meta.url), {
    type: "module",
  });
  await new Promise<void>((resolve) => {
    worker.onmessage = () => resolve();
    worker.postMessage({ buffer: store.interruptBuffer, afterMs: 100 });
  });
  results.loopInterruptFromWorker = attempt(e);
  worker.terminate();
}
results.recursion = attempt(instance("recursion", new Store()));
{
  let e: Record<string, Fn> = {};
  e = instance("reentry", new Store(), () => e.run());
  results.reentry = attempt(e);
}
results.memoryBomb = attempt(
  instance("memoryBomb", new Store({ limits: { memoryBytes: 8 * 1024 * 1024 } })),
);
results.tableBomb = attempt(
  instance("tableBomb", new Store({ limits: { tableElements: 100_000 } })),
);
console.log(JSON.stringify(results));
