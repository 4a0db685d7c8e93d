/**
 * wasi-threads speed-up (`deno task bench:threads`, `bun bench/wasi_threads.ts`):
 * the parallel sum of tests/wasi_threads/threads.c (`sum T K`: Σ (i·i) mod 7
 * for i < K, split over T threads spawned with `thread-spawn`) at 1, 2 and 4
 * threads against its single-threaded time (T = 0: computed on the main
 * thread, no spawn). The time is the program's own window, from before the
 * first spawn to after the join (its `ns=` line, on the monotonic clock), so
 * process and Worker start-up are left out: the Workers are loaded before the
 * program starts (`warmUp`, one spare per thread). Each point is the best of
 * `--runs` (default 3). Also the load average, since other processes on the
 * machine change the result.
 *
 * Options: `--k N` (default 20,000,000), `--runs N`, `--threads 1,2,4`.
 *
 * @module
 */
import os from "node:os";
import process from "node:process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Module } from "../src/api/module.ts";
import { CapturedOutput, WASI } from "../src/wasi/mod.ts";
import { runWasiThreads } from "../src/wasi/threads_host.ts";
import { machineInfo, machineLine, table } from "./_report.ts";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const K = Number(option("k", "20000000"));
const RUNS = Number(option("runs", "3"));
const THREADS = option("threads", "1,2,4").split(",").map(Number);
const wasm = readFileSync(
  fileURLToPath(new URL("../tests/wasi_threads/threads.wasm", import.meta.url)),
);
const module = new Module(wasm);

/** One run: the sum printed and the program's own window in ms. */
async function once(t: number): Promise<{ sum: string; ms: number }> {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const wasi = new WASI({ args: ["threads.wasm", "sum", String(t), String(K)], stdout, stderr });
  const r = await runWasiThreads(module, { wasi, spares: Math.max(1, t), warmUp: true });
  const ns = /ns=(\d+)/.exec(stderr.text());
  if (r.status !== 0 || ns === null) {
    throw new Error(`sum ${t} ${K} failed: ${JSON.stringify(r)} ${stderr.text()}`);
  }
  return { sum: stdout.text().trim(), ms: Number(ns[1]) / 1e6 };
}

async function best(t: number): Promise<{ sum: string; ms: number }> {
  let b: { sum: string; ms: number } | null = null;
  for (let i = 0; i < RUNS; i++) {
    const r = await once(t);
    if (b === null || r.ms < b.ms) b = r;
  }
  return b!;
}

console.log(machineLine(machineInfo()));
console.log(`load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const serial = await best(0);
const rows: string[][] = [["single-threaded (T = 0)", serial.ms.toFixed(0), "1.00×"]];
for (const t of THREADS) {
  const r = await best(t);
  if (r.sum !== serial.sum) throw new Error(`T = ${t}: ${r.sum}, serial: ${serial.sum}`);
  rows.push([
    `${t} thread${t === 1 ? "" : "s"}`,
    r.ms.toFixed(0),
    `${(serial.ms / r.ms).toFixed(2)}×`,
  ]);
}
console.log(`parallel sum, K = ${K} (${serial.sum}), best of ${RUNS}`);
console.log(table(["threads", "ms", "speed-up"], rows));
console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
