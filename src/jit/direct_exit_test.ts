import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, RuntimeError, Store } from "../../mod.ts";
import type { JitMode } from "./tier.ts";

// A directly called function that leaves without returning (its budget
// spent at a call) says so by the budget it leaves in the machine; each
// caller puts the real budget back before passing the exit on. Fuel is
// charged from that budget, so a stop point that the program can see (a
// global counting calls) shows a budget lost on the way.
const wat = `(module
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (func $walk (export "walk") (param $n i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $walk (i32.sub (local.get $n) (i32.const 1)))
                     (call $walk (i32.sub (local.get $n) (i32.const 2))))))))`;

describe("JIT: a direct callee that leaves without returning", () => {
  it("leaves the budget it had, so fuel stops at the interpreter's call", () => {
    const module = new Module(parseWat(wat));
    const stop = (jit: JitMode, fuel: number) => {
      const store = new Store({ jit, fuel });
      const e = new Instance(module, {}, { store }).exports as {
        walk: (n: number) => number;
        calls: { value: number };
      };
      let trap = "";
      try {
        e.walk(27);
      } catch (x) {
        assert.ok(x instanceof RuntimeError, String(x));
        trap = x.message;
      }
      return [trap, e.calls.value, store.fuel];
    };
    // Past OVERRUN (compiled code runs most of it) and a few slices long.
    for (const fuel of [70_001, 200_000, 333_333]) {
      const off = stop("off", fuel);
      assert.match(String(off[0]), /fuel/);
      assert.deepEqual(stop("eager", fuel), off, `fuel ${fuel}`);
      assert.deepEqual(stop("auto", fuel), off, `fuel ${fuel}, auto`);
    }
  });
});
