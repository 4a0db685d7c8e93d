/**
 * Benchmark (not a test): each program of `../shared/bench/wasm` as a whole
 * process, `gannet run` under Deno vs node's native WebAssembly + node:wasi
 * (`bench/_native_wasi.mjs`), with output checked equal. Prints a table of
 * wall times, the slowdown per program and the geometric mean.
 *
 * Run: `deno run -A bench/interp_vs_native.ts [--quick | --mid] [--runs N] [NAME…]`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { repoDir, sharedDir } from "../tests/_shared.ts";

interface Program {
  name: string;
  wasm: string;
  args: string[];
  quick: string[];
  expect: string;
}

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
/** `--mid`: about a quarter of the default work (quicker comparisons on a busy machine). */
const mid = argv.includes("--mid");
const MID: Record<string, string[]> = {
  fib_rec: ["38"],
  sieve: ["5000000"],
  matmul_f64: ["380"],
  nbody: ["2000000"],
  sha256: ["32"],
  quicksort: ["1500000"],
  bigint: ["15000"],
  mandelbrot: ["500"],
  simd_dot: ["15000"],
  memops: ["100"],
  noop: [],
};
const runsAt = argv.indexOf("--runs");
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 1;
const names = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--runs");
const benchDir = join(sharedDir(), "bench");
const manifest = JSON.parse(readFileSync(join(benchDir, "manifest.json"), "utf8")) as {
  programs: Program[];
};
const deno = process.execPath.includes("deno") ? process.execPath : "deno";

/**
 * Best wall time (and the CPU time of that run, via /usr/bin/time when
 * present: on a shared machine CPU time is the steadier signal).
 */
function timeRun(cmd: string, args: string[]): { ms: number; cpu: number; out: string } {
  let best = Infinity, cpu = NaN, out = "";
  const timer = existsSync("/usr/bin/time");
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = timer
      ? spawnSync("/usr/bin/time", ["-f", "@@cpu %U %S", cmd, ...args], {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      })
      : spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
    out = r.stdout.trim();
    if (ms < best) {
      best = ms;
      const m = /@@cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
      cpu = m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN;
    }
  }
  return { ms: best, cpu, out };
}

const rows: string[][] = [
  ["program", "args", "native ms", "gannet ms", "ratio", "native cpu", "gannet cpu", "cpu ratio"],
];
const ratios: number[] = [], cpuRatios: number[] = [];
for (const p of manifest.programs) {
  if (names.length > 0 && !names.includes(p.name)) continue;
  const wasm = join(benchDir, p.wasm);
  const args = quick ? p.quick : mid ? MID[p.name] ?? p.args : p.args;
  let nat, gan;
  try {
    nat = timeRun("node", [join(repoDir(), "bench", "_native_wasi.mjs"), wasm, ...args]);
    gan = timeRun(deno, ["run", "-A", join(repoDir(), "src/cli/main.ts"), "run", wasm, ...args]);
  } catch (e) {
    console.error(`${p.name}: ${(e as Error).message.split("\n")[0]}`);
    continue;
  }
  if (nat.out !== gan.out) {
    console.error(`${p.name}: output differs\n native: ${nat.out}\n gannet: ${gan.out}`);
  }
  if (!quick && !mid && gan.out !== p.expect) {
    console.error(`${p.name}: unexpected output ${gan.out}`);
  }
  const ratio = gan.ms / nat.ms, cpuRatio = gan.cpu / nat.cpu;
  if (p.name !== "noop") {
    ratios.push(ratio);
    cpuRatios.push(cpuRatio);
  }
  rows.push([
    p.name,
    args.join(" "),
    nat.ms.toFixed(0),
    gan.ms.toFixed(0),
    ratio.toFixed(1) + "×",
    nat.cpu.toFixed(0),
    gan.cpu.toFixed(0),
    cpuRatio.toFixed(1) + "×",
  ]);
  console.error(`${p.name}: ${ratio.toFixed(1)}× (cpu ${cpuRatio.toFixed(1)}×)`);
}
const geomean = (xs: number[]) => Math.exp(xs.reduce((s, r) => s + Math.log(r), 0) / xs.length);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((v, c) => v.padStart(widths[c])).join("  "));
console.log(
  `geomean (without noop): wall ${geomean(ratios).toFixed(1)}×, cpu ${
    geomean(cpuRatios).toFixed(1)
  }×`,
);
