/**
 * Components through the Bun plugin's loading logic (`loadWasmFile`, any
 * runtime) and through the real plugin under Bun (a preload in a temporary
 * fixture folder importing a component from `../shared/components`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { corpus, repoDir } from "../../tests/_shared.ts";
import { loadWasmFile } from "../bun_plugin.ts";
import { LinkError } from "../errors.ts";

test("loadWasmFile instantiates a component: exports and imports in jco's shapes", async () => {
  const adder = corpus("components/no-wasi/adder.component.wasm");
  const nested = corpus("components/no-wasi/simple-nested.component.wasm");
  if (adder === null || nested === null) return;
  const a = await loadWasmFile(adder) as { add: { add(x: number, y: number): number } };
  assert.equal(a.add.add(40, 2), 42);
  const imports = {
    "calvinrp:test-async-funcs/hello": { helloWorld: () => "hello from the plugin's imports" },
  };
  const n = await loadWasmFile(nested, { imports }) as { hello: { helloWorld(): string } };
  assert.equal(typeof n.hello.helloWorld(), "string");
  await assert.rejects(
    loadWasmFile(nested),
    (e: Error) => e instanceof LinkError && e.message.includes(nested),
  );
});

test("under Bun, import { add } from a component file works", { timeout: 120_000 }, () => {
  const adder = corpus("components/no-wasi/adder.component.wasm");
  const bun = join(repoDir(), "node_modules", ".bin", "bun");
  if (adder === null || !existsSync(bun)) return;
  const dir = mkdtempSync(join(tmpdir(), "gannet-bun-component-"));
  copyFileSync(adder, join(dir, "adder.component.wasm"));
  const plugin = pathToFileURL(join(repoDir(), "src", "bun_plugin.ts")).href;
  writeFileSync(
    join(dir, "preload.js"),
    `import { register } from ${JSON.stringify(plugin)};\nregister();\n`,
  );
  writeFileSync(join(dir, "bunfig.toml"), `preload = ["./preload.js"]\n`);
  writeFileSync(
    join(dir, "main.js"),
    `import { add } from "./adder.component.wasm";\nimport all from "./adder.component.wasm";\n` +
      `console.log(JSON.stringify([add.add(2, 3), Object.keys(all).sort()]));\n`,
  );
  const r = spawnSync(bun, ["main.js"], { cwd: dir, encoding: "utf8", env: { ...process.env } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim()), [5, [
    "add",
    "docs:adder/add",
    "docs:adder/add@0.1.0",
  ]]);
});
