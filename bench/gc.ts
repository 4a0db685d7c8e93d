/**
 * GC kernels on Gannet against the host's native WasmGC (a benchmark, not
 * a test: the numbers depend on the machine and its load):
 *
 * - `alloc`: N short-lived two-field structs, each dropped at once (the
 *   host's collector must keep memory bounded: peak RSS is reported);
 * - `list`: a linked list of N structs built, then walked 10 times
 *   summing a field (`struct.new`, `struct.get`, `br_on_null`-free walks
 *   with `ref.is_null`);
 * - `sieve`: the sieve of Eratosthenes to N on an `(array (mut i8))`
 *   (`array.get_u`/`array.set` in a loop).
 *
 * Prints best-of-3 CPU ms for each side and the ratio. Run:
 * `deno task bench:gc [N]` (default 10,000,000 for `alloc`, N/10 for the
 * others), or `bun bench/gc.ts`.
 *
 * @module
 */
import process from "node:process";
import { Instance, Module, parseWat } from "../mod.ts";

const WAT = `(module
  (type $pair (struct (field (mut i32)) (field (mut i32))))
  (type $node (struct (field i32) (field (ref null $node))))
  (type $bytes (array (mut i8)))
  (func (export "alloc") (param $n i32) (result i32)
    (local $acc i32) (local $q (ref null $pair))
    (loop $l
      (local.set $q (struct.new $pair (local.get $n) (local.get $acc)))
      (local.set $acc (i32.add (struct.get $pair 0 (local.get $q)) (struct.get $pair 1 (local.get $q))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  (func (export "list") (param $n i32) (result i32)
    (local $head (ref null $node)) (local $p (ref null $node)) (local $sum i32) (local $k i32)
    (loop $build
      (local.set $head (struct.new $node (local.get $n) (local.get $head)))
      (br_if $build (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.set $k (i32.const 10))
    (loop $again
      (local.set $p (local.get $head))
      (block $done
        (loop $walk
          (br_if $done (ref.is_null (local.get $p)))
          (local.set $sum (i32.add (local.get $sum) (struct.get $node 0 (local.get $p))))
          (local.set $p (struct.get $node 1 (local.get $p)))
          (br $walk)))
      (br_if $again (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (local.get $sum))
  (func (export "sieve") (param $n i32) (result i32)
    (local $a (ref $bytes)) (local $i i32) (local $j i32) (local $count i32)
    (local.set $a (array.new_default $bytes (local.get $n)))
    (local.set $i (i32.const 2))
    (block $out
      (loop $outer
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (array.get_u $bytes (local.get $a) (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (local.set $j (i32.add (local.get $i) (local.get $i)))
            (block $done
              (loop $inner
                (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
                (array.set $bytes (local.get $a) (local.get $j) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $inner)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $count)))`;

type Fn = (n: number) => number;

/** Best CPU ms of 3 runs of `f(n)`, its result, and the peak RSS seen (MB). */
function measure(f: Fn, n: number): { ms: number; result: number; rssMb: number } {
  let best = Infinity, result = 0, rss = 0;
  for (let i = 0; i < 3; i++) {
    const t = process.cpuUsage();
    result = f(n);
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) / 1000);
    rss = Math.max(rss, process.memoryUsage().rss);
  }
  return { ms: best, result, rssMb: Math.round(rss / 2 ** 20) };
}

const n = Number(process.argv[2] ?? 10_000_000);
const bytes = parseWat(WAT);
const gannet = new Instance(new Module(bytes)).exports as Record<string, Fn>;
// deno-lint-ignore no-explicit-any
const native: any = (globalThis as { WebAssembly?: unknown }).WebAssembly;
const theirs = native === undefined
  ? null
  : new native.Instance(new native.Module(bytes)).exports as Record<string, Fn>;

console.log(`kernel       n          gannet ms  native ms  ratio   gannet peak RSS`);
for (const [name, size] of [["alloc", n], ["list", n / 10], ["sieve", n / 10]] as const) {
  const g = measure(gannet[name], size);
  const line = [name.padEnd(12), String(size).padEnd(10), g.ms.toFixed(0).padStart(9)];
  if (theirs !== null) {
    const t = measure(theirs[name], size);
    if (t.result !== g.result) throw new Error(`${name}: gannet ${g.result}, native ${t.result}`);
    line.push(t.ms.toFixed(0).padStart(10), (g.ms / t.ms).toFixed(1).padStart(6) + "x");
  } else line.push("—".padStart(10), "".padStart(7));
  line.push(`${g.rssMb} MB`.padStart(10));
  console.log(line.join("  "));
}
