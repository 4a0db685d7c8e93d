/**
 * Conversions between JS values and wasm values at the JS API boundary
 * (ToWebAssemblyValue / ToJSValue), reading and writing register slots.
 *
 * @module
 */

import { valTypeName } from "../binary/types.ts";
import { heapOf, isRef } from "../binary/valtype.ts";
import { bitsToF64, f64ToBits, toBigInt64 } from "../numeric/numeric.ts";
import { exportedFunction, funcInstOf } from "./exported.ts";
import { toJsRef, toWasmRef } from "./ref_values.ts";

/** ToBigInt (the JS abstract operation), which rejects numbers. */
export function toBigInt(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "string") return BigInt(v);
  if (typeof v === "object" && v !== null || typeof v === "function") {
    return toBigInt(toPrimitiveNumber(v));
  }
  throw new TypeError(`cannot convert ${typeof v} to a BigInt for an i64`);
}

function toPrimitiveNumber(v: object): unknown {
  const o = v as { [Symbol.toPrimitive]?: (hint: string) => unknown };
  const exotic = o[Symbol.toPrimitive];
  if (exotic !== undefined && exotic !== null) {
    const r = exotic.call(v, "number");
    if (typeof r !== "object" || r === null) return r;
    throw new TypeError("Symbol.toPrimitive returned an object");
  }
  for (const key of ["valueOf", "toString"] as const) {
    const f = (v as Record<string, unknown>)[key];
    if (typeof f === "function") {
      const r = f.call(v);
      if ((typeof r !== "object" || r === null) && typeof r !== "function") return r;
    }
  }
  throw new TypeError("cannot convert object to primitive value");
}

/** Whether values of type `t` cannot cross the JS boundary (`v128`, and references to exceptions). */
function jsIncompatible(t: number): boolean {
  if (t === 0x7b) return true;
  if (!isRef(t)) return false;
  const h = heapOf(t);
  return h === 0x69 || h === 0x74;
}

/**
 * Whether a signature has a parameter or result that JS cannot pass: a
 * `v128`, or an `exnref` (or `(ref null? noexn)`).
 */
export function hasV128(type: { params: number[]; results: number[] }): boolean {
  return type.params.some(jsIncompatible) || type.results.some(jsIncompatible);
}

/**
 * The JS API's rule for calls across the JS boundary (exported functions
 * called from JS, host functions called from wasm): a signature with a
 * `v128` anywhere throws a TypeError before anything runs or is converted.
 */
export function checkJsCallable(type: { params: number[]; results: number[] }): void {
  if (hasV128(type)) {
    throw new TypeError(
      "a function with a v128 or exnref parameter or result cannot be called from JS",
    );
  }
}

/**
 * ToWebAssemblyValue: converts `v` for type `t` into a normalized JS value
 * (number for i32/f32/f64 — f32 already rounded —, bigint for i64, the
 * internal reference for funcref/externref). Throws TypeError as the JS API
 * does. Converting first and writing later keeps re-entrant `valueOf` calls
 * from clobbering half-written frames.
 */
export function toWasm(t: number, v: unknown): unknown {
  switch (t) {
    case 0x7f:
      return Number(v as number) | 0;
    case 0x7e:
      return BigInt.asIntN(64, toBigInt(v));
    case 0x7d:
      return Math.fround(Number(v as number));
    case 0x7c:
      return Number(v as number);
    case 0x70: {
      if (v === null) return null;
      const f = typeof v === "function" ? funcInstOf(v) : undefined;
      if (f === undefined) {
        throw new TypeError("a funcref must be null or an exported wasm function");
      }
      return f;
    }
    default:
      if (isRef(t)) return toWasmRef(t, v);
      throw new TypeError(`cannot pass a ${valTypeName(t)} value between JS and wasm`);
  }
}

/** Writes a {@link toWasm}-normalized value into register slot `slot`. */
export function writeSlot(
  I32: Int32Array,
  F32: Float32Array,
  R: unknown[],
  slot: number,
  t: number,
  v: unknown,
): void {
  const w = slot << 1;
  switch (t) {
    case 0x7f:
      I32[w] = v as number;
      I32[w + 1] = 0;
      return;
    case 0x7e: {
      const b = v as bigint;
      I32[w] = Number(BigInt.asIntN(32, b));
      I32[w + 1] = Number(BigInt.asIntN(32, b >> 32n));
      return;
    }
    case 0x7d:
      F32[w] = v as number;
      return;
    case 0x7c:
      f64ToBits(I32, w, v as number);
      return;
    default:
      R[slot] = v;
  }
}

/** ToJSValue of the value of type `t` in register slot `slot`. */
export function readSlot(
  I32: Int32Array,
  F32: Float32Array,
  R: unknown[],
  slot: number,
  t: number,
): unknown {
  const w = slot << 1;
  switch (t) {
    case 0x7f:
      return I32[w];
    case 0x7e:
      return toBigInt64(I32[w], I32[w + 1]);
    case 0x7d:
      return F32[w];
    case 0x7c:
      return bitsToF64(I32[w], I32[w + 1]);
    case 0x70: {
      const f = R[slot];
      return f === null ? null : exportedFunction(f as Parameters<typeof exportedFunction>[0]);
    }
    default:
      if (isRef(t)) return toJsRef(t, R[slot]);
      throw new TypeError(`cannot pass a ${valTypeName(t)} value between JS and wasm`);
  }
}

const scratchI32 = new Int32Array(4);
const scratchF32 = new Float32Array(scratchI32.buffer);
const scratchRefs: unknown[] = [null];

/** The JS value (ToJSValue) of a {@link toWasm}-normalized value of type `t`. */
export function jsValueOf(t: number, v: unknown): unknown {
  writeSlot(scratchI32, scratchF32, scratchRefs, 0, t, v);
  const r = readSlot(scratchI32, scratchF32, scratchRefs, 0, t);
  scratchRefs[0] = null;
  return r;
}
