import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";

// A NaN operand's payload must not reach a result lane: hosts differ on
// whether it does (JavaScriptCore's lower tiers replace it, its optimizing
// ones keep it), so a kept payload made results change from run to run.
const PAYLOAD = 0x7fc00001 | 0, CANONICAL = 0x7fc00000;

const wat = `(module
  (memory 1)
  (func (export "ops") (param $n i32) (result i32)
    (local $v v128) (local $i i32) (local $bits i32)
    (i32.store (i32.const 0) (i32.const ${PAYLOAD}))
    (i32.store (i32.const 16) (i32.const 0x3f800000))
    ;; A vector loop: a load, a multiply and an add (the fused forms).
    (loop $l
      (local.set $v (f32x4.add (local.get $v)
        (f32x4.mul (v128.load (i32.const 0)) (v128.load (i32.const 16)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.set $bits (i32x4.extract_lane 0 (local.get $v)))
    ;; Each operation on its own.
    (local.set $v (v128.load (i32.const 0)))
    (local.set $bits (i32.xor (local.get $bits) (i32.rotl (i32x4.extract_lane 0
      (f32x4.sub (local.get $v) (f32x4.splat (f32.const 1)))) (i32.const 1))))
    (local.set $bits (i32.xor (local.get $bits) (i32.rotl (i32x4.extract_lane 0
      (f32x4.div (local.get $v) (f32x4.splat (f32.const 2)))) (i32.const 2))))
    (local.set $bits (i32.xor (local.get $bits) (i32.rotl (i32x4.extract_lane 0
      (f32x4.sqrt (local.get $v))) (i32.const 3))))
    (i32.xor (local.get $bits) (i32.wrap_i64 (i64.shr_u (i64x2.extract_lane 0
      (f64x2.add (v128.const i64x2 0x7ff8000000000001 0) (f64x2.splat (f64.const 1))))
      (i64.const 1))))))`;

describe("vector arithmetic on a NaN with a payload", () => {
  it("stores the canonical NaN, in every tier", () => {
    const canonical64 = 0x7ff8000000000000n >> 1n & 0xffffffffn;
    const expected = CANONICAL ^ ((CANONICAL << 1) | (CANONICAL >>> 31)) ^
      ((CANONICAL << 2) | (CANONICAL >>> 30)) ^ ((CANONICAL << 3) | (CANONICAL >>> 29)) ^
      Number(BigInt.asIntN(32, canonical64));
    for (const jit of ["off", "eager"] as const) {
      const store = new Store({ jit });
      const { ops } = new Instance(new Module(parseWat(wat)), {}, { store }).exports as {
        ops: (n: number) => number;
      };
      // Enough iterations for the slice budget to end inside the loop.
      for (const n of [1, 3, 100_000]) assert.equal(ops(n), expected | 0, `jit ${jit}, n ${n}`);
    }
  });
});
