/**
 * Reproduces a known gap of compiled code on V8 (not a test: it fails only
 * in some runs): a signalling NaN loaded by `f64.load` into a JS double and
 * stored by `f64.store` can come back quiet once Maglev code of the compiled
 * function deoptimizes. Prints each changed result and the count; never
 * seen with `--v8-flags=--no-maglev`.
 *
 *     deno run -A tests/snan_repro.ts [instances]
 *
 * @module
 */
import process from "node:process";
import { Instance, Module, parseWat, Store } from "../mod.ts";

const WAT = `(module (memory 1)
  (func (export "f") (param i64 i32) (result i64) (local f64 f64)
    (i64.store (i32.const 8) (local.get 0))
    (loop $l
      (local.set 2 (f64.load (i32.const 8)))
      (local.set 3 (f64.add (local.get 3) (local.get 2)))
      (f64.store (i32.const 16) (local.get 2))
      (i64.store (i32.const 8) (i64.load (i32.const 16)))
      (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
    (i64.load (i32.const 16))))`;

const PATTERNS = [0x7ff0000000000001n, 0xfff0000000000005n, 0x7ff4000000000000n];
const instances = Number(process.argv[2] ?? 10);
let changed = 0;
for (let k = 0; k < instances; k++) {
  const store = new Store({ jit: "eager" });
  const f = new Instance(new Module(parseWat(WAT)), {}, { store }).exports.f as (
    bits: bigint,
    n: number,
  ) => bigint;
  for (const bits of PATTERNS) {
    const got = BigInt.asUintN(64, f(bits, 200_000));
    if (got === bits) continue;
    changed++;
    console.log(`instance ${k}: 0x${bits.toString(16)} came back 0x${got.toString(16)}`);
  }
}
console.log(`${changed} of ${instances * PATTERNS.length} signalling NaNs changed`);
