import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import { IR } from "../interp/ir_defs.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { nesting } from "./emit_body.ts";
import { emitFunction } from "./emit.ts";
import type { JitMode } from "./tier.ts";

const BR = IR["br"], BR_IF = IR["br_if"], RET32 = IR["ret32"];

// deno-lint-ignore no-explicit-any
type Exports = Record<string, (...args: any[]) => any>;

describe("JIT: the direct variant's nesting", () => {
  it("finds loops and blocks, and refuses branches that do not nest", () => {
    // 0: br_if → 9 (over the loops); 3: br_if → 3 (the inner loop); 6: br_if → 0
    // (the outer loop); 9: ret32.
    const nested = nesting(new Int32Array([BR_IF, 0, 9, BR_IF, 0, 3, BR_IF, 0, 0, RET32, 0]))!;
    assert.deepEqual([...nested.loops], [[3, 6], [0, 9]]);
    assert.deepEqual([...nested.closing], [[9, [0]], [6, [3]]]);
    // The forward branch's target is outside both loops: a block of the function.
    assert.deepEqual([...nested.blocks], [[-1, [9]]]);
    // Two loops that overlap without one holding the other: 3 → 0 and 6 → 3.
    assert.equal(nesting(new Int32Array([BR_IF, 0, 9, BR_IF, 0, 0, BR_IF, 0, 3, RET32, 0])), null);
    // A forward branch into a loop's body (0 → 6, the loop 3..8).
    const into = new Int32Array([BR_IF, 0, 6, BR_IF, 0, 9, BR_IF, 0, 3, RET32, 0]);
    assert.equal(nesting(into), null);
    assert.notEqual(nesting(new Int32Array([BR, 2, RET32, 0])), null);
  });

  it("runs nested loops, br_table and calls without a switch, as the interpreter does", () => {
    // $walk is called directly; its nested loops and br_table are JS loops and blocks.
    const wat = `(module
      (memory 1)
      (func $walk (param $n i32) (result i32)
        (local $i i32) (local $j i32) (local $s i32)
        (loop $outer
          (local.set $j (i32.const 0))
          (loop $inner
            (block $b2 (block $b1 (block $b0
              (br_table $b0 $b1 $b2 (i32.rem_u (i32.add (local.get $i) (local.get $j)) (i32.const 3))))
              (local.set $s (i32.add (local.get $s) (local.get $j))) (br $b2))
              (local.set $s (i32.xor (local.get $s) (local.get $i))))
            (i32.store (i32.const 0) (local.get $s))
            (br_if $inner (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 7))))
          (if (i32.eq (local.get $i) (i32.const 1000)) (then (return (call $small (local.get $s)))))
          (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (i32.add (local.get $s) (i32.load (i32.const 0))))
      (func $small (param i32) (result i32) (i32.and (local.get 0) (i32.const 255)))
      (func (export "run") (param i32) (result i32)
        (local $k i32) (local $acc i32)
        (loop $l
          (local.set $acc (i32.add (local.get $acc) (call $walk (i32.add (local.get 0) (local.get $k)))))
          (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 5))))
        (local.get $acc)))`;
    const module = new Module(parseWat(wat));
    const fn = instanceState(new Instance(module, {})).funcs[0];
    const { source } = emitFunction(translateFunction(fn), { frame: fn, index: 0, name: "f0" });
    const direct = source.slice(
      source.indexOf("function jit_f0_d"),
      source.indexOf("const $slice"),
    );
    assert.doesNotMatch(direct, /switch \(\$b\)/);
    assert.match(direct, /switch \(.* >>> 0\)/); // (the br_table)
    assert.match(direct, /continue L\d+;/);
    const run = (jit: JitMode) => {
      const e = new Instance(module, {}, { store: new Store({ jit }) }).exports as Exports;
      return [e.run(300), e.run(998), e.run(5000)];
    };
    const off = run("off");
    assert.deepEqual(run("eager"), off);
    assert.deepEqual(run("auto"), off);
  });
});
