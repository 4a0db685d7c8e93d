import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import { instanceState } from "../api/instance.ts";
import { SLICE, tiering } from "../interp/slice.ts";
import { translateFunction } from "../interp/translate.ts";
import { HOT_TRANSFERS, PROFILING_SLICE } from "./tier.ts";

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
});
