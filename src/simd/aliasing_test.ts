/**
 * In-place operation: the translator may give an instruction the same
 * register for its result and an operand (`dst === a`, `dst === b`, …).
 * Every register operation must then give the same result as with a
 * separate destination — the shape-changing ones (narrow, extend, shuffle,
 * dot, …) are where a naive lane loop would read lanes it already wrote.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Imm, opByName } from "../binary/opcodes.ts";
import { SIMD_OPS } from "./table.ts";
import { simdViews } from "./views.ts";
import { fillVector, Rng } from "./_edge_values.ts";

const IN = [16, 32, 48];
const POOL = 64;
const SIZE: Record<string, number> = { v: 16, i: 4, l: 8, f: 4, d: 8 };

/**
 * The result bytes, with NaN lanes of float arithmetic replaced by a marker:
 * their payload may legitimately differ from call to call (JSC returns a
 * pure NaN from some tiers and the FPU's NaN from others).
 */
function resultOf(name: string, regs: Uint8Array, at: number, n: number): (number | string)[] {
  const out: (number | string)[] = [...regs.subarray(at, at + n)];
  const m =
    /^f(32|64)x\d\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|relaxed_\w+|demote\w+|promote\w+)$/
      .exec(name);
  if (!m) return out;
  const w = m[1] === "32" ? 4 : 8;
  const dv = new DataView(regs.buffer, at, n);
  for (let k = 0; k < n; k += w) {
    if (Number.isNaN(w === 4 ? dv.getFloat32(k, true) : dv.getFloat64(k, true))) {
      out.fill("NaN", k, k + w);
    }
  }
  return out;
}

describe("SIMD ops with the result in an operand's register", () => {
  const regs = new Uint8Array(96);
  const saved = new Uint8Array(96);
  const r = simdViews(regs.buffer);

  for (const [name, impl] of SIMD_OPS) {
    const info = opByName(name)!;
    const [params, result] = info.sig!.split(":");
    if (params.length === 0) continue; // v128.const has no operand
    it(name, () => {
      const rng = new Rng(info.index + 5);
      const n = SIZE[result];
      for (let t = 0; t < 100; t++) {
        for (const base of IN) fillVector(rng, regs, base);
        // The shuffle mask pool; lane ops use c as the lane index instead.
        for (let i = 0; i < 16; i++) regs[POOL + i] = rng.below(32);
        const lane = info.imm === Imm.Lane ? rng.below(laneCount(name)) : 0;
        const c = info.imm === Imm.Lane ? lane : info.imm === Imm.Shuffle ? POOL : IN[2];
        saved.set(regs);
        // Same input in every operand, separate destination, then in place.
        impl(r, 0, IN[0], IN[0], c === IN[2] ? IN[0] : c);
        const sameExpected = resultOf(name, regs, 0, n);
        regs.set(saved);
        impl(r, IN[0], IN[0], IN[0], c === IN[2] ? IN[0] : c);
        assert.deepEqual(resultOf(name, regs, IN[0], n), sameExpected, "all operands one register");
        for (let k = 0; k < params.length; k++) {
          regs.set(saved);
          impl(r, 0, IN[0], IN[1], c);
          const expected = resultOf(name, regs, 0, n);
          regs.set(saved);
          impl(r, IN[k], IN[0], IN[1], c);
          assert.deepEqual(resultOf(name, regs, IN[k], n), expected, `dst = operand ${k}`);
        }
      }
    });
  }
});

function laneCount(name: string): number {
  const shape = name.split(".")[0];
  return { i8x16: 16, i16x8: 8, i32x4: 4, f32x4: 4, i64x2: 2, f64x2: 2 }[shape] ?? 16;
}
