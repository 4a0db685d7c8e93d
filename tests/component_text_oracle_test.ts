/**
 * The component text parser against wasm-tools: every text component of
 * the in-scope component-model scripts (top-level, definitions, and those
 * inside assertions) must encode exactly as `wasm-tools parse` encodes it,
 * custom sections aside; what wasm-tools rejects, Gannet must reject too.
 * The only tolerated differences are listed in KNOWN, with the reason.
 * And the other way round: the text wasm-tools prints for the components
 * of `../shared/components` assembles, with Gannet, to the same bytes as
 * with wasm-tools.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, print } from "@bytecodealliance/jco-transpile/wasm-tools";
import { componentSuite, inScopeComponentScripts, sharedComponents } from "./_component_suite.ts";
import { parseComponentWat } from "../src/text/component/parse_component.ts";
import { stripCustomSections } from "./_text_suite.ts";
import { parseWast, wastModuleBytes } from "../src/text/wast.ts";
import type { WastModuleSource } from "../src/text/wast_types.ts";

/** Components Gannet cannot encode yet, with the reason. */
const KNOWN: Readonly<Record<string, string>> = {};

const equal = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The text wasm-tools is given for a script's component. */
function oracleText(m: WastModuleSource & { kind: "text" | "quote" }): string {
  if (m.kind === "quote") return `(component ${m.source})`;
  return m.source.replace(/^\(component\s+definition/, "(component");
}

describe("text components of the component-model suite encode as wasm-tools encodes them", () => {
  const suite = componentSuite();
  if (suite === null) {
    it.skip("corpus missing", () => {});
    return;
  }
  it("identical bytes (custom sections aside), same accept/reject verdicts", {
    timeout: 300_000,
  }, async () => {
    let same = 0;
    const problems: string[] = [];
    for (const rel of inScopeComponentScripts(suite)) {
      const cmds = parseWast(readFileSync(join(suite, rel), "utf8"), rel);
      for (const c of cmds) {
        if (!("module" in c) || c.module === null || typeof c.module !== "object") continue;
        const m = c.module;
        if (m.component !== true || m.kind === "binary") continue;
        const where = `${rel}:${c.line}`;
        let mine: Uint8Array | null = null;
        let theirs: Uint8Array | null = null;
        try {
          mine = wastModuleBytes(m);
        } catch { /* compared below */ }
        try {
          theirs = await parse(oracleText(m));
        } catch { /* compared below */ }
        if (KNOWN[where] !== undefined) continue;
        if (mine === null && theirs === null) continue;
        if (mine === null || theirs === null) {
          problems.push(`${where}: ${mine === null ? "Gannet" : "wasm-tools"} rejects it`);
        } else if (equal(stripCustomSections(mine), stripCustomSections(theirs))) same++;
        else problems.push(`${where}: bytes differ`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(same >= 550, `${same} identical`);
  });
});

describe("wasm-tools' printed components assemble with Gannet as with wasm-tools", () => {
  const all = sharedComponents();
  if (all === null) {
    it.skip("corpus missing", () => {});
    return;
  }
  it("every component under 100 KB of ../shared/components", { timeout: 300_000 }, async () => {
    const problems: string[] = [];
    let n = 0;
    for (const { path, bytes } of all) {
      if (bytes.length > 100_000) continue;
      const text = await print(bytes);
      const theirs = stripCustomSections(await parse(text));
      let mine: Uint8Array;
      try {
        mine = stripCustomSections(parseComponentWat(text));
      } catch (e) {
        problems.push(`${path}: ${e}`);
        continue;
      }
      if (!equal(mine, theirs)) problems.push(`${path}: bytes differ`);
      n++;
    }
    assert.deepEqual(problems, []);
    assert.ok(n >= 30, `${n} components`);
  });
});
