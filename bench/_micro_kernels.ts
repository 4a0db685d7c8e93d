/**
 * The micro-benchmark kernels: small WAT functions `run(n)` that each stress
 * one part of the interpreter (dispatch, calls, memory access, i64
 * arithmetic) and return a checksum, so both engines' results can be
 * compared.
 *
 * @module
 */

/** One micro-benchmark kernel. */
export interface MicroKernel {
  /** Name used by `--only` and in the table. */
  name: string;
  /** What one unit of `n` is (the table reports time per unit). */
  unit: string;
  /** The module: exports `run(n: i32)`. */
  wat: string;
  /** `n` for Gannet. */
  n: number;
  /** `n` for the native run (more work: it is that much faster). */
  nativeN: number;
  /** How many units `run(n)` performs (fib: calls, not `n`). */
  units(n: number): number;
}

/** fib(n) makes 2·fib(n+1) − 1 calls. */
function fibCalls(n: number): number {
  let a = 0, b = 1;
  for (let i = 0; i < n + 1; i++) [a, b] = [b, a + b];
  return 2 * a - 1;
}

/** The kernels. */
export const MICRO_KERNELS: readonly MicroKernel[] = [
  {
    name: "dispatch",
    unit: "loop iteration (11 instructions)",
    n: 3_000_000,
    nativeN: 100_000_000,
    units: (n) => n,
    wat: `(module
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.xor (local.get $acc) (local.get $i)) (i32.const 40503)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))`,
  },
  {
    name: "calls",
    unit: "call (recursive fib)",
    n: 25,
    nativeN: 30,
    units: fibCalls,
    wat: `(module
  (func $fib (export "run") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`,
  },
  {
    name: "memory",
    unit: "iteration (2 loads, 1 store)",
    n: 2_000_000,
    nativeN: 60_000_000,
    units: (n) => n,
    wat: `(module
  (memory 1)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $a i32) (local $s i32)
    (loop $l
      (local.set $a (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 65532)))
      (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (local.get $i)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u offset=1 (local.get $a))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s)))`,
  },
  {
    name: "i64",
    unit: "iteration (xorshift64*, mul, div_u, rotl)",
    n: 1_000_000,
    nativeN: 30_000_000,
    units: (n) => n,
    wat: `(module
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i64) (local $acc i64)
    (local.set $x (i64.const 0x9E3779B97F4A7C15))
    (loop $l
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 12))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 25))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 27))))
      (local.set $acc (i64.add (local.get $acc)
        (i64.mul (local.get $x) (i64.const 0x2545F4914F6CDD1D))))
      (local.set $acc (i64.add (i64.rotl (local.get $acc) (i64.const 7))
        (i64.div_u (local.get $x) (i64.const 1000003))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))`,
  },
];
