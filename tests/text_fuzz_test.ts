/**
 * Seeded mutation fuzzing of the text parsers: spec-suite modules with
 * tokens inserted, deleted or spliced must either parse or be rejected with
 * a WatSyntaxError, never with another exception or a hang. Absurdly deep
 * folding is reported as "nesting too deep".
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { corpus } from "./_shared.ts";
import { wastFiles } from "./_text_suite.ts";
import { parseWat, WatSyntaxError } from "../src/text/parse_wat.ts";
import { parseWast } from "../src/text/wast.ts";

const suite = corpus("testsuite");

const TOKENS = [
  "(",
  ")",
  "$x",
  "0",
  "-1",
  "0x",
  '"',
  "i32.const",
  "block",
  "end",
  "else",
  "(then",
  "offset=",
  "align=7",
  "nan:0x",
  "1e999",
  "(@a",
  "(;",
  ";;",
  "\\",
  "\\u{",
  "i64",
  "v128.const",
  "i8x16",
  "(type",
  "(param",
  "(result",
  "(local",
  "func",
  "memory",
  "table",
  "elem",
  "data",
  "export",
  "import",
  "(item",
  "(offset",
  "declare",
  "funcref",
  "shared",
  "select",
  "br_table",
  "call_indirect",
  "$",
  '$""',
  "é",
  "\ud800",
  "(module",
  "quote",
  "binary",
];

describe("text parser fuzzing", () => {
  if (suite === null) {
    it.skip("corpus missing", () => {});
    return;
  }
  it("mutated modules parse or fail with WatSyntaxError only", () => {
    const mods: string[] = [];
    for (const f of wastFiles(join(suite, "core"))) {
      for (const c of parseWast(readFileSync(f, "utf8"), f)) {
        if (c.type === "module" && c.module.kind === "text" && c.module.source.length < 2000) {
          mods.push(c.module.source);
        }
      }
    }
    let seed = 0x2545f491;
    const rnd = (n: number) => {
      seed ^= seed << 13;
      seed >>>= 0;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      seed >>>= 0;
      return seed % n;
    };
    let rejected = 0;
    const crashes: string[] = [];
    for (let n = 0; n < 8000; n++) {
      let m = mods[rnd(mods.length)];
      for (let k = 1 + rnd(3); k > 0; k--) {
        const at = rnd(m.length + 1);
        const op = rnd(3);
        if (op === 0) m = `${m.slice(0, at)} ${TOKENS[rnd(TOKENS.length)]} ${m.slice(at)}`;
        else if (op === 1) m = m.slice(0, at) + m.slice(at + 1 + rnd(10));
        else m = m.slice(0, at) + TOKENS[rnd(TOKENS.length)] + m.slice(at);
      }
      try {
        parseWat(m);
      } catch (e) {
        if (e instanceof WatSyntaxError) rejected++;
        else crashes.push(`${e}: ${JSON.stringify(m).slice(0, 200)}`);
      }
    }
    assert.deepEqual(crashes.slice(0, 5), []);
    assert.ok(rejected > 4000, `${rejected} rejected`);
  });
  it("reports absurd folding depth as malformed", () => {
    const n = 100000;
    const src = `(module (func ${"(block ".repeat(n)}${")".repeat(n)}))`;
    assert.throws(
      () => parseWat(src),
      (e) => e instanceof WatSyntaxError && e.reason === "nesting too deep",
    );
    const flat = `(module (func ${"block ".repeat(n)}${"end ".repeat(n)}))`;
    assert.equal(parseWat(flat).length, 3 * n + 28);
  });
});
