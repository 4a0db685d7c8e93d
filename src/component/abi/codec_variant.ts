/**
 * Codecs of variants and their special cases, with jco's JS shapes:
 * `{ tag, val }` for a variant (no `val` for a case without payload),
 * `T | undefined` for `option<T>` (`{ tag: "none" }` / `{ tag: "some",
 * val }` when T is itself an option), `{ tag: "ok" | "err", val }` for a
 * result. A case's payload shares the variant's joined flat slots
 * (CanonicalABI.md `join`): values are coerced in and out of them.
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { Case, ValType } from "../types.ts";
import type { Codec } from "./codec.ts";
import type { Context } from "./context.ts";
import { F32, F64, I32, I64, type Layout, variantLayout } from "./layout.ts";

/** Builds (or finds) the codec of a type. */
export type CodecOf = (t: ValType) => Codec;

/** How option and result values look in JS (variants use `{ tag, val }` as is). */
export interface Shape {
  /** The case index of a JS value. */
  index(v: unknown): number;
  /** The payload of a JS value of case `i`. */
  payload(v: unknown, i: number): unknown;
  /** The JS value of case `i` with payload `val`. */
  make(i: number, val: unknown): unknown;
}

/** `option<T>`: `T | undefined`. */
export const OPTION: Shape = {
  index: (v) => v === undefined || v === null ? 0 : 1,
  payload: (v) => v,
  make: (i, val) => i === 0 ? undefined : val,
};

/** `option<option<T>>`: the outer option is `{ tag: "none" }` / `{ tag: "some", val }`. */
export const NESTED_OPTION: Shape = {
  index: (v) => v === undefined || v === null || isTagged(v, "none", false) ? 0 : 1,
  payload: (v) => isTagged(v, "some") ? (v as { val: unknown }).val : v,
  make: (i, val) => i === 0 ? { tag: "none" } : { tag: "some", val },
};

/** `result<T, E>`: `{ tag: "ok" | "err", val }`. */
export const RESULT: Shape = {
  index: (v) => isTagged(v, "err") ? 1 : 0,
  // A value that is not `{ tag: "ok" | "err", val }` is an ok payload (jco).
  payload: (v, i) => i === 1 || isTagged(v, "ok") ? (v as { val: unknown }).val : v,
  make: (i, val) => ({ tag: i === 0 ? "ok" : "err", val }),
};

function isTagged(v: unknown, tag: string, withVal = true): boolean {
  return v !== null && typeof v === "object" && (v as { tag?: unknown }).tag === tag &&
    (!withVal || "val" in v);
}

function coerceIn(have: number, want: number, x: unknown): unknown {
  if (have === want) return x;
  if (have === I32) return f32FromBits(x as number); // want f32
  const lo = Number(BigInt.asIntN(32, x as bigint));
  if (want === I32) return lo;
  if (want === F32) return f32FromBits(lo);
  return f64FromBits(x as bigint); // want f64
}

function coerceOut(have: number, want: number, x: unknown): unknown {
  if (have === want) return x;
  if (want === I32) return f32Bits(x as number); // have f32
  if (have === I32) return BigInt((x as number) >>> 0);
  if (have === F32) return BigInt(f32Bits(x as number) >>> 0);
  return f64Bits(x as number); // have f64
}

const scratch = new DataView(new ArrayBuffer(8));
function f32Bits(f: number): number {
  scratch.setFloat32(0, f, true);
  return scratch.getInt32(0, true);
}
function f32FromBits(i: number): number {
  scratch.setInt32(0, i, true);
  return scratch.getFloat32(0, true);
}
function f64Bits(f: number): bigint {
  scratch.setFloat64(0, f, true);
  return scratch.getBigInt64(0, true);
}
function f64FromBits(i: bigint): number {
  scratch.setBigInt64(0, i, true);
  return scratch.getFloat64(0, true);
}

const ZERO: Record<number, unknown> = { [I32]: 0, [I64]: 0n, [F32]: 0, [F64]: 0 };

/** The codec of a variant (`shape` null) or of an option or result (`shape` given). */
export function variantCodec(
  cases: readonly Case[],
  l: Layout,
  codecOf: CodecOf,
  what: string,
  shape: Shape | null,
): Codec {
  const vl = variantLayout(cases);
  const joined = vl.payloadFlat;
  const cs = cases.map((c) => c.type === null ? null : codecOf(c.type));
  // Per case: whether its flat types differ from the joined ones (then values are coerced).
  const coerce = cs.map((c) => c !== null && c.flat.some((f, i) => f !== joined[i]));
  const tags = cases.map((c) => c.name);
  const byTag = new Map(tags.map((t, i) => [t, i]));
  const n = cases.length;
  const index = shape === null
    ? (v: unknown) => {
      const tag = v !== null && typeof v === "object" ? (v as { tag?: unknown }).tag : undefined;
      const i = typeof tag === "string" ? byTag.get(tag) : undefined;
      if (i === undefined) {
        throw new TypeError(`expected a ${what} value { tag, val } with tag ${
          tags.map((t) => JSON.stringify(t)).join(" | ")
        }`);
      }
      return i;
    }
    : shape.index;
  const payload = shape === null ? (v: unknown) => (v as { val: unknown }).val : shape.payload;
  const make = shape === null
    ? (i: number, val: unknown) => cs[i] === null ? { tag: tags[i] } : { tag: tags[i], val }
    : shape.make;
  const badCase = (i: number): never => {
    throw new RuntimeError(`invalid variant discriminant: ${i >>> 0} for a ${what} of ${n} cases`);
  };
  const discLoad = vl.discSize === 1
    ? (cx: Context, p: number) => cx.mem.u8[p]
    : vl.discSize === 2
    ? (cx: Context, p: number) => cx.mem.dv.getUint16(p, true)
    : (cx: Context, p: number) => cx.mem.dv.getUint32(p, true);
  const discStore = vl.discSize === 1
    ? (cx: Context, i: number, p: number) => {
      cx.mem.u8[p] = i;
    }
    : vl.discSize === 2
    ? (cx: Context, i: number, p: number) => cx.mem.dv.setUint16(p, i, true)
    : (cx: Context, i: number, p: number) => cx.mem.dv.setUint32(p, i, true);
  const off = vl.payloadOffset;
  return {
    ...l,
    lift: (cx, src) => {
      const i = (src[cx.pos++] as number) >>> 0;
      if (i >= n) badCase(i);
      const c = cs[i];
      const end = cx.pos + joined.length;
      let val: unknown = undefined;
      if (c !== null) {
        if (coerce[i]) {
          const vals = c.flat.map((want, k) => coerceIn(joined[k], want, src[cx.pos + k]));
          const outer = cx.pos;
          cx.pos = 0;
          val = c.lift(cx, vals);
          cx.pos = outer;
        } else val = c.lift(cx, src);
      }
      cx.pos = end;
      return make(i, val);
    },
    lower: (cx, v, out) => {
      const i = index(v);
      out.push(i);
      const c = cs[i];
      let k = 0;
      if (c !== null) {
        const start = out.length;
        c.lower(cx, payload(v, i), out);
        if (coerce[i]) {
          for (; k < c.flat.length; k++) {
            out[start + k] = coerceOut(c.flat[k], joined[k], out[start + k]);
          }
        }
        k = c.flat.length;
      }
      for (; k < joined.length; k++) out.push(ZERO[joined[k]]);
    },
    load: (cx, p) => {
      const i = discLoad(cx, p);
      if (i >= n) badCase(i);
      const c = cs[i];
      return make(i, c === null ? undefined : c.load(cx, p + off));
    },
    store: (cx, v, p) => {
      const i = index(v);
      discStore(cx, i, p);
      const c = cs[i];
      if (c !== null) c.store(cx, payload(v, i), p + off);
    },
  };
}
