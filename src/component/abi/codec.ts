/**
 * Codecs: for each value type, the four canonical-ABI directions between
 * JS values (jco's conventions) and core values or linear memory, built
 * once per type object and cached, so a call runs prebuilt closures rather
 * than re-reading the type (no code generation).
 *
 * - `lift(cx, src)`: reads flat core values from `src` at `cx.pos`.
 * - `lower(cx, v, out)`: appends the flat core values of `v` to `out`.
 * - `load(cx, ptr)` / `store(cx, v, ptr)`: the value in memory at `ptr`
 *   (aligned and in bounds: the caller checked the whole range).
 *
 * Core values are numbers for i32/f32/f64 and BigInts for i64 (as Gannet's
 * core calls take and give them).
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { ValType } from "../types.ts";
import type { Context } from "./context.ts";
import { compoundCodec } from "./codec_compound.ts";
import { resourceCodec } from "./codec_resource.ts";
import { type Layout, layoutOf } from "./layout.ts";
import { loadString, storeString } from "./strings.ts";

/** The lift/lower/load/store functions of one value type, with its layout. */
export interface Codec extends Layout {
  /** Lifts from flat values. */
  lift(cx: Context, src: ArrayLike<unknown>): unknown;
  /** Lowers to flat values. */
  lower(cx: Context, v: unknown, out: unknown[]): void;
  /** Loads from memory. */
  load(cx: Context, ptr: number): unknown;
  /** Stores into memory. */
  store(cx: Context, v: unknown, ptr: number): void;
}

const cache = new WeakMap<object, Codec>();

/** The codec of `t` (cached per type object). */
export function codecOf(t: ValType): Codec {
  let c = cache.get(t);
  if (c === undefined) {
    c = build(t);
    cache.set(t, c);
  }
  return c;
}

function build(t: ValType): Codec {
  const l = layoutOf(t);
  switch (t.kind) {
    case "bool":
      return { ...l, ...boolCodec };
    case "u8":
      return intCodec(l, (v) => v & 0xff, 1, false);
    case "s8":
      return intCodec(l, (v) => (v << 24) >> 24, 1, true);
    case "u16":
      return intCodec(l, (v) => v & 0xffff, 2, false);
    case "s16":
      return intCodec(l, (v) => (v << 16) >> 16, 2, true);
    case "u32":
      return intCodec(l, (v) => v >>> 0, 4, false);
    case "s32":
      return intCodec(l, (v) => v | 0, 4, true);
    case "u64":
      return bigCodec(l, false);
    case "s64":
      return bigCodec(l, true);
    case "f32":
      return { ...l, ...f32Codec };
    case "f64":
      return { ...l, ...f64Codec };
    case "char":
      return { ...l, ...charCodec };
    case "string":
      return { ...l, ...stringCodec };
    case "own":
    case "borrow":
      return resourceCodec(t, l);
    case "error-context":
    case "stream":
    case "future":
      return unsupported(t.kind, l);
    default:
      return compoundCodec(t, l, codecOf);
  }
}

const boolCodec = {
  lift: (cx: Context, src: ArrayLike<unknown>): unknown => src[cx.pos++] !== 0,
  lower: (_cx: Context, v: unknown, out: unknown[]): void => {
    out.push(v ? 1 : 0);
  },
  load: (cx: Context, ptr: number): unknown => cx.mem.u8[ptr] !== 0,
  store: (cx: Context, v: unknown, ptr: number): void => {
    cx.mem.u8[ptr] = v ? 1 : 0;
  },
};

/** Integers up to 32 bits: lifting wraps to the type's width; lowering wraps like jco's `toUint8`. */
function intCodec(
  l: Layout,
  wrap: (v: number) => number,
  bytes: 1 | 2 | 4,
  signed: boolean,
): Codec {
  const norm = (v: unknown) => {
    if (typeof v !== "number" && typeof v !== "boolean") {
      throw new TypeError(`expected a number, got ${typeof v}`);
    }
    return wrap(Number(v));
  };
  return {
    ...l,
    lift: (cx, src) => wrap(src[cx.pos++] as number),
    lower: (_cx, v, out) => {
      out.push(norm(v));
    },
    load: bytes === 1
      ? (signed ? (cx, p) => cx.mem.dv.getInt8(p) : (cx, p) => cx.mem.u8[p])
      : bytes === 2
      ? (signed ? (cx, p) => cx.mem.dv.getInt16(p, true) : (cx, p) => cx.mem.dv.getUint16(p, true))
      : (signed ? (cx, p) => cx.mem.dv.getInt32(p, true) : (cx, p) => cx.mem.dv.getUint32(p, true)),
    store: bytes === 1
      ? (cx, v, p) => {
        cx.mem.u8[p] = norm(v);
      }
      : bytes === 2
      ? (cx, v, p) => cx.mem.dv.setUint16(p, norm(v), true)
      : (cx, v, p) => cx.mem.dv.setUint32(p, norm(v) >>> 0, true),
  };
}

function toBig(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "boolean" || Number.isInteger(v)) return BigInt(v as number | boolean);
  throw new TypeError(
    `expected a BigInt, got ${typeof v === "number" ? `the non-integer ${v}` : typeof v}`,
  );
}

function bigCodec(l: Layout, signed: boolean): Codec {
  const wrap = signed ? (v: bigint) => BigInt.asIntN(64, v) : (v: bigint) => BigInt.asUintN(64, v);
  return {
    ...l,
    lift: (cx, src) => wrap(src[cx.pos++] as bigint),
    lower: (_cx, v, out) => {
      out.push(BigInt.asIntN(64, toBig(v)));
    },
    load: signed
      ? (cx, p) => cx.mem.dv.getBigInt64(p, true)
      : (cx, p) => cx.mem.dv.getBigUint64(p, true),
    store: (cx, v, p) => cx.mem.dv.setBigUint64(p, BigInt.asUintN(64, toBig(v)), true),
  };
}

function toNumber(v: unknown): number {
  if (typeof v !== "number") throw new TypeError(`expected a number, got ${typeof v}`);
  return v;
}

// NaN canonicalization: a JS NaN is one value, written back as the canonical NaN.
const f32Codec = {
  lift: (cx: Context, src: ArrayLike<unknown>): unknown => src[cx.pos++],
  lower: (_cx: Context, v: unknown, out: unknown[]): void => {
    out.push(Math.fround(toNumber(v)));
  },
  load: (cx: Context, p: number): unknown => cx.mem.dv.getFloat32(p, true),
  store: (cx: Context, v: unknown, p: number): void => cx.mem.dv.setFloat32(p, toNumber(v), true),
};

const f64Codec = {
  lift: (cx: Context, src: ArrayLike<unknown>): unknown => src[cx.pos++],
  lower: (_cx: Context, v: unknown, out: unknown[]): void => {
    out.push(toNumber(v));
  },
  load: (cx: Context, p: number): unknown => cx.mem.dv.getFloat64(p, true),
  store: (cx: Context, v: unknown, p: number): void => cx.mem.dv.setFloat64(p, toNumber(v), true),
};

/** A Unicode scalar value as a one-character string (traps on surrogates and > 0x10FFFF). */
export function liftChar(i: number): string {
  const u = i >>> 0;
  if (u >= 0x110000 || (u >= 0xd800 && u <= 0xdfff)) {
    throw new RuntimeError("invalid `char` bit pattern");
  }
  return String.fromCodePoint(u);
}

/** The scalar value of a one-character string (TypeError otherwise). */
export function lowerChar(v: unknown): number {
  if (typeof v === "string" && v.length > 0) {
    const c = v.codePointAt(0)!;
    if (v.length === (c > 0xffff ? 2 : 1) && (c < 0xd800 || c > 0xdfff)) return c;
  }
  throw new TypeError(`expected a string of one Unicode scalar value, got ${JSON.stringify(v)}`);
}

const charCodec = {
  lift: (cx: Context, src: ArrayLike<unknown>): unknown => liftChar(src[cx.pos++] as number),
  lower: (_cx: Context, v: unknown, out: unknown[]): void => {
    out.push(lowerChar(v));
  },
  load: (cx: Context, p: number): unknown => liftChar(cx.mem.dv.getUint32(p, true)),
  store: (cx: Context, v: unknown, p: number): void => cx.mem.dv.setUint32(p, lowerChar(v), true),
};

const pair = [0, 0];

const stringCodec = {
  lift: (cx: Context, src: ArrayLike<unknown>): unknown => {
    const ptr = (src[cx.pos++] as number) >>> 0;
    return loadString(cx, ptr, (src[cx.pos++] as number) >>> 0);
  },
  lower: (cx: Context, v: unknown, out: unknown[]): void => {
    storeString(cx, v, pair);
    out.push(pair[0], pair[1]);
  },
  load: (cx: Context, p: number): unknown => {
    const dv = cx.mem.dv;
    return loadString(cx, dv.getUint32(p, true), dv.getUint32(p + 4, true));
  },
  store: (cx: Context, v: unknown, p: number): void => {
    storeString(cx, v, pair);
    const dv = cx.mem.dv;
    dv.setUint32(p, pair[0], true);
    dv.setUint32(p + 4, pair[1], true);
  },
};

function unsupported(kind: string, l: Layout): Codec {
  const fail = (): never => {
    throw new RuntimeError(`component-model async values (${kind}) are not supported yet`);
  };
  return { ...l, lift: fail, lower: fail, load: fail, store: fail };
}
