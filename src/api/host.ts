/**
 * JS functions as wasm host functions: the adapter the engine calls
 * (`HostFunc`), which converts the arguments from register slots to JS
 * values (ToJSValue), calls the function, and converts what it returns
 * back (ToWebAssemblyValue). Exceptions thrown by the function propagate
 * unchanged.
 *
 * @module
 */

import type { FuncType } from "../binary/types.ts";
import { FuncInst, type HostFunc, type Registers, slotSize, typeIdOf } from "../runtime/func.ts";
import { checkJsCallable, hasV128, readSlot, toWasm, writeSlot } from "./values.ts";

/** A JS function behind a wasm signature. */
export class JsHost implements HostFunc {
  /** The JS function. */
  readonly fn: (...args: unknown[]) => unknown;
  /** Its wasm signature. */
  readonly type: FuncType;
  /** JSPI: wrapped in `Suspending` (the guest awaits its result). */
  readonly suspending: boolean;
  /** The signature has a v128, so calls from wasm throw (JS API). */
  readonly v128: boolean;

  /**
   * Adapts `fn` to `type`.
   *
   * @param fn the JS function
   * @param type the wasm signature it is imported with
   * @param suspending a JSPI `Suspending` import
   */
  constructor(fn: (...args: unknown[]) => unknown, type: FuncType, suspending: boolean) {
    this.fn = fn;
    this.type = type;
    this.suspending = suspending;
    this.v128 = hasV128(type);
  }

  /** Calls the function with the arguments at `base`. */
  call(m: Registers, base: number): unknown {
    if (this.v128) checkJsCallable(this.type);
    const params = this.type.params;
    const args = new Array(params.length);
    let s = base;
    for (let i = 0; i < params.length; i++) {
      args[i] = readSlot(m.i32, m.f32, m.refs, s, params[i]);
      s += slotSize(params[i]);
    }
    return Reflect.apply(this.fn, undefined, args);
  }

  /** Writes the results `r` at `base` (a multi-value function returns an iterable). */
  finish(m: Registers, base: number, r: unknown): void {
    const results = this.type.results;
    if (results.length === 0) return;
    if (results.length === 1) {
      const v = toWasm(results[0], r);
      writeSlot(m.i32, m.f32, m.refs, base, results[0], v);
      return;
    }
    const vals = resultList(r, results.length).map((v, i) => toWasm(results[i], v));
    let s = base;
    for (let i = 0; i < results.length; i++) {
      writeSlot(m.i32, m.f32, m.refs, s, results[i], vals[i]);
      s += slotSize(results[i]);
    }
  }
}

/** The values of a multi-value host result (TypeError unless an iterable of `n`). */
export function resultList(r: unknown, n: number): unknown[] {
  if (r === null || (typeof r !== "object" && typeof r !== "function")) {
    throw new TypeError("a host function with several results must return an iterable");
  }
  const it = r as Iterable<unknown>;
  if (typeof it[Symbol.iterator] !== "function") {
    throw new TypeError("a host function with several results must return an iterable");
  }
  const list = [...it];
  if (list.length !== n) {
    throw new TypeError(`host function returned ${list.length} values, expected ${n}`);
  }
  return list;
}

/** A function instance for JS function `fn` imported with signature `type`. */
export function hostFunction(
  fn: (...args: unknown[]) => unknown,
  type: FuncType,
  suspending = false,
  index = -1,
): FuncInst {
  return new FuncInst(type, typeIdOf(type), null, index, new JsHost(fn, type, suspending));
}
