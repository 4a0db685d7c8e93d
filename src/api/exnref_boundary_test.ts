/**
 * exnref at the JS boundary: `Table.get`/`Table.set`/`Table.grow` with a
 * value and `Global.value` of an exnref throw a TypeError even for null
 * (the JS API converts by type; V8 does the same), while the defaults —
 * `set` and `grow` without a value — stay allowed. Found by the wasm fuzz
 * target (binaryen exports exnref globals and tables; regressions
 * `tests/fuzz/regressions/exnref-{global-value,table-get}-throws`).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat } from "../../mod.ts";

const bytes = parseWat(`(module
  (table (export "t") 2 exnref)
  (table (export "nt") 1 nullexnref)
  (global (export "g") (mut exnref) (ref.null exn)))`);

describe("exnref at the JS boundary", () => {
  const { t, nt, g } = new Instance(new Module(bytes), {}).exports as Record<
    string,
    // deno-lint-ignore no-explicit-any
    any
  >;

  it("reading an exnref table or global throws, even for null", () => {
    assert.throws(() => t.get(0), TypeError);
    assert.throws(() => nt.get(0), TypeError);
    assert.throws(() => g.value, TypeError);
    assert.throws(() => g.valueOf(), TypeError);
  });

  it("writing a value, null included, throws; the defaults do not", () => {
    assert.throws(() => t.set(0, null), TypeError);
    assert.throws(() => t.grow(1, null), TypeError);
    assert.throws(() => {
      g.value = null;
    }, TypeError);
    t.set(0);
    assert.equal(t.grow(1), 2);
    assert.equal(t.length, 3);
  });
});
