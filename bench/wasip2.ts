/**
 * WASI 0.2 benchmark (issue 14; a measurement, not a test). Whole processes,
 * wall time around each child, runs alternated, best of `--runs` (default 3):
 *
 * 1. `hello_stdout.component.wasm` start to exit: `gannet run` (Deno, the
 *    JIT on its default) against `jco run` (jco-transpile, then Node on
 *    native wasm; the transpile is timed apart, since `jco run` redoes it on
 *    every run).
 * 2. noop, fib_rec, nbody, bigint, mandelbrot, simd_dot (quick sizes) on
 *    Gannet: as preview1 modules (`gannet run X.wasm`) against the same
 *    modules wrapped with the preview1 command adapter
 *    (`gannet run --adapt ADAPTER X.wasm`, the wrapping done once before).
 *
 * Run: `deno run -A bench/wasip2.ts [--runs N]`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";
import { corpus, repoDir } from "../tests/_shared.ts";
import { jcoRunFiles } from "../tests/_jco.ts";

const runsAt = process.argv.indexOf("--runs");
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
const PROGRAMS = ["noop", "fib_rec", "nbody", "bigint", "mandelbrot", "simd_dot"];

interface Timed {
  ms: number;
  stdout: string;
  status: number | null;
}

function time(cmd: string, args: string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26, cwd: repoDir() });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: status ${r.status}\n${r.stderr}`);
  return { ms, stdout: r.stdout, status: r.status };
}

/** Best of RUNS for each command, alternating between them. */
function best(commands: [string, string[]][]): Timed[] {
  const out: Timed[] = commands.map(() => ({ ms: Infinity, stdout: "", status: null }));
  for (let i = 0; i < RUNS; i++) {
    commands.forEach(([cmd, args], k) => {
      const t = time(cmd, args);
      if (t.ms < out[k].ms) out[k] = t;
    });
  }
  return out;
}

const deno = process.execPath;
const cli = path.join(repoDir(), "src", "cli", "main.ts");
const gannet = (
  ...args: string[]
): [string, string[]] => [deno, ["run", "-A", cli, "run", ...args]];

const components = corpus("components");
const benchDir = corpus("bench");
if (components === null || benchDir === null) throw new Error("corpora missing");

// 1. hello_stdout: gannet run vs jco run.
const hello = path.join(components, "p2-command", "hello_stdout.component.wasm");
const t0 = performance.now();
const { runner } = await jcoRunFiles(hello);
const transpileMs = performance.now() - t0;
const [g, j] = best([gannet(hello), ["node", [runner]]]);
if (g.stdout !== j.stdout) throw new Error(`outputs differ: ${g.stdout} / ${j.stdout}`);
console.log("hello_stdout.component.wasm, start to exit (best of %d):", RUNS);
console.log(`  gannet run (Deno)                   ${g.ms.toFixed(0)} ms`);
console.log(
  `  jco run: node on transpiled glue    ${j.ms.toFixed(0)} ms (+ transpile ${
    transpileMs.toFixed(0)
  } ms)`,
);
console.log(`  ratio gannet / jco (run only)       ${(g.ms / j.ms).toFixed(2)}x`);
console.log(`  ratio gannet / jco (with transpile) ${(g.ms / (j.ms + transpileMs)).toFixed(2)}x`);

// 2. Adapted components vs preview1 modules, both on Gannet.
const adapterPath = path.join(components, "core-modules", "wasi_snapshot_preview1.command.wasm");
const adapter = new Uint8Array(fs.readFileSync(adapterPath));
const manifest = JSON.parse(fs.readFileSync(path.join(benchDir, "manifest.json"), "utf8")) as {
  programs: { name: string; wasm: string; quick: string[] }[];
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-bench-p2-"));
console.log("\nquick sizes on Gannet, preview1 module vs adapted component (best of %d):", RUNS);
console.log("  program      module ms  component ms  component/module");
try {
  for (const name of PROGRAMS) {
    const p = manifest.programs.find((x) => x.name === name)!;
    const wasm = path.join(benchDir, p.wasm);
    const adapted = path.join(tmp, `${name}.component.wasm`);
    fs.writeFileSync(
      adapted,
      await componentNew(new Uint8Array(fs.readFileSync(wasm)), [[
        "wasi_snapshot_preview1",
        adapter,
      ]]),
    );
    const [m, c] = best([gannet(wasm, ...p.quick), gannet(adapted, ...p.quick)]);
    if (m.stdout !== c.stdout) {
      throw new Error(`${name}: outputs differ:\n${m.stdout}\n${c.stdout}`);
    }
    console.log(
      `  ${name.padEnd(12)} ${m.ms.toFixed(0).padStart(9)}  ${c.ms.toFixed(0).padStart(12)}  ${
        (c.ms / m.ms).toFixed(2).padStart(15)
      }x`,
    );
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
