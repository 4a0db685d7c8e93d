/**
 * The wasi-testsuite preview1 programs as WASI 0.2 components: each module is
 * wrapped with the `wasi_snapshot_preview1` command adapter (`componentNew`,
 * cached per process) and run with a {@link WasiP2Host} the way the suite's
 * runner runs a runtime: a fresh copy of its `root` preopened as `/`, the
 * JSON's args and env.
 */
import fs from "node:fs";
import path from "node:path";
import { CapturedOutput } from "../src/wasi/stdio.ts";
import { type InstantiateComponent, runCommandComponent } from "../src/wasip2/run.ts";
import { jcoTool } from "./_native_tools.ts";
import { copyWritable, type SuiteResult, type SuiteTest } from "./wasi_testsuite_runner.ts";

const adapted = new Map<string, Uint8Array>();

/** The program `t` wrapped into a command component with `adapter`. */
export async function adaptedComponent(t: SuiteTest, adapter: Uint8Array): Promise<Uint8Array> {
  let c = adapted.get(t.wasm);
  if (c === undefined) {
    const module = new Uint8Array(fs.readFileSync(t.wasm));
    c = await jcoTool<Uint8Array>("componentNew", module, [["wasi_snapshot_preview1", adapter]]);
    adapted.set(t.wasm, c);
  }
  return c;
}

/** Runs one adapted program in `tmp` with `instantiate`. */
export async function runAdaptedTest(
  t: SuiteTest,
  component: Uint8Array,
  tmp: string,
  instantiate: InstantiateComponent,
): Promise<SuiteResult> {
  const preopens: Record<string, string> = {};
  if (t.spec.root !== undefined) {
    const root = path.join(tmp, "root");
    copyWritable(path.join(t.dir, t.spec.root), root);
    preopens["/"] = root;
  }
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  let exitCode: number;
  try {
    exitCode = await runCommandComponent(instantiate, component, {
      args: [path.basename(t.wasm), ...(t.spec.args ?? [])],
      env: t.spec.env ?? {},
      preopens,
      stdin: "",
      stdout,
      stderr,
    });
  } catch (e) {
    stderr.write(new TextEncoder().encode(`trap: ${(e as Error).message}\n`));
    exitCode = 134;
  }
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() };
}
