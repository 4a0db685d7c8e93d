import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { operandWords, type RegisterEnv, staticCase } from "./codegen.ts";
import { IR, IR_DEFS } from "./ir_defs.ts";

/** Registers as plain variables `r<word>`/`f<word>`/`d<slot>`, to read the expansion. */
const env: RegisterEnv = {
  value: (kind, at) => `${kind === "d" ? "d" : kind === "f" ? "f" : "r"}${at}`,
  write: (kind, at, value) => `${kind === "i" ? "r" : kind}${at} = ${value};`,
  index: (_kind, at) => `(fp + ${at})`,
  jump: (target) => `GOTO(${target});`,
  fault: (bytes) => `FAULT(${bytes});`,
};

/** An instance of `op` whose operand words are 10, 12, 14… (immediates too). */
function sample(op: number): Int32Array {
  const def = IR_DEFS[op];
  const code = new Int32Array(1 + def.size + 8);
  code[0] = op;
  for (let i = 1; i < code.length; i++) code[i] = 8 + 2 * i;
  return code;
}

describe("shared code generator: compiled code's expansion", () => {
  it("expands every generated op of the table into valid JS", () => {
    let n = 0;
    IR_DEFS.forEach((def, op) => {
      if (def.body === null && def.parts === undefined) return;
      const src = staticCase(def, sample(op), 0, env);
      assert.doesNotThrow(() => new Function(src), `${def.name}:\n${src}`);
      assert.ok(
        !/\bcode\[|\bpc\b|memoryFault\(/.test(src),
        `${def.name} still reads the loop's state`,
      );
      n++;
    });
    assert.ok(n > 300, `only ${n} ops expanded`);
  });

  it("turns operands into reads, writes into the environment's stores, branches into its jumps", () => {
    const code = new Int32Array([IR["i32.add"], 4, 6, 8]);
    assert.equal(
      staticCase(IR_DEFS[IR["i32.add"]], code, 0, env).replace(/\s+/g, " "),
      "r4 = ((r6) + (r8)) | 0;",
    );
    const br = new Int32Array([IR["br_if.i32.lt_s_i"], 2, 7, 40]);
    const src = staticCase(IR_DEFS[IR["br_if.i32.lt_s_i"]], br, 0, env);
    assert.match(src, /if \(\(r2\) < \(7\)\) \{ GOTO\(40\); \}/);
    const div = new Int32Array([IR["i64.div_s"], 4, 6, 8]);
    assert.match(
      staticCase(IR_DEFS[IR["i64.div_s"]], div, 0, env),
      /\{ divS64\(\$S, 0, \(r6\), \(r7\), \(r8\), \(r9\)\); \{ const \$lo = \$S\[0\]; const \$hi = \$S\[1\]; r4 = \$lo; r5 = \$hi; \} \}/,
    );
  });

  it("expands a bundle as its two parts, the second's operands after the first's", () => {
    const name = "i32.add_i+br_if.i32.lt_u";
    const def = IR_DEFS[IR[name]];
    const ops = operandWords(def.parts![1], def.parts![0].size);
    assert.deepEqual(ops.map((o) => o.at), [4, 5, 6]);
    const code = new Int32Array([IR[name], 2, 2, 1, 2, 4, 0, 0]);
    const src = staticCase(def, code, 0, env);
    assert.match(src, /r2 = \(\(r2\) \+ \(1\)\) \| 0;[\s\S]*\(r2\)[\s\S]*GOTO\(0\)/);
  });

  it("refuses a body that writes registers in an unknown form", () => {
    const bad = { ...IR_DEFS[IR["i32.add"]], body: "I32[a] = 1;" };
    assert.throws(
      () => staticCase(bad, new Int32Array([0, 1, 2, 3]), 0, env),
      /not through an operand/,
    );
  });
});
