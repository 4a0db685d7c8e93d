/**
 * The text parser's limits: absurdly deep folding is reported as "nesting
 * too deep" (a WatSyntaxError), flat nesting of the same depth parses.
 * Mutation fuzzing of the parsers is the `text` fuzz target
 * (`tests/fuzz/text_target.ts`, run by `tests/fuzz/fuzz_test.ts`).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat, WatSyntaxError } from "../src/text/parse_wat.ts";

describe("text parser limits", () => {
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
