import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { corpus } from "../../tests/_shared.ts";
import { Component } from "./component.ts";
import { printWorld } from "./wit.ts";

/** Every component of ../shared/components with the WIT world `jco wit` printed for it. */
function pairs(): [string, string][] {
  const root = corpus("components");
  if (root === null) return [];
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".wit")) {
        const rel = relative(join(root, "wit"), p).replace(/\.wit$/, ".wasm");
        out.push([join(root, rel), p]);
      }
    }
  };
  walk(join(root, "wit"));
  return out;
}

test(
  "printWorld prints every component's world as jco wit (wasm-tools) does",
  { timeout: 120_000 },
  () => {
    const all = pairs();
    const wrong: string[] = [];
    for (const [wasm, wit] of all) {
      const mine = printWorld(new Component(readFileSync(wasm)));
      // (`jco wit` printed one more newline after the world.)
      if (mine !== readFileSync(wit, "utf8").trimEnd() + "\n") wrong.push(wasm);
    }
    assert.deepEqual(wrong, []);
    if (all.length > 0) assert.equal(all.length, 130);
  },
);
