/**
 * Compiles a translated function: its emitted source (`emit.ts`) through
 * `new Function`, bound to the function's instance. The factory a source
 * compiles to is kept per IR code array, so every instance of a module
 * shares one compilation of each function (V8 then also shares its
 * optimized code's feedback per instance closure).
 *
 * Where the host forbids code generation from strings (a CSP without
 * `unsafe-eval`, `--disallow-code-generation-from-strings`), the first
 * attempt finds out and the engine stays in the interpreter from then on.
 *
 * @module
 */

import type { FuncInst } from "../runtime/func.ts";
import type { Machine } from "../runtime/machine.ts";
import { globalStore } from "../runtime/globals.ts";
import { cold } from "../interp/exec_loop.ts";
import { simdRun } from "../interp/simd_run.ts";
import { emitFunction } from "./emit.ts";
import { HELPERS } from "./helpers.ts";
import { jitCall, jitFault, jitReturn, jitTrapped } from "./runtime.ts";

/** Compiled code of one function: a slice (see `interp/slice.ts`). */
export type CompiledSlice = (m: Machine) => number;

type Factory = (deps: Record<string, unknown>) => CompiledSlice;

/**
 * Largest function compiled, in IR words: V8 stops optimizing a function
 * above ~60 KB of bytecode, and a function that large stays faster in the
 * (optimized) dispatch loop than in unoptimized compiled code.
 */
export const MAX_CODE_WORDS = 12_000;

let allowed: boolean | null = null;
const factories = new WeakMap<Int32Array, { factory: Factory; entries: Int32Array }>();

/** Statistics, for the benchmarks and tests. */
export const jitStats: { compiled: number; declined: number; ms: number; sourceChars: number } = {
  compiled: 0,
  declined: 0,
  ms: 0,
  sourceChars: 0,
};

/** Whether the host lets code be generated from strings (found out once). */
export function codegenAllowed(): boolean {
  if (allowed === null) {
    try {
      allowed = new Function("return 1")() === 1;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

/**
 * Compiled code for translated function `fn`, or null where the JIT
 * declines it (too large, or code generation is disallowed).
 */
export function compileFunction(fn: FuncInst): CompiledSlice | null {
  const code = fn.code;
  if (code === null || fn.inst === null || !codegenAllowed()) return null;
  if (code.length > MAX_CODE_WORDS) {
    jitStats.declined++;
    return null;
  }
  let made = factories.get(code);
  if (made === undefined) {
    const t0 = performance.now();
    const { source, entries } = emitFunction(code, `f${fn.index}`);
    let factory: Factory;
    try {
      factory = new Function("$d", source) as Factory;
    } catch (e) {
      if (e instanceof SyntaxError) throw e; // an emitter bug: never hidden
      allowed = false; // EvalError: the host disallows code generation
      return null;
    }
    made = { factory, entries };
    factories.set(code, made);
    jitStats.compiled++;
    jitStats.sourceChars += source.length;
    jitStats.ms += performance.now() - t0;
  }
  const inst = fn.inst;
  return made.factory({
    fn,
    inst,
    code,
    funcs: inst.funcs,
    E: made.entries,
    globalStore,
    $call: jitCall,
    $ret: jitReturn,
    $fault: jitFault,
    $trapped: jitTrapped,
    cold,
    simdRun,
    helpers: HELPERS,
  });
}
