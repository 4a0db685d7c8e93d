/**
 * `gannet/bun-plugin` under Bun itself: spawns the pinned Bun
 * (node_modules/.bin/bun) in the fixture folder `tests/bun_plugin/`, whose
 * bunfig.toml preloads the plugin, and checks what `import … from
 * "./x.wasm"` / `"./x.wat"` gave the script (main.js) and a `bun test` file.
 * Runs from `deno test` and `bun test` alike.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { inCI, repoDir } from "./_shared.ts";

const fixture = join(repoDir(), "tests", "bun_plugin");
const bun = join(
  repoDir(),
  "node_modules",
  ".bin",
  process.platform === "win32" ? "bun.exe" : "bun",
);

function bunPath(): string | null {
  if (existsSync(bun)) return bun;
  if (inCI()) throw new Error(`bun is missing: ${bun} (run npm ci)`);
  console.warn(`skipping: bun is missing: ${bun}`);
  return null;
}

function runBun(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bunPath()!, args, { cwd: fixture, encoding: "utf8", timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("gannet/bun-plugin under Bun", () => {
  it("a bunfig preload makes .wasm and .wat imports work (named, default, namespace)", () => {
    if (bunPath() === null) return;
    const r = runBun(["main.js"]);
    assert.equal(r.status, 0, `bun main.js failed:\n${r.stdout}\n${r.stderr}`);
    const results = new Map<string, unknown>();
    for (const line of r.stdout.split("\n")) {
      const m = /^result (\S+(?: \.\/\S+)?) (.*)$/.exec(line);
      if (m !== null) results.set(m[1], m[1] === "log" ? Number(m[2]) : JSON.parse(m[2]));
    }
    const dir = fixture;
    const expected: Record<string, unknown> = {
      "add": 5,
      "mul": "42",
      "answer": 42,
      "mem": [4, 3, 2, 1], // i32.store is little-endian
      "default-keys": ["add", "answer", "mem", "mul", "store"],
      "default-is-exports": true,
      "native-memory": false, // Gannet's Memory, not Bun's native one
      "namespace-keys": ["add", "answer", "default", "mem", "mul", "store"],
      "log": 42,
      "sum": 42,
      "quadruple": 20,
      "increment": [101, 111],
      "hello-start": 3,
      "hello-output": "hello.wasm argc=3 [hello] [one] [two words] GREETING=hi from preload\n" +
        "note: one line of notes\n",
      "error ./broken.wasm": `CompileError: ${
        join(dir, "broken.wasm")
      }: magic header not detected (at byte offset 0x0)`,
      "error ./missing.wat":
        `LinkError: ${
          join(dir, "missing.wat")
        }: nothing provides the import module "host" (function "callback"); ` +
        "give it in the plugin's `imports` option (or per file, in `files`)",
    };
    for (const [what, value] of Object.entries(expected)) {
      assert.deepEqual(results.get(what), value, `result ${what}\n--- stdout:\n${r.stdout}`);
    }
    // The reactor's output goes to the inherited stdout, through WASI.
    assert.match(r.stdout, /^counter\.wasm total=111$/m);
    assert.equal(r.stderr, "");
  });

  it("the [test] preload makes them work under bun test", () => {
    if (bunPath() === null) return;
    const r = runBun(["test", "./imports_check.js"]);
    const out = r.stdout + r.stderr;
    assert.equal(r.status, 0, `bun test failed:\n${out}`);
    assert.match(out, /\b1 pass\b/);
    assert.match(out, /\b0 fail\b/);
  });
});
