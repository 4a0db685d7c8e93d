import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import type { JitMode } from "./tier.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { emitFunction } from "./emit.ts";
import { MAX_VALUE_ARGS, valueShape } from "./value_call.ts";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, FUNCREF = 0x70;

// deno-lint-ignore no-explicit-any
type Exports = Record<string, (...args: any[]) => any>;

/** `wat`'s exports in a store of JIT mode `jit`, with `imports`. */
function instance(wat: string, jit: JitMode, imports = {}): Exports {
  return new Instance(new Module(parseWat(wat)), imports, { store: new Store({ jit }) })
    .exports as Exports;
}

/** What `f` returns, or the message and wasm frames (function indices) of what it throws. */
function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    const frames = (e as { wasmStack?: { funcIndex: number }[] }).wasmStack;
    return { message: (e as Error).message, frames: frames?.map((x) => x.funcIndex) };
  }
}

describe("JIT: direct calls pass values", () => {
  it("derive one shape from the callee's type", () => {
    // An f64 goes through the register file (a boxed double may lose a
    // signalling NaN's bits: the NaN test below fails that way).
    assert.deepEqual(valueShape([I32, I64, F32, F64], [F64]), {
      args: [{ at: 0 }, { at: 2 }, { at: 3 }, { at: 4 }],
      fileSlots: [3],
      result: null,
    });
    assert.deepEqual(valueShape([], [I32]), { args: [], fileSlots: [], result: "i" });
    assert.deepEqual(valueShape([F32], [F32]).result, "i");
    // Through the register file: v128 and reference parameters, too many
    // values, and any result but one i32, f32 or f64.
    assert.equal(valueShape([I32, V128], []).args, null);
    assert.equal(valueShape([FUNCREF], []).args, null);
    assert.equal(valueShape(new Array(MAX_VALUE_ARGS + 1).fill(I32), []).args, null);
    assert.equal(valueShape(new Array(MAX_VALUE_ARGS).fill(I32), []).args?.length, MAX_VALUE_ARGS);
    assert.equal(valueShape([], [I64]).result, null);
    assert.equal(valueShape([], [I32, I32]).result, null);
    assert.equal(valueShape([], []).result, null);
  });

  it("keep every bit in every tier: NaN payloads, i64 halves, several results", () => {
    // (Signalling NaNs: V8 quieted them in doubles passed as JS values in
    // its first, unoptimized runs; a fresh module each time catches that.)
    // Each callee is called from a loop (so that `auto` compiles the caller
    // too) and its result folded into a checksum of bits.
    const wat = `(module
      (func $mix (param i32 i64 f32 f64) (result f64)
        (f64.add (local.get 3)
          (f64.convert_i64_s (i64.add (local.get 1) (i64.extend_i32_s (local.get 0))))))
      (func $nan64 (param f64) (result f64) (local.get 0))
      (func $nan32 (param f32) (result f32) (local.get 0))
      (func $wide (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
      (func $two (param i32) (result i32 i64)
        (local.get 0) (i64.shl (i64.extend_i32_u (local.get 0)) (i64.const 33)))
      (func (export "run") (param $n i32) (result i64)
        (local $i i32) (local $acc i64)
        (loop $l
          (local.set $acc (i64.add (local.get $acc)
            (i64.reinterpret_f64 (call $mix (local.get $i) (i64.const 0x123456789)
              (f32.const 1.5) (f64.convert_i32_s (local.get $i))))))
          ;; A NaN with a payload and its sign, both widths.
          (local.set $acc (i64.xor (local.get $acc)
            (i64.reinterpret_f64 (call $nan64 (f64.reinterpret_i64
              (i64.or (i64.const 0xfff0000000000001) (i64.extend_i32_u (local.get $i))))))))
          (local.set $acc (i64.xor (local.get $acc) (i64.extend_i32_u
            (i32.reinterpret_f32 (call $nan32 (f32.reinterpret_i32
              (i32.or (i32.const 0x7f800001) (local.get $i))))))))
          (local.set $acc (i64.add (local.get $acc)
            (call $wide (i64.shl (i64.extend_i32_u (local.get $i)) (i64.const 40))
              (i64.const -0x7fffffff00000001))))
          (call $two (local.get $i))
          local.get $acc i64.add local.set $acc
          i64.extend_i32_u local.get $acc i64.add local.set $acc
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
            (local.get $n))))
        (local.get $acc)))`;
    const off = instance(wat, "off").run(3000);
    assert.equal(instance(wat, "eager").run(3000), off);
    assert.equal(instance(wat, "auto").run(3000), off);
    // The direct calls took the value path: the callees read `$a…` parameters.
    const fn = instanceState(new Instance(new Module(parseWat(wat)), {})).funcs[0];
    const { source } = emitFunction(translateFunction(fn), {
      frame: fn,
      index: 0,
      name: "f0",
      value: valueShape(fn.type.params, fn.type.results),
    });
    assert.match(source, /function jit_f0_d\(\$m, fd, \$depth, \$nest, \$a0, \$a1, \$a2, \$a3\)/);
  });

  it("unwind exactly from a direct variant: host calls, deep recursion, traps", () => {
    // `$walk` calls a host function in its loop (a call the direct variant
    // cannot make in place: it leaves, and its frame goes on in the slice
    // function) and recurses past the direct nesting; `$fail` traps at a
    // chosen depth under it.
    const wat = `(module
      (import "host" "tick" (func $tick (param i32) (result i32)))
      (func $walk (param $d i32) (param $stop i32) (result i32)
        (local $i i32) (local $s i32)
        (if (i32.eq (local.get $d) (local.get $stop)) (then (return (call $fail (local.get $d)))))
        ;; Recursing first: the innermost call to the host unwinds every
        ;; direct activation under it.
        (local.set $s (call $walk (i32.add (local.get $d) (i32.const 1)) (local.get $stop)))
        (loop $l
          (local.set $s (i32.add (local.get $s) (call $tick (local.get $i))))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 3))))
        (local.get $s))
      (func $fail (param i32) (result i32)
        (if (i32.eq (local.get 0) (i32.const 45)) (then unreachable))
        (local.get 0))
      (func (export "run") (param i32) (result i32) (call $walk (i32.const 0) (local.get 0))))`;
    const run = (jit: JitMode) => {
      let ticks = 0;
      const e = instance(wat, jit, { host: { tick: (i: number) => (ticks++, i * 7) } });
      return [outcome(() => e.run(40)), outcome(() => e.run(45)), outcome(() => e.run(200)), ticks];
    };
    const off = run("off");
    assert.equal(off[0], 40 * 21 + 40);
    assert.deepEqual((off[1] as { frames: number[] }).frames.length, 48);
    assert.deepEqual(run("eager"), off);
    assert.deepEqual(run("auto"), off);
  });
});
