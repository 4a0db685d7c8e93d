/**
 * The spec test suites' validation verdicts, through the public API alone
 * (`parseWast` / `parseWat` from the text format, then `validate` and
 * `new Module`): every top-level module validates, every `assert_invalid`
 * module and every binary `assert_malformed` module is rejected, and the
 * error message contains the suite's expected text — except for the few
 * listed below, each with its reason.
 *
 * Run `deno run -A tests/_validate_suites.ts [testsuite-dir] [suite]` for the
 * tallies and the list of mismatches.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { corpus } from "./_shared.ts";
import { runSuite, suites } from "./_validate_suites.ts";

/**
 * Expectations Gannet deliberately does not meet, as `suite/file:line` of
 * the assertion. Anything else that fails is a failure of this test.
 */
const KNOWN: Record<string, string> = {
  // The 2020 threads mirror predates reference types: wasm 2.0 allows
  // several tables, which these assert_invalid modules declare.
  "threads/mirror-2020/imports.wast:309": "obsolete (multiple tables are valid since 2.0)",
  "threads/mirror-2020/imports.wast:313": "obsolete (multiple tables are valid since 2.0)",
  "threads/mirror-2020/imports.wast:317": "obsolete (multiple tables are valid since 2.0)",
  // Rejected, with another wording. The same truncation (a section size past
  // the end of the binary) is "length out of bounds" at line 628 of the same
  // file, which Gannet follows.
  "threads/binary.wast:776": "threads: 'length out of bounds' instead of 'unexpected end'",
};

function unexpected(suite: string, lines: string[]): string[] {
  return lines.filter((l) => {
    const key = `${suite}/${l.slice(0, l.indexOf(":", l.indexOf(".wast:") + 6))}`;
    return KNOWN[key] === undefined;
  });
}

const root = corpus("testsuite");

describe("spec suites: validation verdicts and messages", () => {
  for (const s of root === null ? [] : suites(root)) {
    it(`${s.name}`, () => {
      const t = runSuite(s);
      // Text-format problems are the text parser's, but a module that cannot
      // be assembled is a module not checked here: none may be left.
      assert.deepEqual(t.textErrors, [], "modules the text parser could not assemble");
      assert.ok(t.valid > 0 && t.invalid + t.malformed > 0, "the suite ran");
      assert.deepEqual(unexpected(s.name, t.validFailed), [], "valid modules rejected");
      assert.deepEqual(unexpected(s.name, t.invalidAccepted), [], "invalid modules accepted");
      assert.deepEqual(unexpected(s.name, t.malformedAccepted), [], "malformed binaries accepted");
      assert.deepEqual(unexpected(s.name, t.messageMiss), [], "messages without the expected text");
      const rejected = t.invalid + t.malformed - t.invalidAccepted.length -
        t.malformedAccepted.length;
      assert.equal(t.messageMatch + t.messageMiss.length, rejected);
    });
  }
});
