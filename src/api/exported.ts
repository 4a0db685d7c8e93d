/**
 * Exported function objects: the JS functions that stand for wasm
 * functions (JS API "Exported Function"), and calls through them. One
 * object per function instance, so exporting the same function twice gives
 * the same object; importing it into another instance finds the function
 * instance again (a direct call, no JS in between).
 *
 * A call converts the JS arguments (ToWebAssemblyValue), runs the function
 * on the interpreter (`src/interp/call.ts`) and converts the results
 * (ToJSValue).
 *
 * @module
 */

import { isRef } from "../binary/valtype.ts";
import { SuspendError } from "../errors.ts";
import { callMachine, callSync } from "../interp/call.ts";
import { type FuncInst, type Registers, slotSize } from "../runtime/func.ts";
import { toJsException } from "./exception.ts";
import { type JsHost, resultList } from "./host.ts";
import { checkJsCallable, hasV128, jsValueOf, readSlot, toWasm, writeSlot } from "./values.ts";

const funcOf = new WeakMap<object, FuncInst>();

/** The function instance behind an exported function, if `f` is one. */
export function funcInstOf(f: unknown): FuncInst | undefined {
  return typeof f === "function" ? funcOf.get(f) : undefined;
}

/** The exported JS function for `fn` (created on first use). */
export function exportedFunction(fn: FuncInst): (...args: unknown[]) => unknown {
  if (fn.jsFunc !== null) return fn.jsFunc;
  const params = fn.type.params;
  const v128 = hasV128(fn.type);
  // A plain function would be constructible; a method is not, like the JS
  // API's. The call's whole JS side is in this body: each level of host →
  // wasm re-entry puts it on the JS stack, so one frame less is deeper
  // re-entry.
  const f = {
    [String(fn.index)](...args: unknown[]): unknown {
      if (v128) checkJsCallable(fn.type);
      // Conversions that may run JS (which may call wasm) all happen before
      // the arguments are written, so nothing can clobber a half-written frame.
      let vals: unknown[] | null = null;
      for (let i = 0; i < params.length; i++) {
        if (runsJs(params[i], args[i])) {
          vals = params.map((t, k) => toWasm(t, args[k]));
          break;
        }
      }
      if (fn.host !== null) {
        return callHostFromJs(fn, vals ?? params.map((t, k) => toWasm(t, args[k])));
      }
      const m = callMachine(fn);
      let s = m.top;
      for (let i = 0; i < params.length; i++) {
        const t = params[i];
        writeSlot(m.i32, m.f32, m.refs, s, t, vals === null ? toWasm(t, args[i]) : vals[i]);
        s += slotSize(t);
      }
      let base: number;
      try {
        base = callSync(m, fn);
      } catch (e) {
        // A wasm exception reaches JS as its Exception object (or the JS value it carries).
        throw toJsException(e);
      }
      return readResults(m, base, fn.type.results);
    },
  }[String(fn.index)];
  Object.defineProperty(f, "length", { value: params.length });
  funcOf.set(f, fn);
  fn.jsFunc = f;
  return f;
}

/** Whether converting `v` to a number of wasm type `t` may run JS (`valueOf`…). */
function runsJs(t: number, v: unknown): boolean {
  return !isRef(t) &&
    (typeof v === "object" && v !== null || typeof v === "function");
}

/**
 * Calls `fn` with JS arguments (missing ones are `undefined`, converted as
 * the JS API does). Returns undefined, the single result, or an array.
 */
export function invoke(fn: FuncInst, args: readonly unknown[]): unknown {
  return Reflect.apply(exportedFunction(fn), undefined, args);
}

/** The results at slot `base` as the JS API returns them. */
export function readResults(m: Registers, base: number, results: readonly number[]): unknown {
  if (results.length === 0) return undefined;
  if (results.length === 1) return readSlot(m.i32, m.f32, m.refs, base, results[0]);
  const out = new Array(results.length);
  let s = base;
  for (let i = 0; i < results.length; i++) {
    out[i] = readSlot(m.i32, m.f32, m.refs, s, results[i]);
    s += slotSize(results[i]);
  }
  return out;
}

/** A host function re-exported by an instance, called from JS: JS → wasm → JS conversions. */
function callHostFromJs(fn: FuncInst, vals: readonly unknown[]): unknown {
  const host = fn.host as JsHost;
  if (host.suspending) {
    throw new SuspendError("a Suspending import was called from JS, not from a promising export");
  }
  const { params, results } = fn.type;
  const r = Reflect.apply(host.fn, undefined, params.map((t, i) => jsValueOf(t, vals[i])));
  if (results.length === 0) return undefined;
  if (results.length === 1) return jsValueOf(results[0], toWasm(results[0], r));
  return resultList(r, results.length).map((v, i) => jsValueOf(results[i], toWasm(results[i], v)));
}

/**
 * A raw wasm value, bit-exact: int32 words for numbers and vectors (i32/f32:
 * 1, i64/f64: 2 as lo, hi; v128: 4), or `{ ref }` for a reference.
 */
export type RawValue = number[] | { ref: unknown };

/**
 * Calls `fn` with raw arguments and returns raw results, bypassing the JS
 * value conversions (which cannot carry NaN payloads). For the spec
 * harness and tests.
 */
export function invokeRaw(fn: FuncInst, args: readonly RawValue[]): RawValue[] {
  const { params, results } = fn.type;
  if (fn.host !== null) {
    const r = invoke(fn, args.map((a, i) => rawToJs(params[i], a)));
    const list = results.length === 1 ? [r] : results.length === 0 ? [] : r as unknown[];
    return list.map((v, i) => jsToRaw(results[i], v));
  }
  const m = callMachine(fn);
  let s = m.top;
  for (let i = 0; i < params.length; i++) {
    const a = args[i];
    if (Array.isArray(a)) { for (let k = 0; k < a.length; k++) m.i32[2 * s + k] = a[k]; }
    else m.refs[s] = a.ref;
    s += slotSize(params[i]);
  }
  try {
    s = callSync(m, fn);
  } catch (e) {
    throw toJsException(e);
  }
  const out: RawValue[] = [];
  for (const t of results) {
    if (isRef(t)) out.push({ ref: m.refs[s] });
    else {
      const n = t === 0x7b ? 4 : t === 0x7e || t === 0x7c ? 2 : 1;
      out.push(Array.from(m.i32.subarray(2 * s, 2 * s + n)));
    }
    s += slotSize(t);
  }
  return out;
}

function rawToJs(t: number, a: RawValue): unknown {
  if (!Array.isArray(a)) return readSlot(new Int32Array(2), new Float32Array(2), [a.ref], 0, t);
  const words = Int32Array.from([...a, 0, 0, 0, 0].slice(0, 4));
  return readSlot(words, new Float32Array(words.buffer), [], 0, t);
}

function jsToRaw(t: number, v: unknown): RawValue {
  if (isRef(t)) return { ref: toWasm(t, v) };
  const words = new Int32Array(4);
  writeSlot(words, new Float32Array(words.buffer), [], 0, t, toWasm(t, v));
  return Array.from(words.subarray(0, t === 0x7e || t === 0x7c ? 2 : 1));
}
