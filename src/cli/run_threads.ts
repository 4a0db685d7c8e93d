/**
 * `gannet run` for a wasi-threads program (a module importing
 * `wasi.thread-spawn`): threads are on with no flag, `-S threads=n` refuses
 * the program as wasmtime does without wasi-threads (the import is not
 * defined), and `-W max-threads=N` bounds the spawned threads alive at once.
 * The program runs on `src/wasi/threads_host.ts`; a trap in any thread
 * ends it with the trap's status and message, naming the thread.
 *
 * @module
 */
import type { Module } from "../api/module.ts";
import type { WASI } from "../wasi/wasi.ts";
import { runWasiThreads } from "../wasi/threads_host.ts";
import { backtrace, type RunOptions, writer } from "./run.ts";
import type { Parsed } from "./run_args.ts";
import { stopOf, type WasmOptions } from "./run_limits.ts";
import { formatValue } from "./run_values.ts";

const OFF = new Set(["n", "no", "false", "off", "0"]);

/**
 * Why `-S` options refuse a wasi-threads program (wasmtime's wording:
 * `threadImport`, what only the threads host defines, is unknown), or null.
 */
export function threadsRefused(p: Parsed, threadImport: string): string | null {
  const last = p.wasi.findLast(([name]) => name === "threads");
  if (last === undefined || !OFF.has(last[1].toLowerCase())) return null;
  return `unknown import: \`${threadImport}\` has not been defined (threads are off: -S threads=n)`;
}

/** Store options each thread gets (the CLI's `-W` options). */
function storeOptions(o: WasmOptions) {
  return o.any ? o.store : {};
}

/** Runs a wasi-threads program; returns the exit status. */
export async function runThreadedProgram(
  p: Parsed,
  module: Module,
  wasi: WASI,
  invoke: { name: string; args: unknown[] } | null,
  names: Map<number, string>,
  options: RunOptions,
): Promise<number> {
  const err = writer(options.stderr, 2);
  const out = writer(options.stdout, 1);
  let r;
  try {
    r = await runWasiThreads(module, {
      wasi,
      // The status is known: return it while the threads stop (the CLI then ends the
      // process, which a thread still stopping does not delay: measured, about half the
      // exit latency of waiting for every Worker first).
      awaitStop: false,
      store: storeOptions(p.wasm),
      ...(p.wasm.maxThreads !== undefined ? { maxThreads: p.wasm.maxThreads } : {}),
      ...(invoke !== null ? { invoke: { name: invoke.name, args: invoke.args } } : {}),
    });
  } catch (e) {
    const stop = stopOf(e);
    if (stop !== null) {
      err(`gannet run: ${stop.message}`);
      return stop.status;
    }
    err(`gannet run: ${p.program}: ${(e as Error).message}`);
    return 1;
  }
  if (r.status !== null) {
    for (const v of r.results ?? []) out(formatValue(v));
    return r.status;
  }
  const f = r.failure!;
  const where = f.tid === 0 ? "the main thread" : `thread ${f.tid}`;
  const stop = stopOf(Object.assign(new Error(f.message), { name: f.name }));
  if (stop !== null) {
    err(`gannet run: ${stop.message} (in ${where})`);
    const bt = backtrace(f, names);
    if (bt.length > 0) err(`wasm backtrace:\n${bt.join("\n")}`);
    return stop.status;
  }
  err(`gannet run: ${p.program}: ${f.name}: ${f.message} (in ${where})`);
  return 1;
}
