/**
 * The text parser against wasm-tools: every text module of the in-scope
 * spec scripts (top-level modules and those inside assert_invalid,
 * assert_unlinkable and module-level assert_trap, also inside threads)
 * must encode exactly as wasm-tools encodes it, custom sections aside.
 * The only tolerated differences are listed in KNOWN, with the reason.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { corpus } from "./_shared.ts";
import { inScopeFiles, stripCustomSections } from "./_text_suite.ts";
import { parseWat } from "../src/text/parse_wat.ts";
import { parseWast } from "../src/text/wast.ts";
import type { WastCommand, WastModuleSource } from "../src/text/wast_types.ts";

/** Modules wasm-tools rejects although the spec suite says they are well-formed. */
const KNOWN: Readonly<Record<string, string>> = {
  // wasm-tools refuses "confusing" Unicode (bidi overrides such as U+202E) in
  // the text; the spec allows any character in strings.
  "core/names.wast:19": "wasm-tools rejects U+202E in a string",
  // A function without a type use gets the first type that is a final,
  // super-less function type alone in its recursion group, written `rec` or
  // not (the reference interpreter's rule); wasm-tools appends a new type
  // instead of reusing a `(rec (type (func)))` (an equivalent type), and
  // reuses a non-final `(sub (func))` (which the reference does not).
  "core-wasm3/gc-eh-fr/type-rec.wast:45": "wasm-tools picks another implicit type",
  "core-wasm3/gc-eh-fr/type-rec.wast:185": "wasm-tools picks another implicit type",
  "core-wasm3/gc-eh-fr/type-rec.wast:197": "wasm-tools picks another implicit type",
  "core-wasm3/gc-eh-fr/type-subtyping.wast:344": "wasm-tools picks another implicit type",
  "core-wasm3/gc-eh-fr/type-subtyping.wast:373": "wasm-tools picks another implicit type",
};

/**
 * Folders whose modules wasm-tools (as jco-transpile ships it) rejects: its
 * default features leave out the legacy exception instructions. The
 * instruction-table test (`text_opcodes_test.ts`) checks their encodings.
 */
const KNOWN_FOLDERS: Readonly<Record<string, string>> = {
  "core-wasm3/gc-eh-fr/legacy/": "wasm-tools' defaults exclude legacy exceptions",
};

const isKnown = (where: string) =>
  KNOWN[where] !== undefined || Object.keys(KNOWN_FOLDERS).some((f) => where.startsWith(f));

/**
 * Modules whose custom sections differ: only those whose code differs (type
 * names follow the implicit-type choice above).
 */
const KNOWN_CUSTOM: readonly string[] = Object.keys(KNOWN).filter((k) => k.includes("/type-"));

const suite = corpus("testsuite");

function textModules(cmds: WastCommand[], out: [WastModuleSource, number][]): void {
  for (const c of cmds) {
    if (
      c.type === "module" || c.type === "assert_invalid" || c.type === "assert_unlinkable" ||
      c.type === "assert_trap_module"
    ) {
      if (c.module.kind !== "binary") out.push([c.module, c.line]);
    } else if (c.type === "thread") textModules(c.commands, out);
  }
}

const equal = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

describe("text modules of the spec suite encode as wasm-tools encodes them", () => {
  if (suite === null) {
    it.skip("corpus missing", () => {});
    return;
  }
  it("≥ 99% identical, and every difference is a known one", async () => {
    let total = 0;
    let same = 0;
    let sameWithCustoms = 0;
    const customProblems: string[] = [];
    const problems: string[] = [];
    const known: string[] = [];
    for (const file of inScopeFiles(suite)) {
      const mods: [WastModuleSource, number][] = [];
      textModules(parseWast(readFileSync(file, "utf8"), file), mods);
      const rel = relative(suite, file);
      for (const [m, line] of mods) {
        total++;
        const where = `${rel}:${line}`;
        const src = m.kind === "binary" ? "" : m.source;
        let full: Uint8Array;
        let ours: Uint8Array;
        try {
          full = parseWat(src, { names: true });
          ours = stripCustomSections(full);
        } catch (e) {
          problems.push(`${where}: we reject: ${(e as Error).message}`);
          continue;
        }
        let theirs: Uint8Array;
        let theirsFull: Uint8Array;
        try {
          // wasm-tools does not know `(module definition …)`; the module is the same without it.
          theirsFull = await parse(src.replace(/^\(module\s+definition\b/, "(module"));
          theirs = stripCustomSections(theirsFull);
        } catch {
          if (isKnown(where)) known.push(where);
          else problems.push(`${where}: wasm-tools rejects a module we accept`);
          continue;
        }
        if (equal(full, theirsFull)) sameWithCustoms++;
        else if (!KNOWN_CUSTOM.includes(where)) customProblems.push(where);
        if (equal(ours, theirs)) same++;
        else if (isKnown(where)) known.push(where);
        else problems.push(`${where}: encodings differ`);
      }
    }
    console.log(
      `text oracle: ${same}/${total} identical (${sameWithCustoms} also in their name and ` +
        `custom sections), known differences: ${known.join(", ")}`,
    );
    assert.deepEqual(problems, []);
    // With names: true and @custom annotations, the custom sections match too.
    assert.deepEqual(customProblems, []);
    assert.ok(total > 7000, `only ${total} modules found`);
    assert.ok(same / total >= 0.99);
  });
});
