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
import { instantiateComponent } from "../component/component.ts";
import { type Parsed, type RunOptions, TRAP_EXIT, UsageError, writer } from "./run.ts";

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
const gannetInstantiate: InstantiateComponent = (bytes, imports) =>
  instantiateComponent(bytes, imports);

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
    if (p.invoke !== null) throw new UsageError("--invoke is not available for components yet");
    if (p.adapt !== null) component = await adaptModule(bytes, fs.readFileSync(p.adapt));
    host = new WasiP2Host(hostOptions(p, options));
    instantiate = options.instantiateComponent ?? gannetInstantiate;
  } catch (e) {
    err(`gannet run: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
  let run: { run(): void } | null;
  try {
    run = runExport(await instantiate(component, host.importObject()));
  } catch (e) {
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
      err(`gannet run: wasm trap: ${(e as Error)?.message ?? e}`);
      return TRAP_EXIT;
    }
  }
}
