/**
 * Every `assert_malformed` text or quote module of the in-scope spec
 * scripts is rejected by parseWat (with the features its folder is written
 * against), and every script parses with parseWast.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { corpus } from "./_shared.ts";
import { featuresFor, inScopeFiles, wastFiles } from "./_text_suite.ts";
import { parseWat, WatSyntaxError } from "../src/text/parse_wat.ts";
import { parseWast } from "../src/text/wast.ts";
import type { WastCommand, WastModuleSource } from "../src/text/wast_types.ts";

const suite = corpus("testsuite");

interface Malformed {
  line: number;
  module: WastModuleSource;
  text: string;
}

function malformed(cmds: WastCommand[], out: Malformed[]): void {
  for (const c of cmds) {
    if (c.type === "assert_malformed" && c.module.kind !== "binary") out.push(c);
    else if (c.type === "thread") malformed(c.commands, out);
  }
}

describe("spec suite scripts", () => {
  if (suite === null) {
    it.skip("corpus missing", () => {});
    return;
  }
  it("every .wast file parses with parseWast", () => {
    const files = wastFiles(suite);
    let commands = 0;
    for (const f of files) commands += parseWast(readFileSync(f, "utf8"), f).length;
    assert.ok(files.length >= 399, `${files.length} files`);
    assert.ok(commands > 80000, `${commands} commands`);
  });
  it("every assert_malformed text module is rejected with a WatSyntaxError", () => {
    const accepted: string[] = [];
    let total = 0;
    let sameWords = 0;
    for (const file of inScopeFiles(suite)) {
      const cases: Malformed[] = [];
      malformed(parseWast(readFileSync(file, "utf8"), file), cases);
      const features = featuresFor(file);
      for (const c of cases) {
        total++;
        try {
          parseWat(c.module.kind === "binary" ? "" : c.module.source, { features });
          accepted.push(`${relative(suite, file)}:${c.line}`);
        } catch (e) {
          assert.ok(e instanceof WatSyntaxError, `${file}:${c.line}: ${e}`);
          if (e.message.startsWith(c.text)) sameWords++;
        }
      }
    }
    console.log(
      `malformed: ${total - accepted.length}/${total} rejected, ${sameWords} in the suite's words`,
    );
    assert.deepEqual(accepted, []);
    assert.ok(total > 1800, `${total} cases`);
  });
  it("core/ parses quickly (scripts and their text modules)", () => {
    const t0 = performance.now();
    for (const f of wastFiles(join(suite, "core"))) {
      for (const c of parseWast(readFileSync(f, "utf8"), f)) {
        if (c.type === "module" && c.module.kind === "text") parseWat(c.module.source);
      }
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 10000, `${ms} ms`);
  });
});
