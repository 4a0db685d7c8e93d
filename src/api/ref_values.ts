/**
 * The JS API's conversions of references of every type (ToWebAssemblyValue
 * and ToJSValue for `anyref`, `eqref`, `i31ref`, `structref`, `arrayref`,
 * concrete `(ref null? $t)`, `externref`, `funcref` and the bottom types),
 * over the representation of `runtime/gc_objects.ts`:
 *
 * - a JS number that is an i31 value becomes an `i31ref` in the `any`
 *   hierarchy (and in `extern`, where `any.convert_extern` then sees the
 *   i31); any other number is boxed so that it stays a host reference;
 * - GC structs and arrays reach JS as opaque objects (one per struct or
 *   array, so identity holds both ways): frozen, without prototype or
 *   properties, as the JS API's exotic WebAssembly objects look from JS;
 *   they come back as the struct or array;
 * - exported functions pass as their function instance.
 *
 * A value outside the type throws a TypeError, as the JS API does.
 *
 * @module
 */
import { Heap, heapIndex, heapOf, isNullable, valTypeName } from "../binary/valtype.ts";
import { isOfHeap } from "../runtime/gc_casts.ts";
import { GcArray, GcStruct, hostRef, isI31, jsValueOf } from "../runtime/gc_objects.ts";
import { topOf } from "../validate/type_store.ts";
import { exportedFunction, funcInstOf } from "./exported.ts";
import { FuncInst } from "../runtime/func.ts";

function reject(t: number): never {
  throw new TypeError(`the value is not a ${valTypeName(t)}`);
}

/** The opaque JS object of each GC object that reached JS, and back. */
const jsObjects = new WeakMap<GcStruct | GcArray, object>();
const gcObjects = new WeakMap<object, GcStruct | GcArray>();

/** The JS object standing for GC object `r` (created on its first crossing). */
function opaque(r: GcStruct | GcArray): object {
  let o = jsObjects.get(r);
  if (o === undefined) {
    o = Object.freeze(Object.create(null)) as object;
    jsObjects.set(r, o);
    gcObjects.set(o, r);
  }
  return o;
}

/** ToWebAssemblyValue of `v` for reference type `t` (canonical). */
export function toWasmRef(t: number, v: unknown): unknown {
  if (topOf(heapOf(t)) === Heap.exn) {
    throw new TypeError(`cannot pass a ${valTypeName(t)} value between JS and wasm`);
  }
  if (typeof v === "object" && v !== null) v = gcObjects.get(v) ?? v;
  if (v === null) {
    if (!isNullable(t)) reject(t);
    return null;
  }
  const h = heapOf(t);
  switch (topOf(h)) {
    case Heap.func: {
      const f = typeof v === "function" ? funcInstOf(v) : undefined;
      if (f === undefined || !isOfHeap(f, h)) {
        throw new TypeError(`a ${valTypeName(t)} must be null or an exported wasm function`);
      }
      return f;
    }
    case Heap.extern:
      if (h === Heap.noextern) reject(t);
      return hostRef(v);
    case Heap.any: {
      // Internalize (the JS API's ToWebAssemblyValue for anyref), then test.
      const r = v instanceof GcStruct || v instanceof GcArray
        ? v
        : typeof v === "number" && isI31(v)
        ? v
        : hostRef(v);
      if (h === Heap.any) return r;
      if (heapIndex(h) < 0 && h !== Heap.none && isOfHeap(r, h)) return r;
      if (heapIndex(h) >= 0 && isOfHeap(r, h)) return r;
      return reject(t);
    }
    default:
      // exnref cannot cross the boundary.
      throw new TypeError(`cannot pass a ${valTypeName(t)} value between JS and wasm`);
  }
}

/** ToJSValue of reference `r` of type `t`. */
export function toJsRef(t: number, r: unknown): unknown {
  // Exception references never cross, not even null (as V8 does).
  if (topOf(heapOf(t)) === Heap.exn) {
    throw new TypeError(`cannot pass a ${valTypeName(t)} value between JS and wasm`);
  }
  if (r === null) return null;
  if (r instanceof FuncInst) return exportedFunction(r);
  if (r instanceof GcStruct || r instanceof GcArray) return opaque(r);
  return jsValueOf(r);
}
