/**
 * Test support (no tests here): the syntax error a text input is rejected
 * with, for tests that check messages and positions.
 */
import assert from "node:assert/strict";
import { WatSyntaxError } from "./errors.ts";

/** The WatSyntaxError `parse(src)` throws; fails the test if it accepts `src`. */
export function syntaxErrorOf(parse: (src: string) => unknown, src: string): WatSyntaxError {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof WatSyntaxError) return e;
    throw e;
  }
  assert.fail(`accepted ${JSON.stringify(src)}`);
}
