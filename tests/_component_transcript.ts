/**
 * Differential runs of real components: the same host and the same driver
 * run a component on Gannet and on jco-transpiled glue over the host's
 * native WebAssembly (the oracle, where there is one), each recording a
 * transcript — every host call with its arguments, every export call with
 * its result or error — and the transcripts must be identical.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { instantiateComponent } from "../src/component/component.ts";
import { ComponentError } from "../src/component/component_error.ts";
import { WasiP2Host } from "../src/wasip2/mod.ts";
import { jcoInstantiate } from "./_jco.ts";
import { corpus } from "./_shared.ts";

/** A transcript of one run. */
export type Log = unknown[];

/** One component's test: its host imports (besides WASI) and what to call. */
export interface ComponentCase {
  /** Path under `../shared/components`. */
  file: string;
  /** The non-WASI imports; host functions record into `log`. */
  imports?(log: Log): Record<string, unknown>;
  /** Calls the exports, recording results with {@link call}; `engine` says whose run it is. */
  run(exports: Exports, log: Log, engine: "gannet" | "jco"): void;
  /**
   * Where jco's glue is wrong, and Gannet's answer is checked by the
   * driver's own assertions instead: the transcript labels left out of the
   * comparison (all of them for `"*"`), and why.
   */
  jcoBug?: { labels: string[]; why: string };
}

// deno-lint-ignore no-explicit-any
export type Exports = any;

/** Whether this host has native WebAssembly (jco's glue needs it). */
export function hasNativeWasm(): boolean {
  return typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";
}

/** A value as it goes into a transcript: comparable across the two runs. */
export function norm(v: unknown, seen = new Set<unknown>()): unknown {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number" && Object.is(v, -0)) return "-0";
  if (v === null || typeof v !== "object") return typeof v === "function" ? "<function>" : v;
  if (seen.has(v)) return "<cycle>";
  seen.add(v);
  if (ArrayBuffer.isView(v)) {
    return [v.constructor.name, ...Array.from(v as unknown as ArrayLike<unknown>, (x) => norm(x))];
  }
  if (Array.isArray(v)) return v.map((x) => norm(x, seen));
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    // jco renames an exported class that shares an imported one's name (`Thing$1`).
    return `<${(v.constructor?.name ?? "object").replace(/\$\d+$/, "")}>`;
  }
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = norm(x, seen);
  return o;
}

/**
 * An error as it goes into a transcript. A `result` error is a
 * ComponentError's payload (Gannet, and jco by default) or the payload
 * thrown as is (jco-transpile's `noComponentErrorWrapping`, its default).
 */
export function normError(e: unknown): unknown {
  if (
    e instanceof ComponentError ||
    (e as { constructor?: { name?: string } })?.constructor?.name === "ComponentError"
  ) {
    return { componentError: norm((e as { payload: unknown }).payload) };
  }
  if (!(e instanceof Error)) {
    return { componentError: norm(e) };
  }
  const name = (e as Error)?.constructor?.name;
  return { error: name === "RuntimeError" ? "trap" : name };
}

/** Calls `f`, recording `label` with its result or error; returns the result (undefined after an error). */
export function call<T>(log: Log, label: string, f: () => T): T {
  try {
    const r = f();
    log.push([label, norm(r)]);
    return r;
  } catch (e) {
    log.push([label, normError(e)]);
    return undefined as T;
  }
}

/** A host function that records its calls and answers with `impl`. */
export function host<A extends unknown[], R>(
  log: Log,
  name: string,
  impl: (...args: A) => R,
): (...args: A) => R {
  return (...args: A) => {
    log.push([`host ${name}`, ...args.map((a) => norm(a))]);
    return impl(...args);
  };
}

function wasi(): Record<string, unknown> {
  return new WasiP2Host({ stdout: "null", stderr: "inherit" }).importObject() as Record<
    string,
    unknown
  >;
}

/** Runs `c` on Gannet or on jco's glue over native wasm; returns the transcript. */
export async function runOn(engine: "gannet" | "jco", c: ComponentCase): Promise<Log | null> {
  const path = corpus(`components/${c.file}`);
  if (path === null) return null;
  const log: Log = [];
  const bytes = new Uint8Array(fs.readFileSync(path));
  const imports = { ...wasi(), ...c.imports?.(log) };
  const exports = engine === "gannet"
    ? await instantiateComponent(bytes, imports)
    : await jcoInstantiate(bytes, imports as never);
  c.run(exports, log, engine);
  // A copy: resources collected later run destructors (both engines register them), which
  // may call host functions that would append to `log` at an arbitrary moment.
  return [...log];
}

/** Runs `c` on both and compares (Gannet alone without native wasm); returns Gannet's transcript. */
export async function differential(c: ComponentCase): Promise<Log | null> {
  const mine = await runOn("gannet", c);
  if (mine === null || !hasNativeWasm() || c.jcoBug?.labels.includes("*")) return mine;
  const theirs = await runOn("jco", c);
  const keep = (log: Log) =>
    log.filter((entry) => !c.jcoBug?.labels.includes((entry as string[])[0]));
  assert.deepStrictEqual(keep(mine), keep(theirs!), `${c.file}: Gannet and jco transcripts differ`);
  return mine;
}
