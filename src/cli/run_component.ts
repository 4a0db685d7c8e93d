/**
 * `gannet run COMPONENT.wasm`: runs a `wasi:cli/run` component with a WASI
 * 0.2 host configured from the same flags as for modules (`--dir`, `--env`,
 * `--argv0`), plus wasmtime's `-S` options for the network and HTTP, and
 * `--adapt ADAPTER.wasm` to run a preview1 module through the
 * `wasi_snapshot_preview1` adapter. Exit status as wasmtime's: 0 after `ok`,
 * 1 after `err`, the status of `exit-with-code`, 134 after a trap.
 *
 * @module
 */
import fs from "node:fs";
import process from "node:process";
import { exitStatus, WasiP2Host } from "../wasip2/host.ts";
import type { NetworkOptions, WasiP2Options } from "../wasip2/options.ts";
import { type InstantiateComponent, runExport } from "../wasip2/run.ts";
import { adaptModule } from "../wasip2/adapt.ts";
import { Component, instantiateComponent } from "../component/component.ts";
import { camelCase } from "../component/js_names.ts";
import type { FuncType } from "../component/types.ts";
import { formatValue, parseCall, WaveError } from "../wasip2/wave.ts";
import { backtrace, type RunOptions, TRAP_EXIT, writer } from "./run.ts";
import type { Parsed } from "./run_args.ts";
import { UsageError } from "./run_values.ts";
import { stopOf, storeOf } from "./run_limits.ts";

const yes = (v: string) => v === "" || v === "y" || v === "yes" || v === "true";

/** The host options the command line asks for. */
export function hostOptions(p: Parsed, options: RunOptions): WasiP2Options {
  let inherit = false;
  let dns = false;
  let tcp = true;
  let udp = true;
  let http = false;
  for (const [name, value] of p.wasi) {
    switch (name) {
      case "inherit-network":
        inherit = yes(value);
        break;
      case "allow-ip-name-lookup":
        dns = yes(value);
        break;
      case "tcp":
        tcp = yes(value);
        break;
      case "udp":
        udp = yes(value);
        break;
      case "http":
        http = yes(value);
        break;
      case "inherit-env":
        if (yes(value)) {
          for (const [k, v] of Object.entries(process.env)) {
            if (v !== undefined && !(k in p.env)) p.env[k] = v;
          }
        }
        break;
      default:
        throw new UsageError(`-S ${name}: unknown WASI option`);
    }
  }
  const granted = inherit || p.allowNet.length > 0;
  const network: boolean | NetworkOptions = granted
    ? { tcp, udp, dns, ...(inherit ? {} : { allow: p.allowNet }) }
    : false;
  return {
    args: [p.argv0 ?? p.program, ...(p.invoke === null ? p.args : [])],
    env: p.env,
    preopens: Object.fromEntries(p.dirs.map(([host, guest]) => [guest, host])),
    stdin: options.stdin,
    stdout: options.stdout,
    stderr: options.stderr,
    network,
    http,
  };
}

/** Gannet's component runtime. */
const gannetInstantiate: InstantiateComponent = (bytes, imports, store) =>
  instantiateComponent(bytes, imports, { store });

/** Runs a component (or, with `--adapt`, a module made one) as `gannet run` does. */
export async function runComponentProgram(
  p: Parsed,
  bytes: Uint8Array,
  options: RunOptions,
): Promise<number> {
  const err = writer(options.stderr, 2);
  let component = bytes;
  let host: WasiP2Host;
  let instantiate: InstantiateComponent;
  try {
    if (p.adapt !== null) component = await adaptModule(bytes, fs.readFileSync(p.adapt));
    host = new WasiP2Host(hostOptions(p, options));
    instantiate = options.instantiateComponent ?? gannetInstantiate;
  } catch (e) {
    err(`gannet run: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
  const store = storeOf(p.wasm);
  if (p.invoke !== null) {
    return await invoke(p.invoke, component, host, (b, i) => instantiate(b, i, store), options);
  }
  let run: { run(): void } | null;
  try {
    run = runExport(await instantiate(component, host.importObject(), store));
  } catch (e) {
    const stop = stopOf(e);
    if (stop !== null) return trapped(e, err);
    err(`gannet run: ${p.program}: ${(e as Error)?.name ?? "error"}: ${(e as Error)?.message}`);
    return 1;
  }
  if (run === null) {
    err(`gannet run: ${p.program}: not a command component (no wasi:cli/run export)`);
    return 1;
  }
  try {
    run.run();
    return exitStatus({});
  } catch (error) {
    try {
      return exitStatus({ error });
    } catch (e) {
      return trapped(e, err);
    }
  }
}

/** `--invoke 'name(args)'`: calls a function export with WAVE arguments and prints its result. */
async function invoke(
  call: string,
  bytes: Uint8Array,
  host: WasiP2Host,
  instantiate: InstantiateComponent,
  options: RunOptions,
): Promise<number> {
  const err = writer(options.stderr, 2);
  const out = writer(options.stdout, 1);
  let name: string;
  let args: unknown[];
  let type: FuncType;
  let fn: (...a: unknown[]) => unknown;
  try {
    const funcs = new Component(bytes).exports.filter((e) => e.type.kind === "func");
    const types = (n: string) =>
      (funcs.find((e) => e.name === n)?.type as FuncType)?.params ?? null;
    ({ name, args } = parseCall(call, types));
    type = funcs.find((e) => e.name === name)!.type as FuncType;
    const exports = await instantiate(bytes, host.importObject());
    fn = exports[camelCase(name)] as (...a: unknown[]) => unknown;
    if (typeof fn !== "function") throw new WaveError(`no exported function ${name}`);
  } catch (e) {
    err(`gannet run: --invoke: ${(e as Error).message}`);
    return e instanceof WaveError ? 2 : 1;
  }
  let result: unknown;
  try {
    result = fn(...args);
    if (type.result?.kind === "result") result = { tag: "ok", val: result };
  } catch (error) {
    const payload = error as { payload?: unknown; name?: string };
    if (type.result?.kind === "result" && payload?.name === "ComponentError") {
      result = { tag: "err", val: payload.payload };
    } else {
      try {
        return exitStatus({ error });
      } catch (e) {
        return trapped(e, err);
      }
    }
  }
  if (type.result !== null) out(formatValue(result, type.result));
  return 0;
}

/**
 * Reports a trap (with the core frames the runtime attached) and returns
 * its exit status: 134, or as for modules 125 out of `-W fuel`, 124 past
 * `-W timeout`, 126 for a `-W max-…` limit.
 */
function trapped(e: unknown, err: (line: string) => void): number {
  const stop = stopOf(e);
  err(`gannet run: ${stop?.message ?? `wasm trap: ${(e as Error)?.message ?? e}`}`);
  const frames = backtrace(e, new Map());
  if (frames.length > 0) {
    err(`wasm backtrace (core functions, innermost first):\n${frames.join("\n")}`);
  }
  return stop?.status ?? TRAP_EXIT;
}
