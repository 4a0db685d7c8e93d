/**
 * Calls into wasm from JS (exported functions, the start function, the
 * spec harness): converts the arguments, runs the dispatch loop in a frame
 * above everything already running (host→wasm re-entry is allowed), and
 * converts the results.
 *
 * @module
 */

import type { FuncInst } from "../runtime/func.ts";
import { slotSize } from "../runtime/func.ts";
import { machine } from "../runtime/machine.ts";
import { readSlot, toWasm, writeSlot } from "../runtime/values.ts";
import { execute } from "./exec_loop.ts";
import { translateFunction } from "./translate.ts";
import { clearRefs, trapStack } from "./exec_helpers.ts";

/**
 * Calls `fn` with JS arguments (missing ones are `undefined`, converted as
 * the JS API does). Returns undefined, the single result, or an array.
 */
export function invoke(fn: FuncInst, args: readonly unknown[]): unknown {
  const { params, results } = fn.type;
  const vals = new Array(params.length);
  for (let i = 0; i < params.length; i++) vals[i] = toWasm(params[i], args[i]);
  if (fn.host !== null) {
    // A host function re-exported by an instance: JS → wasm → JS conversions.
    const r = Reflect.apply(fn.host, undefined, params.map((t, i) => toJsValue(t, vals[i])));
    if (results.length === 0) return undefined;
    if (results.length === 1) return toJsValue(results[0], toWasm(results[0], r));
    return [...(r as Iterable<unknown>)].map((v, i) => toJsValue(results[i], toWasm(results[i], v)));
  }
  if (fn.code === null) translateFunction(fn);
  const m = machine();
  const saveTop = m.top, saveDepth = m.depth;
  if (saveDepth >= m.maxDepth) trapStack();
  const fd = saveTop;
  m.grow(fd + Math.max(fn.frameSlots, fn.paramSlots, fn.resultSlots) + 1);
  const I32 = m.i32, F32 = m.f32, R = m.refs;
  let s = fd;
  for (let i = 0; i < params.length; i++) {
    writeSlot(I32, F32, R, s, params[i], vals[i]);
    s += slotSize(params[i]);
  }
  I32.fill(0, (fd << 1) + fn.paramWords, (fd << 1) + fn.localWords);
  if (fn.refLocals !== null) clearRefs(R, fd, fn.refLocals);
  m.top = fd + fn.frameSlots;
  m.depth = saveDepth + 1;
  try {
    execute(m, fn, fd);
  } finally {
    m.top = saveTop;
    m.depth = saveDepth;
  }
  if (results.length === 0) return undefined;
  if (results.length === 1) return readSlot(m.i32, m.f32, m.refs, fd, results[0]);
  const out = new Array(results.length);
  s = fd;
  for (let i = 0; i < results.length; i++) {
    out[i] = readSlot(m.i32, m.f32, m.refs, s, results[i]);
    s += slotSize(results[i]);
  }
  return out;
}

/** A normalized wasm value (see `toWasm`) as the JS value the JS API gives. */
function toJsValue(t: number, v: unknown): unknown {
  const m = machine();
  const slot = m.top;
  m.grow(slot + 2);
  writeSlot(m.i32, m.f32, m.refs, slot, t, v);
  return readSlot(m.i32, m.f32, m.refs, slot, t);
}
