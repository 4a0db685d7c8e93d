/**
 * {@link WasiP2Host}: the WASI 0.2 imports of one component instance, built
 * from `@bytecodealliance/preview2-shim`, in jco's import-object shape
 * (`{ "wasi:cli/environment": { getEnvironment, … }, … }`, camelCase
 * functions, resources as classes).
 *
 * @module
 */
import { WasiExit } from "../wasi/context.ts";
import { cliInterfaces } from "./cli.ts";
import { filesystemInterfaces } from "./filesystem.ts";
import { httpInterfaces } from "./http.ts";
import { parseP2Options, type WasiP2Options } from "./options.ts";
import { poll } from "./poll.ts";
import { clocks, io, random } from "./shim.ts";
import { socketInterfaces } from "./sockets.ts";

/** An import object: interface name → its functions and resource classes. */
export type ImportObject = Record<string, Record<string, unknown>>;

/** `wasi:PACKAGE/INTERFACE@0.2.x`: the unversioned name, or null for anything else. */
export function wasiP2Interface(name: string): string | null {
  const m = /^(wasi:[a-z0-9-]+\/[a-z0-9-]+)@0\.2\.\d+(?:[-+].*)?$/.exec(name);
  return m === null ? null : m[1];
}

/**
 * The WASI 0.2 host of one component instance. Everything it hands out —
 * arguments, environment, preopens, stdio, network and HTTP rights — is this
 * instance's own.
 *
 * @example
 * ```ts
 * import { WasiP2Host } from "@gannet/wasm/wasip2";
 * import assert from "node:assert/strict";
 *
 * const host = new WasiP2Host({ args: ["tool", "x"], env: { A: "1" } });
 * const imports = host.importObject(["wasi:cli/environment@0.2.3"]);
 * const env = imports["wasi:cli/environment@0.2.3"];
 * assert.equal(env, imports["wasi:cli/environment"]);
 * assert.deepEqual((env.getArguments as () => string[])(), ["tool", "x"]);
 * ```
 */
export class WasiP2Host {
  #interfaces: ImportObject;
  /**
   * Creates the imports of one instance.
   *
   * @param options Arguments, environment, preopens, stdio and rights ({@link WasiP2Options}).
   */
  constructor(options: WasiP2Options = {}) {
    const o = parseP2Options(options);
    this.#interfaces = {
      ...cliInterfaces(o),
      "wasi:clocks/monotonic-clock": clocks.monotonicClock,
      "wasi:clocks/wall-clock": clocks.wallClock,
      ...filesystemInterfaces(o.preopens),
      "wasi:io/error": io.error,
      "wasi:io/streams": io.streams,
      "wasi:io/poll": { Pollable: io.poll.Pollable, poll },
      "wasi:random/random": random.random,
      "wasi:random/insecure": random.insecure,
      "wasi:random/insecure-seed": random.insecureSeed,
      ...socketInterfaces(o.network),
      ...httpInterfaces(o.http),
    } as ImportObject;
  }

  /** The unversioned names of every interface this host provides. */
  get interfaces(): string[] {
    return Object.keys(this.#interfaces);
  }

  /**
   * The import object: every interface under its unversioned name (as jco's
   * instantiation mode asks for them), and under each `name@0.2.x` of
   * `names` (a component's import names) that this host provides.
   */
  importObject(names: Iterable<string> = []): ImportObject {
    const out: ImportObject = { ...this.#interfaces };
    for (const name of names) {
      const base = wasiP2Interface(name);
      if (base !== null && base in this.#interfaces) out[name] = this.#interfaces[base];
    }
    return out;
  }
}

/**
 * The exit status of a finished `wasi:cli/run` call, as wasmtime reports it:
 * 0 after `ok`, 1 after `err`, the code of `exit`/`exit-with-code`; anything
 * else thrown (a trap) is rethrown.
 */
export function exitStatus(outcome: { error?: unknown }): number {
  if (!("error" in outcome)) return 0;
  const e = outcome.error;
  if (e instanceof WasiExit) return e.code;
  // jco's `result` convention: an `err` is thrown as a ComponentError carrying the payload.
  if (e instanceof Error && e.name === "ComponentError") return 1;
  throw e;
}
