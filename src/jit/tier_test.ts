import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import { instanceState } from "../api/instance.ts";
import { SLICE, tiering } from "../interp/slice.ts";
import { translateFunction } from "../interp/translate.ts";
import { HOT_PER_WORD, HOT_TRANSFERS, LOOP_SLICES, PROFILING_SLICE } from "./tier.ts";

const WAT =
  `(module (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`;

describe("JIT tiering", () => {
  it("interprets a function not yet hot in short slices, and a function it will not compile in full ones", () => {
    const fresh = (jit: "auto" | "off") => {
      const st = instanceState(
        new Instance(new Module(parseWat(WAT)), {}, { store: new Store({ jit }) }),
      );
      translateFunction(st.funcs[0]);
      return { fn: st.funcs[0], store: st.store };
    };
    const auto = fresh("auto");
    assert.equal(tiering.up!(auto.fn, auto.store, 0), null);
    assert.equal(tiering.interpreted, PROFILING_SLICE);
    // Hot: compiled, and the slice runs compiled code.
    assert.notEqual(tiering.up!(auto.fn, auto.store, HOT_TRANSFERS * 10), null);
    const off = fresh("off");
    assert.equal(tiering.up!(off.fn, off.store, HOT_TRANSFERS * 10), null);
    assert.equal(tiering.interpreted, SLICE);
    const declined = fresh("auto");
    declined.fn.heat = -Infinity;
    assert.equal(tiering.up!(declined.fn, declined.store, 0), null);
    assert.equal(tiering.interpreted, SLICE);
  });

  it("compiles a large function whose loop runs whole slices in a row, before its heat says so", () => {
    // A function far larger than one that HOT_TRANSFERS would make hot.
    const body = Array.from(
      { length: 400 },
      (_, i) => `(local.set 0 (i32.add (local.get 0) (i32.const ${i})))`,
    ).join(" ");
    const wat = `(module
      (func (export "big") (param i32) (result i32) ${body} (local.get 0))
      (func (export "other") (param i32) (result i32) ${body} (local.get 0)))`;
    const st = instanceState(
      new Instance(new Module(parseWat(wat)), {}, { store: new Store({ jit: "auto" }) }),
    );
    const [big, other] = st.funcs;
    translateFunction(big);
    translateFunction(other);
    assert.ok(
      HOT_TRANSFERS + HOT_PER_WORD * big.code!.length > (LOOP_SLICES + 2) * PROFILING_SLICE,
    );
    // Whole slices, but interleaved with another function's: not a loop that runs on.
    for (let i = 0; i <= LOOP_SLICES; i++) {
      assert.equal(tiering.up!(big, st.store, PROFILING_SLICE), null);
      assert.equal(tiering.up!(other, st.store, PROFILING_SLICE), null);
    }
    // A slice cut short (a call, a return) breaks the run too.
    for (let i = 0; i < LOOP_SLICES; i++) {
      assert.equal(tiering.up!(big, st.store, PROFILING_SLICE), null);
    }
    assert.equal(tiering.up!(big, st.store, 10), null);
    // LOOP_SLICES whole slices in a row: compiled at the last.
    for (let i = 1; i < LOOP_SLICES; i++) {
      assert.equal(tiering.up!(big, st.store, PROFILING_SLICE), null);
    }
    assert.notEqual(tiering.up!(big, st.store, PROFILING_SLICE), null);
    assert.notEqual(big.jit, null);
    assert.equal(other.jit, null);
  });
});
