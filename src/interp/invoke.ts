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
import { checkJsCallable, readSlot, toWasm, writeSlot } from "../runtime/values.ts";
import { execute } from "./exec_loop.ts";
import { translateFunction } from "./translate.ts";
import { clearRefs, trapStack } from "./exec_helpers.ts";

/**
 * Calls `fn` with JS arguments (missing ones are `undefined`, converted as
 * the JS API does). Returns undefined, the single result, or an array.
 */
export function invoke(fn: FuncInst, args: readonly unknown[]): unknown {
  const { params, results } = fn.type;
  checkJsCallable(fn.type);
  const vals = new Array(params.length);
  for (let i = 0; i < params.length; i++) vals[i] = toWasm(params[i], args[i]);
  if (fn.host !== null) {
    // A host function re-exported by an instance: JS → wasm → JS conversions.
    const r = Reflect.apply(fn.host, undefined, params.map((t, i) => toJsValue(t, vals[i])));
    if (results.length === 0) return undefined;
    if (results.length === 1) return toJsValue(results[0], toWasm(results[0], r));
    return [...(r as Iterable<unknown>)].map((v, i) =>
      toJsValue(results[i], toWasm(results[i], v))
    );
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
  if (fn.code === null) translateFunction(fn);
  const m = machine();
  const saveTop = m.top, saveDepth = m.depth;
  if (saveDepth >= m.maxDepth) trapStack();
  const fd = saveTop;
  m.grow(fd + Math.max(fn.frameSlots, fn.paramSlots, fn.resultSlots) + 1);
  let s = fd;
  for (let i = 0; i < params.length; i++) {
    const a = args[i];
    if (Array.isArray(a)) { for (let k = 0; k < a.length; k++) m.i32[2 * s + k] = a[k]; }
    else m.refs[s] = a.ref;
    s += slotSize(params[i]);
  }
  m.i32.fill(0, (fd << 1) + fn.paramWords, (fd << 1) + fn.localWords);
  if (fn.refLocals !== null) clearRefs(m.refs, fd, fn.refLocals);
  m.top = fd + fn.frameSlots;
  m.depth = saveDepth + 1;
  try {
    execute(m, fn, fd);
  } finally {
    m.top = saveTop;
    m.depth = saveDepth;
  }
  const out: RawValue[] = [];
  s = fd;
  for (const t of results) {
    if (t === 0x70 || t === 0x6f) out.push({ ref: m.refs[s] });
    else {
      const n = t === 0x7b ? 4 : t === 0x7e || t === 0x7c ? 2 : 1;
      out.push(Array.from(m.i32.subarray(2 * s, 2 * s + n)));
    }
    s += slotSize(t);
  }
  return out;
}

function rawToJs(t: number, a: RawValue): unknown {
  const m = machine();
  const slot = m.top;
  m.grow(slot + 2);
  if (Array.isArray(a)) { for (let k = 0; k < a.length; k++) m.i32[2 * slot + k] = a[k]; }
  else m.refs[slot] = a.ref;
  return readSlot(m.i32, m.f32, m.refs, slot, t);
}

function jsToRaw(t: number, v: unknown): RawValue {
  const m = machine();
  const slot = m.top;
  m.grow(slot + 2);
  writeSlot(m.i32, m.f32, m.refs, slot, t, toWasm(t, v));
  if (t === 0x70 || t === 0x6f) return { ref: m.refs[slot] };
  return Array.from(m.i32.subarray(2 * slot, 2 * slot + (t === 0x7e || t === 0x7c ? 2 : 1)));
}
