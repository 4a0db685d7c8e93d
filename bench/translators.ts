/**
 * The JIT's yardsticks (issue 18), whole process, in one run: node's native
 * WebAssembly (+ node:wasi), Gannet with the JIT (`--jit auto`, the
 * default) and without it (`--jit off`), binaryen's wasm2js (ahead of time
 * wasm → JS, `-O2`, run on node by `bench/wasm2js_node.mjs`; its
 * translation is done before timing and not counted) and polywasm (a
 * WebAssembly polyfill translating wasm → JS at load time, run on node by
 * `bench/polywasm_node.mjs`; its translation is timed, as Gannet's is).
 * Each program's stdout must match native's. Ratios are to native
 * (CoreMark: by score).
 *
 * Time is CPU time (user + system, from `/usr/bin/time`) where available,
 * else wall time: on a shared machine the wall clock mostly measures the
 * other processes (measured here: 0.77 s CPU in 3.08 s wall).
 *
 * Run: `deno run -A bench/translators.ts [--quick|--scale S] [--only N,…] [--runs N] [--json FILE]`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { repoDir } from "../tests/_shared.ts";
import type { BenchArgs } from "./_args.ts";
import { checkExpected, compareOutputs, coremarkScore, type Program } from "./_catalog.ts";
import { startHarness } from "./_start.ts";
import { fmtMs, fmtRatio, geomean, machineInfo, machineLine, table, writeJson } from "./_report.ts";
import { better, commands, type Side, spawnTimed } from "./process.ts";

const TIME = "/usr/bin/time";
const cpu = existsSync(TIME);

/** Runs `cmd` with `args`; `ms` is its CPU time where `/usr/bin/time` exists. */
function spawnCpu(cmd: readonly string[], args: readonly string[]): Side {
  if (!cpu) return spawnTimed(cmd, args);
  const s = spawnTimed([TIME, "-f", "GANNET_CPU %U %S", ...cmd], args);
  const m = /GANNET_CPU ([\d.]+) ([\d.]+)\s*$/.exec(s.out.stderr);
  if (m === null) return s;
  const stderr = s.out.stderr.slice(0, m.index);
  return { ...s, ms: (Number(m[1]) + Number(m[2])) * 1000, out: { ...s.out, stderr } };
}

const ENGINES = ["native", "gannet", "gannet_off", "wasm2js", "polywasm"] as const;
type Engine = typeof ENGINES[number];

/** wasm2js's translation of `p` into `dir` (null when it cannot translate it, e.g. SIMD). */
function translate(p: Program, dir: string): string | null {
  const bin = join(repoDir(), "node_modules", ".bin", "wasm2js");
  const out = join(dir, `${p.name}.js`);
  const r = spawnSync(bin, ["-O2", p.wasm, "-o", out], { encoding: "utf8" });
  return r.status === 0 && existsSync(out) ? out : null;
}

function run(a: BenchArgs, programs: readonly Program[]) {
  const dir = mkdtempSync(join(tmpdir(), "gannet-wasm2js-"));
  const rows = [];
  for (const p of programs) {
    const args = a.argOverrides[p.name] ?? p.args[a.scale];
    const c = commands(p);
    const js = translate(p, dir);
    const cmds: Record<Engine, string[] | null> = {
      native: c.native,
      gannet: c.gannet,
      gannet_off: [...c.gannet.slice(0, -1), "--jit", "off", p.wasm],
      wasm2js: js === null ? null : [
        "node",
        "--no-warnings",
        join(repoDir(), "bench", "wasm2js_node.mjs"),
        js,
        p.name,
      ],
      polywasm: [
        "node",
        "--no-warnings",
        join(repoDir(), "bench", "polywasm_node.mjs"),
        p.wasm,
        p.name,
      ],
    };
    const byScore = p.group === "coremark";
    const best: Partial<Record<Engine, Side>> = {};
    const problems: string[] = [];
    console.error(`${[p.name, ...args].join(" ")}: running…`);
    for (let i = 0; i < a.runs; i++) {
      for (const e of ENGINES) {
        const cmd = cmds[e];
        if (cmd === null) continue;
        const s = spawnCpu(cmd, args);
        for (const x of checkExpected(p, args, s.out)) problems.push(`${e}: ${x}`);
        if (s.out.status !== 0) problems.push(`${e}: exit status ${s.out.status}`);
        else if (e !== "native" && best.native !== undefined) {
          const strip = (o: Side["out"]) => ({ ...o, stderr: "" });
          const diff = compareOutputs(p, strip(best.native.out), strip(s.out));
          if (diff !== null) problems.push(`${e}: ${diff}`);
        }
        best[e] = better(best[e] ?? null, s, byScore);
      }
    }
    const ratio = (e: Engine) => {
      const n = best.native, x = best[e];
      if (n === undefined || x === undefined || problems.some((m) => m.startsWith(`${e}:`))) {
        return NaN;
      }
      return byScore ? coremarkScore(n.out.stdout)! / coremarkScore(x.out.stdout)! : x.ms / n.ms;
    };
    const row = {
      name: p.name,
      args,
      ms: Object.fromEntries(ENGINES.map((e) => [e, best[e]?.ms ?? NaN])),
      ratios: Object.fromEntries(ENGINES.map((e) => [e, ratio(e)])) as Record<Engine, number>,
      problems,
    };
    for (const x of problems) console.error(`!!! ${p.name}: ${x}`);
    console.error(
      `${p.name}: ` + ENGINES.map((e) => `${e} ${fmtMs(row.ms[e])} ms`).join(", "),
    );
    rows.push(row);
  }
  return rows;
}

/** Runs the comparison with command-line `argv`; returns the exit status. */
export function main(argv: readonly string[]): number {
  const start = startHarness("bench/translators", argv, {
    keep: (p) => p.group !== "sightglass",
  });
  if (typeof start === "number") return start;
  const { args: a, programs } = start;
  console.error(machineLine(machineInfo()));
  const rows = run(a, programs);
  const body = rows.map((r) => [
    r.name,
    r.args.join(" ") || "-",
    fmtMs(r.ms.native),
    `${fmtMs(r.ms.gannet)} (${fmtRatio(r.ratios.gannet)})`,
    `${fmtMs(r.ms.gannet_off)} (${fmtRatio(r.ratios.gannet_off)})`,
    `${fmtMs(r.ms.wasm2js)} (${fmtRatio(r.ratios.wasm2js)})`,
    `${fmtMs(r.ms.polywasm)} (${fmtRatio(r.ratios.polywasm)})`,
    fmtRatio(r.ratios.gannet / r.ratios.wasm2js),
    fmtRatio(r.ratios.gannet / r.ratios.polywasm),
  ]);
  const geo = (e: Engine) =>
    geomean(
      rows.filter((r) => r.name !== "noop" && Number.isFinite(r.ratios[e])).map((r) => r.ratios[e]),
    );
  console.log(
    [
      table(
        [
          "program",
          "args",
          "native ms",
          "Gannet JIT ms",
          "Gannet interp ms",
          "wasm2js ms",
          "polywasm ms",
          "JIT/wasm2js",
          "JIT/polywasm",
        ],
        body,
      ),
      "",
      `- geomean vs native (all but noop, programs each could run): Gannet JIT ${
        fmtRatio(geo("gannet"))
      }, ` +
      `interpreter ${fmtRatio(geo("gannet_off"))}, wasm2js ${fmtRatio(geo("wasm2js"))}, ` +
      `polywasm ${fmtRatio(geo("polywasm"))}`,
      `- Whole process, ${cpu ? "CPU time (user + system)" : "wall time"}, best of runs ` +
      "(CoreMark: ratio of scores); JIT/wasm2js or JIT/polywasm < 1× means Gannet's JIT is ahead.",
    ].join("\n"),
  );
  if (a.json !== null) writeJson(a.json, "translators", { scale: a.scale, runs: a.runs, rows });
  return rows.some((r) => r.problems.length > 0) ? 1 : 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
