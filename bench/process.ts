/**
 * Whole-process benchmark, as issue 8's acceptance defines it: each program
 * run as `deno run -A src/cli/main.ts run PROGRAM ARGS` (Gannet) and as
 * `node bench/native_node_wasi.mjs PROGRAM ARGS` (node's native WebAssembly
 * + `node:wasi`), wall time measured with `performance.now()` around the
 * child process, stdout and exit status checked equal. Prints the table and
 * the geometric mean; CoreMark compares its scores.
 *
 * Run: `deno run -A bench/process.ts [--quick|--scale S] [--only N,…] [--runs N] [--json FILE]`.
 * Sightglass programs are left out: they import `bench.start`/`bench.end`,
 * which neither `gannet run` nor node's WASI provides.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { repoDir } from "../tests/_shared.ts";
import type { BenchArgs } from "./_args.ts";
import {
  checkExpected,
  compareOutputs,
  coremarkScore,
  type Output,
  type Program,
} from "./_catalog.ts";
import { startHarness } from "./_start.ts";
import { fmtMs, fmtRatio, geomean, machineInfo, machineLine, table, writeJson } from "./_report.ts";

/** One side's best run. */
export interface Side {
  ms: number;
  score: number | null;
  out: Output;
}

/** One program's row. */
interface Row {
  name: string;
  acceptance: boolean;
  args: readonly string[];
  native: Side | null;
  gannet: Side | null;
  ratio: number;
  basis: "wall" | "score";
  problems: string[];
}

/** The Deno executable: this one when running under Deno, else the repository's. */
function denoPath(): string {
  if ((process.versions as Record<string, string | undefined>).deno !== undefined) {
    return process.execPath;
  }
  const local = join(repoDir(), "node_modules", ".bin", "deno");
  return existsSync(local) ? local : "deno";
}

/**
 * Extra `gannet run` options from the environment, e.g.
 * `GANNET_RUN_FLAGS="-W fuel=1000000000000"` to measure with fuel metering on.
 */
const RUN_FLAGS = (process.env.GANNET_RUN_FLAGS ?? "").split(/\s+/).filter((f) => f !== "");

/**
 * The host that runs Gannet's side (issue 16 compares them): `GANNET_HOST=bun` runs
 * `bun src/cli/main.ts`, and `GANNET_DENO_FLAGS="--v8-flags=--jitless"` passes flags to Deno.
 */
const HOST = process.env.GANNET_HOST ?? "deno";
const DENO_FLAGS = (process.env.GANNET_DENO_FLAGS ?? "").split(/\s+/).filter((f) => f !== "");

/** The native and Gannet command lines for `p`, without its arguments. */
export function commands(p: Program): Record<"native" | "gannet", string[]> {
  const main = join(repoDir(), "src", "cli", "main.ts");
  return {
    native: ["node", "--no-warnings", join(repoDir(), "bench", "native_node_wasi.mjs"), p.wasm],
    gannet: HOST === "bun"
      ? ["bun", main, "run", ...RUN_FLAGS, p.wasm]
      : [denoPath(), "run", "-A", ...DENO_FLAGS, main, "run", ...RUN_FLAGS, p.wasm],
  };
}

/** Runs `cmd` with `args`, timed (wall clock around the child process). */
export function spawnTimed(cmd: readonly string[], args: readonly string[]): Side {
  const t = performance.now();
  const r = spawnSync(cmd[0], [...cmd.slice(1), ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ms = performance.now() - t;
  if (r.error !== undefined) throw new Error(`cannot run ${cmd[0]}: ${r.error.message}`);
  const stderr = r.signal === null ? r.stderr : `${r.stderr}[killed by ${r.signal}]`;
  const out = { stdout: r.stdout, stderr, status: r.status ?? 128 };
  return { ms, score: coremarkScore(r.stdout), out };
}

/** The better of two runs (lower time, or higher score). */
export function better(a: Side | null, b: Side, byScore: boolean): Side {
  if (a === null) return b;
  if (byScore) return (b.score ?? -1) > (a.score ?? -1) ? b : a;
  return b.ms < a.ms ? b : a;
}

/** Runs every program `runs` times per side, alternating sides. */
function runProcesses(
  a: BenchArgs,
  programs: readonly Program[],
  log: (l: string) => void,
): Row[] {
  const rows: Row[] = [];
  for (const p of programs) {
    const args = a.argOverrides[p.name] ?? p.args[a.scale];
    const cmd = commands(p);
    const basis = p.group === "coremark" ? "score" : "wall";
    let native: Side | null = null, gannet: Side | null = null;
    const problems: string[] = [];
    log(`${[p.name, ...args].join(" ")}: running…`);
    // Every run is checked, not only the best: a run that failed fast must not hide.
    const check = (side: string, s: Side): Side => {
      for (const x of checkExpected(p, args, s.out)) {
        if (!problems.includes(`${side}: ${x}`)) problems.push(`${side}: ${x}`);
      }
      return s;
    };
    try {
      for (let i = 0; i < a.runs; i++) {
        native = better(native, check("native", spawnTimed(cmd.native, args)), basis === "score");
        gannet = better(gannet, check("gannet", spawnTimed(cmd.gannet, args)), basis === "score");
      }
    } catch (e) {
      problems.push((e as Error).message);
    }
    if (native !== null && gannet !== null) {
      // Only stdout and the status: node and Deno print different diagnostics on stderr.
      const strip = (o: Output): Output => ({ ...o, stderr: "" });
      const diff = compareOutputs(p, strip(native.out), strip(gannet.out));
      if (diff !== null) problems.push(`OUTPUT MISMATCH: ${diff}`);
    }
    let ratio = NaN;
    if (problems.length === 0 && native !== null && gannet !== null) {
      ratio = basis === "score" ? native.score! / gannet.score! : gannet.ms / native.ms;
    }
    for (const x of problems) log(`!!! ${p.name}: ${x}`);
    log(
      `${p.name}: node ${fmtMs(native?.ms ?? NaN)} ms, gannet ${fmtMs(gannet?.ms ?? NaN)} ms, ${
        fmtRatio(ratio)
      }`,
    );
    rows.push({
      name: p.name,
      acceptance: p.acceptance,
      args,
      native,
      gannet,
      ratio,
      basis,
      problems,
    });
  }
  return rows;
}

function format(rows: readonly Row[]): { text: string; geo: number; geoAll: number } {
  const ok = rows.filter((r) => Number.isFinite(r.ratio));
  const geo = geomean(ok.filter((r) => r.acceptance).map((r) => r.ratio));
  const geoAll = geomean(ok.filter((r) => r.name !== "noop").map((r) => r.ratio));
  const cell = (s: Side | null, r: Row) =>
    s === null
      ? "FAILED"
      : r.basis === "score"
      ? `${s.score?.toFixed(0) ?? "-"} it/s (${fmtMs(s.ms)})`
      : fmtMs(s.ms);
  const body = rows.map((r) => [
    r.name + (r.acceptance ? "" : " °"),
    r.args.join(" ") || "-",
    cell(r.native, r),
    cell(r.gannet, r),
    r.problems.length > 0 ? "FAILED" : fmtRatio(r.ratio),
  ]);
  const worst = ok.filter((r) => r.acceptance).sort((x, y) => y.ratio - x.ratio)[0];
  const text = [
    table([
      "program",
      "args",
      "node native ms",
      `gannet run (${HOST === "bun" ? "Bun" : "Deno"}) ms`,
      "ratio",
    ], body),
    "",
    `- geomean, issue 8 acceptance set: ${fmtRatio(geo)} (target ≤ 20×; wasm3 ≈ 4.4×, ` +
    `Gannet/wasm3 = ${fmtRatio(geo / 4.4)})`,
    worst === undefined ? "" : `- worst: ${worst.name} ${fmtRatio(worst.ratio)} (target ≤ 50×)`,
    `- geomean, all but noop: ${fmtRatio(geoAll)}`,
    "- Whole-process wall time, best of runs; CoreMark: score (it/s), ratio = node score / " +
    "Gannet score (wasm3 ≈ 7.7×). ° not in the acceptance set.",
  ].join("\n");
  return { text, geo, geoAll };
}

/** Runs the whole-process benchmark with command-line `argv`; returns the exit status. */
export function main(argv: readonly string[]): number {
  const start = startHarness("bench/process", argv, { keep: (p) => p.group !== "sightglass" });
  if (typeof start === "number") return start;
  const { args: a, all, programs } = start;
  console.error(machineLine(machineInfo()));
  // Fill Deno's transpile cache and the OS file cache before anything is timed.
  const noop = all.find((p) => p.name === "noop");
  if (noop !== undefined) {
    const c = commands(noop);
    spawnTimed(c.native, []);
    spawnTimed(c.gannet, []);
  }
  const rows = runProcesses(a, programs, (l) => console.error(l));
  const { text, geo, geoAll } = format(rows);
  console.log(text);
  if (a.json !== null) {
    writeJson(a.json, "process", {
      scale: a.scale,
      runs: a.runs,
      geomeanAcceptance: geo,
      geomeanAll: geoAll,
      rows: rows.map((r) => ({
        ...r,
        native: r.native && { ms: r.native.ms, score: r.native.score },
        gannet: r.gannet && { ms: r.gannet.ms, score: r.gannet.score },
      })),
    });
  }
  const failed = rows.filter((r) => r.problems.length > 0);
  if (failed.length > 0) {
    console.error(`\n!!! FAILURES: ${failed.map((r) => r.name).join(", ")}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
