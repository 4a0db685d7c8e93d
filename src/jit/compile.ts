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

import { FILE_SHAPE, valueShape } from "./value_call.ts";
import type { CompiledCode, FuncInst } from "../runtime/func.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { IR } from "../interp/ir_defs.ts";
import { globalStore } from "../runtime/globals.ts";
import { cold } from "../interp/exec_loop.ts";
import { simdRun } from "../interp/simd_run.ts";
import { F64_CONSTS } from "../interp/f64_consts.ts";
import { emitFunction } from "./emit.ts";
import { HELPERS } from "./helpers.ts";
import { jitFault, jitNesting, jitOutOfBounds, jitThrowFault, jitTrapped } from "./runtime.ts";
import { clearRefs, enterFrame } from "../interp/frame.ts";

type Factory = (deps: Record<string, unknown>) => CompiledCode;

/**
 * Largest function compiled, in IR words, and in characters of emitted
 * source: V8 optimizes no function above 60 KB of bytecode, and such a
 * function runs slower compiled (Maglev at best) than in the optimized
 * dispatch loop. Measured: 47,740 characters of emitted source made 23,877
 * bytes of bytecode (matmul_f64's main), so 100,000 characters stay under
 * the limit.
 */
export const MAX_CODE_WORDS = 12_000;
/** See {@link MAX_CODE_WORDS} (of each JS function: the slice and the direct variant). */
export const MAX_SOURCE_CHARS = 100_000;

let allowed: boolean | null = null;
const factories = new WeakMap<Int32Array, { factory: Factory; entries: Int32Array } | null>();

/** Statistics, for the benchmarks and tests. */
export const jitStats: { compiled: number; declined: number; ms: number; sourceChars: number } = {
  compiled: 0,
  declined: 0,
  ms: 0,
  sourceChars: 0,
};

const CALL = IR["call"], CALL_IMPORT = IR["call_import"], RETURN_CALL = IR["return_call"];
const RETURN_CALL_IMPORT = IR["return_call_import"], CALL_INDIRECT = IR["call_indirect"];
const RETURN_CALL_INDIRECT = IR["return_call_indirect"];

/** The parameter types of the function the call at `code[pc]` calls, where its operands tell. */
function callParams(
  inst: InstanceState,
  code: Int32Array,
  pc: number,
): readonly number[] | undefined {
  const op = code[pc];
  if (op === CALL || op === CALL_IMPORT || op === RETURN_CALL_IMPORT || op === RETURN_CALL) {
    return inst.funcs[code[pc + 1]]?.type.params as readonly number[] | undefined;
  }
  if (op === CALL_INDIRECT || op === RETURN_CALL_INDIRECT) {
    // The type's canonical id (translate_call.ts).
    const k = inst.typeIds.indexOf(code[pc + 2]);
    return k < 0 ? undefined : inst.module.types[k].params as readonly number[];
  }
  return undefined;
}

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
export function compileFunction(fn: FuncInst): CompiledCode | null {
  const code = fn.code;
  if (code === null || fn.inst === null || !codegenAllowed()) return null;
  if (code.length > MAX_CODE_WORDS) {
    jitStats.declined++;
    return null;
  }
  let made = factories.get(code);
  if (made === null) return null;
  if (made === undefined) {
    const t0 = performance.now(), funcs = fn.inst.funcs;
    const { source, entries, longest } = emitFunction(code, {
      name: `f${fn.index}`,
      index: fn.index,
      frame: fn,
      // From the types (a callee not yet translated has no frame sizes yet).
      callees: (i) => {
        const callee = funcs[i];
        if (callee?.inst !== fn.inst) return undefined;
        return { params: callee.paramSlots, results: callee.resultSlots };
      },
      index64: (k) => fn.inst!.memories[k]?.index64 ?? true,
      // (A module's memory is shared in every instance or in none.)
      dataViewTraps: fn.inst.mem0 !== null && !fn.inst.mem0.shared,
      callArgs: (c, pc) => callParams(fn.inst!, c, pc),
      exceptions: fn.handlers !== null,
      value: valueShape(fn.type.params, fn.type.results),
      // Any callee's (one of another instance too): its own compiled code
      // reads its arguments by this shape.
      protocol: (i) => {
        const callee = funcs[i];
        return callee === undefined
          ? FILE_SHAPE
          : valueShape(callee.type.params, callee.type.results);
      },
    });

    if (longest > MAX_SOURCE_CHARS) {
      factories.set(code, null);
      jitStats.declined++;
      return null;
    }
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
    enterFrame,
    clearRefs,
    $F: jitThrowFault,
    $fault: jitFault,
    $trapped: jitTrapped,
    $nestFor: jitNesting,
    $oob: jitOutOfBounds,
    cold,
    simdRun,
    FK: F64_CONSTS,
    helpers: HELPERS,
  });
}
