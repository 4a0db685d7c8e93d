/**
 * Micro-benchmarks, Gannet beside the host's native `WebAssembly`:
 * - kernels: dispatch (tight loop), calls (recursive fib), memory access
 *   (load/store loop), i64 arithmetic — time per unit of work, results
 *   checked equal between the engines;
 * - translation: every function of the largest core modules of `../shared`
 *   translated to IR (MB of code per second, IR bytes per code byte),
 *   beside Gannet's decode + validate and the native compile;
 * - time to first host call: compile + instantiate + `_start` until its
 *   first import call, for the same modules.
 *
 * Run: `deno run -A bench/micro.ts [--only dispatch,calls,memory,i64,translate,first-call]
 * [--json FILE]` or `deno task bench -- --micro …`.
 *
 * @module
 */
import process from "node:process";
import { Bench } from "tinybench";
import { parseWat } from "../mod.ts";
import { corpus, sharedDir } from "../tests/_shared.ts";
import { type BenchArgs, parseBenchArgs, USAGE, UsageError } from "./_args.ts";
import { type Engine, gannetEngine, nativeEngine } from "./_inproc.ts";
import { MICRO_KERNELS, type MicroKernel } from "./_micro_kernels.ts";
import {
  type FirstCallRow,
  firstCallRow,
  largestModules,
  type TranslateRow,
  translateRow,
} from "./_micro_translate.ts";
import { fmtMs, fmtRatio, geomean, machineInfo, machineLine, table, writeJson } from "./_report.ts";

/** Names `--only` accepts besides the kernels'. */
const SECTIONS = ["translate", "first-call"];

/** One kernel's figures. */
export interface KernelRow {
  /** Kernel name. */
  name: string;
  /** What one unit of work is. */
  unit: string;
  /** Native time per unit, ns. */
  nativeNs: number;
  /** Gannet time per unit, ns. */
  gannetNs: number;
  /** gannetNs / nativeNs. */
  ratio: number;
  /** Gannet's result (equal to native's, else the run fails). */
  result: string;
}

/** A kernel's `run(n)`. */
export type Run = (n: number) => unknown;

/** Instantiates kernel `k` on `engine`; returns its `run` export. */
export function kernelRun(engine: Engine, k: MicroKernel): Run {
  const bytes = new Uint8Array(parseWat(k.wat));
  const run = engine.instantiate(bytes, {}).exports.run;
  if (typeof run !== "function") throw new Error(`${k.name}: no run export`);
  return run as Run;
}

async function nsPerUnit(run: Run, n: number, units: number, timeMs: number): Promise<number> {
  const bench = new Bench({
    time: timeMs,
    iterations: 3,
    warmupIterations: 2,
    warmupTime: 0,
    throws: true,
  });
  bench.add("k", () => void run(n), { async: false });
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state !== "completed") throw new Error(`benchmark ${r.state}`);
  return (r.latency.p50 * 1e6) / units;
}

/** Runs one kernel on both engines; throws when their results differ. */
export async function kernelRow(k: MicroKernel, timeMs: number): Promise<KernelRow> {
  const native = kernelRun(nativeEngine, k), gannet = kernelRun(gannetEngine, k);
  const want = native(k.n), got = gannet(k.n);
  if (want !== got) {
    throw new Error(`${k.name}: RESULT MISMATCH: native ${want}, Gannet ${got} (n=${k.n})`);
  }
  const nativeNs = await nsPerUnit(native, k.nativeN, k.units(k.nativeN), timeMs);
  const gannetNs = await nsPerUnit(gannet, k.n, k.units(k.n), timeMs);
  return {
    name: k.name,
    unit: k.unit,
    nativeNs,
    gannetNs,
    ratio: gannetNs / nativeNs,
    result: String(got),
  };
}

const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);

/** The three tables as Markdown. */
export function formatMicro(
  kernels: readonly KernelRow[],
  tr: readonly TranslateRow[],
  fc: readonly FirstCallRow[],
): string {
  const out: string[] = [];
  if (kernels.length > 0) {
    out.push(
      table(
        ["kernel", "unit", "native ns/unit", "Gannet ns/unit", "ratio"],
        kernels.map((k) => [
          k.name,
          k.unit,
          k.nativeNs.toFixed(2),
          k.gannetNs.toFixed(2),
          fmtRatio(k.ratio),
        ]),
      ),
      "",
      `geomean: ${fmtRatio(geomean(kernels.map((k) => k.ratio)))}`,
      "",
    );
  }
  if (tr.length > 0) {
    out.push(
      table(
        [
          "module",
          "code KB",
          "funcs",
          "native compile ms (MB/s)",
          "Gannet decode+validate ms (MB/s)",
          "Gannet translate all ms (MB/s)",
          "IR B / code B",
        ],
        tr.map((r) => [
          r.name,
          (r.codeBytes / 1024).toFixed(0),
          String(r.functions),
          `${fmtMs(r.nativeCompileMs)} (${mbps(r.codeBytes, r.nativeCompileMs)})`,
          `${fmtMs(r.gannetCompileMs)} (${mbps(r.codeBytes, r.gannetCompileMs)})`,
          `${fmtMs(r.translateMs)} (${mbps(r.codeBytes, r.translateMs)})`,
          r.irPerCodeByte.toFixed(2),
        ]),
      ),
      "",
      "MB/s: MB of function-body bytes per second. Native compile is V8's/JSC's " +
        "(lazy tiers), on fresh bytes each time (no module cache).",
      "",
    );
  }
  if (fc.length > 0) {
    out.push(
      table(
        ["module", "KB", "native ms", "Gannet ms", "ratio"],
        fc.map((r) => [
          r.name,
          (r.bytes / 1024).toFixed(0),
          fmtMs(r.nativeMs),
          fmtMs(r.gannetMs),
          fmtRatio(r.gannetMs / r.nativeMs),
        ]),
      ),
      "",
      "Time to first host call: compile + instantiate + _start until its first import call.",
    );
  }
  return out.join("\n");
}

/** Runs the micro-benchmarks selected by `a.only` (all when empty); returns the exit status. */
export async function runMicroCli(a: BenchArgs): Promise<number> {
  const known = [...MICRO_KERNELS.map((k) => k.name), ...SECTIONS];
  const bad = a.only.filter((n) => !known.includes(n));
  if (bad.length > 0) {
    console.error(`bench --micro: unknown ${bad.join(", ")}; known: ${known.join(", ")}`);
    return 2;
  }
  const want = (n: string) => a.only.length === 0 || a.only.includes(n);
  const timeMs = a.scale === "quick" ? 200 : 1500;
  console.error(machineLine(machineInfo()));
  let failed = false;
  const kernels: KernelRow[] = [];
  for (const k of MICRO_KERNELS.filter((k) => want(k.name))) {
    try {
      kernels.push(await kernelRow(k, timeMs));
      console.error(`${k.name}: ${fmtRatio(kernels[kernels.length - 1].ratio)}`);
    } catch (e) {
      failed = true;
      console.error(`!!! ${k.name}: ${(e as Error).stack ?? e}`);
    }
  }
  const tr: TranslateRow[] = [], fc: FirstCallRow[] = [];
  if (want("translate") || want("first-call")) {
    if (corpus(".") === null) return 1;
    const mods = largestModules(sharedDir(), a.scale === "quick" ? 2 : 5);
    for (const m of mods) {
      try {
        if (want("translate")) tr.push(await translateRow(m, timeMs));
        if (want("first-call")) fc.push(await firstCallRow(m, timeMs));
        console.error(`${m.name}: done`);
      } catch (e) {
        failed = true;
        console.error(`!!! ${m.name}: ${(e as Error).stack ?? e}`);
      }
    }
  }
  console.log(formatMicro(kernels, tr, fc));
  if (a.json !== null) writeJson(a.json, "micro", { kernels, translate: tr, firstCall: fc });
  return failed ? 1 : 0;
}

if (import.meta.main) {
  try {
    process.exitCode = await runMicroCli(parseBenchArgs(process.argv.slice(2)));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`bench/micro: ${e.message}\n${USAGE}`);
    process.exitCode = 2;
  }
}
