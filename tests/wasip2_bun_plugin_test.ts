/**
 * `import { run } from "./tool.component.wasm"` under Bun (a temporary
 * fixture folder whose bunfig preloads Gannet's plugin): a WASI 0.2 command
 * component's `wasi:cli/run` export, run with the plugin's per-file WASI
 * options (args, stdout) through Gannet's WASI 0.2 host.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { corpus, repoDir } from "./_shared.ts";

test("under Bun, import { run } from a command component runs it", { timeout: 120_000 }, () => {
  const utf8 = corpus("components/p2-command/utf8-utf16.composed.wasm");
  const hello = corpus("components/p2-command/hello_stdout.component.wasm");
  const bun = path.join(repoDir(), "node_modules", ".bin", "bun");
  if (utf8 === null || hello === null || !fs.existsSync(bun)) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-bun-p2-"));
  try {
    fs.copyFileSync(utf8, path.join(dir, "tool.component.wasm"));
    fs.copyFileSync(hello, path.join(dir, "hello.component.wasm"));
    const plugin = pathToFileURL(path.join(repoDir(), "src", "bun_plugin.ts")).href;
    fs.writeFileSync(
      path.join(dir, "preload.js"),
      `import { register } from ${JSON.stringify(plugin)};
globalThis.toolOutput = [];
register({ files: { "./tool.component.wasm": { wasi: {
  args: ["tool", "from-the-plugin"],
  stdout: (chunk) => globalThis.toolOutput.push(new TextDecoder().decode(chunk)),
} } } });
`,
    );
    fs.writeFileSync(path.join(dir, "bunfig.toml"), `preload = ["./preload.js"]\n`);
    fs.writeFileSync(
      path.join(dir, "main.js"),
      `import { run } from "./tool.component.wasm";
import { run as hello } from "./hello.component.wasm";
run.run();
console.log(JSON.stringify(globalThis.toolOutput.join("")));
hello.run();
`,
    );
    const r = spawnSync(bun, ["main.js"], { cwd: dir, encoding: "utf8", env: { ...process.env } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      `${
        JSON.stringify("ret: from-the-pluginfrom-the-plugin\n")
      }\nwriting to stdout: hello, world\n`,
    );
    assert.equal(r.stderr, "writing to stderr: hello, world\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
