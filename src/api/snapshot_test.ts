/**
 * Snapshots of idle instances and paused calls: what is saved comes back,
 * what cannot be saved is refused, and bad or mismatched bytes are rejected
 * before anything is created.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Instance } from "./instance.ts";
import type { Memory } from "./memory.ts";
import { Module } from "./module.ts";
import { callResumable } from "./resumable.ts";
import { snapshot } from "./snapshot.ts";
import { fnv1a64, SnapshotError } from "./snapshot_codec.ts";
import { restore } from "./snapshot_restore.ts";
import { Store } from "./store.ts";
import type { Table } from "./table.ts";

type Fn = (...a: unknown[]) => unknown;

const STATEFUL = `(module
  (memory (export "mem") 1 100)
  (table (export "tab") 2 funcref)
  (global $g (export "g") (mut i32) (i32.const 0))
  (global $h (mut i64) (i64.const 0))
  (global $f (mut funcref) (ref.null func))
  (elem $e func $one $two)
  (data $d "hello")
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (type $t (func (result i32)))
  (func (export "init")
    (global.set $g (i32.const 7))
    (global.set $h (i64.const 0x123456789abcdef))
    (global.set $f (ref.func $two))
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 131072) (i32.const 99))
    (memory.init $d (i32.const 100) (i32.const 0) (i32.const 5))
    (data.drop $d)
    (table.init 0 $e (i32.const 0) (i32.const 0) (i32.const 2))
    (elem.drop $e))
  (func (export "check") (result i64)
    (i64.add (global.get $h)
      (i64.extend_i32_u (i32.add (i32.add (global.get $g) (i32.load (i32.const 131072)))
        (i32.add (call_indirect (type $t) (i32.const 1)) (ref.is_null (global.get $f)))))))
  (func (export "reinit") (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))))`;

describe("snapshots", () => {
  it("an idle instance comes back with its memory, tables, globals and dropped segments", () => {
    const module = new Module(parseWat(STATEFUL));
    const a = new Instance(module).exports as Record<string, Fn>;
    a.init();
    const before = a.check();
    const source = new Instance(module);
    (source.exports.init as Fn)();
    const bytes = snapshot(source);
    const { instance, call } = restore(bytes);
    const b = instance.exports as Record<string, Fn>;
    assert.equal(call, null);
    assert.equal(b.check(), before);
    assert.equal((b.g as unknown as { value: number }).value, 7);
    const mem = new Uint8Array((b.mem as unknown as Memory).buffer);
    assert.equal(mem.length, 3 * 65536);
    assert.equal(new TextDecoder().decode(mem.subarray(100, 105)), "hello");
    assert.equal((b.tab as unknown as Table).length, 2);
    assert.throws(() => b.reinit(), /out of bounds memory access/, "data segment stays dropped");
    // Without the module embedded: restore needs it, and only that one.
    const lean = snapshot(source, { includeModule: false });
    assert.ok(lean.length < bytes.length);
    assert.equal(
      (restore(lean, {}, { module }).instance.exports.check as Fn)(),
      before,
    );
    assert.throws(() => restore(lean), SnapshotError);
    const other = new Module(parseWat(`(module (memory 1))`));
    assert.throws(() => restore(lean, {}, { module: other }), /another module/);
  });

  it("rejects corrupt, truncated and foreign bytes with a clear error", () => {
    const bytes = snapshot(new Instance(new Module(parseWat(STATEFUL))));
    const flipped = bytes.slice();
    flipped[flipped.length >> 1] ^= 1;
    assert.throws(() => restore(flipped), /checksum mismatch/);
    assert.throws(() => restore(bytes.subarray(0, bytes.length - 10)), /checksum mismatch/);
    assert.throws(() => restore(new Uint8Array(3)), /too short/);
    assert.throws(() => restore("nope" as never), TypeError);
    // Well sealed but not ours, or of another version.
    const reseal = (b: Uint8Array) => {
      const body = b.subarray(0, b.length - 8);
      const [lo, hi] = fnv1a64(body);
      const out = new Uint8Array(b.length);
      out.set(body);
      new DataView(out.buffer).setUint32(b.length - 8, lo, true);
      new DataView(out.buffer).setUint32(b.length - 4, hi, true);
      return out;
    };
    const magic = bytes.slice();
    magic[1] = 0;
    assert.throws(() => restore(reseal(magic)), /not a Gannet snapshot/);
    const version = bytes.slice();
    version[4] = 99;
    assert.throws(() => restore(reseal(version)), /format version 99/);
    for (const e of [flipped, magic]) {
      assert.throws(() => restore(e), (err) => err instanceof SnapshotError);
    }
  });

  it("refuses state it cannot save", () => {
    const e = new Instance(
      new Module(parseWat(`(module (global (export "x") (mut externref) (ref.null extern))
        (func (export "set") (param externref) (global.set 0 (local.get 0))))`)),
    );
    snapshot(e);
    (e.exports.set as Fn)({ some: "object" });
    assert.throws(() => snapshot(e), /externref/);
    const gc = new Instance(
      new Module(parseWat(`(module (type $s (struct))
        (table (export "t") 1 anyref) (global (mut anyref) (ref.null any))
        (func (export "set") (table.set (i32.const 0) (struct.new $s))))`)),
    );
    assert.throws(() => snapshot(gc), /global 0 has type anyref: GC references cannot be saved/);
    const gcTable = new Instance(
      new Module(parseWat(`(module (type $s (struct)) (table 1 anyref)
        (func (export "set") (table.set (i32.const 0) (struct.new $s))))`)),
    );
    snapshot(gcTable);
    (gcTable.exports.set as Fn)();
    assert.throws(() => snapshot(gcTable), /a GC reference \(struct, array or i31\)/);
  });

  it("a paused call is saved with its frames and finishes the same after restore", () => {
    const wat = `(module
      (memory (export "mem") 1)
      (func $fib (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "run") (param $n i32) (result i32) (local $i i32) (local $acc i32)
        (loop $l
          (local.set $acc (i32.add (local.get $acc) (call $fib (local.get $i))))
          (i32.store (i32.mul (local.get $i) (i32.const 4)) (local.get $acc))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $acc)))`;
    const module = new Module(parseWat(wat));
    const expected = (new Instance(module).exports.run as Fn)(22);
    const store = new Store({ fuel: 12_345 });
    const inst = new Instance(module, {}, { store });
    const call = callResumable(inst.exports.run as Fn, [22]);
    assert.equal(call.pausedBy, "fuel");
    assert.ok(call.frames.length > 3, "paused deep in the recursion");
    const bytes = snapshot(inst, { call });
    // The original and the restored call both finish, each on its own state.
    const copyStore = new Store({ fuel: 0 });
    const restored = restore(bytes, {}, { store: copyStore });
    const copy = restored.call!;
    assert.equal(copy.pausedBy, "fuel");
    assert.deepEqual(copy.frames, call.frames);
    store.fuel = Infinity;
    assert.equal(call.resume().value, expected);
    let rounds = 0;
    while (!copy.done) {
      rounds++;
      copyStore.fuel = 5000;
      copy.resume();
    }
    assert.equal(copy.value, expected);
    assert.ok(rounds > 1);
    const words = (i: Instance) =>
      new Int32Array((i.exports.mem as unknown as Memory).buffer, 0, 22);
    assert.deepEqual(words(restored.instance), words(inst));
  });
});
