/**
 * Seeded property test: mutated valid modules (bit flips, truncation, byte
 * insertions and deletions, spliced chunks) must make `validate` return a
 * boolean and `new Module` either succeed or throw a CompileError — never
 * another exception, a hang or a crash.
 *
 * `GANNET_FUZZ_CASES` sets the number of cases (default 10,000);
 * `GANNET_FUZZ_SEED` the PRNG seed (default fixed, so CI is reproducible).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { Module, validate } from "../src/api/module.ts";
import { CompileError } from "../src/errors.ts";
import { WASM2_FEATURES } from "../src/binary/features.ts";
import { corpus } from "./_shared.ts";

const CASES = Number(process.env.GANNET_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.GANNET_FUZZ_SEED ?? 0x6a09e667);

/** xorshift32: small, fast, reproducible everywhere. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const RICH_WAT = `(module
  (type $bin (func (param i32 i32) (result i32)))
  (type $multi (func (param i64) (result i64 i32)))
  (import "env" "f" (func $imp (type $bin)))
  (import "env" "g" (global $gi i32))
  (memory $m 1 2 shared)
  (memory $m2 i64 1)
  (table $t 4 funcref)
  (table $e 2 externref)
  (global $mut (mut i64) (i64.const -5))
  (global $c i32 (i32.add (global.get $gi) (i32.const 3)))
  (elem (table $t) (i32.const 0) func $a $b)
  (elem $p funcref (ref.func $a) (ref.null func))
  (elem declare func $b)
  (data (memory $m) (i32.const 8) "hello")
  (data $d "passive")
  (func $a (type $bin)
    (local $x f64) (local v128)
    (block $out (result i32)
      (loop $l
        (br_if $out (local.get 0) (i32.eqz (local.get 1)))
        (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
        (br_table $l $l (i32.and (local.get 1) (i32.const 1))))
      (i32.const 0))
    (drop)
    (i32.atomic.rmw.add $m (i32.const 0) (i32.const 1))
    (drop)
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
    (memory.copy $m $m (i32.const 0) (i32.const 1) (i32.const 2))
    (i64.store $m2 (i64.const 16) (global.get $mut))
    (table.set $e (i32.const 0) (ref.null extern))
    (local.set 2 (f64x2.extract_lane 1 (f64x2.splat (f64.const 2.5))))
    (v128.store (i32.const 32) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
      (v128.load (i32.const 0)) (v128.const i32x4 1 2 3 4)))
    (if (result i32) (local.get 0)
      (then (call $imp (local.get 0) (local.get 1)))
      (else (call_indirect (type $bin) (local.get 0) (local.get 1) (i32.const 1)))))
  (func $b (type $multi)
    (local.get 0) (i32.wrap_i64 (local.get 0))
    (return_call $c2 (i64.const 1)))
  (func $c2 (param i64) (result i64 i32)
    (select (local.get 0) (i64.const 2) (i32.const 1)) (i32.const 0))
  (export "a" (func $a))
  (export "mem" (memory $m))
  (start $s)
  (func $s (drop (ref.func $b)) (elem.drop $p) (data.drop $d))
)`;

async function seeds(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const out = [{ name: "rich.wat", bytes: await parse(RICH_WAT) }];
  for (
    const rel of [
      "wasi-testsuite/tests/assemblyscript/testsuite/wasm32-wasip1/fd_write-to-stdout.wasm",
      "bench/wasm/simd_dot.wasm",
      "wasi-testsuite/tests/proposals/wasi-threads/thread_spawn-simple.wasm",
    ]
  ) {
    const path = corpus(rel);
    if (path !== null) out.push({ name: rel, bytes: new Uint8Array(readFileSync(join(path))) });
  }
  return out;
}

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const tail = b.subarray(Math.min(b.length, at + remove));
  const out = new Uint8Array(at + insert.length + tail.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(tail, at + insert.length);
  return out;
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b: Uint8Array = src.slice();
  const rounds = 1 + (rnd() % 3);
  for (let k = 0; k < rounds; k++) {
    const pos = b.length === 0 ? 0 : rnd() % b.length;
    switch (rnd() % 6) {
      case 0: // flip one bit
        if (b.length > 0) b[pos] ^= 1 << (rnd() % 8);
        break;
      case 1: // overwrite a byte
        if (b.length > 0) b[pos] = rnd() & 0xff;
        break;
      case 2: // truncate
        b = b.slice(0, pos);
        break;
      case 3: // insert bytes
        b = splice(b, pos, 0, Uint8Array.from({ length: 1 + (rnd() % 4) }, () => rnd() & 0xff));
        break;
      case 4: // delete bytes
        b = splice(b, pos, 1 + (rnd() % 4), new Uint8Array(0));
        break;
      case 5: { // copy a chunk of the module elsewhere
        const from = rnd() % Math.max(1, b.length);
        b = splice(b, pos, 0, b.slice(from, from + 1 + (rnd() % 16)));
        break;
      }
    }
  }
  return b;
}

describe("validator robustness (seeded mutations)", () => {
  it(`${CASES} mutated modules: boolean from validate, only CompileError from Module`, async () => {
    const all = await seeds();
    for (const s of all) assert.equal(validate(s.bytes), true, `seed ${s.name} must be valid`);
    const rnd = prng(SEED);
    let rejected = 0;
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const seed = all[i % all.length];
      const bytes = mutate(seed.bytes, rnd);
      // Alternate between every proposal on and the 2.0 baseline (other decode paths).
      const options = (i & 1) === 0 ? undefined : { features: WASM2_FEATURES };
      const t0 = performance.now();
      const ok = validate(bytes, options);
      assert.equal(typeof ok, "boolean");
      try {
        new Module(bytes, options);
        assert.equal(ok, true, `case ${i}: Module accepted what validate rejected`);
      } catch (e) {
        if (!(e instanceof CompileError)) {
          const hex = Array.from(bytes, (x) => x.toString(16).padStart(2, "0")).join("");
          assert.fail(`case ${i} (seed ${seed.name}) threw ${e}\nmodule: ${hex}`);
        }
        assert.equal(ok, false, `case ${i}: validate accepted what Module rejected`);
        rejected++;
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
    // Most mutations break a module; a test that rejects nothing is not testing.
    assert.ok(rejected > CASES / 4, `only ${rejected} of ${CASES} rejected`);
    assert.ok(slowest < 2000, `slowest case took ${slowest.toFixed(0)} ms`);
  });
});
