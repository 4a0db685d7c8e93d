/**
 * The canonical ABI's static layout of a value type: its flattening into
 * core values, its size and alignment in linear memory, and a variant's
 * discriminant (CanonicalABI.md, "Alignment", "Element Size",
 * "Flattening"). Computed once per type object and cached.
 *
 * Flags with more than 32 labels (which current validators reject, and
 * which older toolchains and jco still lay out) use one i32 per 32 labels,
 * as the ABI did before the limit.
 *
 * @module
 */

import type { FuncType as CoreFuncType, ValType as CoreValType } from "../../binary/types.ts";
import {
  F32,
  F64,
  fixedListSizeAlign,
  flagsSizeAlign,
  flagWords,
  I32,
  I64,
  joinFlat,
  MAX_FLAT_ASYNC_PARAMS,
  MAX_FLAT_PARAMS,
  MAX_FLAT_RESULTS,
  pointerPair,
  recordSizeAlign,
  scalar,
  variantSizeAlign,
} from "../layout_rules.ts";
import type { Case, FuncType, ValType } from "../types.ts";

export {
  alignTo,
  discriminantSize,
  F32,
  F64,
  flagWords,
  I32,
  I64,
  joinFlat as join,
  MAX_FLAT_ASYNC_PARAMS,
  MAX_FLAT_PARAMS,
  MAX_FLAT_RESULTS,
} from "../layout_rules.ts";

/** The layout of one value type. */
export interface Layout {
  /** Core value types it flattens to. */
  readonly flat: readonly number[];
  /** Size in memory (bytes). */
  readonly size: number;
  /** Alignment in memory (bytes). */
  readonly align: number;
}

const cache = new WeakMap<object, Layout>();

/** The layout of `t` (cached per type object). */
export function layoutOf(t: ValType): Layout {
  let l = cache.get(t);
  if (l === undefined) {
    l = compute(t);
    cache.set(t, l);
  }
  return l;
}

/** Layout of a record/tuple of `types` (also: spilled parameter and result tuples). */
export function tupleLayout(types: readonly ValType[]): Layout & { offsets: number[] } {
  const layouts = types.map(layoutOf);
  const flat: number[] = [];
  for (const l of layouts) for (const f of l.flat) flat.push(f);
  return { flat, ...recordSizeAlign(layouts) };
}

/** Layout of a variant's cases: discriminant size, payload offset, joined payload flat types. */
export function variantLayout(cases: readonly Case[]): Layout & {
  discSize: number;
  payloadOffset: number;
  payloadFlat: number[];
} {
  const layouts = cases.map((c) => c.type === null ? null : layoutOf(c.type));
  const payloadFlat: number[] = [];
  for (const l of layouts) {
    l?.flat.forEach((f, i) => {
      payloadFlat[i] = i < payloadFlat.length ? joinFlat(payloadFlat[i], f) : f;
    });
  }
  return { flat: [I32, ...payloadFlat], ...variantSizeAlign(layouts), payloadFlat };
}

function prim(flat: number, size: number): Layout {
  return { flat: [flat], ...scalar(size) };
}

const POINTER_PAIR: Layout = { flat: [I32, I32], ...pointerPair(4) };

function compute(t: ValType): Layout {
  switch (t.kind) {
    case "bool":
    case "s8":
    case "u8":
      return prim(I32, 1);
    case "s16":
    case "u16":
      return prim(I32, 2);
    case "s32":
    case "u32":
    case "char":
    case "own":
    case "borrow":
    case "error-context":
    case "stream":
    case "future":
      return prim(I32, 4);
    case "s64":
    case "u64":
      return prim(I64, 8);
    case "f32":
      return prim(F32, 4);
    case "f64":
      return prim(F64, 8);
    case "string":
      return POINTER_PAIR;
    case "list": {
      if (t.length === null) return POINTER_PAIR;
      const e = layoutOf(t.element);
      const flat: number[] = [];
      for (let i = 0; i < t.length; i++) flat.push(...e.flat);
      return { flat, ...fixedListSizeAlign(e, t.length) };
    }
    case "record":
      return tupleLayout(t.fields.map((f) => f.type));
    case "tuple":
      return tupleLayout(t.types);
    case "variant":
      return variantLayout(t.cases);
    case "enum":
      return variantLayout(t.names.map((name) => ({ name, type: null })));
    case "option":
      return variantLayout([{ name: "none", type: null }, { name: "some", type: t.type }]);
    case "result":
      return variantLayout([{ name: "ok", type: t.ok }, { name: "error", type: t.error }]);
    case "flags": {
      const n = t.names.length;
      return { flat: new Array(Math.max(1, flagWords(n))).fill(I32), ...flagsSizeAlign(n) };
    }
  }
}

/**
 * The core signature of a function of type `t` (CanonicalABI.md
 * `flatten_functype`): `lift` is the callee's side (a spilled result is a
 * returned pointer), `lower` the caller's (a spilled result is an extra
 * pointer parameter). With `async` (the `async` option), a lifted function
 * returns nothing (the value goes through `task.return`) or, with a
 * `callback`, a packed i32 code; a lowered one takes at most 4 flat
 * parameters and a result pointer, and returns the packed subtask state.
 */
export function coreSignature(
  t: FuncType,
  context: "lift" | "lower",
  async: { callback: boolean } | null = null,
): CoreFuncType {
  let params = t.params.flatMap((p) => layoutOf(p.type).flat);
  let results = t.result === null ? [] : [...layoutOf(t.result).flat];
  if (async !== null) {
    if (context === "lift") {
      if (params.length > MAX_FLAT_PARAMS) params = [I32];
      results = async.callback ? [I32] : [];
    } else {
      if (params.length > MAX_FLAT_ASYNC_PARAMS) params = [I32];
      if (results.length > 0) params = [...params, I32];
      results = [I32];
    }
  } else {
    if (params.length > MAX_FLAT_PARAMS) params = [I32];
    if (results.length > MAX_FLAT_RESULTS) {
      if (context === "lift") results = [I32];
      else {
        params = [...params, I32];
        results = [];
      }
    }
  }
  return { params: params as CoreValType[], results: results as CoreValType[] };
}
