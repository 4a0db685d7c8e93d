import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "../api/module.ts";
import { Instance } from "../api/instance.ts";
import { Table } from "../api/table.ts";
import { Global } from "../api/global.ts";
import { RuntimeError } from "../errors.ts";

type Fn = (...args: unknown[]) => unknown;

function exportsOf(wat: string, imports: object = {}): Record<string, Fn> {
  return new Instance(new Module(parseWat(wat)), imports).exports as Record<string, Fn>;
}

const traps = (f: () => unknown, message: string) =>
  assert.throws(f, (e) => e instanceof RuntimeError && e.message === message);

describe("GC execution", () => {
  it("keeps f32 and f64 field and element bits (signalling NaNs included)", () => {
    const e = exportsOf(`(module
      (type $s (struct (field (mut f32)) (field (mut f64))))
      (type $a (array (mut f32)))
      (func (export "s32") (param i32) (result i32)
        (i32.reinterpret_f32 (struct.get $s 0
          (struct.new $s (f32.reinterpret_i32 (local.get 0)) (f64.const 0)))))
      (func (export "s64") (param i64) (result i64)
        (i64.reinterpret_f64 (struct.get $s 1
          (struct.new $s (f32.const 0) (f64.reinterpret_i64 (local.get 0))))))
      (func (export "a32") (param i32) (result i32)
        (i32.reinterpret_f32 (array.get $a
          (array.new $a (f32.reinterpret_i32 (local.get 0)) (i32.const 3)) (i32.const 2)))))`);
    assert.equal(e.s32(0x7fa00001), 0x7fa00001);
    assert.equal(e.a32(0x7f800001), 0x7f800001);
    assert.equal(e.s64(0x7ff0000000000001n), 0x7ff0000000000001n);
  });

  it("truncates packed fields on write and extends them on read", () => {
    const e = exportsOf(`(module
      (type $s (struct (field (mut i8)) (field (mut i16))))
      (type $a (array (mut i8)))
      (func (export "s") (param i32 i32) (result i32)
        (local $x (ref $s))
        (local.set $x (struct.new $s (i32.const 0) (i32.const 0)))
        (struct.set $s 0 (local.get $x) (local.get 0))
        (struct.set $s 1 (local.get $x) (local.get 0))
        (if (result i32) (i32.eqz (local.get 1))
          (then (i32.add (struct.get_s $s 0 (local.get $x)) (struct.get_s $s 1 (local.get $x))))
          (else (i32.add (struct.get_u $s 0 (local.get $x)) (struct.get_u $s 1 (local.get $x))))))
      (func (export "a") (param i32) (result i32)
        (local $x (ref $a))
        (local.set $x (array.new_default $a (i32.const 1)))
        (array.set $a (local.get $x) (i32.const 0) (local.get 0))
        (i32.sub (array.get_u $a (local.get $x) (i32.const 0))
                 (array.get_s $a (local.get $x) (i32.const 0)))))`);
    assert.equal(e.s(0x1ff80, 0), -128 + -128);
    assert.equal(e.s(0x1ff80, 1), 0x80 + 0xff80);
    assert.equal(e.a(0x180), 0x80 - -128);
  });

  it("traps with the spec's messages", () => {
    const e = exportsOf(`(module
      (type $s (struct (field i32)))
      (type $a (array i32))
      (type $t (struct (field i64)))
      (func (export "nullStruct") (result i32) (struct.get $s 0 (ref.null $s)))
      (func (export "nullArray") (result i32) (array.len (ref.null $a)))
      (func (export "nullI31") (result i32) (i31.get_s (ref.null i31)))
      (func (export "cast") (result i32)
        (struct.get $t 0 (ref.cast (ref $t) (struct.new $s (i32.const 1)))) (drop) (i32.const 0))
      (func (export "bounds") (param i32) (result i32)
        (array.get $a (array.new $a (i32.const 7) (i32.const 2)) (local.get 0)))
      (type $l (array i64))
      (type $r (array anyref))
      (func (export "tooLarge") (result i32)
        (array.len (array.new_default $a (i32.const -1))))
      (func (export "tooManyBytes") (result i32)
        (array.len (array.new_default $l (i32.const 0x0fffffff))))
      (func (export "tooManyRefs") (result i32)
        (array.len (array.new_default $r (i32.const 0x0fffffff)))))`);
    traps(() => e.nullStruct(), "null structure reference");
    traps(() => e.nullArray(), "null array reference");
    traps(() => e.nullI31(), "null i31 reference");
    traps(() => e.cast(), "cast failure");
    assert.equal(e.bounds(1), 7);
    traps(() => e.bounds(2), "out of bounds array access");
    traps(() => e.bounds(-1), "out of bounds array access");
    traps(() => e.tooLarge(), "array too large");
    traps(() => e.tooManyBytes(), "array too large"); // 2 GiB: a trap, not an allocation
    traps(() => e.tooManyRefs(), "array too large"); // past V8's array length: not a RangeError
  });

  it("casts and calls across modules by canonical type (iso-recursive equivalence)", () => {
    const types = `
      (rec (type $node (sub (struct (field i32) (field (ref null $node))))))
      (type $leaf (sub final $node (struct (field i32) (field (ref null $node)))))
      (type $fn (func (param i32) (result i32)))`;
    const a = exportsOf(`(module ${types}
      (table (export "tab") 1 funcref)
      (elem (i32.const 0) $inc)
      (func $inc (type $fn) (i32.add (local.get 0) (i32.const 1)))
      (func (export "make") (param i32) (result anyref)
        (struct.new $leaf (local.get 0) (struct.new $node (i32.const 9) (ref.null $node)))))`);
    const b = exportsOf(
      `(module ${types}
      (import "a" "tab" (table 1 funcref))
      (func (export "sum") (param anyref) (result i32)
        (local $n (ref $node))
        (local.set $n (ref.cast (ref $node) (local.get 0)))
        (i32.add (struct.get $node 0 (local.get $n))
                 (struct.get $node 0 (ref.cast (ref $node) (struct.get $node 1 (local.get $n))))))
      (func (export "isLeaf") (param anyref) (result i32) (ref.test (ref $leaf) (local.get 0)))
      (func (export "call") (param i32) (result i32)
        (call_indirect (type $fn) (local.get 0) (i32.const 0))))`,
      { a: { tab: a.tab } },
    );
    const s = a.make(5);
    assert.equal(b.isLeaf(s), 1);
    assert.equal(b.call(41), 42);
    assert.equal(b.sum(s), 14);
    assert.equal(b.isLeaf(b.sum), 0, "a function is not in the any hierarchy's structs");
  });

  it("converts JS values at the boundary as the JS API says (anyref, eqref, i31ref)", () => {
    const e = exportsOf(`(module
      (type $s (struct (field i32)))
      (func (export "kind") (param anyref) (result i32)
        (if (result i32) (ref.is_null (local.get 0)) (then (i32.const 0))
          (else (if (result i32) (ref.test (ref i31) (local.get 0)) (then (i32.const 1))
            (else (if (result i32) (ref.test (ref $s) (local.get 0)) (then (i32.const 2))
              (else (i32.const 3))))))))
      (func (export "i31") (param i31ref) (result i32) (i31.get_s (local.get 0)))
      (func (export "eq") (param eqref eqref) (result i32) (ref.eq (local.get 0) (local.get 1)))
      (func (export "id") (param anyref) (result anyref) (local.get 0))
      (func (export "ext") (param externref) (result anyref) (any.convert_extern (local.get 0)))
      (func (export "mk") (param i32) (result (ref $s)) (struct.new $s (local.get 0)))
      (func (export "get") (param (ref null $s)) (result i32) (struct.get $s 0 (local.get 0))))`);
    assert.equal(e.kind(null), 0);
    assert.equal(e.kind(5), 1);
    assert.equal(e.kind(-(2 ** 30)), 1);
    assert.equal(e.kind(2 ** 30), 3, "outside i31: a host number");
    assert.equal(e.kind(1.5), 3);
    assert.equal(e.kind(-0), 3, "-0 is not an i31 value");
    assert.equal(e.kind({}), 3);
    assert.equal(e.kind(e.mk(1)), 2);
    assert.equal(e.id(2 ** 40), 2 ** 40, "host numbers come back as themselves");
    assert.equal(e.id(7), 7);
    const o = {};
    assert.equal(e.id(o), o);
    const s = e.mk(33);
    assert.equal(e.id(s), s, "a struct is one JS object, whichever way it crosses");
    assert.equal(Object.getPrototypeOf(s), null, "opaque: no prototype");
    assert.deepEqual(Reflect.ownKeys(s as object), [], "opaque: no properties");
    assert.ok(Object.isFrozen(s));
    assert.equal(e.get(s), 33);
    assert.equal(e.kind(e.ext(12)), 1, "an externref number in i31 range is an i31 inside");
    assert.equal(e.kind(e.ext(0.25)), 3);
    assert.equal(e.i31(-7), -7);
    assert.throws(() => e.i31(1.5), TypeError);
    assert.throws(() => e.i31({}), TypeError);
    assert.equal(e.eq(s, s), 1);
    assert.equal(e.eq(3, 3), 1);
    assert.equal(e.eq(e.mk(33), s), 0);
    assert.throws(() => e.eq({}, null), TypeError, "a host object is not an eqref");
    assert.throws(() => e.get({}), TypeError, "not a struct of that type");
  });

  it("makes tables and globals of GC types from JS (anyref, eqref, i31ref…)", () => {
    const table = new Table({ element: "anyref", initial: 2 });
    assert.equal(table.get(0), null, "the default of anyref is null");
    const g = new Global({ value: "eqref", mutable: true }, 5);
    assert.throws(() => new Global({ value: "i31ref" }, 1.5), TypeError);
    assert.throws(() => (g.value = {}), TypeError, "a host object is not an eqref");
    const e = exportsOf(
      `(module
      (type $s (struct (field i32)))
      (import "js" "tab" (table 2 anyref))
      (import "js" "g" (global (mut eqref)))
      (func (export "fill")
        (table.set (i32.const 0) (struct.new $s (i32.const 4)))
        (table.set (i32.const 1) (global.get 0)))
      (func (export "read") (result i32)
        (i32.add (struct.get $s 0 (ref.cast (ref $s) (table.get (i32.const 0))))
                 (i31.get_s (ref.cast (ref i31) (table.get (i32.const 1)))))))`,
      { js: { tab: table, g } },
    );
    e.fill();
    assert.equal(e.read(), 9);
    assert.equal(table.get(1), 5, "an i31ref reads as a number");
    const s = table.get(0);
    assert.equal(Object.getPrototypeOf(s), null);
    g.value = s as object;
    assert.equal(g.value, s);
    assert.throws(() => new Global({ value: "nullref" }, s), TypeError);
    assert.throws(() => new Table({ element: "structref", initial: 1 }, 3), TypeError);
  });

  it("allocates and drops many short-lived structs in a loop", () => {
    const e = exportsOf(`(module
      (type $p (struct (field (mut i32)) (field (mut i32))))
      (func (export "churn") (param $n i32) (result i32)
        (local $acc i32) (local $q (ref null $p))
        (loop $l
          (local.set $q (struct.new $p (local.get $n) (local.get $acc)))
          (local.set $acc (i32.add (struct.get $p 0 (local.get $q)) (struct.get $p 1 (local.get $q))))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc)))`);
    let expect = 0;
    for (let n = 300_000; n > 0; n--) expect = (expect + n) | 0;
    assert.equal(e.churn(300_000), expect);
  });
});
