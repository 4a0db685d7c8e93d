/**
 * `deno task fuzz` (and `bun tests/fuzz/main.ts`): runs fuzz targets for a
 * number of seeds or hours, reduces what they find and saves it.
 *
 * ```
 * deno task fuzz [--target wasm|text|wasi|decode|all] [--seeds N | --hours H]
 *                [--start S] [--features LIST] [--timeout SECONDS]
 *                [--reduce SECONDS] [--out DIR] [--jit=MODE] [--set KEY=VALUE]…
 * ```
 *
 * Findings go to `--out` (default `.tools/fuzz-findings/`): the input as
 * found, the reduced input and a text file with the divergence. A finding
 * that is fixed becomes a regression file (`tests/fuzz/regressions/`).
 * Exits 1 when anything failed.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { TARGET_SUMMARIES, TARGETS } from "./targets.ts";
import { formatSummary, type RunSummary, runTarget } from "./run.ts";

const USAGE = `usage: deno task fuzz [options]
  --target NAME      ${Object.keys(TARGETS).join(", ")} or all (default: wasm)
  --seeds N          run N seeds (default 100 when --hours is not given)
  --hours H          run for H hours
  --start S          first seed (default 1)
  --features LIST    wasm target: features over the detected set (all, -all, NAME, -NAME)
  --timeout SECONDS  per-case limit before a case counts as a hang (default 120)
  --reduce SECONDS   reduction budget per finding (default 300; 0: keep findings as found)
  --out DIR          where findings are saved (default .tools/fuzz-findings)
  --jit MODE         wasm target: Gannet's tier, auto|off|eager (the store's jit option;
                     refused until the JIT lands)
  --set KEY=VALUE    target setting (e.g. wasi: --set calls=40)
targets:
${Object.entries(TARGET_SUMMARIES).map(([k, v]) => `  ${k.padEnd(8)} ${v}`).join("\n")}`;

function parse() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      target: { type: "string", default: "wasm" },
      seeds: { type: "string" },
      hours: { type: "string" },
      start: { type: "string", default: "1" },
      features: { type: "string" },
      timeout: { type: "string", default: "120" },
      reduce: { type: "string", default: "300" },
      out: { type: "string", default: ".tools/fuzz-findings" },
      jit: { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h" },
    },
  });
  return values;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse();
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const targets = args.target === "all" ? Object.keys(TARGETS) : args.target!.split(",");
  for (const t of targets) {
    if (!(t in TARGETS)) {
      console.error(`unknown target "${t}"\n${USAGE}`);
      return 2;
    }
  }
  const settings = Object.fromEntries(
    args.set!.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
  if (args.jit !== undefined) settings.jit = args.jit;
  const out = args.out!;
  let failed = 0;
  for (const target of targets) {
    let lastReport = Date.now();
    const summary: RunSummary | Error = await runTarget(target, {
      start: Number(args.start),
      seeds: args.seeds === undefined ? undefined : Number(args.seeds),
      hours: args.hours === undefined ? undefined : Number(args.hours),
      features: args.features,
      settings,
      timeoutMs: Number(args.timeout) * 1000,
      reduceMs: Number(args.reduce) * 1000,
      onCase: (seed, outcome, s) => {
        if (outcome.status === "fail") {
          console.log(`${target} seed ${seed}: FAIL ${outcome.signature}\n${outcome.detail}`);
        }
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          const c = s.counts;
          console.log(
            `${target}: ${s.cases} cases, ${(s.ms / 1000).toFixed(0)} s, ` +
              `${c.fail} failed, ${c.limited} limited, ${c.skip} skipped (seed ${seed})`,
          );
        }
      },
      onFinding: (f) => {
        mkdirSync(out, { recursive: true });
        const base = join(out, `${target}-seed${f.seed}`);
        writeFileSync(`${base}.txt`, `${f.signature}\n${f.detail}\n`);
        if (f.input !== undefined) writeFileSync(`${base}.input`, f.input);
        if (f.reduced !== undefined) writeFileSync(`${base}.reduced`, f.reduced);
        console.log(
          `saved ${base}.*` +
            (f.reduced ? ` (reduced ${f.input?.length} → ${f.reduced.length} bytes)` : ""),
        );
      },
    }).catch((e: Error) => e);
    if (summary instanceof Error) {
      // A target that cannot start (a missing tool, `--jit` without a JIT) is a usage problem.
      console.error(summary.message);
      return 2;
    }
    console.log(formatSummary(summary));
    failed += summary.counts.fail;
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
