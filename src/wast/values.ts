/**
 * Script values ↔ raw wasm values, and matching results against expected
 * patterns (NaN classes, v128 lanes, reference kinds), bit-exactly.
 *
 * @module
 */

import type { LanePattern, WastResult, WastValue } from "../text/wast_types.ts";
import type { RawValue } from "../api/exported.ts";
import { FuncInst } from "../runtime/func.ts";
import { GcArray, GcStruct } from "../runtime/gc_objects.ts";

const externs = new Map<number, object>();

/** The host reference `(ref.extern n)`: one object per number. */
export function externRef(n: number): object {
  let o = externs.get(n);
  if (o === undefined) {
    o = { externref: n };
    externs.set(n, o);
  }
  return o;
}

/** Thrown for values outside Gannet's scope (GC references, …). */
export class Unsupported extends Error {}

/** A script argument as a raw value. */
export function toRaw(v: WastValue): RawValue {
  switch (v.type) {
    case "i32":
      return [v.value | 0];
    case "i64":
      return [Number(BigInt.asIntN(32, v.value)), Number(BigInt.asIntN(32, v.value >> 32n))];
    case "f32":
      return [v.bits | 0];
    case "f64":
      return [Number(BigInt.asIntN(32, v.bits)), Number(BigInt.asIntN(32, v.bits >> 32n))];
    case "v128": {
      const w = new Int32Array(v.bytes.slice().buffer, 0, 4);
      return Array.from(w);
    }
    case "ref.null":
      return { ref: null };
    case "ref.extern":
      return { ref: externRef(v.value) };
    case "ref.other":
      // `(ref.null ht)` of any heap type; `(ref.host n)` is the host object
      // that `(ref.extern n)` names (internalized into `any`).
      if (v.null) return { ref: null };
      if (v.name === "host" && v.value !== undefined) return { ref: externRef(v.value) };
      throw new Unsupported(`value ref.${v.name} is not supported`);
    default:
      throw new Unsupported(`value ${v.type} is not supported`);
  }
}

/** Whether reference `ref` matches `(ref.name)` / `(ref.name n)` (GC result patterns). */
function gcRefMatches(ref: unknown, name: string, value: number | undefined): boolean | undefined {
  switch (name) {
    case "i31":
      return typeof ref === "number";
    case "struct":
      return ref instanceof GcStruct;
    case "array":
      return ref instanceof GcArray;
    case "eq":
      return typeof ref === "number" || ref instanceof GcStruct || ref instanceof GcArray;
    case "any":
      return ref !== null && !(ref instanceof FuncInst);
    case "host":
      return value === undefined ? ref !== null : ref === externRef(value);
    default:
      return undefined;
  }
}

function f32Matches(bits: number, p: LanePattern): boolean {
  if ("nan" in p) {
    if (p.nan === "canonical") return (bits & 0x7fffffff) === 0x7fc00000;
    return (bits & 0x7fc00000) === 0x7fc00000;
  }
  return p.type === "f32" && (bits | 0) === (p.bits | 0);
}

function f64Matches(lo: number, hi: number, p: LanePattern): boolean {
  if ("nan" in p) {
    if (p.nan === "canonical") return (hi & 0x7fffffff) === 0x7ff80000 && lo === 0;
    return (hi & 0x7ff80000) === 0x7ff80000;
  }
  if (p.type !== "f64") return false;
  const [l, h] = toRaw(p) as number[];
  return lo === l && hi === h;
}

function laneMatches(bytes: Uint8Array, shape: string, i: number, p: LanePattern): boolean {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
  switch (shape) {
    case "i8x16":
      return p.type === "i32" && "value" in p && (dv.getUint8(i) & 0xff) === (p.value & 0xff);
    case "i16x8":
      return p.type === "i32" && "value" in p && dv.getUint16(2 * i, true) === (p.value & 0xffff);
    case "i32x4":
      return p.type === "i32" && "value" in p && dv.getInt32(4 * i, true) === (p.value | 0);
    case "i64x2":
      return p.type === "i64" && "value" in p &&
        dv.getBigInt64(8 * i, true) === BigInt.asIntN(64, p.value);
    case "f32x4":
      return f32Matches(dv.getInt32(4 * i, true), p);
    case "f64x2":
      return f64Matches(dv.getInt32(8 * i, true), dv.getInt32(8 * i + 4, true), p);
  }
  return false;
}

/** Whether a raw result matches the expected pattern. */
export function matches(r: RawValue, e: WastResult): boolean {
  const words = Array.isArray(r) ? r : null;
  const ref = Array.isArray(r) ? undefined : r.ref;
  if ("nan" in e) {
    if (words === null) return false;
    return e.type === "f32" ? f32Matches(words[0], e) : f64Matches(words[0], words[1], e);
  }
  switch (e.type) {
    case "i32":
      return words !== null && words[0] === (e.value | 0);
    case "i64":
    case "f64": {
      if (words === null) return false;
      const [lo, hi] = toRaw(e) as number[];
      return words[0] === lo && words[1] === hi;
    }
    case "f32":
      return words !== null && words[0] === (e.bits | 0);
    case "v128": {
      if (words === null) return false;
      const bytes = new Uint8Array(Int32Array.from(words).buffer);
      if ("bytes" in e) return e.bytes.every((b, i) => b === bytes[i]);
      return e.lanes.every((p, i) => laneMatches(bytes, e.shape, i, p));
    }
    case "ref.null":
      return words === null && ref === null;
    case "ref.extern":
      if (words !== null || ref === null || ref instanceof FuncInst) return false;
      return "value" in e ? ref === externRef(e.value) : true;
    case "ref.func":
      return ref instanceof FuncInst;
    case "either":
      return e.options.some((o) => matches(r, o));
    case "ref.other": {
      if (words !== null) return false;
      if (e.null) return ref === null;
      const ok = gcRefMatches(ref, e.name, e.value);
      if (ok === undefined) throw new Unsupported(`result ref.${e.name} is not supported`);
      return ok;
    }
    default:
      throw new Unsupported(`result ${e.type} is not supported`);
  }
}

/** A raw value for messages. */
export function showRaw(r: RawValue): string {
  if (!Array.isArray(r)) {
    const v = r.ref;
    if (v === null) return "ref.null";
    if (v instanceof FuncInst) return `ref.func ${v.index}`;
    if (typeof v === "number") return `ref.i31 ${v}`;
    if (v instanceof GcStruct) return `ref.struct (type ${v.t.id})`;
    if (v instanceof GcArray) return `ref.array (type ${v.t.id}, length ${v.length})`;
    return `ref.extern ${JSON.stringify(v)}`;
  }
  return r.map((w) => "0x" + (w >>> 0).toString(16).padStart(8, "0")).join(":");
}

/** An expected result for messages. */
export function showExpected(e: WastResult): string {
  return JSON.stringify(e, (_, v) => typeof v === "bigint" ? v.toString() + "n" : v);
}
