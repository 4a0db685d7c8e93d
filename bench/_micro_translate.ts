/**
 * Start-up micro-benchmarks on the largest core modules of `../shared`:
 * translation speed (every function translated to IR through the
 * interpreter's `translateFunction`, in MB of code per second, and the IR
 * size per byte of code) and time to the first host call (compile +
 * instantiate + run `_start` until its first import call), each beside the
 * host's native compile.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Bench } from "tinybench";
import { Instance, Module } from "../mod.ts";
import { moduleInternals } from "../src/api/module.ts";
import { instanceState } from "../src/api/instance.ts";
import { translateFunction } from "../src/interp/translate.ts";
import type { FuncInst } from "../src/runtime/func.ts";
import { type Engine, gannetEngine, type Imports, nativeEngine } from "./_inproc.ts";

/** A large core module of the shared corpora. */
export interface LargeModule {
  /** Path relative to the corpus root. */
  name: string;
  /** The module's bytes. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Bytes of function bodies (the code section's payload). */
  codeBytes: number;
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (e.endsWith(".wasm") && st.size > 16384) out.push(p);
  }
}

/**
 * The `count` distinct core modules under `root` with the most code (bytes
 * of function bodies) that both engines compile and whose imports are all
 * functions (so stubs can satisfy them).
 */
export function largestModules(root: string, count: number): LargeModule[] {
  const files: string[] = [];
  walk(root, files);
  const found: LargeModule[] = [];
  const seen = new Set<number>();
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) continue; // component
    try {
      if (!WebAssembly.validate(bytes)) continue;
      const m = new Module(bytes);
      if (Module.imports(m).some((i) => i.kind !== "function")) continue;
      const codeBytes = moduleInternals(m).struct.codes.reduce(
        (s, c) => s + c.body.bytes.length,
        0,
      );
      if (seen.has(codeBytes)) continue; // the corpora hold copies of some programs
      seen.add(codeBytes);
      found.push({ name: relative(root, f), bytes, codeBytes });
    } catch {
      continue; // a module Gannet rejects is the validator's business, not a benchmark
    }
  }
  return found.sort((a, b) => b.codeBytes - a.codeBytes).slice(0, count);
}

/** Thrown by every stub import: the first host call ends the run. */
const FIRST_CALL = new Error("first host call");

/** Stubs for every (function) import of `bytes`. */
function stubImports(bytes: Uint8Array<ArrayBuffer>): Imports {
  const imports: Imports = {};
  for (const i of WebAssembly.Module.imports(new WebAssembly.Module(bytes))) {
    (imports[i.module] ??= {})[i.name] = () => {
      throw FIRST_CALL;
    };
  }
  return imports;
}

/**
 * A copy of `bytes` with a custom section naming `k` appended: V8 caches
 * compiled modules by their bytes, so every timed compile gets new bytes.
 */
function fresh(bytes: Uint8Array<ArrayBuffer>, k: number): Uint8Array<ArrayBuffer> {
  const name = new TextEncoder().encode(`bench${k}`);
  const out = new Uint8Array(bytes.length + 3 + name.length);
  out.set(bytes);
  out.set([0, 1 + name.length, name.length, ...name], bytes.length);
  return out;
}

/** Translation figures of one module. */
export interface TranslateRow {
  /** Module path relative to the corpus. */
  name: string;
  /** Bytes of function bodies. */
  codeBytes: number;
  /** Functions defined (translated). */
  functions: number;
  /** Native `new WebAssembly.Module`, ms (best). */
  nativeCompileMs: number;
  /** Gannet `new Module` (decode + validate), ms (best). */
  gannetCompileMs: number;
  /** Gannet: translating every function to IR, ms (best). */
  translateMs: number;
  /** IR bytes per byte of function bodies. */
  irPerCodeByte: number;
}

async function best(fn: () => void, opts: { before?: () => void; timeMs: number }) {
  const bench = new Bench({ time: opts.timeMs, iterations: 3, warmup: false, throws: true });
  bench.add("x", fn, { async: false, beforeEach: opts.before });
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state !== "completed") throw new Error(`benchmark ${r.state}`);
  return r.latency.min;
}

/** Measures translation of every function of `m`. */
export async function translateRow(m: LargeModule, timeMs: number): Promise<TranslateRow> {
  let k = 0, cur = m.bytes;
  const next = () => void (cur = fresh(m.bytes, k++));
  const nativeCompileMs = await best(() => void new WebAssembly.Module(cur), {
    timeMs,
    before: next,
  });
  const gannetCompileMs = await best(() => void new Module(m.bytes), { timeMs });
  const state = instanceState(new Instance(new Module(m.bytes), stubImports(m.bytes)));
  const own: FuncInst[] = state.funcs.filter((f) => f.inst === state);
  const translateMs = await best(() => {
    for (const f of own) translateFunction(f);
  }, {
    timeMs,
    before: () => {
      for (const f of own) f.code = null;
    },
  });
  const irBytes = own.reduce((s, f) => s + (f.code?.byteLength ?? 0), 0);
  return {
    name: m.name,
    codeBytes: m.codeBytes,
    functions: own.length,
    nativeCompileMs,
    gannetCompileMs,
    translateMs,
    irPerCodeByte: irBytes / m.codeBytes,
  };
}

/** Time to the first host call of one module, both engines. */
export interface FirstCallRow {
  /** Module path relative to the corpus. */
  name: string;
  /** Module size. */
  bytes: number;
  /** Native: compile + instantiate + run to the first host call, ms (best). */
  nativeMs: number;
  /** Gannet: the same, ms (best). */
  gannetMs: number;
}

function firstCallOnce(engine: Engine, bytes: Uint8Array<ArrayBuffer>, imports: Imports): void {
  const instance = engine.instantiate(bytes, imports);
  const start = instance.exports._start ?? instance.exports._initialize;
  try {
    if (typeof start === "function") start();
  } catch (e) {
    if (e === FIRST_CALL || (e as { cause?: unknown }).cause === FIRST_CALL) return;
    throw e;
  }
}

/**
 * Compile + instantiate + `_start` up to its first import call (a stub that
 * throws), on fresh bytes each time, best of the runs that fit `timeMs`.
 */
export async function firstCallRow(m: LargeModule, timeMs: number): Promise<FirstCallRow> {
  const imports = stubImports(m.bytes);
  let k = 0, cur = m.bytes;
  const next = () => void (cur = fresh(m.bytes, k++));
  const nativeMs = await best(() => firstCallOnce(nativeEngine, cur, imports), {
    timeMs,
    before: next,
  });
  const gannetMs = await best(() => firstCallOnce(gannetEngine, cur, imports), {
    timeMs,
    before: next,
  });
  return { name: m.name, bytes: m.bytes.length, nativeMs, gannetMs };
}
