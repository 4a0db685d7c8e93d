/**
 * Running one program in this process on an engine — Gannet's interpreter
 * or the host's native `WebAssembly` — with the same WASI implementation
 * (`src/wasi`), capturing stdout and stderr.
 *
 * @module
 */
import { basename } from "node:path";
import { Instance, Module } from "../mod.ts";
import { CapturedOutput, type InstanceLike, WASI } from "../src/wasi/mod.ts";

export type { InstanceLike };
import type { Output, Program } from "./_catalog.ts";

/** Import object: module name → field → value. */
export type Imports = Record<string, Record<string, unknown>>;

/** A wasm engine: compiles and instantiates bytes. */
export interface Engine {
  /** `native` or `gannet`. */
  readonly name: string;
  /**
   * Compiles `bytes` and instantiates the module with `imports`.
   *
   * @param bytes the module
   * @param imports the import object
   * @returns the instance
   */
  instantiate(bytes: Uint8Array<ArrayBuffer>, imports: Imports): InstanceLike;
}

/** The host's `WebAssembly`. */
export const nativeEngine: Engine = {
  name: "native",
  instantiate(bytes, imports) {
    const module = new WebAssembly.Module(bytes);
    return new WebAssembly.Instance(module, imports as WebAssembly.Imports) as InstanceLike;
  },
};

/** Gannet (the interpreter), through the public API of `mod.ts`. */
export const gannetEngine: Engine = {
  name: "gannet",
  instantiate(bytes, imports) {
    return new Instance(new Module(bytes), imports) as unknown as InstanceLike;
  },
};

/** One run's output and timings. */
export interface RunResult extends Output {
  /** Wall time of compile + instantiate + `_start`, in ms. */
  ms: number;
  /** Sightglass: time between `bench.start` and `bench.end`, in ms; else null. */
  windowMs: number | null;
}

/** Runs `p` with `args` on `engine` once; a trap or other failure is thrown. */
export function runProgram(
  engine: Engine,
  p: Program,
  args: readonly string[],
  bytes: Uint8Array<ArrayBuffer>,
): RunResult {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const wasi = new WASI({
    args: [basename(p.wasm), ...args],
    env: {},
    preopens: p.dir === null ? {} : { ".": p.dir },
    stdin: "null",
    stdout,
    stderr,
    returnOnExit: true,
  });
  let start = -1, end = -1;
  const imports: Imports = {
    ...wasi.getImportObject(),
    bench: {
      start: () => void (start = performance.now()),
      end: () => void (end = performance.now()),
    },
  };
  const t0 = performance.now();
  const instance = engine.instantiate(bytes, imports);
  const status = wasi.start(instance);
  const ms = performance.now() - t0;
  return {
    stdout: stdout.text(),
    stderr: stderr.text(),
    status,
    ms,
    windowMs: p.group === "sightglass" && start >= 0 && end >= start ? end - start : null,
  };
}
