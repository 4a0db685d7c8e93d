/**
 * ../shared/components/p2-command: each command component run with Gannet's
 * WASI 0.2 host gives the same stdout, stderr and exit status as `jco run`
 * of the same component (Node, preview2-shim's process-wide host).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { CapturedOutput } from "../src/wasi/stdio.ts";
import { runCommandComponent } from "../src/wasip2/run.ts";
import { corpus } from "./_shared.ts";
import { cleanJco, jcoRun } from "./_jco.ts";
import { componentEngine } from "./_component_engine.ts";

const CASES: [file: string, args: string[]][] = [
  ["hello_stdout.component.wasm", []],
  ["dir.virt.wasm", ["/foo"]],
  ["utf8-utf16.composed.wasm", ["asdf中文🀄️⏰"]],
  ["stdout-pollable-hang.component.wasm", []],
];

const dir = corpus("components/p2-command");
const engine = componentEngine();

describe(`p2-command components match jco run (engine: ${engine.name})`, () => {
  if (dir === null) {
    it.skip("components corpus missing", () => {});
    return;
  }
  after(cleanJco);
  for (const [file, args] of CASES) {
    it(`${file} ${args.join(" ")}`, { timeout: 120_000 }, async () => {
      const full = path.join(dir, file);
      const want = await jcoRun(full, args);
      const stdout = new CapturedOutput();
      const stderr = new CapturedOutput();
      const code = await runCommandComponent(
        engine.instantiate,
        new Uint8Array(fs.readFileSync(full)),
        { args: [file.replace(/\.[^.]*$/, ""), ...args], stdin: "", stdout, stderr },
      );
      assert.equal(stdout.text(), want.stdout, "stdout");
      assert.equal(stderr.text(), want.stderr, "stderr");
      assert.equal(code, want.code, "exit status");
    });
  }
  it("the expected outputs are what the issue describes", { timeout: 120_000 }, async () => {
    const ls = await jcoRun(path.join(dir, "dir.virt.wasm"), ["/foo"]);
    assert.match(ls.stdout, / - \.\n - \.\.\n - foo\n/);
    const echo = await jcoRun(path.join(dir, "utf8-utf16.composed.wasm"), ["asdf中文🀄️⏰"]);
    assert.equal(echo.stdout.split("asdf中文🀄️⏰").length, 3);
  });
});
