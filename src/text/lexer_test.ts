import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readSexprs, type SAtom, type SNode, stringBytes } from "./lexer.ts";
import type { WatSyntaxError } from "./errors.ts";
import { decodeSourceBytes } from "./strings.ts";
import { syntaxErrorOf } from "./_syntax_errors_test.ts";

/** The tree as nested arrays of `kind:text` strings. */
function shape(nodes: SNode[]): unknown[] {
  return nodes.map((n) => n.kind === "list" ? shape(n.items) : `${n.kind}:${n.text}`);
}

function errorOf(src: string): WatSyntaxError {
  return syntaxErrorOf(readSexprs, src);
}

describe("lexer", () => {
  it("classifies tokens", () => {
    assert.deepEqual(shape(readSexprs(`(func $f (i32.const -0x1_0) "s" 1.5e3 nan:0x1 offset=4)`)), [
      [
        "keyword:func",
        "id:f",
        ["keyword:i32.const", "num:-0x1_0"],
        'string:"s"',
        "num:1.5e3",
        "keyword:nan:0x1",
        "keyword:offset=4",
      ],
    ]);
  });
  it("makes adjacent idchars and strings one reserved token", () => {
    assert.deepEqual(shape(readSexprs(`0$x "a"b $l"a" 1x a,b`)), [
      "reserved:0$x",
      'reserved:"a"b',
      'reserved:$l"a"',
      "reserved:1x",
      "reserved:a,b",
    ]);
  });
  it('reads $"…" identifiers as their decoded name', () => {
    assert.deepEqual(shape(readSexprs(`$"a\\41" $"\\u{62}c"`)), ["id:aA", "id:bc"]);
    assert.equal(errorOf(`$""`).reason, "empty identifier");
    assert.equal(errorOf(`(func $)`).reason, "empty identifier");
    assert.equal(errorOf(`$"\\ff"`).reason, "malformed UTF-8 encoding");
  });
  it("skips comments, including nested block comments and CR-terminated line comments", () => {
    const src = "(a ;; x\n b (; c (; d ;) e ;) ;; y\rc)";
    assert.deepEqual(shape(readSexprs(src)), [["keyword:a", "keyword:b", "keyword:c"]]);
    assert.equal(errorOf("(a (; (; ;) b)").reason, "unclosed comment");
  });
  it("skips annotations but still checks their tokens", () => {
    assert.deepEqual(shape(readSexprs(`(a (@x y (z "s")) (@$) b)`)), [["keyword:a", "keyword:b"]]);
    assert.equal(errorOf("(@x (y)").reason, "unclosed annotation");
    assert.equal(errorOf("(@ x)").reason, "empty annotation id");
    assert.equal(errorOf('(@x "\\q")').reason, "illegal escape");
  });
  it("decodes string escapes to bytes", () => {
    const [s] = readSexprs(`"\\t\\n\\r\\"\\'\\\\\\00\\ff\\u{1F600}é"`) as SAtom[];
    assert.deepEqual(
      [...stringBytes(`"\\t\\n\\r\\"\\'\\\\\\00\\ff\\u{1F600}é"`, s)],
      [9, 10, 13, 34, 39, 92, 0, 0xff, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9],
    );
  });
  it("rejects bad strings and characters with line:column", () => {
    let e = errorOf('(a\n  "\\x")');
    assert.equal(e.reason, "illegal escape");
    assert.equal(e.line, 2);
    assert.equal(e.column, 4);
    assert.match(e.message, /^illegal escape at 2:4$/);
    assert.equal(errorOf('"abc').reason, "unclosed string");
    assert.equal(errorOf('"\\u{d800}"').reason, "illegal escape");
    assert.equal(errorOf('"\\u{110000}"').reason, "illegal escape");
    assert.equal(errorOf('"a\x01"').reason, "illegal character");
    e = errorOf("(a\n\n  b é)");
    assert.equal(e.reason, "illegal character");
    assert.deepEqual([e.line, e.column], [3, 5]);
    assert.equal(errorOf("(a b").reason, "unexpected end of input");
    assert.equal(errorOf("a)").reason, "unexpected token");
  });
  it("reports undecodable source bytes as malformed UTF-8", () => {
    const src = decodeSourceBytes(Uint8Array.of(0x22, 0x80, 0x22)); // "\80"
    assert.equal(errorOf(src).reason, "malformed UTF-8 encoding");
    assert.equal(
      errorOf(decodeSourceBytes(Uint8Array.of(0x28, 0xc0, 0x29))).reason,
      "malformed UTF-8 encoding",
    );
    assert.equal(decodeSourceBytes(new TextEncoder().encode("ok é")), "ok é");
  });
});
