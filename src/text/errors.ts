/**
 * The text format's error: malformed WAT or WAST text. Messages start with
 * the wording of the spec test suite ("unknown operator", "unexpected
 * token", …) so that `assert_malformed` expectations can be compared by
 * prefix, and end with the `line:column` of the offending token.
 *
 * @module
 */

/**
 * Malformed text: `message` is `"<what> at <line>:<column>"`.
 *
 * @example
 * ```ts
 * import { parseWat, WatSyntaxError } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => parseWat("(module\n  (func i32.bogus))"),
 *   (e) => e instanceof WatSyntaxError && e.reason.startsWith("unknown operator") && e.line === 2,
 * );
 * ```
 */
export class WatSyntaxError extends SyntaxError {
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units) of the problem. */
  readonly column: number;
  /** The message without the position, in the spec suite's words. */
  readonly reason: string;
  /**
   * Creates the error.
   *
   * @param reason What is wrong, in the spec suite's words.
   * @param line 1-based line.
   * @param column 1-based column.
   */
  constructor(reason: string, line: number, column: number) {
    super(`${reason} at ${line}:${column}`);
    this.name = "WatSyntaxError";
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/** Computes the 1-based line and column of `offset` in `source`. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = source.indexOf("\n"); i !== -1 && i < end; i = source.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** Builds a {@link WatSyntaxError} for a problem at `offset` in `source`. */
export function syntaxError(source: string, offset: number, reason: string): WatSyntaxError {
  const { line, column } = lineColumn(source, offset);
  return new WatSyntaxError(reason, line, column);
}
