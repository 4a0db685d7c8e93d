import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { parseWat } from "./parse_wat.ts";
import { syntaxErrorOf } from "./_syntax_errors_test.ts";

function reason(src: string): string {
  return syntaxErrorOf(parseWat, src).reason;
}

const HINT = "(@metadata.code.branch_hint";

describe("@metadata.code.branch_hint annotations", () => {
  it("encode the metadata.code.branch_hint section as wasm-tools does", async () => {
    const sources = [
      // Flat if after locals (offsets count the local declarations).
      `(module (func (param i32) (local i64 i64 i32) local.get 0 ${HINT} "\\01") if nop end))`,
      // Folded if: the hint is for the if, whose bytes follow its condition;
      // br_if inside the else arm; several functions, an import first.
      `(module (import "m" "f" (func))
        (memory 1) (global i32 (i32.const 0)) (export "m" (memory 0))
        (func (param i32) local.get 0 ${HINT} "\\01") br_if 0)
        (func (param i32) (result i32)
          ${HINT} "\\00")
          (if (result i32) (local.get 0) (then (i32.const 1))
            (else ${HINT} "\\01") (br_if 0 (i32.const 2) (local.get 0)))))
        (func)
        (func (param i32) (block (local.get 0) ${HINT} "\\00") (br_if 0) ${HINT} "\\01") br_if 0))
        (data (i32.const 0) "x"))`,
      // A hint on a non-branch is well-formed text (the section is then invalid).
      `(module (func (param i32) local.get 0 ${HINT} "\\01") drop))`,
    ];
    for (const src of sources) assert.deepEqual(parseWat(src), await parse(src), src);
  });

  it("reject malformed hints in the spec suite's words", () => {
    const p = "@metadata.code.branch_hint annotation: ";
    assert.equal(
      reason(`(func (param i32) local.get 0 ${HINT} "\\01") ${HINT} "\\00") if end)`),
      `${p}duplicate annotation`,
    );
    assert.equal(reason(`(module ${HINT} "\\01") (func))`), `${p}not in a function`);
    assert.equal(
      reason(`(global i32 ${HINT} "\\01") (i32.const 0))`),
      `${p}not in a function`,
    );
    assert.equal(
      reason(`(func (import "m" "f") ${HINT} "\\01"))`),
      `${p}not in a function`,
    );
    assert.equal(
      reason(`(func (param i32) local.get 0 ${HINT} "\\01"))`),
      `${p}must precede an instruction`,
    );
    for (const bad of [`"\\02"`, `"\\00\\00"`, `""`]) {
      assert.match(
        reason(`(func (param i32) local.get 0 ${HINT} ${bad}) if end)`),
        /invalid value/,
      );
    }
    assert.equal(reason(`(func (param i32) local.get 0 ${HINT}) if end)`), `${p}missing value`);
    assert.equal(
      reason(`(func (param i32) local.get 0 ${HINT} "\\00" x) if end)`),
      `${p}unexpected token`,
    );
  });

  it("leave other annotations alone", () => {
    const plain = parseWat(`(module (func (param i32) local.get 0 if end))`);
    assert.deepEqual(
      parseWat(`(module (func (param i32) local.get 0 (@metadata.code.other "\\01") if end))`),
      plain,
    );
    assert.deepEqual(
      parseWat(`(module (func (param i32) local.get 0 (@metadata.code.branch_hints "x") if end))`),
      plain,
    );
  });
});
