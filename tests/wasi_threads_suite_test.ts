/**
 * The wasi-threads programs of ../shared/wasi-testsuite
 * (tests/proposals/wasi-threads: 15 programs, 9 with a JSON spec), each run
 * through `gannet run` in a child process the way the suite's runner runs a
 * runtime, comparing the exit status (and stdout/stderr where the spec gives
 * them). Their `*_wasi_read` cases block a thread in `fd_read` on stdin while
 * another thread ends the program, so stdin is an open, empty pipe (see
 * `_gannet_process.ts`). Under `deno test` the children run on Deno, under
 * `bun test` on Bun.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { corpus } from "./_shared.ts";
import { runGannet } from "./_gannet_process.ts";

interface Spec {
  exit_code?: number;
  stdout?: string;
  stderr?: string;
  args?: string[];
  env?: Record<string, string>;
}

const dir = corpus("wasi-testsuite/tests/proposals/wasi-threads");

describe("wasi-testsuite proposals/wasi-threads through gannet run", () => {
  if (dir === null) {
    it.skip("wasi-threads corpus missing", () => {});
    return;
  }
  const programs = fs.readdirSync(dir).filter((f) => f.endsWith(".wasm")).sort();
  it("finds all 15 programs", () => assert.equal(programs.length, 15));
  for (const f of programs) {
    it(f.slice(0, -5), { timeout: 60_000 }, async () => {
      const json = path.join(dir, f.replace(/\.wasm$/, ".json"));
      const spec: Spec = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, "utf8")) : {};
      const argv = ["run"];
      for (const [k, v] of Object.entries(spec.env ?? {})) argv.push("--env", `${k}=${v}`);
      argv.push(f, ...(spec.args ?? []));
      const r = await runGannet(argv, { cwd: dir });
      assert.equal(r.timedOut, false, `timed out; stderr: ${r.stderr}`);
      assert.equal(r.code, spec.exit_code ?? 0, `exit status; stderr: ${r.stderr}`);
      if (spec.stdout !== undefined) assert.equal(r.stdout, spec.stdout);
      if (spec.stderr !== undefined) assert.equal(r.stderr, spec.stderr);
    });
  }
});
