/**
 * Differential test of GC execution: random programs over structs (with
 * packed, i64, f64 and self-referencing fields, a subtype), arrays of every
 * element kind, i31 references, casts and `br_on_cast`/`br_on_cast_fail`,
 * `ref.eq`, the bulk array operations, and functions of a subtype called
 * through `call_indirect` of their supertype run on Gannet (interpreted and
 * compiled) and on the host's native WasmGC; the results
 * (a checksum, or a trap) must agree. Skipped where the host has no native
 * WebAssembly with GC (trap messages differ between engines, so only "it
 * trapped" is compared).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../src/text/parse_wat.ts";
import { Module } from "../src/api/module.ts";
import { Instance } from "../src/api/instance.ts";
import { Store } from "../src/api/store.ts";

type Run = (n: number) => bigint;

// deno-lint-ignore no-explicit-any
const native: any = (globalThis as { WebAssembly?: unknown }).WebAssembly;

const TYPES = `
  (rec (type $s0 (sub (struct (field (mut i32)) (field (mut i64)) (field (mut i8))
                              (field (mut i16)) (field (mut f64)) (field (mut (ref null $s0)))))))
  (type $s1 (sub final $s0 (struct (field (mut i32)) (field (mut i64)) (field (mut i8))
                                   (field (mut i16)) (field (mut f64)) (field (mut (ref null $s0)))
                                   (field (mut i32)))))
  (type $ai32 (array (mut i32)))
  (type $ai8 (array (mut i8)))
  (type $ai16 (array (mut i16)))
  (type $ai64 (array (mut i64)))
  (type $af64 (array (mut f64)))
  (type $aref (array (mut (ref null $s0))))
  (type $f0 (sub (func (param i32) (result i32))))
  (type $f1 (sub $f0 (func (param i32) (result i32))))
  (table $fns 2 funcref)
  (elem (table $fns) (i32.const 0) func $double $inc)
  (func $double (type $f0) (i32.shl (local.get 0) (i32.const 1)))
  (func $inc (type $f1) (i32.add (local.get 0) (i32.const 1)))`;

/** A small deterministic generator (an LCG: the same programs on every host). */
class Gen {
  #s: number;
  constructor(seed: number) {
    this.#s = seed | 0;
  }
  next(): number {
    this.#s = (Math.imul(this.#s, 1103515245) + 12345) | 0;
    return (this.#s >>> 8) & 0xffffff;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
}

const CONSTS = [
  0,
  1,
  -1,
  2,
  7,
  127,
  128,
  255,
  256,
  32767,
  32768,
  65535,
  -129,
  0x3fffffff,
  -0x40000000,
];

function i32(g: Gen, depth = 0): string {
  const leaf = () =>
    g.pick([
      () => `(i32.const ${g.pick(CONSTS)})`,
      () => "(local.get $x)",
      () => "(local.get $n)",
    ])();
  if (depth > 2) return leaf();
  return g.pick([
    leaf,
    leaf,
    () => `(i32.add ${i32(g, depth + 1)} ${i32(g, depth + 1)})`,
    () => `(struct.get $s0 0 (local.get $p))`,
    () => `(struct.get_${g.pick(["s", "u"])} $s0 ${g.pick([2, 3])} (local.get $p))`,
    () => `(i32.wrap_i64 (struct.get $s0 1 (local.get $p)))`,
    () => `(i32.trunc_sat_f64_s (struct.get $s0 4 (local.get $p)))`,
    () => `(array.get $ai32 (local.get $a) ${index(g)})`,
    () => `(array.get_${g.pick(["s", "u"])} $ai8 (local.get $b) ${index(g)})`,
    () => `(array.get_${g.pick(["s", "u"])} $ai16 (local.get $c) ${index(g)})`,
    () => `(i32.wrap_i64 (array.get $ai64 (local.get $d) ${index(g)}))`,
    () => `(i32.trunc_sat_f64_s (array.get $af64 (local.get $e) ${index(g)}))`,
    () => `(array.len (local.get ${g.pick(["$a", "$b", "$c", "$d", "$r"])}))`,
    () => `(i31.get_${g.pick(["s", "u"])} (ref.i31 ${i32(g, depth + 1)}))`,
    () => `(ref.test (ref $s1) (local.get ${g.pick(["$p", "$q"])}))`,
    () => `(ref.test (ref null $s1) (local.get ${g.pick(["$p", "$q"])}))`,
    () => `(ref.eq (local.get $p) (local.get $q))`,
    () => `(ref.is_null (local.get ${g.pick(["$p", "$q"])}))`,
    () =>
      `(if (result i32) (ref.test (ref $s1) (local.get $p)) ` +
      `(then (struct.get $s1 6 (ref.cast (ref $s1) (local.get $p)))) (else (i32.const -5)))`,
    () => `(ref.is_null (array.get $aref (local.get $r) ${index(g)}))`,
    // Function types: a subtype's function through call_indirect of its supertype, casts.
    () =>
      `(call_indirect $fns (type $f0) ${i32(g, depth + 1)} (i32.and ${i32(g, 2)} (i32.const 1)))`,
    () => `(ref.test (ref $f1) (table.get $fns (i32.and ${i32(g, 2)} (i32.const 1))))`,
    () => `(ref.test (ref $f0) (table.get $fns (i32.and ${i32(g, 2)} (i32.const 1))))`,
  ])();
}

/** An index: in range of the arrays (8–10 elements) but rarely. */
function index(g: Gen): string {
  return g.below(40) === 0 ? i32(g, 3) : `(i32.const ${g.below(g.below(2) === 0 ? 8 : 1)})`;
}

/** A bulk operation's start: with at most 4 elements, in range but rarely. */
function offset(g: Gen): string {
  return g.below(30) === 0 ? i32(g, 3) : `(i32.const ${g.below(5)})`;
}

function len(g: Gen): string {
  return `(i32.const ${8 + g.below(3)})`;
}

function structNew(g: Gen): string {
  const fields = `${i32(g, 1)} (i64.extend_i32_s ${i32(g, 2)}) ${i32(g, 2)} ${i32(g, 2)} ` +
    `(f64.convert_i32_s ${i32(g, 2)}) (local.get ${g.pick(["$p", "$q"])})`;
  return g.below(3) === 0
    ? `(struct.new $s1 ${fields} ${i32(g, 2)})`
    : `(struct.new $s0 ${fields})`;
}

function statement(g: Gen): string {
  return g.pick([
    () => `(local.set $x ${i32(g)})`,
    () => `(local.set $x ${i32(g)})`,
    () => `(local.set $p ${structNew(g)})`,
    () => `(local.set $q (local.get $p))`,
    () => `(local.set $q (struct.get $s0 5 (local.get $p)))`,
    () => `(local.set $p (struct.new_default $s${g.below(2)}))`,
    () => `(struct.set $s0 ${g.pick([0, 2, 3])} (local.get $p) ${i32(g)})`,
    () =>
      `(struct.set $s0 1 (local.get $p) (i64.mul (i64.extend_i32_u ${
        i32(g)
      }) (i64.const 0x10001)))`,
    () => `(struct.set $s0 5 (local.get $p) (local.get $q))`,
    () => `(local.set $a (array.new $ai32 ${i32(g)} ${len(g)}))`,
    () => `(local.set $b (array.new_default $ai8 ${len(g)}))`,
    () =>
      `(local.set $c (array.new_fixed $ai16 8 ${
        Array.from({ length: 8 }, () => i32(g, 2)).join(" ")
      }))`,
    () => `(local.set $d (array.new $ai64 (i64.const ${g.pick(CONSTS)}) ${len(g)}))`,
    () => `(local.set $r (array.new $aref (local.get $p) ${len(g)}))`,
    () => `(array.set $ai32 (local.get $a) ${index(g)} ${i32(g)})`,
    () => `(array.set $ai8 (local.get $b) ${index(g)} ${i32(g)})`,
    () => `(array.set $ai16 (local.get $c) ${index(g)} ${i32(g)})`,
    () => `(array.set $ai64 (local.get $d) ${index(g)} (i64.extend_i32_s ${i32(g)}))`,
    () => `(array.set $aref (local.get $r) ${index(g)} (local.get $q))`,
    () => `(local.set $e (array.new $af64 (f64.convert_i32_s ${i32(g)}) ${len(g)}))`,
    () =>
      `(array.set $af64 (local.get $e) ${index(g)} ` +
      `(f64.mul (f64.convert_i32_s ${i32(g)}) (f64.const 1.5)))`,
    () => `(array.fill $ai8 (local.get $b) ${offset(g)} ${i32(g)} (i32.const ${g.below(5)}))`,
    () =>
      `(array.copy $ai32 $ai32 (local.get $a) ${offset(g)} (local.get $a) ${offset(g)} ` +
      `(i32.const ${g.below(5)}))`,
    () => `(local.set $q (ref.cast (ref null $s0) (local.get $p)))`,
    () =>
      g.below(4) === 0
        ? `(drop (ref.cast (ref $s1) (local.get $q)))`
        : `(local.set $x (ref.test (ref $s1) (ref.cast (ref null $s0) (local.get $q))))`,
    () => `(if (ref.test (ref $s1) (local.get $q)) (then (local.set $p (local.get $q))))`,
    // br_on_cast: the cast value is the branch's; otherwise fall through.
    () =>
      `(local.set $x (block $fail (result i32) (struct.get $s1 6 (block $ok (result (ref $s1)) ` +
      `(drop (br_on_cast $ok (ref null $s0) (ref $s1) (local.get ${g.pick(["$p", "$q"])}))) ` +
      `(br $fail (i32.const -7))))))`,
    () =>
      `(local.set $x (ref.is_null (block $ok (result (ref null $s1)) ` +
      `(drop (br_on_cast $ok (ref null $s0) (ref null $s1) (local.get ${g.pick(["$p", "$q"])}))) ` +
      `(struct.new_default $s1))))`,
    // br_on_cast_fail: branch unless the cast succeeds.
    () =>
      `(drop (block $no (result (ref null $s0)) (local.set $x (struct.get $s1 6 ` +
      `(br_on_cast_fail $no (ref null $s0) (ref $s1) (local.get ${g.pick(["$p", "$q"])})))) ` +
      `(ref.null $s0)))`,
  ])();
}

/**
 * Fields computed by plain arithmetic straight into `struct.new`'s operand
 * slots, which nothing else in the function touches (compiled code may
 * hold such registers in JS locals: `struct.new` must still see them).
 */
function fieldsInTemporaries(g: Gen): string {
  const e = () => `(i32.add (local.get $n) (i32.const ${g.pick(CONSTS)}))`;
  return `(local.set $p (struct.new $s0 ${e()} (i64.extend_i32_s ${e()}) ${e()} ${e()} ` +
    `(f64.convert_i32_s ${e()}) (ref.null $s0))) ` +
    `(local.set $x (i32.add (struct.get $s0 0 (local.get $p)) ` +
    `(i32.wrap_i64 (struct.get $s0 1 (local.get $p)))))`;
}

function program(seed: number): string {
  const g = new Gen(seed);
  const body: string[] = [];
  for (let i = 0, n = 1 + g.below(12); i < n; i++) {
    body.push(g.below(12) === 0 ? fieldsInTemporaries(g) : statement(g));
    body.push(
      "(local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) " +
        "(i64.extend_i32_s (local.get $x))))",
    );
  }
  return `(module ${TYPES}
    (func (export "run") (param $n i32) (result i64)
      (local $x i32) (local $acc i64)
      (local $p (ref null $s0)) (local $q (ref null $s0))
      (local $a (ref null $ai32)) (local $b (ref null $ai8)) (local $c (ref null $ai16))
      (local $d (ref null $ai64)) (local $r (ref null $aref)) (local $e (ref null $af64))
      (local.set $p (struct.new_default $s1))
      (local.set $a (array.new_default $ai32 (i32.const 8)))
      (local.set $b (array.new_default $ai8 (i32.const 8)))
      (local.set $c (array.new_default $ai16 (i32.const 8)))
      (local.set $d (array.new_default $ai64 (i32.const 8)))
      (local.set $r (array.new_default $aref (i32.const 8)))
      (local.set $e (array.new_default $af64 (i32.const 8)))
      (loop $l
        ${body.join("\n        ")}
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $acc)))`;
}

function outcome(run: () => unknown, isTrap: (e: unknown) => boolean): string {
  try {
    return `value ${run()}`;
  } catch (e) {
    if (isTrap(e)) return "trap";
    throw e;
  }
}

function nativeHasGc(): boolean {
  if (native === undefined) return false;
  try {
    return native.validate(parseWat(`(module (type (struct)))`));
  } catch {
    return false;
  }
}

describe("GC differential against the native engine", () => {
  it("random struct/array programs give the same results", { skip: !nativeHasGc() }, () => {
    let values = 0, trapped = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const src = program(seed);
      const bytes = parseWat(src);
      const theirs = new native.Instance(new native.Module(bytes)).exports.run;
      // Interpreted and compiled (the JIT keeps registers in JS locals).
      for (const jit of ["off", "eager"] as const) {
        const store = new Store({ jit });
        const ours = new Instance(new Module(bytes), {}, { store }).exports.run as Run;
        for (const n of [1, 3]) {
          const a = outcome(() => ours(n), (e) => e instanceof Error && e.name === "RuntimeError");
          const b = outcome(() => theirs(n), (e) => e instanceof native.RuntimeError);
          assert.equal(a, b, `seed ${seed}, jit ${jit}, run(${n}):\n${src}`);
          if (a === "trap") trapped++;
          else values++;
        }
      }
    }
    // Both kinds of outcome occur, or the generator tests little.
    assert.ok(values > 200 && trapped > 50, `values ${values}, traps ${trapped}`);
  });
});
