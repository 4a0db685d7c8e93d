import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, RuntimeError, Store } from "../../mod.ts";
import type { StoreLimits } from "../api/store.ts";
import type { JitMode } from "./tier.ts";
import { DIRECT_SLOTS, MAX_NESTING } from "./emit_calls.ts";
import { jitNesting } from "./runtime.ts";
import { Machine } from "../runtime/machine.ts";

// A direct call tests no room in the register file or the frame stack: the
// nesting a chain of direct calls counts from leaves only as many levels as
// fit (runtime.ts's jitNesting). These recurse deep enough for the file to
// grow many times, through frames near and far past DIRECT_SLOTS, and into
// the stack limits, and must come out as the interpreter does. The deepest
// call is a host call, which unwinds every direct caller into the register
// file (their live locals too): a frame written past the file's end would
// lose them (typed arrays drop such writes).

/** `$down` recursing `n` deep with `locals` i64 locals live across its call. */
function recursion(locals: number): string {
  const names = Array.from({ length: locals }, (_, i) => `$l${i}`);
  return `(module
  (import "env" "leaf" (func $leaf (result i64)))
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (func $down (export "down") (param $n i32) (result i64)
    ${names.map((l) => `(local ${l} i64)`).join(" ")}
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    ${
    names.map((l, i) =>
      `(local.set ${l} (i64.extend_i32_u (i32.add (local.get $n) (i32.const ${i}))))`
    ).join("\n    ")
  }
    (if (result i64) (i32.eqz (local.get $n))
      (then (call $leaf))
      (else
        (i64.add
          (call $down (i32.sub (local.get $n) (i32.const 1)))
          ${names.reduce((acc, l) => `(i64.xor ${acc} (local.get ${l}))`, "(i64.const 0)")}))))
  ;; A caller that is not the callee itself (the callee's frame size read at run time).
  (func (export "via") (param $n i32) (result i64)
    (i64.add (call $down (local.get $n)) (call $down (i32.shr_u (local.get $n) (i32.const 1))))))`;
}

type Exports = {
  down: (n: number) => bigint;
  via: (n: number) => bigint;
  calls: { value: number };
};

function run(module: Module, jit: JitMode, limits: StoreLimits, call: (e: Exports) => bigint) {
  const imports = { env: { leaf: () => 1n } };
  const e = new Instance(module, imports, { store: new Store({ jit, limits }) }).exports as Exports;
  try {
    return [String(call(e)), e.calls.value];
  } catch (x) {
    assert.ok(x instanceof RuntimeError, String(x));
    return [x.message, e.calls.value];
  }
}

describe("JIT: room for direct calls", () => {
  for (const locals of [2, 40, DIRECT_SLOTS / 2 - 16, DIRECT_SLOTS + 20]) {
    it(`recursion with ${locals} locals per frame, the register file growing`, () => {
      const module = new Module(parseWat(recursion(locals)));
      for (const call of [(e: Exports) => e.down(3000), (e: Exports) => e.via(2500)]) {
        const off = run(module, "off", {}, call);
        assert.match(String(off[0]), /^\d+$/);
        assert.deepEqual(run(module, "eager", {}, call), off);
        assert.deepEqual(run(module, "auto", {}, call), off);
      }
    });

    it(`the stack limits trap at the interpreter's call (${locals} locals)`, () => {
      const module = new Module(parseWat(recursion(locals)));
      const limits: StoreLimits[] = [
        { stackFrames: 300 },
        { stackFrames: 33 },
        { stackBytes: 64 * 1024 },
        { stackBytes: 8 * (locals + 8) * 40 },
      ];
      for (const l of limits) {
        const off = run(module, "off", l, (e) => e.down(5000));
        assert.match(
          String(off[0]),
          /call stack exhausted/,
          JSON.stringify(l) + " " + JSON.stringify(off),
        );
        assert.deepEqual(run(module, "eager", l, (e) => e.down(5000)), off, JSON.stringify(l));
        // Within the limits (about half of them), all the way down and back.
        const n = l.stackBytes === undefined ? 15 : Math.floor(l.stackBytes / 16 / (locals + 10));
        const fits = run(module, "off", l, (e) => e.down(n));
        assert.match(String(fits[0]), /^\d+$/, JSON.stringify(l));
        assert.deepEqual(run(module, "eager", l, (e) => e.down(n)), fits, JSON.stringify(l));
      }
    });
  }

  it("a chain starts with room for its levels, within the limits", () => {
    const m = new Machine();
    assert.equal(jitNesting(m, 0, 0, 0, true), 0);
    assert.ok(m.capSlots >= MAX_NESTING * DIRECT_SLOTS);
    // Deeper in JS: fewer levels; near the depth limit: as many as are left.
    assert.equal(jitNesting(m, 0, 0, 5, true), 5);
    assert.equal(jitNesting(m, 0, m.maxDepth - 3, 0, true), MAX_NESTING - 3);
    // Without growing: as many as fit past `fd`.
    const cap = m.capSlots;
    assert.equal(jitNesting(m, cap - 3 * DIRECT_SLOTS, 0, 0), MAX_NESTING - 3);
    assert.equal(jitNesting(m, cap - 10, 0, 0), MAX_NESTING);
    assert.equal(m.capSlots, cap);
    // The register file grows only up to its limit.
    const small = new Machine();
    small.setLimits(100, 5 * DIRECT_SLOTS + 7);
    assert.equal(jitNesting(small, 0, 0, 0, true), MAX_NESTING - 5);
    assert.equal(small.capSlots, 5 * DIRECT_SLOTS + 7);
  });

  it("a function called directly that makes a call in place, at the end of a chain", () => {
    // $g runs SIMD through the loop's code (no direct variant): called
    // directly at the chain's last level, it calls $down in place.
    const wat = recursion(40).replace(
      /\)\s*$/,
      `(func $g (param $n i32) (result i64)
        (drop (i8x16.popcnt (v128.const i64x2 0 0)))
        (i64.add (call $down (local.get $n)) (i64.const 1)))
      (func $chain (export "chain") (param $k i32) (param $n i32) (result i64)
        (if (result i64) (i32.eqz (local.get $k))
          (then (call $g (local.get $n)))
          (else (i64.add (call $chain (i32.sub (local.get $k) (i32.const 1)) (local.get $n))
                         (i64.extend_i32_u (local.get $k)))))))`,
    );
    const module = new Module(parseWat(wat));
    for (const k of [0, 1, MAX_NESTING - 2, MAX_NESTING - 1, MAX_NESTING, MAX_NESTING + 3]) {
      const call = (e: Exports) =>
        (e as unknown as { chain: (k: number, n: number) => bigint }).chain(k, 600);
      const off = run(module, "off", {}, call);
      assert.match(String(off[0]), /^\d+$/);
      assert.deepEqual(run(module, "eager", {}, call), off, `k ${k}`);
    }
  });
});
