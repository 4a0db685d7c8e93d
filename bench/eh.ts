/**
 * What exception handling costs (a benchmark, not a test: the numbers
 * depend on the machine and its load):
 *
 * - a handler that never catches: a loop of calls, each inside its own
 *   `try_table (catch_all)` (or legacy `try … catch_all`), against the same
 *   loop without one. Gannet's try blocks emit no code, so the ratio should
 *   be 1 within noise;
 * - throwing: a loop whose callee throws and the caller catches, per
 *   iteration, against the plain loop (the cost of one throw and catch);
 *
 * on Gannet with the JIT off and `auto`, and on the host's native wasm.
 *
 * Run: `deno run -A bench/eh.ts` (or `bun bench/eh.ts`).
 *
 * @module
 */
import { Instance, Module, parseWat, Store } from "../mod.ts";

const N = 3_000_000, THROWS = 100_000;

const WAT = `(module
  (tag $e (param i32))
  (func $f (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $g (param i32) (result i32)
    (if (i32.eqz (i32.and (local.get 0) (i32.const 0))) (then (throw $e (local.get 0))))
    (local.get 0))
  (func (export "plain") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (call $f (local.get $s)))
      (br_if $l (i32.ne (local.get $s) (local.get $n))))
    (local.get $s))
  (func (export "handler") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (block $h
        (try_table (catch_all $h) (local.set $s (call $f (local.get $s)))))
      (br_if $l (i32.ne (local.get $s) (local.get $n))))
    (local.get $s))
  (func (export "throwing") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (block $h (result i32)
        (try_table (result i32) (catch $e $h) (drop (call $g (local.get $s))) (i32.const 0)))
      (drop)
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br_if $l (i32.ne (local.get $s) (local.get $n))))
    (local.get $s))
)`;

// V8 rejects a module that mixes the legacy instructions with try_table.
const WAT_LEGACY = `(module
  (func $f (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "legacy") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (try (do (local.set $s (call $f (local.get $s)))) (catch_all))
      (br_if $l (i32.ne (local.get $s) (local.get $n))))
    (local.get $s))
)`;

type Fn = (n: number) => number;

function instantiate(ns: "native" | "off" | "auto", wat: string): Record<string, Fn> {
  const bytes = parseWat(wat);
  if (ns === "native") {
    const WA = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly!;
    return new WA.Instance(new WA.Module(bytes as Uint8Array<ArrayBuffer>))
      .exports as unknown as Record<
        string,
        Fn
      >;
  }
  const store = new Store({ jit: ns });
  return new Instance(new Module(bytes), {}, { store }).exports as Record<string, Fn>;
}

function exportsOf(ns: "native" | "off" | "auto"): Record<string, Fn> {
  return { ...instantiate(ns, WAT), ...instantiate(ns, WAT_LEGACY) };
}

/** Best of 5 runs, in ms. */
function best(f: Fn, n: number): number {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    if (f(n) !== n) throw new Error("wrong result");
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const rows: string[] = [];
for (const ns of ["off", "auto", "native"] as const) {
  const x = exportsOf(ns);
  const plain = best(x.plain, N), handler = best(x.handler, N), legacy = best(x.legacy, N);
  const plainT = best(x.plain, THROWS), throwing = best(x.throwing, THROWS);
  rows.push(
    `${ns.padEnd(6)} plain ${plain.toFixed(1)} ms, try_table ${handler.toFixed(1)} ms ` +
      `(×${(handler / plain).toFixed(2)}), legacy try ${legacy.toFixed(1)} ms ` +
      `(×${(legacy / plain).toFixed(2)}); throw+catch ` +
      `${(((throwing - plainT) / THROWS) * 1000).toFixed(2)} µs each`,
  );
}
console.log(`calls: ${N} (handler) / ${THROWS} (throwing)`);
for (const r of rows) console.log(r);
