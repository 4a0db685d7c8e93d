import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import { IR } from "../interp/ir_defs.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { nesting } from "./nesting.ts";
import { emitFunction } from "./emit.ts";
import type { JitMode } from "./tier.ts";

const BR = IR["br"], BR_IF = IR["br_if"], RET32 = IR["ret32"];

// deno-lint-ignore no-explicit-any
type Exports = Record<string, (...args: any[]) => any>;

/** What `f` gives on `module`'s exports with the JIT off, checked equal with it eager and auto. */
function sameInEveryTier(module: Module, f: (e: Exports) => unknown): unknown {
  const of = (jit: JitMode) =>
    f(new Instance(module, {}, { store: new Store({ jit }) }).exports as Exports);
  const off = of("off");
  assert.deepEqual(of("eager"), off);
  assert.deepEqual(of("auto"), off);
  return off;
}

/** The source of the direct variant of `module`'s function 0. */
function directSource(module: Module): string {
  const fn = instanceState(new Instance(module, {})).funcs[0];
  const { source } = emitFunction(translateFunction(fn), { frame: fn, index: 0, name: "f0" });
  return source.slice(source.indexOf("function jit_f0_d"), source.indexOf("const $slice"));
}

describe("JIT: the direct variant's nesting", () => {
  it("finds loops and blocks, and refuses branches that do not nest", () => {
    // 0: br_if → 9 (over the loops); 3: br_if → 3 (the inner loop); 6: br_if → 0
    // (the outer loop); 9: ret32.
    const nested = nesting(new Int32Array([BR_IF, 0, 9, BR_IF, 0, 3, BR_IF, 0, 0, RET32, 0]))!;
    assert.deepEqual([...nested.loops], [[3, 6], [0, 9]]);
    assert.deepEqual([...nested.closing], [[9, [0]], [6, [3]]]);
    // The forward branch's target is outside both loops: a block of the function.
    assert.deepEqual([...nested.blocks], [[-1, [9]]]);
    // The outer loop's last back edge (3 → 0) before the end of a loop that
    // starts inside it (6 → 3): wasm's `br_if $outer` from the inner loop.
    // The outer loop holds the inner one, to its end.
    const held = nesting(new Int32Array([BR_IF, 0, 9, BR_IF, 0, 0, BR_IF, 0, 3, RET32, 0]))!;
    assert.deepEqual([...held.loops], [[0, 9], [3, 9]]);
    assert.deepEqual([...held.closing], [[9, [3, 0]]]);
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
    const direct = directSource(module);
    assert.doesNotMatch(direct, /switch \(\$b\)/);
    assert.match(direct, /switch \(.* >>> 0\)/); // (the br_table)
    assert.match(direct, /continue L\d+;/);
    sameInEveryTier(module, (e) => [e.run(300), e.run(998), e.run(5000)]);
  });

  it("runs an outer loop continued from inside an inner one as loops, as the interpreter does", () => {
    // $outer's only back edge is in $inner, which goes on after it (CoreMark's
    // list functions have this shape): the outer loop holds the inner one.
    const wat = `(module
      (memory 1)
      (func $scan (param $n i32) (result i32)
        (local $i i32) (local $j i32) (local $s i32)
        (loop $outer
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $j (i32.const 0))
          (loop $inner
            (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 3)) (local.get $j)))
            (br_if $outer (i32.and (i32.eq (i32.rem_u (local.get $s) (i32.const 5)) (i32.const 0))
              (i32.lt_u (local.get $i) (local.get $n))))
            (i32.store (i32.const 8) (local.get $s))
            (br_if $inner (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 9)))))
        (i32.xor (local.get $s) (i32.add (local.get $i) (i32.load (i32.const 8)))))
      (func (export "run") (param i32) (result i32)
        (local $k i32) (local $acc i32)
        (loop $l
          (local.set $acc (i32.add (local.get $acc) (call $scan (i32.add (local.get 0) (local.get $k)))))
          (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 5))))
        (local.get $acc)))`;
    const module = new Module(parseWat(wat));
    const direct = directSource(module);
    assert.doesNotMatch(direct, /switch \(\$b\)/);
    sameInEveryTier(module, (e) => [e.run(1), e.run(50), e.run(40_000)]);
  });
});

describe("JIT: hand-written cold ops", () => {
  it("take their operands from the register file without pinning them there", () => {
    // memory.fill's and memory.copy's operands are temporaries that the
    // loop reuses; memory.size and global.get128 write results whose slots
    // neighbour live values; a v128 global goes out and back.
    const wat = `(module
      (memory 1)
      (global $v (mut v128) (v128.const i32x4 1 2 3 4))
      (func $f (param $n i32) (result i32)
        (local $i i32) (local $s i32) (local $w v128)
        (memory.fill (i32.const 64) (local.get $n) (i32.const 32))
        (memory.copy (i32.const 128) (i32.const 64) (i32.const 16))
        (loop $l
          (local.set $s (i32.add (local.get $s)
            (i32.mul (i32.load8_u (i32.add (i32.const 120) (local.get $i))) (memory.size))))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 40))))
        (local.set $w (global.get $v))
        (global.set $v (i32x4.add (local.get $w) (i32x4.splat (local.get $s))))
        (i32.add (local.get $s) (i32x4.extract_lane 3 (global.get $v))))
      (func (export "run") (param i32) (result i32)
        (local $k i32) (local $acc i32)
        (loop $l
          (local.set $acc (i32.xor (i32.mul (local.get $acc) (i32.const 31))
            (call $f (i32.add (local.get 0) (local.get $k)))))
          (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 20))))
        (local.get $acc)))`;
    const module = new Module(parseWat(wat));
    const direct = directSource(module);
    // The loop's registers are JS locals: it reaches the register file only
    // around memory.size (stored before, its result reloaded after).
    const loop = direct.slice(direct.search(/L\d+: for/), direct.search(/break L\d+;/));
    assert.match(loop, /cold\(/);
    assert.doesNotMatch(loop.replace(/^.*cold\(.*$/gm, ""), /I32\[fp \+/);
    assert.match(direct, /cold\(\$m, inst, code, \d+, fp, fd\);/);
    sameInEveryTier(module, (e) => [e.run(3), e.run(250)]);
  });
});

describe("JIT: a directly called function's entry", () => {
  it("zeroes locals no instruction touches (fuzz seed 20144)", () => {
    // `$zero`'s local is its result slot: its only reader is the return,
    // through the register file, where `$put`'s argument was before.
    const wat = `(module
      (func $put (param f64) (result f64) (local.get 0))
      (func $zero (result f64) (local f64) (local.get 0))
      (func (export "run") (result f64)
        (drop (call $put (f64.const -16777216)))
        (call $zero)))`;
    // (The first run compiles the callees; the next ones call them directly.)
    const runs = sameInEveryTier(new Module(parseWat(wat)), (e) => [e.run(), e.run(), e.run()]);
    assert.deepEqual(runs, [0, 0, 0]);
  });
});
