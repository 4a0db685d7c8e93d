import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { parseWat } from "./parse_wat.ts";
import { syntaxErrorOf } from "./_syntax_errors_test.ts";

function reason(src: string): string {
  return syntaxErrorOf(parseWat, src).reason;
}

describe("@custom annotations", () => {
  it("place custom sections as wasm-tools does", async () => {
    const src = `(module (type (func)) (@custom "a" "x") (func)
      (@custom "b" (after func) "y") (@custom "c" (before code) "z") (data "")
      (@custom "d" (after last) "w") (@custom "e" (before first) "v" "v2")
      (@custom "f" (after data) "u") (@custom "g" (before import)))`;
    assert.deepEqual(parseWat(src), await parse(src));
  });
  it("are only allowed as module fields", () => {
    assert.equal(reason(`(func (@custom "x"))`), "misplaced @custom annotation");
    assert.equal(reason(`(type (@custom "x") (func))`), "misplaced @custom annotation");
    assert.ok(parseWat(`(@custom "x")`).length > 8);
    assert.ok(parseWat(`(module $m (@custom "x" "y"))`).length > 8);
  });
  it("report malformed annotations in the suite's words", () => {
    assert.equal(reason(`(@custom)`), "@custom annotation: missing section name");
    assert.equal(reason(`(@custom "\\df")`), "@custom annotation: malformed UTF-8 encoding");
    assert.equal(reason(`(@custom "a" here)`), "@custom annotation: unexpected token");
    assert.equal(reason(`(@custom "a" (after))`), "@custom annotation: malformed section kind");
    assert.equal(reason(`(@custom "a" (type))`), "@custom annotation: malformed placement");
    assert.equal(
      reason(`(@custom "a" (before types))`),
      "@custom annotation: malformed section kind",
    );
  });
  it("other annotations are skipped anywhere", () => {
    assert.deepEqual(
      parseWat(`(module (@a x) (func (@b (c)) nop (@metadata.code.other "\\00") (nop)))`),
      parseWat(`(module (func nop (nop)))`),
    );
  });
});
