/**
 * The text-format target: modules from the spec suite's scripts (and, one
 * case in four, whole script excerpts) with tokens inserted, deleted or
 * spliced must parse or be rejected with a `WatSyntaxError` — never another
 * exception, and never slowly. What parses must decode and validate or be
 * rejected with a `CompileError`.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Module } from "../../src/api/module.ts";
import { CompileError } from "../../src/errors.ts";
import { parseWat, WatSyntaxError } from "../../src/text/parse_wat.ts";
import { parseWast } from "../../src/text/wast.ts";
import { corpus } from "../_shared.ts";
import { wastFiles } from "../_text_suite.ts";
import { Rng } from "./rng.ts";
import type { CaseOutcome, FuzzTarget } from "./target.ts";

/** Tokens that tend to reach the parser's corners. */
export const WAT_TOKENS: readonly string[] = [
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
  "i64 1",
  "pagesize",
  "0x1p+1024",
  "-0x8000_0000",
  "_",
  "1_",
  "(ref",
  "null",
  "(field",
  "return_call",
  "try_table",
];

/** A case slower than this is reported (a hang shows up as a timeout instead). */
const SLOW_MS = 5_000;

let modules: string[] = [];

function decodeInput(input: Uint8Array): [string, string] {
  const text = new TextDecoder().decode(input);
  const nl = text.indexOf("\n");
  return [text.slice(0, nl), text.slice(nl + 1)];
}
let scripts: string[] = [];

/** Applies 1–3 random token edits to `text`. */
export function mutateText(text: string, rng: Rng, tokens: readonly string[]): string {
  let m = text;
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const at = rng.int(m.length + 1);
    switch (rng.int(3)) {
      case 0:
        m = `${m.slice(0, at)} ${rng.pick(tokens)} ${m.slice(at)}`;
        break;
      case 1:
        m = m.slice(0, at) + m.slice(at + 1 + rng.int(10));
        break;
      default:
        m = m.slice(0, at) + rng.pick(tokens) + m.slice(at);
    }
  }
  return m;
}

/** A case as bytes: a header line ("wat" or "wast") and the text. */
function encodeInput(text: string, script: boolean): Uint8Array {
  return new TextEncoder().encode(`${script ? "wast" : "wat"}\n${text}`);
}

function check(text: string, script: boolean): CaseOutcome {
  const t0 = performance.now();
  const input = encodeInput(text, script);
  let tag = script ? "script parsed" : "module valid";
  try {
    if (script) parseWast(text, "fuzz.wast");
    else {
      const bytes = parseWat(text);
      try {
        new Module(bytes);
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        tag = "module parsed, CompileError";
      }
    }
  } catch (e) {
    tag = `${script ? "script" : "module"}: ${(e as Error)?.name}`;
    if (!(e instanceof WatSyntaxError) && !(e instanceof CompileError)) {
      const name = (e as Error)?.constructor?.name ?? typeof e;
      return {
        status: "fail",
        detail: `${script ? "parseWast" : "parseWat"} threw ${e}\n${JSON.stringify(text)}`,
        input,
        signature: `${name}: ${String((e as Error)?.message ?? e).replace(/\d+/g, "N")}`,
      };
    }
  }
  const ms = performance.now() - t0;
  if (ms > SLOW_MS) {
    return { status: "fail", detail: `took ${ms.toFixed(0)} ms`, input, signature: "slow" };
  }
  return { status: "pass", tags: [tag] };
}

/** The target. */
export const target: FuzzTarget = {
  name: "text",
  summary: "mutated .wat: parse or WatSyntaxError, nothing else, no hang",
  init(): Promise<string> {
    const suite = corpus("testsuite");
    if (suite === null) throw new Error("the spec test suite corpus is missing");
    modules = [];
    scripts = [];
    for (const f of wastFiles(join(suite, "core"))) {
      const source = readFileSync(f, "utf8");
      for (const c of parseWast(source, f)) {
        if (c.type === "module" && c.module.kind === "text" && c.module.source.length < 2000) {
          modules.push(c.module.source);
        }
      }
      scripts.push(source);
    }
    return Promise.resolve(`${modules.length} modules, ${scripts.length} scripts`);
  },
  runSeed(seed: number): Promise<CaseOutcome> {
    const rng = new Rng(seed);
    if (rng.oneIn(4)) {
      // An excerpt of a script, cut at a command boundary where possible.
      const s = rng.pick(scripts);
      const at = Math.max(0, s.indexOf("\n(", rng.int(s.length)));
      const excerpt = s.slice(at, at + 500 + rng.int(3000));
      return Promise.resolve(check(mutateText(excerpt, rng, WAT_TOKENS), true));
    }
    return Promise.resolve(check(mutateText(rng.pick(modules), rng, WAT_TOKENS), false));
  },
  runInput(input: Uint8Array): Promise<CaseOutcome> {
    const [kind, text] = decodeInput(input);
    return Promise.resolve(check(text, kind === "wast"));
  },
  async *shrink(input: Uint8Array): AsyncGenerator<Uint8Array> {
    // Delete chunks of characters, halves first.
    const [kind, text] = decodeInput(input);
    for (let size = text.length >> 1; size >= 1; size >>= 1) {
      for (let at = 0; at < text.length; at += size) {
        yield encodeInput(text.slice(0, at) + text.slice(at + size), kind === "wast");
      }
    }
  },
};
