/**
 * The options of a WASI 0.2 host ({@link WasiP2Options}), validated with zod
 * so that a mistake names the option and what was expected. Everything here
 * belongs to one component instance: two hosts in one process never see each
 * other's arguments, environment, preopens, stdio or network rights.
 *
 * @module
 */
import { z } from "zod";
import type { StdioOption } from "../wasi/stdio.ts";
import { envSchema, noNul, stdio } from "../wasi/options.ts";

/**
 * What a component may do on the network. Nothing is allowed unless granted:
 * `allow` lists the addresses it may bind, connect and send to.
 */
export interface NetworkOptions {
  /**
   * Addresses the component may use, each `ADDRESS[/PREFIX][:PORT]` (IPv6 in
   * brackets when a port follows: `[::1]:8080`); no port means any port.
   * Default: every address.
   */
  allow?: string[];
  /** TCP sockets (default true). */
  tcp?: boolean;
  /** UDP sockets (default true). */
  udp?: boolean;
  /** `wasi:sockets/ip-name-lookup` (default true). */
  dns?: boolean;
}

/** Which outgoing HTTP requests a component may make. */
export interface HttpOptions {
  /**
   * Authorities (`HOST` or `HOST:PORT`, `*` for any port) requests may go to;
   * default: any.
   */
  allow?: string[];
}

/**
 * Options of a WASI 0.2 host ({@link WasiP2Host}).
 *
 * @example
 * ```ts
 * import { WasiP2Host, type WasiP2Options } from "@gannet/wasm/wasip2";
 * import assert from "node:assert/strict";
 *
 * const options: WasiP2Options = {
 *   args: ["tool", "--verbose"],
 *   env: { LANG: "C" },
 *   preopens: { "/data": "." },
 *   stdin: "input text",
 *   network: { allow: ["127.0.0.1"] },
 * };
 * new WasiP2Host(options);
 * assert.throws(() => new WasiP2Host({ args: "tool" } as never), /args/);
 * ```
 */
export interface WasiP2Options {
  /** The arguments `wasi:cli/environment.get-arguments` returns, the program name first. */
  args?: string[];
  /** The environment the component sees (nothing is inherited). */
  env?: Record<string, string>;
  /** What `initial-cwd` returns (a guest path; default: none). */
  cwd?: string;
  /** Directories the component may use: guest path → host directory. */
  preopens?: Record<string, string>;
  /** stdin: a host fd, `"inherit"` (default), `"null"`, a string or bytes to read, or a stream. */
  stdin?: StdioOption;
  /** stdout: a host fd, `"inherit"` (default), `"null"`, a callback or a stream. */
  stdout?: StdioOption;
  /** stderr: a host fd, `"inherit"` (default), `"null"`, a callback or a stream. */
  stderr?: StdioOption;
  /** Network rights: `true` grants everything, `false` (default) nothing. */
  network?: boolean | NetworkOptions;
  /** Outgoing HTTP (`wasi:http/outgoing-handler`): `true` any, `false` (default) none. */
  http?: boolean | HttpOptions;
}

const network = z.strictObject({
  allow: z.array(z.string()).optional(),
  tcp: z.boolean().optional(),
  udp: z.boolean().optional(),
  dns: z.boolean().optional(),
});

const schema = z.strictObject({
  args: z.array(noNul("an argument")).optional(),
  env: envSchema.optional(),
  cwd: noNul("the working directory").optional(),
  preopens: z.record(noNul("a guest path"), noNul("a host path")).optional(),
  stdin: stdio.optional(),
  stdout: stdio.optional(),
  stderr: stdio.optional(),
  network: z.union([z.boolean(), network]).optional(),
  http: z.union([z.boolean(), z.strictObject({ allow: z.array(z.string()).optional() })])
    .optional(),
});

/** Validates options; throws a TypeError naming each bad option. */
export function parseP2Options(options: unknown): WasiP2Options {
  const r = schema.safeParse(options ?? {});
  if (r.success) return r.data as WasiP2Options;
  const lines = r.error.issues.map((i) => {
    const where = i.path.length === 0 ? "options" : i.path.map(String).join(".");
    return `${where}: ${i.message}`;
  });
  throw new TypeError(`invalid WASI 0.2 options:\n  ${lines.join("\n  ")}`);
}
