/**
 * The in-process benchmark (`deno task bench`, `bun bench/main.ts`): every
 * program of `../shared/bench` run through the host's native `WebAssembly`
 * and through Gannet, in this process, with the same WASI implementation and
 * output checked equal (a mismatch or failure is printed loudly and makes
 * the exit status 1). Prints a table (program, native, Gannet, ratio) and
 * the geometric mean of the ratios; `--micro` runs `bench/micro.ts` instead.
 *
 * Ratios: wall time of compile + instantiate + `_start` for the kernels;
 * the `bench.start`→`bench.end` window for sightglass (its protocol); the
 * score ratio for CoreMark (self-calibrating).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { Bench } from "tinybench";
import type { BenchArgs } from "./_args.ts";
import { checkExpected, compareOutputs, coremarkScore, type Program } from "./_catalog.ts";
import { type Engine, gannetEngine, nativeEngine, runProgram, type RunResult } from "./_inproc.ts";
import { startHarness } from "./_start.ts";
import { fmtMs, fmtRatio, geomean, machineInfo, machineLine, table, writeJson } from "./_report.ts";

/** One engine's measurement of one program. */
export interface EngineResult {
  /** Best wall time (tinybench's minimum latency), ms. */
  ms: number;
  /** Mean wall time, ms. */
  meanMs: number;
  /** Sightglass: best bench window, ms. */
  windowMs: number | null;
  /** CoreMark: best score (iterations/s). */
  score: number | null;
  /** The last run's output. */
  last: RunResult;
}

/** One program's row. */
export interface ProgramResult {
  /** Program name. */
  name: string;
  /** Its group (kernel, coremark, sightglass). */
  group: Program["group"];
  /** Whether it is in issue 8's acceptance set. */
  acceptance: boolean;
  /** The arguments it ran with. */
  args: readonly string[];
  /** Native measurement, null when it failed. */
  native: EngineResult | null;
  /** Gannet measurement, null when it failed. */
  gannet: EngineResult | null;
  /** Gannet's slowdown (>1: slower than native), or NaN when a side failed. */
  ratio: number;
  /** What the ratio compares: `wall`, `window` or `score`. */
  basis: "wall" | "window" | "score";
  /** Failures and mismatches (empty: all fine). */
  problems: string[];
}

/** The harness's result. */
export interface InprocReport {
  /** One row per program, in run order. */
  rows: ProgramResult[];
  /** Geometric mean over issue 8's acceptance set (those that ran). */
  geomeanAcceptance: number;
  /** Geometric mean over every program but noop. */
  geomeanAll: number;
  /** Whether any program failed or mismatched. */
  failed: boolean;
}

async function measure(
  engine: Engine,
  p: Program,
  args: readonly string[],
  bytes: Uint8Array<ArrayBuffer>,
  runs: number,
): Promise<{ result: EngineResult | null; error: string | null }> {
  let last: RunResult | null = null;
  let windowMs = Infinity, score = -Infinity;
  const bench = new Bench({ iterations: runs, time: 0, warmup: false, throws: false });
  bench.add(engine.name, () => {
    last = runProgram(engine, p, args, bytes);
    if (last.windowMs !== null) windowMs = Math.min(windowMs, last.windowMs);
    const s = coremarkScore(last.stdout);
    if (p.group === "coremark" && s !== null) score = Math.max(score, s);
  }, { async: false });
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state === "errored") {
    const e = r.error as Error & { wasmStack?: unknown };
    return { result: null, error: `${engine.name} failed: ${e?.stack ?? e}` };
  }
  if (r.state !== "completed" || last === null) {
    return { result: null, error: `${engine.name}: ${r.state}` };
  }
  return {
    result: {
      ms: r.latency.min,
      meanMs: r.latency.mean,
      windowMs: Number.isFinite(windowMs) ? windowMs : null,
      score: Number.isFinite(score) ? score : null,
      last,
    },
    error: null,
  };
}

/** Runs `programs` on both engines; `log` receives progress lines. */
export async function runInProcess(
  a: BenchArgs,
  programs: readonly Program[],
  log: (line: string) => void = (l) => console.error(l),
): Promise<InprocReport> {
  const rows: ProgramResult[] = [];
  for (const p of programs) {
    const args = a.argOverrides[p.name] ?? p.args[a.scale];
    const bytes = new Uint8Array(readFileSync(p.wasm));
    log(`${[p.name, ...args].join(" ")}: running…`);
    const nat = await measure(nativeEngine, p, args, bytes, a.runs);
    const gan = await measure(gannetEngine, p, args, bytes, a.runs);
    const problems: string[] = [];
    for (const [side, m] of [["native", nat], ["gannet", gan]] as const) {
      if (m.error !== null) problems.push(m.error);
      else for (const x of checkExpected(p, args, m.result!.last)) problems.push(`${side}: ${x}`);
    }
    if (nat.result !== null && gan.result !== null) {
      const diff = compareOutputs(p, nat.result.last, gan.result.last);
      if (diff !== null) problems.push(`OUTPUT MISMATCH: ${diff}`);
    }
    const n = nat.result, g = gan.result;
    const basis = p.group === "coremark" ? "score" : p.group === "sightglass" ? "window" : "wall";
    let ratio = NaN;
    if (n !== null && g !== null) {
      if (basis === "score" && n.score !== null && g.score !== null) ratio = n.score / g.score;
      else if (basis === "window" && n.windowMs !== null && g.windowMs !== null) {
        ratio = g.windowMs / n.windowMs;
      } else if (basis === "wall") ratio = g.ms / n.ms;
    }
    if (problems.length > 0) ratio = NaN;
    rows.push({
      name: p.name,
      group: p.group,
      acceptance: p.acceptance,
      args,
      native: n,
      gannet: g,
      ratio,
      basis,
      problems,
    });
    for (const x of problems) log(`!!! ${p.name}: ${x}`);
    log(
      `${p.name}: native ${fmtMs(n?.ms ?? NaN)} ms, gannet ${fmtMs(g?.ms ?? NaN)} ms, ${
        fmtRatio(ratio)
      } (${basis})`,
    );
  }
  const ok = rows.filter((r) => Number.isFinite(r.ratio));
  return {
    rows,
    geomeanAcceptance: geomean(ok.filter((r) => r.acceptance).map((r) => r.ratio)),
    geomeanAll: geomean(ok.filter((r) => r.name !== "noop").map((r) => r.ratio)),
    failed: rows.some((r) => r.problems.length > 0),
  };
}

/** The report as a Markdown table with the geometric means. */
export function formatInProcess(rep: InprocReport): string {
  const rows = rep.rows.map((r) => {
    const n = r.native, g = r.gannet;
    const cell = (e: EngineResult | null) =>
      e === null
        ? "FAILED"
        : r.basis === "score"
        ? `${e.score?.toFixed(0) ?? "-"} it/s`
        : r.basis === "window"
        ? `${fmtMs(e.windowMs ?? NaN)} (${fmtMs(e.ms)})`
        : fmtMs(e.ms);
    return [
      r.name + (r.acceptance ? "" : " °"),
      r.args.join(" ") || "-",
      cell(n),
      cell(g),
      r.problems.length > 0 ? "FAILED" : fmtRatio(r.ratio),
    ];
  });
  return [
    table(["program", "args", "native ms", "Gannet ms", "ratio"], rows),
    "",
    `- geomean, issue 8 acceptance set (kernels + CoreMark): ${fmtRatio(rep.geomeanAcceptance)}`,
    `- geomean, all programs but noop: ${fmtRatio(rep.geomeanAll)}`,
    "- ° not in the acceptance set. CoreMark: iterations/s, ratio = native score / Gannet score.",
    "- Sightglass: bench.start→end window ms (whole run in parentheses), ratio of windows.",
    "- Others: compile + instantiate + _start wall time, best of runs.",
  ].join("\n");
}

/** Runs the harness with command-line `argv`; returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const start = startHarness("bench", argv, { needsCorpus: (a) => !a.micro });
  if (typeof start === "number") return start;
  const { args: a, programs } = start;
  if (a.micro) {
    const { runMicroCli } = await import("./micro.ts");
    return runMicroCli(a);
  }
  if (a.list) {
    for (const p of programs) {
      console.log(
        `${p.name}\t${p.group}\t${(a.argOverrides[p.name] ?? p.args[a.scale]).join(" ")}`,
      );
    }
    return 0;
  }
  console.error(machineLine(machineInfo()));
  const rep = await runInProcess(a, programs);
  console.log(formatInProcess(rep));
  if (a.json !== null) {
    writeJson(a.json, "inprocess", {
      scale: a.scale,
      runs: a.runs,
      geomeanAcceptance: rep.geomeanAcceptance,
      geomeanAll: rep.geomeanAll,
      rows: rep.rows.map((r) => ({
        ...r,
        native: r.native && { ...r.native, last: undefined },
        gannet: r.gannet && { ...r.gannet, last: undefined },
      })),
    });
  }
  if (rep.failed) {
    console.error(
      "\n!!! FAILURES: " + rep.rows.filter((r) => r.problems.length > 0)
        .map((r) => r.name).join(", "),
    );
    return 1;
  }
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
