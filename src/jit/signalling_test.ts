import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { IR } from "../interp/ir_defs.ts";
import { emitFunction } from "./emit.ts";
import { EXACT_DOUBLES } from "./accesses.ts";
import { signalling, sourceBits } from "./signalling.ts";

/** The test compiled code makes of slot `s`'s double, read from the register file. */
const test = (s: number) => signalling(`$d${s}`, `I32[fp + ${2 * s + 1}]`);

describe("JIT: no signalling NaN in a JS double", () => {
  it("names the bits each double-from-bits expression reads", () => {
    assert.deepEqual(sourceBits("DV.getFloat64(ea, true)"), {
      lo: "DV.getInt32(ea, true)",
      hi: "DV.getInt32(ea + 4, true)",
    });
    assert.deepEqual(sourceBits("F64[fd + 3]"), { lo: "I32[fp + 6]", hi: "I32[fp + 7]" });
    assert.deepEqual(sourceBits("$bd($r4, $r5)"), { lo: "$cvI[0]", hi: "$cvI[1]" });
    // Computed, or a double already: nothing to test.
    for (const e of ["$d3", "$bd($r4, $r5) + $d1", "r === r ? r : QNAN[0]", "0.5"]) {
      assert.equal(sourceBits(e), null, e);
    }
  });

  it("tests the doubles it reloads where a slice starts and a direct call enters", () => {
    // Slot 0, an f64 parameter, and slot 1 are held as doubles.
    const code = new Int32Array([
      ...[IR["f64.add"], 1, 0, 0],
      ...[IR["f64.mul"], 1, 1, 0],
      ...[IR["ret64"], 2],
    ]);
    const frame = { paramWords: 2, localWords: 4, refLocals: null, resultSlots: 1, frameSlots: 2 };
    const { source } = emitFunction(code, { results: 1, frame, index: 0 });
    if (!EXACT_DOUBLES) return; // (JavaScriptCore: slots stay int32 words)
    const slice = source.slice(source.indexOf("const $slice"));
    const direct = source.slice(0, source.indexOf("const $slice"));
    // Where a slice starts: leaves before anything ran, at the machine's pc.
    assert.ok(slice.includes(`(${test(0)}) || (${test(1)})`), "slice reload");
    assert.match(
      slice,
      /\$m\.pc = \$p; \$m\.budget = budget; \{ if \(\$direct\) \{ \$m\.directExit = 3;/,
    );
    // A direct call's parameter (locals are zero): its arguments and zeroed
    // locals go to the file, and it leaves at pc 0.
    assert.ok(direct.includes(`if ((${test(0)})) {`), "direct entry");
    assert.match(
      direct,
      /for \(let i = fp \+ 2; i < fp \+ 4; i\+\+\) I32\[i\] = 0; \{ \$m\.fn = fn;/,
    );
    assert.match(direct, /\$m\.pc = 0;/);
  });

  it("tests a direct call's results it holds as doubles, and puts their bits back after the spill", () => {
    // The call's result (slot 2, the callee's frame base) feeds an f64 add.
    const code = new Int32Array([
      ...[IR["call"], 1, 2],
      ...[IR["f64.add"], 1, 2, 2],
      ...[IR["ret64"], 2],
    ]);
    const { source } = emitFunction(code, {
      results: 1,
      callees: () => ({ params: 0, results: 1 }),
    });
    if (!EXACT_DOUBLES) return; // (JavaScriptCore: slots stay int32 words)
    assert.ok(source.includes("$d2 = F64[fd + 2];"), "the result held as a double");
    assert.ok(
      source.includes(`if ((${test(2)})) { for (let i = 0; i < 2; i++) $sv[i] = I32[fp + 4 + i];`),
    );
    assert.match(source, /\$x = 10; \$p = 3; break X;/);
    // The tail: the bits back over the spill, then a DEOPT exit.
    assert.match(
      source,
      /if \(\$x === 10\) \{ for \(let i = 0; i < \$f; i\+\+\) I32\[fp \+ \$q \+ i\] = \$sv\[i\]; \$x = 3; \}/,
    );
  });
});
