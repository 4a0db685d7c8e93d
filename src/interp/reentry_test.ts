/**
 * Host→wasm re-entry: an import that calls an export that calls the import…
 * runs to the store's re-entry limit and then traps with "call stack
 * exhausted" — never the host's RangeError — leaving the engine usable.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance } from "../api/instance.ts";
import { Module } from "../api/module.ts";
import { Store } from "../api/store.ts";
import { RuntimeError } from "../errors.ts";
import { DEFAULT_MAX_REENTRY } from "../runtime/store.ts";
import { parseWat } from "../text/parse_wat.ts";
import { runningMachine } from "./call.ts";

type Fn = (n: number) => number;

/** `g(n)` calls import `f(n + 1)`, which calls `g` again while `more(n)` says so. */
function pingPong(more: (n: number) => boolean, store?: Store): { g: Fn; deepest: () => number } {
  let deepest = 0;
  let g: Fn = () => 0;
  const exports = new Instance(
    new Module(parseWat(`(module
      (import "h" "f" (func $f (param i32) (result i32)))
      (func (export "g") (param i32) (result i32)
        (i32.add (call $f (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))`)),
    {
      h: {
        f: (n: number) => {
          deepest = Math.max(deepest, n);
          return more(n) ? g(n) : 0;
        },
      },
    },
    { store },
  ).exports;
  g = exports.g as Fn;
  return { g, deepest: () => deepest };
}

const exhausted = (e: unknown) => e instanceof RuntimeError && e.message === "call stack exhausted";

describe("host→wasm re-entry", () => {
  it("works to the default limit and traps one level past it", () => {
    const { g } = pingPong((n) => n < DEFAULT_MAX_REENTRY);
    // Each level adds 1 on the way out.
    assert.equal(g(0), DEFAULT_MAX_REENTRY);
    const over = pingPong((n) => n < DEFAULT_MAX_REENTRY + 1);
    assert.throws(() => over.g(0), exhausted);
    assert.equal(runningMachine(), null, "an activation left behind");
    assert.equal(g(0), DEFAULT_MAX_REENTRY, "usable again");
  });

  it("unbounded re-entry stops at the limit with a trap", () => {
    const { g, deepest } = pingPong(() => true);
    assert.throws(() => g(0), exhausted);
    assert.equal(deepest(), DEFAULT_MAX_REENTRY);
  });

  it("the limit is a store option", () => {
    const store = new Store({ limits: { reentry: 10 } });
    assert.equal(pingPong((n) => n < 10, store).g(0), 10);
    assert.throws(() => pingPong((n) => n < 11, store).g(0), exhausted);
  });

  it("past what the JS stack allows, the host's stack overflow is the same trap", () => {
    const { g, deepest } = pingPong(() => true, new Store({ limits: { reentry: 10_000_000 } }));
    assert.throws(() => g(0), exhausted);
    // How deep the host's default stack lets re-entry go (see DEFAULT_MAX_REENTRY).
    console.log(`re-entry depth the JS stack allowed: ${deepest()}`);
    assert.ok(deepest() > DEFAULT_MAX_REENTRY, `only ${deepest()} levels`);
    assert.equal(runningMachine(), null);
    assert.equal(pingPong((n) => n < 5).g(0), 5);
  });
});
