import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, RuntimeError } from "../../mod.ts";

function instance(wat: string, imports: Record<string, Record<string, unknown>> = {}): Instance {
  return new Instance(new Module(parseWat(wat)), imports);
}

function stackOf(f: () => unknown): number[] {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof RuntimeError, `expected a trap, got ${e}`);
    return ((e as { wasmStack?: { funcIndex: number }[] }).wasmStack ?? []).map((x) => x.funcIndex);
  }
  assert.fail("no trap");
}

describe("trap backtraces (wasmStack)", () => {
  it("lists the frames innermost first", () => {
    const i = instance(`(module
      (func $inner (unreachable))
      (func $middle (call $inner))
      (func (export "outer") (call $middle)))`);
    assert.deepEqual(stackOf(i.exports.outer as () => void), [0, 1, 2]);
  });

  it("keeps the frames of both activations across a host call", () => {
    let inner: () => void = () => {};
    const i = instance(
      `(module
        (import "h" "reenter" (func $reenter))
        (func (export "boom") (i32.div_s (i32.const 1) (i32.const 0)) (drop))
        (func $viaHost (call $reenter))
        (func (export "start") (call $viaHost)))`,
      { h: { reenter: () => inner() } },
    );
    inner = i.exports.boom as () => void;
    // boom (1) ← host ← viaHost (2) ← start (3)
    assert.deepEqual(stackOf(i.exports.start as () => void), [1, 2, 3]);
  });

  it("does not touch exceptions thrown by host functions", () => {
    const thrown = new Error("host");
    const i = instance(
      `(module (import "h" "f" (func $f)) (func (export "run") (call $f)))`,
      {
        h: {
          f: () => {
            throw thrown;
          },
        },
      },
    );
    assert.throws(() => (i.exports.run as () => void)(), (e) => e === thrown);
    assert.equal((thrown as { wasmStack?: unknown }).wasmStack, undefined);
  });
});
