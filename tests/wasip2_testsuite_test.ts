/**
 * The 72 wasi-testsuite preview1 programs, each wrapped into a WASI 0.2
 * command component with the `wasi_snapshot_preview1` command adapter
 * (../shared/components/core-modules) and run with Gannet's WASI 0.2 host,
 * the suite's way: a fresh copy of the root preopened as `/`, the JSON's
 * args and env, exit code and output compared.
 *
 * Every program passes except those in {@link EXPECTED_FAILURES}, each with
 * the reason; those are checked to still fail, so that a fix shows up.
 * GANNET_P2_ONLY=substring picks tests by name.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { corpus } from "./_shared.ts";
import { cleanJco } from "./_jco.ts";
import { componentEngine } from "./_component_engine.ts";
import { suiteTests } from "./wasi_testsuite_runner.ts";
import { adaptedComponent, runAdaptedTest } from "./wasip2_testsuite_runner.ts";

/** Programs that fail through the adapter, and why (all pass on Gannet's preview1 host). */
export const EXPECTED_FAILURES: Record<string, string> = {
  "assemblyscript/proc_exit-failure":
    "the 0.2.3 command adapter turns any non-zero proc_exit status into exit(err), status 1 (expected 33)",
  "assemblyscript/args_get-multiple-arguments":
    "the adapter's import allocator asserts (adapter line 2746) while get-arguments is lowered into it, under Gannet and under jco's glue alike",
  "assemblyscript/environ_get-multiple-variables":
    "the adapter's import allocator asserts (adapter line 2746) while get-environment is lowered into it, under Gannet and under jco's glue alike",
  "assemblyscript/fd_write-to-invalid-fd":
    "the adapter answers fd_write on fd -31337 with an errno other than BADF",
  "c/sock_shutdown-invalid_fd":
    "the adapter's sock_shutdown is `unreachable` (WASI 0.2 has no such call on a preview1 fd)",
  "c/sock_shutdown-not_sock": "the adapter's sock_shutdown is `unreachable`",
  "rust/fd_fdstat_set_rights":
    "the adapter keeps no preview1 rights (fd_fdstat_set_rights is a no-op)",
  "rust/renumber": "the adapter's fd_renumber accepts a destination descriptor that is not open",
};

const only = process.env.GANNET_P2_ONLY;
const base = corpus("wasi-testsuite/tests");
const adapterPath = corpus("components/core-modules/wasi_snapshot_preview1.command.wasm");
const engine = componentEngine();

describe(`wasi-testsuite through the preview1 adapter (WASI 0.2, engine: ${engine.name})`, () => {
  if (base === null || adapterPath === null) {
    it.skip("wasi-testsuite or the adapter missing", () => {});
    return;
  }
  const adapter = new Uint8Array(fs.readFileSync(adapterPath));
  const tests = suiteTests(base).filter((t) => only === undefined || t.name.includes(only));
  after(cleanJco);
  it("finds all 72 preview1 programs", { skip: only !== undefined }, () => {
    assert.equal(tests.length, 72);
  });
  for (const t of tests) {
    const reason = EXPECTED_FAILURES[t.name];
    it(
      reason === undefined ? t.name : `${t.name} (fails: ${reason})`,
      { timeout: 120_000 },
      async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-p2-suite-"));
        try {
          const component = await adaptedComponent(t, adapter);
          const r = await runAdaptedTest(t, component, tmp, engine.instantiate);
          const ok = r.exitCode === (t.spec.exit_code ?? 0) &&
            (t.spec.stdout === undefined || r.stdout === t.spec.stdout) &&
            (t.spec.stderr === undefined || r.stderr === t.spec.stderr);
          if (reason !== undefined) {
            assert.ok(!ok, `now passes: remove it from EXPECTED_FAILURES`);
            return;
          }
          assert.equal(r.exitCode, t.spec.exit_code ?? 0, `exit code; stderr: ${r.stderr}`);
          if (t.spec.stdout !== undefined) assert.equal(r.stdout, t.spec.stdout, "stdout");
          if (t.spec.stderr !== undefined) assert.equal(r.stderr, t.spec.stderr, "stderr");
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      },
    );
  }
});
