import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { generate, normalize } from "./gen_exec.ts";
import { IR, IR_DEFS } from "./ir_defs.ts";

const read = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");

describe("generated dispatch loop", () => {
  it("is fresh (run `deno run -A src/interp/gen_exec.ts` after editing its inputs)", () => {
    const expected = normalize(generate(read("exec_template.ts")));
    assert.equal(normalize(read("exec_loop.ts")), expected);
  });

  it("has one literal case per IR op, numbered as the table", () => {
    const src = read("exec_loop.ts");
    const seen = new Set<number>();
    for (const m of src.matchAll(/case (\d+)(?: \/\* ([^*]+) \*\/)?:(?: \{ \/\/ (\S+))?/g)) {
      const n = Number(m[1]);
      const name = m[2] ?? m[3];
      if (name !== undefined) assert.equal(IR[name], n, `case ${n} is labelled ${name}`);
      seen.add(n);
    }
    for (let op = 0; op < IR_DEFS.length; op++) {
      assert.ok(seen.has(op), `IR op ${IR_DEFS[op].name} (${op}) has no case`);
    }
  });

  it("every numeric wasm instruction has an IR op", () => {
    for (
      const name of ["i32.add", "i64.rotl", "f32.copysign", "f64.nearest", "i64.trunc_sat_f64_u"]
    ) {
      assert.ok(IR[name] !== undefined, name);
    }
    assert.ok(IR["br_if.i32.lt_s_i"] !== undefined);
    assert.ok(IR["br_unless.f64.lt"] !== undefined);
  });
});
