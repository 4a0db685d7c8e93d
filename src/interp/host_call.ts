/**
 * Calls from wasm into JS: reads the arguments from the register file,
 * calls the host function, writes the results back. Exceptions thrown by
 * the host function propagate unchanged.
 *
 * @module
 */

import type { FuncInst } from "../runtime/func.ts";
import { slotSize } from "../runtime/func.ts";
import type { Machine } from "../runtime/machine.ts";
import { checkJsCallable, readSlot, toWasm, writeSlot } from "../runtime/values.ts";

/** Calls host function `fn` with its arguments at slot `base`; results go to `base`…. */
export function callHost(m: Machine, fn: FuncInst, base: number): void {
  const { params, results } = fn.type;
  checkJsCallable(fn.type);
  const args = new Array(params.length);
  let s = base;
  for (let i = 0; i < params.length; i++) {
    args[i] = readSlot(m.i32, m.f32, m.refs, s, params[i]);
    s += slotSize(params[i]);
  }
  const r = Reflect.apply(fn.host!, undefined, args);
  if (results.length === 0) return;
  if (results.length === 1) {
    const v = toWasm(results[0], r);
    writeSlot(m.i32, m.f32, m.refs, base, results[0], v);
    return;
  }
  // Multi-value: the host returns an iterable of exactly that many values.
  if (r === null || (typeof r !== "object" && typeof r !== "function")) {
    throw new TypeError("a host function with several results must return an iterable");
  }
  const it = r as Iterable<unknown>;
  if (typeof it[Symbol.iterator] !== "function") {
    throw new TypeError("a host function with several results must return an iterable");
  }
  const list = [...it];
  if (list.length !== results.length) {
    throw new TypeError(`host function returned ${list.length} values, expected ${results.length}`);
  }
  const vals = results.map((t, i) => toWasm(t, list[i]));
  s = base;
  for (let i = 0; i < results.length; i++) {
    writeSlot(m.i32, m.f32, m.refs, s, results[i], vals[i]);
    s += slotSize(results[i]);
  }
}
