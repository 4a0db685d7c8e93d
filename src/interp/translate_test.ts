import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "../api/module.ts";
import { Instance, instanceState } from "../api/instance.ts";
import { translateFunction } from "./translate.ts";
import { disassemble } from "./disasm.ts";

/** The IR listing of function `index` (translated on demand), one op name per line. */
function ops(wat: string, index = 0): string[] {
  const st = instanceState(new Instance(new Module(parseWat(wat))));
  const code = translateFunction(st.funcs[index]);
  return disassemble(code).split("\n").map((l) => l.split(" ")[1]);
}

describe("translation to register IR", () => {
  it("local.get a; local.get b; i32.add; local.set c is one instruction", () => {
    const l = ops(`(module (func (param i32 i32) (local i32)
      (local.set 2 (i32.add (local.get 0) (local.get 1)))))`);
    assert.deepEqual(l, ["i32.add", "return"]);
  });
  it("constants become immediates; a counted loop is an add and a fused compare-branch", () => {
    const l = ops(`(module (func (param i32) (local i32)
      (loop $l (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $l (i32.lt_s (local.get 1) (local.get 0))))))`);
    assert.deepEqual(l, ["i32.add_i+br_if.i32.lt_s", "return"]);
  });
  it("if on a comparison jumps on the negated comparison", () => {
    const l = ops(`(module (func (param i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0)) (else (i32.const 7)))))`);
    assert.equal(l[0], "br_if.i32.ge_s_i");
  });
  it("a write to a local keeps earlier reads of it (materialized first)", () => {
    const l = ops(`(module (func (param i32) (result i32)
      (local.get 0) (local.set 0 (i32.const 5)) (local.get 0) (i32.add)))`);
    assert.equal(l[0], "mov32");
  });
  it("fuses a temporary into the next operation and a load into float arithmetic", () => {
    const l = ops(`(module (memory 1) (func (param i32 f64) (result f64)
      (f64.add (f64.mul (f64.load (local.get 0)) (local.get 1)) (local.get 1))))`);
    assert.deepEqual(l, ["f64.load>f64.mul", "f64.add", "return"]);
  });
  it("a float load consumed by arithmetic after other code is a value load", () => {
    // x - a * b: x is loaded first, the product comes between.
    const l = ops(`(module (memory 1) (func (param i32 f64 f64) (result f64)
      (f64.sub (f64.load (local.get 0)) (f64.mul (local.get 1) (local.get 2)))))`);
    assert.deepEqual(l, ["f64.load", "f64.mul>f64.sub_r", "return"]);
  });
  it("a float load kept in a local stays bit-exact (local.tee, then arithmetic)", () => {
    const wat = `(module (memory (export "m") 1) (func (export "f") (local f64)
      (f64.store (i32.const 16) (f64.add (local.tee 0 (f64.load (i32.const 0)))
        (f64.mul (f64.const 2) (f64.const 3))))
      (f64.store (i32.const 8) (local.get 0))))`;
    const inst = new Instance(new Module(parseWat(wat)));
    const w = new Uint32Array((inst.exports.m as { buffer: ArrayBuffer }).buffer, 0, 4);
    w[0] = 1;
    w[1] = 0x7ff00000; // a signalling NaN
    (inst.exports.f as () => void)();
    assert.deepEqual([w[2], w[3]], [1, 0x7ff00000]);
  });
  it("f64 values loaded only to be stored stay bit-exact integer loads", () => {
    const l = ops(`(module (memory 1) (func (param i32)
      (f64.store offset=8 (local.get 0) (f64.load (local.get 0)))))`);
    assert.deepEqual(l, ["i64.load", "i64.store", "return"]);
  });
  it("mem[a] += / -= x * y * z (either order) is one instruction with the same results", () => {
    const upd = (op: string, first: boolean) => {
      const load = "(f64.load (local.get 4))";
      const prod = "(f64.mul (f64.mul (local.get 1) (local.get 2)) (local.get 3))";
      return `(f64.store (local.tee 4 (i32.sub (local.get 0) (i32.const 8)))
        (f64.${op} ${first ? `${load} ${prod}` : `${prod} ${load}`}))`;
    };
    const fn = (name: string, body: string) =>
      `(func (export "${name}") (param i32 f64 f64 f64) (local i32) ${body})`;
    const wat = `(module (memory (export "m") 1)
      ${fn("add", upd("add", true))} ${fn("sub", upd("sub", true))} ${fn("add2", upd("add", false))}
      (func (export "loop") (param i32 f64 f64 f64) (local i32 i32)
        (loop $l ${upd("add", false)}
          (local.set 0 (i32.add (local.get 0) (i32.const 8)))
          (br_if $l (i32.lt_u (local.tee 5 (i32.add (local.get 5) (i32.const 1))) (i32.const 3))))))`;
    assert.equal(ops(wat, 0)[1], "f64.load>f64.madd>f64.store");
    assert.equal(ops(wat, 1)[1], "f64.load>f64.msub>f64.store");
    assert.equal(ops(wat, 2)[0], "i32.sub_i+f64.mul>f64.mul>f64.load>f64.add>f64.store");
    const inst = new Instance(new Module(parseWat(wat)));
    const e = inst.exports as Record<string, (a: number, x: number, y: number, z: number) => void>;
    const f = new Float64Array((inst.exports.m as { buffer: ArrayBuffer }).buffer, 0, 4);
    f.set([1.5, 10, 100, 1000]);
    e.add(16, 2, 3, 4);
    e.sub(24, 2, 3, 0.5);
    e.add2(32, 1, 1, 1);
    e.loop(8, 2, 2, 2);
    // 10 + 2·3·4, 100 - 2·3·0.5, 1000 + 1, then the loop adds 8 to f[0], f[1], f[2].
    assert.deepEqual([...f], [9.5, 42, 105, 1001]);
  });
  it("a register rotation before a loop's back edge jumps for the br (same results)", () => {
    const wat = `(module (func (export "f") (param i32) (result i32) (local i32 i32 i32 i32)
      (local.set 1 (i32.const 1)) (local.set 2 (i32.const 2)) (local.set 3 (i32.const 3))
      (loop $l
        (local.set 4 (i32.add (local.get 1) (local.get 3)))
        (local.set 1 (local.get 2)) (local.set 2 (local.get 3)) (local.set 3 (local.get 4))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (i32.add (i32.mul (local.get 1) (i32.const 100)) (i32.add (local.get 2) (local.get 3)))))`;
    const e = new Instance(new Module(parseWat(wat))).exports as Record<
      string,
      (n: number) => number
    >;
    // (1, 2, 3) → (2, 3, 4) → (3, 4, 6) → (4, 6, 9)
    assert.deepEqual([e.f(1), e.f(3)], [200 + 7, 400 + 15]);
  });
  it("a br to a return is replaced by the return", () => {
    const l = ops(`(module (func (param i32) (result i32)
      (block (result i32) (br_if 0 (local.get 0) (local.get 0)) (drop) (i32.const 3))))`);
    assert.ok(!l.includes("br"), l.join(" "));
  });
  it("SHA-2 style rotate/shift-xor chains run as one instruction with the same results", () => {
    const wat = `(module (func (export "f") (param i32) (result i32)
      (i32.xor (i32.xor (i32.rotl (local.get 0) (i32.const 26)) (i32.rotl (local.get 0) (i32.const 21)))
        (i32.rotl (local.get 0) (i32.const 7))))
      (func (export "g") (param i32) (result i32)
      (i32.xor (i32.xor (i32.rotl (local.get 0) (i32.const 25)) (i32.rotl (local.get 0) (i32.const 14)))
        (i32.shr_u (local.get 0) (i32.const 3)))))`;
    assert.equal(ops(wat, 0)[0], "i32.xrot3");
    assert.equal(ops(wat, 1)[0], "i32.xrot2shr");
    const e = new Instance(new Module(parseWat(wat))).exports as Record<
      string,
      (x: number) => number
    >;
    const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
    for (const x of [0, 1, -1, 0x6a09e667, -0x7fffffff, 0x12345678]) {
      assert.equal(e.f(x), rotl(x, 26) ^ rotl(x, 21) ^ rotl(x, 7));
      assert.equal(e.g(x), rotl(x, 25) ^ rotl(x, 14) ^ (x >>> 3));
    }
  });
  it("a one-result block followed by local.set delivers into the local (no move after end)", () => {
    const wat = `(module (func (param i32 i32) (result i32) (local i32)
      (local.set 2 (block (result i32)
        (br_if 0 (i32.mul (local.get 0) (i32.const 3)) (local.get 1))
        (drop) (i32.add (local.get 0) (i32.const 1))))
      (local.get 2)))`;
    const l = ops(wat);
    assert.ok(!l.includes("mov32"), l.join(" "));
  });
  it("block homes: every way into the local gives the spec's value", () => {
    // Branches, br_table, if/else arms, a try_table catch, nested homes on
    // one local, and a read of the local inside the block before a branch.
    const wat = `(module
      (tag $t (param i32))
      (func (export "br") (param i32 i32) (result i32) (local i32)
        (local.set 2 (i32.const 100))
        (local.set 2 (block (result i32)
          (br_if 0 (i32.add (local.get 2) (local.get 0)) (local.get 1))
          (drop) (i32.sub (local.get 2) (local.get 0))))
        (local.get 2))
      (func (export "table") (param i32) (result i32) (local i32)
        (local.set 1 (block $a (result i32)
          (local.set 1 (block $b (result i32)
            (br_table $a $b $a (i32.const 7) (local.get 0))))
          (i32.add (local.get 1) (i32.const 30))))
        (local.get 1))
      (func (export "if") (param i32) (result i32) (local i32)
        (local.set 1 (if (result i32) (local.get 0) (then (i32.const 11)) (else (i32.const 22))))
        (local.get 1))
      (func (export "catch") (param i32) (result i32) (local i32)
        (local.set 1 (block $h (result i32)
          (try_table (catch $t $h) (if (local.get 0) (then (throw $t (i32.const 5)))))
          (i32.const 9)))
        (local.get 1))
      (func (export "keep") (param i32) (result i32) (local i32)
        ;; the old value is read (and kept on the stack) before the block writes the local
        (local.set 1 (i32.const 40))
        (i32.add (local.get 1)
          (block (result i32) (local.set 1 (block (result i32) (br_if 1 (i32.const 2) (local.get 0)) (drop) (i32.const 3))) (local.get 1)))))`;
    const e = new Instance(new Module(parseWat(wat))).exports as Record<
      string,
      (...a: number[]) => number
    >;
    assert.deepEqual([e.br(5, 1), e.br(5, 0)], [105, 95]);
    assert.deepEqual([e.table(0), e.table(1), e.table(2), e.table(9)], [7, 37, 7, 7]);
    assert.deepEqual([e.if(1), e.if(0)], [11, 22]);
    assert.deepEqual([e.catch(1), e.catch(0)], [5, 9]);
    assert.deepEqual([e.keep(1), e.keep(0)], [42, 43]);
  });
});
