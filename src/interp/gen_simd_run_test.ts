import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { generate, generateCases, generatedRegion, loopCase } from "./gen_simd_run.ts";
import { LANE_TEMPLATES } from "../simd/lane_templates.ts";

const read = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");

describe("generated SIMD loop cases", () => {
  it("are fresh (run `deno run -A src/interp/gen_simd_run.ts` after editing the lane templates)", () => {
    const src = read("simd_run.ts");
    assert.equal(generatedRegion(src), generatedRegion(generate(src)));
  });

  it("have case i + 1 for template i, each label once", () => {
    const labels = [...generateCases().matchAll(/case (\d+): (?:\{ )?\/\/ (\S+)/g)];
    assert.deepEqual(labels.map((m) => Number(m[1])), LANE_TEMPLATES.map((_, i) => i + 1));
    assert.deepEqual(labels.map((m) => m[2]), LANE_TEMPLATES.map((t) => t.name));
  });

  it("read operands from the code array and leave other memory paths to the executor", () => {
    const load = loopCase(LANE_TEMPLATES.find((t) => t.name === "v128.load")!);
    assert.match(load, /if \(mem\.index64 \|\| code\[w \+ 4\] !== 0\) \{\npc = simdExecute/);
    assert.match(
      load,
      /ea > mem\.len - 16 && !mem\.covers\(ea \+ 16\)\) trapOob\(\);\nconst dv = mem\.dv;/,
    );
    // The fused loads come from 32-bit memories only (the translator's rule).
    const fused = loopCase(LANE_TEMPLATES.find((t) => t.name === "LOAD_D")!);
    assert.doesNotMatch(fused, /index64|simdExecute/);
    for (const t of LANE_TEMPLATES) {
      assert.doesNotMatch(loopCase(t), /\b(memLen|memoryFault|DV)\b/, t.name);
    }
  });
});
