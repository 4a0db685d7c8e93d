/**
 * A bounded part of the spec suites with the JIT forced on (`eager`: every
 * function compiled on its first call): the scripts that exercise
 * execution most — control flow, calls, numerics and their traps, NaN
 * bits, memory, tables, SIMD. The whole set runs with
 * `deno run -A tests/run_spec_suites.ts --jit=eager`.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { corpus } from "./_shared.ts";
import { WASM2_FEATURES } from "../src/binary/features.ts";
import { newReport, runWast } from "../src/wast/runner.ts";
import { defaultJit, type JitMode, setDefaultJit } from "../src/jit/tier.ts";
import { jitStats } from "../src/jit/compile.ts";

const SCRIPTS = [
  "address.wast",
  "block.wast",
  "br.wast",
  "br_if.wast",
  "br_table.wast",
  "call.wast",
  "call_indirect.wast",
  "conversions.wast",
  "endianness.wast",
  "f32.wast",
  "f64.wast",
  "f64_bitwise.wast",
  "fac.wast",
  "float_exprs.wast",
  "float_memory.wast",
  "float_misc.wast",
  "global.wast",
  "i32.wast",
  "i64.wast",
  "if.wast",
  "left-to-right.wast",
  "loop.wast",
  "memory_copy.wast",
  "memory_fill.wast",
  "memory_grow.wast",
  "memory_trap.wast",
  "return.wast",
  "select.wast",
  "simd_f32x4_arith.wast",
  "simd_i16x8_sat_arith.wast",
  "simd_load.wast",
  "stack.wast",
  "switch.wast",
  "table_grow.wast",
  "traps.wast",
  "unwind.wast",
];

const dir = corpus("testsuite/core");

describe("spec scripts with the JIT eager", () => {
  if (dir === null) return;
  let saved: JitMode = "auto";
  const compiled = jitStats.compiled;
  before(() => {
    saved = defaultJit();
    setDefaultJit("eager");
  });
  after(() => setDefaultJit(saved));
  for (const f of SCRIPTS) {
    it(f, () => {
      const report = newReport();
      runWast(readFileSync(join(dir, f), "utf8"), f, WASM2_FEATURES, report);
      const shown = report.failures.slice(0, 10).map((x) => `${x.file}:${x.line}: ${x.message}`);
      assert.equal(report.failed, 0, shown.join("\n"));
      assert.ok(report.passed > 0, `${f}: nothing ran`);
    });
  }
  it("compiled the functions it ran", () => {
    assert.ok(jitStats.compiled - compiled > 500, `${jitStats.compiled - compiled} compiled`);
  });
});
