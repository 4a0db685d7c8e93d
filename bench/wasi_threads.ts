/**
 * wasi-threads speed-up (`deno task bench:threads`, `bun bench/wasi_threads.ts`):
 * the parallel sum of tests/wasi_threads/threads.c (`sum T K`: Σ (i·i) mod 7
 * for i < K, split over T threads spawned with `thread-spawn`) at 1, 2 and 4
 * threads against its single-threaded time (T = 0: computed on the main
 * thread, no spawn). The time is the program's own window, from before the
 * first spawn to after the join (its `ns=` line, on the monotonic clock), so
 * process and Worker start-up are left out: the Workers are loaded before the
 * program starts (`warmUp`, one spare per thread and one more, so that none loads while the
 * threads run). Each point is the best of
 * `--runs` (default 3). Also the load average and, as a control, the speed-up
 * plain-JS Workers get from the same split on this machine at this moment
 * (other processes change both).
 *
 * Options: `--k N` (default 20,000,000), `--runs N`, `--threads 1,2,4`. `--exit N` measures
 * instead how fast an exit ends a 4-thread program (`gannet run threads.wasm exit` in a child
 * process, N times: from the "exiting" line on its stdout to the child's exit; the other threads
 * are busy, blocked in a wait and asleep in `poll_oneoff`).
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

/** One run: the sum printed, the program's own window and the process's CPU time in it, in ms. */
async function once(t: number): Promise<{ sum: string; ms: number; cpuMs: number }> {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const wasi = new WASI({ args: ["threads.wasm", "sum", String(t), String(K)], stdout, stderr });
  // One spare more than the threads: no Worker loads during the measured window.
  let cpu0: NodeJS.CpuUsage | null = null;
  const r = await runWasiThreads(module, {
    wasi,
    spares: t + 1,
    warmUp: true,
    onStart: () => cpu0 = process.cpuUsage(),
  });
  const cpu = process.cpuUsage(cpu0 ?? undefined);
  const ns = /ns=(\d+)/.exec(stderr.text());
  if (r.status !== 0 || ns === null) {
    throw new Error(`sum ${t} ${K} failed: ${JSON.stringify(r)} ${stderr.text()}`);
  }
  return {
    sum: stdout.text().trim(),
    ms: Number(ns[1]) / 1e6,
    cpuMs: (cpu.user + cpu.system) / 1e3,
  };
}

async function best(t: number): Promise<{ sum: string; ms: number; cpuMs: number }> {
  let b: { sum: string; ms: number; cpuMs: number } | null = null;
  for (let i = 0; i < RUNS; i++) {
    const r = await once(t);
    if (b === null || r.ms < b.ms) b = r;
  }
  return b!;
}

const exitRuns = Number(option("exit", "0"));
if (exitRuns > 0) {
  const { runGannet } = await import("../tests/_gannet_process.ts");
  const wasmPath = fileURLToPath(new URL("../tests/wasi_threads/threads.wasm", import.meta.url));
  console.log(machineLine(machineInfo()));
  const ms: number[] = [];
  for (let i = 0; i < exitRuns; i++) {
    const r = await runGannet(["run", wasmPath, "exit"], { mark: "exiting" });
    if (r.code !== 7 || r.afterMark === null) {
      throw new Error(`exit run failed: ${JSON.stringify(r)}`);
    }
    ms.push(r.afterMark);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `exit of a 4-thread program → process gone, ${exitRuns} runs: min ${ms[0].toFixed(0)} ms, ` +
      `median ${ms[ms.length >> 1].toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms ` +
      `(load average ${os.loadavg()[0].toFixed(2)})`,
  );
  process.exit(0);
}

console.log(machineLine(machineInfo()));
console.log(`load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const serial = await best(0);
const row = (name: string, r: { ms: number; cpuMs: number }): string[] => [
  name,
  r.ms.toFixed(0),
  `${(serial.ms / r.ms).toFixed(2)}×`,
  r.cpuMs.toFixed(0),
];
const rows: string[][] = [row("single-threaded (T = 0)", serial)];
for (const t of THREADS) {
  const r = await best(t);
  if (r.sum !== serial.sum) throw new Error(`T = ${t}: ${r.sum}, serial: ${serial.sum}`);
  rows.push(row(`${t} thread${t === 1 ? "" : "s"}`, r));
}
/** The control: the same split in plain-JS Workers (no Gannet), wall ms from posting to the last result. */
async function control(t: number): Promise<number> {
  const workers = Array.from(
    { length: t },
    () => new Worker(new URL("./_spin_worker.ts", import.meta.url), { type: "module" }),
  );
  // Loaded first (a round trip each), then timed.
  await Promise.all(workers.map((w) =>
    new Promise((r) => {
      w.onmessage = r;
      w.postMessage([0, 0]);
    })
  ));
  const t0 = performance.now();
  await Promise.all(workers.map((w, k) =>
    new Promise((r) => {
      w.onmessage = r;
      w.postMessage([Math.floor(k * K / t), Math.floor((k + 1) * K / t)]);
    })
  ));
  const ms = performance.now() - t0;
  for (const w of workers) w.terminate();
  return ms;
}
const base = await control(1);
const controls = [`1: ${base.toFixed(0)} ms`];
for (const t of THREADS.filter((x) => x > 1)) {
  const ms = await control(t);
  controls.push(`${t}: ${ms.toFixed(0)} ms (${(base / ms).toFixed(2)}×)`);
}
console.log(`parallel sum, K = ${K} (${serial.sum}), best of ${RUNS}`);
console.log(`control, the same split in plain-JS Workers: ${controls.join(", ")}`);
console.log(
  "CPU ms: the whole process's user + system time over the run (every thread); on a loaded" +
    " machine it shows how much of the cores the run got.",
);
console.log(table(["threads", "ms", "speed-up", "CPU ms"], rows));
console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
