/**
 * What the embedder controls cost and how quickly they act (a benchmark,
 * not a test: the numbers depend on the machine and its load):
 *
 * - stop latency: how long after its deadline a spinning guest stops, for
 *   `loop br 0` and for loops whose bodies hold 50–5,000 instructions;
 *   and after a Worker requests an interrupt;
 * - fuel on: CPU time of call- and branch-heavy kernels in a store with
 *   fuel (a budget that never runs out) against a store without;
 *
 * each with the JIT off (the interpreter alone) and on (`auto`, the default).
 *
 * Run: `deno task bench:controls` (or `bun bench/controls.ts`).
 *
 * @module
 */
import process from "node:process";
import { Instance, Module, parseWat, Store } from "../mod.ts";

type Fn = (...a: number[]) => number;

/** The JIT modes measured: the interpreter alone, and tiering up (the default). */
const JITS = ["off", "auto"] as const;
type Jit = typeof JITS[number];

function spinner(body: number, store: Store): () => void {
  const ops = Array.from(
    { length: body },
    (_, i) => `(local.set 0 (i32.add (local.get 0) (i32.const ${i})))`,
  ).join(" ");
  const wat = `(module (func (export "spin") (local i32) (loop $l ${ops} (br $l))))`;
  return new Instance(new Module(parseWat(wat)), {}, { store }).exports.spin as () => void;
}

/** Milliseconds between the stop request and the trap, over `runs` runs (sorted). */
function overshoots(body: number, runs: number, jit: Jit): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const spin = spinner(body, new Store({ timeout: 50, jit }));
    const t = performance.now();
    try {
      spin();
    } catch { /* deadline exceeded */ }
    out.push(performance.now() - t - 50);
  }
  return out.sort((a, b) => a - b);
}

async function workerLatency(runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const store = new Store();
    const spin = spinner(0, store);
    const worker = new Worker(new URL("./_interrupt_at.ts", import.meta.url), { type: "module" });
    await new Promise<void>((resolve) => {
      worker.onmessage = () => resolve();
      worker.postMessage({ buffer: store.interruptBuffer, afterMs: 50 });
    });
    try {
      spin();
    } catch { /* interrupt */ }
    const stopped = performance.timeOrigin + performance.now();
    const requested = await new Promise<number>((resolve) => {
      worker.onmessage = (e) => resolve(e.data as number);
    });
    worker.terminate();
    out.push(stopped - requested);
  }
  return out.sort((a, b) => a - b);
}

const FIB = `(module (func $fib (export "run") (param i32) (result i32)
  (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
    (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                   (call $fib (i32.sub (local.get 0) (i32.const 2))))))))`;
const LOOP = `(module (func (export "run") (param i32) (result i32) (local i32)
  (loop $l (local.set 1 (i32.add (local.get 1) (i32.const 3)))
    (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))) (local.get 1)))`;

/** Best CPU ms of `runs` calls of `f(n)`. */
function cpu(f: Fn, n: number, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    f(n);
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) / 1000);
  }
  return best;
}

const fmt = (xs: number[]) =>
  `median ${xs[xs.length >> 1].toFixed(1)} ms, p90 ${
    xs[Math.floor(xs.length * 0.9)].toFixed(1)
  } ms, max ${xs[xs.length - 1].toFixed(1)} ms, ${
    xs.filter((x) => x <= 10).length
  }/${xs.length} ≤ 10 ms`;

const RUNS = 15;
console.log(`deadline overshoot (timeout 50 ms, ${RUNS} runs each):`);
for (const jit of JITS) {
  for (const body of [0, 50, 500, 5000]) {
    console.log(
      `  jit ${jit.padEnd(4)} loop body of ${String(body).padStart(4)} instructions: ${
        fmt(overshoots(body, RUNS, jit))
      }`,
    );
  }
}
console.log(`interrupt from a Worker, request to stop (5 runs): ${fmt(await workerLatency(5))}`);
console.log("fuel on (a never-ending budget) vs no store, best CPU time of 7 runs:");
for (const jit of JITS) {
  for (const [name, wat, n] of [["fib(27)", FIB, 27], ["loop 1e7", LOOP, 1e7]] as const) {
    const module = new Module(parseWat(wat));
    const plain = new Instance(module, {}, { store: new Store({ jit }) }).exports.run as Fn;
    const fueled = new Instance(module, {}, { store: new Store({ fuel: 1e15, jit }) }).exports
      .run as Fn;
    cpu(plain, n, 2);
    cpu(fueled, n, 2);
    const [a, b] = [cpu(plain, n, 7), cpu(fueled, n, 7)];
    console.log(
      `  jit ${jit.padEnd(4)} ${name.padEnd(9)} off ${a.toFixed(1)} ms, fuel ${b.toFixed(1)} ms: ${
        (b / a).toFixed(3)
      }×`,
    );
  }
}
