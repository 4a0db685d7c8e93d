import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import { IR } from "../interp/ir_defs.ts";
import { emitFunction } from "./emit.ts";
import type { JitMode } from "./tier.ts";

type Exports = Record<string, (...a: unknown[]) => unknown>;

describe("JIT: NaN canonicalization left out where nothing sees the NaN", () => {
  it("leaves a result raw where it dies unseen, else canonical where it is made", () => {
    // $1 = $2 * $2 feeds only the add: raw. $3 = $1 + $4 is returned (live
    // at a return, which sees every register): canonical at once.
    const code = new Int32Array([
      ...[IR["f64.mul"], 1, 2, 2],
      ...[IR["f64.add"], 3, 1, 4],
      ...[IR["f64.lt"], 10, 3, 4],
      ...[IR["ret64"], 6],
    ]);
    const { source } = emitFunction(code, { results: 1 });
    assert.match(source, /r = \(\$d2\) \* \(\$d2\); \$d1 = r;/);
    assert.doesNotMatch(source, /\$d1 = \$d1 === \$d1/);
    assert.match(source, /\(\$d1\) \+ \(\$d4\); [^;=]+ = r === r \? r : QNAN\[0\];/);
  });

  it("gives the interpreter's bits wherever a result is observed", () => {
    // Each export computes x * y (NaN for the NaN inputs: x86 keeps the
    // first NaN's payload, quieted; inf * 0 makes a default NaN) and lets
    // it be seen another way; 1000 rounds, so that the loop is compiled.
    const op = (body: string) =>
      `(local $i i32) (local $v f64) (local.set $i (i32.const 1000))
       (loop $l (local.set $v ${body})
         (br_if $l (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))`;
    const xy = "(f64.mul (local.get 0) (local.get 1))";
    const wat = `(module (memory 1)
      (func $id (param f64) (result f64) (local.get 0))
      (func (export "bits") (param f64 f64) (result i64) ${op(xy)}
        (i64.reinterpret_f64 (local.get $v)))
      (func (export "sum") (param f64 f64) (result i64) ${op(`(f64.add ${xy} (local.get 1))`)}
        (i64.reinterpret_f64 (local.get $v)))
      (func (export "stored") (param f64 f64) (result i64) ${op(xy)}
        (f64.store (i32.const 8) (local.get $v)) (i64.load (i32.const 8)))
      (func (export "neg") (param f64 f64) (result i64) ${op(`(f64.neg ${xy})`)}
        (i64.reinterpret_f64 (local.get $v)))
      (func (export "min") (param f64 f64) (result i64) ${op(`(f64.min ${xy} (local.get 1))`)}
        (i64.reinterpret_f64 (local.get $v)))
      (func (export "passed") (param f64 f64) (result i64) ${op(`(call $id ${xy})`)}
        (i64.reinterpret_f64 (local.get $v)))
      (func (export "compared") (param f64 f64) (result i64)
        (local $n i32) (local $i i32) (local.set $i (i32.const 1000))
        (loop $l (local.set $n (i32.add (local.get $n) (f64.lt ${xy} (local.get 1))))
          (br_if $l (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
        (i64.extend_i32_u (local.get $n))))`;
    const bits = (b: bigint) => new Float64Array(new BigInt64Array([b]).buffer)[0];
    const inputs: [number, number][] = [
      [bits(0x7ff4000000000001n), 2],
      [3, bits(-0x0007ffffffffff00n)],
      [Infinity, 0],
      [1.5, -2.25],
    ];
    const module = new Module(parseWat(wat));
    const run = (jit: JitMode) => {
      const e = new Instance(module, {}, { store: new Store({ jit }) }).exports as Exports;
      const out: Record<string, unknown[]> = {};
      for (const name of ["bits", "sum", "stored", "neg", "min", "passed", "compared"]) {
        out[name] = inputs.map(([x, y]) => e[name](x, y));
      }
      return out;
    };
    const off = run("off"), eager = run("eager");
    assert.deepEqual(eager, off);
    // The interpreter's: every arithmetic NaN canonical where it shows.
    assert.deepEqual(off.bits.slice(0, 3), [
      0x7ff8000000000000n,
      0x7ff8000000000000n,
      0x7ff8000000000000n,
    ]);
  });
});
