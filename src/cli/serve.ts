/**
 * `gannet serve`: serves a `wasi:http/proxy` component over HTTP, like
 * `wasmtime serve`: one fresh instance per request, on the host's HTTP
 * server (`Deno.serve`, `Bun.serve` or `node:http`).
 *
 * ```
 * gannet serve [--addr HOST:PORT] [--dir HOST[::GUEST]]… [--env NAME[=VAL]]…
 *              [-S WASI-OPTION]… [--allow-net RULE]… COMPONENT.wasm
 * ```
 *
 * @module
 */
import fs from "node:fs";
import process from "node:process";
import { Component, instantiateComponent } from "../component/component.ts";
import type { WasiP2Options } from "../wasip2/options.ts";
import { type InstantiateServed, ProxyServer } from "../wasip2/serve.ts";
import { hostOptions } from "./run_component.ts";
import { parseArgs } from "./run_args.ts";
import { UsageError } from "./run_values.ts";
import { type HttpListener, listen } from "./serve_host.ts";

const USAGE = `usage: gannet serve [OPTIONS] COMPONENT.wasm
  --addr HOST:PORT      where to listen (default 0.0.0.0:8080; port 0 picks one)
  --dir, --env, -S, --allow-net   as for gannet run, for each request's instance`;

/** Options of {@link serveComponent}. */
export interface ServeOptions {
  /** The address to listen on (default `0.0.0.0`). */
  hostname?: string;
  /** The port (default 8080; 0 picks a free one). */
  port?: number;
  /** Each instance's WASI configuration. */
  wasi?: WasiP2Options;
  /** How to instantiate (default: Gannet's component runtime, compiled once). */
  instantiate?: InstantiateServed;
}

/**
 * Serves `bytes` (a `wasi:http/proxy` component); resolves once listening.
 * Close the returned listener to stop.
 */
export async function serveComponent(
  bytes: Uint8Array,
  options: ServeOptions = {},
): Promise<HttpListener> {
  let instantiate = options.instantiate;
  if (instantiate === undefined) {
    const component = new Component(bytes);
    instantiate = (imports) => instantiateComponent(component, imports);
  }
  const server = new ProxyServer(instantiate, options.wasi ?? {});
  return await listen((request) => server.handle(request), {
    hostname: options.hostname ?? "0.0.0.0",
    port: options.port ?? 8080,
  });
}

/** The `gannet serve` command: serves until the process is interrupted. */
export async function main(argv: string[]): Promise<number> {
  let hostname = "0.0.0.0";
  let port = 8080;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--addr" || a.startsWith("--addr=")) {
      const v = a === "--addr" ? argv[++i] ?? "" : a.slice(7);
      const m = /^(.*):(\d{1,5})$/.exec(v);
      if (m === null || Number(m[2]) > 65535) {
        console.error(`gannet serve: --addr ${v}: expected HOST:PORT\n${USAGE}`);
        return 2;
      }
      hostname = m[1].replace(/^\[(.*)\]$/, "$1");
      port = Number(m[2]);
    } else rest.push(a);
  }
  let wasi: WasiP2Options;
  let bytes: Uint8Array;
  try {
    const p = parseArgs(rest);
    if (p.args.length > 0) throw new UsageError("arguments after the component are not used");
    wasi = hostOptions(p, {});
    bytes = new Uint8Array(fs.readFileSync(p.program));
  } catch (e) {
    console.error(`gannet serve: ${(e as Error).message}\n${USAGE}`);
    return e instanceof UsageError ? 2 : 1;
  }
  // Listen for the interrupt before announcing the address.
  const interrupted = new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  let listener: HttpListener;
  try {
    listener = await serveComponent(bytes, { hostname, port, wasi });
  } catch (e) {
    console.error(`gannet serve: ${(e as Error).message}`);
    return 1;
  }
  const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
  console.error(`Serving HTTP on http://${shown}:${listener.port}/`);
  await interrupted;
  await listener.close();
  return 0;
}
