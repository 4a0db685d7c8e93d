/**
 * Codecs of the compound value types, with jco's JS conventions: records
 * and flags as objects with camelCase keys, tuples as arrays, variants as
 * `{ tag, val }` (no `val` for a case without payload), enums as their
 * label strings, `option<T>` as `T | undefined` (`{ tag: "none" }` /
 * `{ tag: "some", val }` when T is itself an option), `result` as
 * `{ tag: "ok" | "err", val }`, and numeric lists as typed arrays.
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import { camelCase } from "../js_names.ts";
import type { Case, ValType } from "../types.ts";
import type { Codec } from "./codec.ts";
import type { Context } from "./context.ts";
import { F32, F64, I32, I64, type Layout, tupleLayout, variantLayout } from "./layout.ts";
import { liftList, lowerList } from "./lists.ts";

type CodecOf = (t: ValType) => Codec;

/** The codec of a list, record, tuple, variant, enum, option, result or flags type. */
export function compoundCodec(t: ValType, l: Layout, codecOf: CodecOf): Codec {
  switch (t.kind) {
    case "list":
      return t.length === null ? listCodec(t.element, l, codecOf) : fixedListCodec(t, l, codecOf);
    case "record":
      return recordCodec(
        t.fields.map((f) => camelCase(f.name)),
        t.fields.map((f) => f.type),
        l,
        codecOf,
      );
    case "tuple":
      return recordCodec(null, t.types, l, codecOf);
    case "variant":
      return variantCodec(t.cases, l, codecOf, "variant", null);
    case "enum":
      return enumCodec(t.names, l);
    case "option": {
      const shape = t.type.kind === "option" ? NESTED_OPTION : OPTION;
      return variantCodec(
        [{ name: "none", type: null }, { name: "some", type: t.type }],
        l,
        codecOf,
        "option",
        shape,
      );
    }
    case "result":
      return variantCodec(
        [{ name: "ok", type: t.ok }, { name: "err", type: t.error }],
        l,
        codecOf,
        "result",
        RESULT,
      );
    case "flags":
      return flagsCodec(t.names, l);
    default:
      throw new TypeError(`not a compound type: ${t.kind}`);
  }
}

function listCodec(element: ValType, l: Layout, codecOf: CodecOf): Codec {
  const e = codecOf(element);
  const kind = element.kind;
  const pair = [0, 0];
  return {
    ...l,
    lift: (cx, src) => {
      const ptr = (src[cx.pos++] as number) >>> 0;
      return liftList(cx, ptr, (src[cx.pos++] as number) >>> 0, e, kind);
    },
    lower: (cx, v, out) => {
      lowerList(cx, v, e, kind, pair);
      out.push(pair[0], pair[1]);
    },
    load: (cx, p) => {
      const dv = cx.mem.dv;
      return liftList(cx, dv.getUint32(p, true), dv.getUint32(p + 4, true), e, kind);
    },
    store: (cx, v, p) => {
      lowerList(cx, v, e, kind, pair);
      const dv = cx.mem.dv;
      dv.setUint32(p, pair[0], true);
      dv.setUint32(p + 4, pair[1], true);
    },
  };
}

/** `list<T, N>`: N elements inline, as an array. */
function fixedListCodec(t: ValType & { kind: "list" }, l: Layout, codecOf: CodecOf): Codec {
  const e = codecOf(t.element);
  const n = t.length!;
  const check = (v: unknown): ArrayLike<unknown> => {
    const a = v as ArrayLike<unknown>;
    if (a === null || typeof a !== "object" || a.length !== n) {
      throw new TypeError(`expected an array of ${n} elements`);
    }
    return a;
  };
  return {
    ...l,
    lift: (cx, src) => Array.from({ length: n }, () => e.lift(cx, src)),
    lower: (cx, v, out) => {
      const a = check(v);
      for (let i = 0; i < n; i++) e.lower(cx, a[i], out);
    },
    load: (cx, p) => Array.from({ length: n }, (_, i) => e.load(cx, p + i * e.size)),
    store: (cx, v, p) => {
      const a = check(v);
      for (let i = 0; i < n; i++) e.store(cx, a[i], p + i * e.size);
    },
  };
}

/** Records (`keys` given: an object) and tuples (`keys` null: an array). */
function recordCodec(
  keys: string[] | null,
  types: readonly ValType[],
  l: Layout,
  codecOf: CodecOf,
): Codec {
  const cs = types.map(codecOf);
  const { offsets } = tupleLayout(types);
  const n = cs.length;
  const get = (v: unknown): Record<string | number, unknown> => {
    if (v === null || typeof v !== "object") {
      throw new TypeError(
        `expected ${keys === null ? "an array (tuple)" : "an object (record)"}, got ${
          v === null ? "null" : typeof v
        }`,
      );
    }
    return v as Record<string | number, unknown>;
  };
  if (keys === null) {
    return {
      ...l,
      lift: (cx, src) => {
        const a = new Array(n);
        for (let i = 0; i < n; i++) a[i] = cs[i].lift(cx, src);
        return a;
      },
      lower: (cx, v, out) => {
        const a = get(v);
        for (let i = 0; i < n; i++) cs[i].lower(cx, a[i], out);
      },
      load: (cx, p) => {
        const a = new Array(n);
        for (let i = 0; i < n; i++) a[i] = cs[i].load(cx, p + offsets[i]);
        return a;
      },
      store: (cx, v, p) => {
        const a = get(v);
        for (let i = 0; i < n; i++) cs[i].store(cx, a[i], p + offsets[i]);
      },
    };
  }
  return {
    ...l,
    lift: (cx, src) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) o[keys[i]] = cs[i].lift(cx, src);
      return o;
    },
    lower: (cx, v, out) => {
      const o = get(v);
      for (let i = 0; i < n; i++) cs[i].lower(cx, o[keys[i]], out);
    },
    load: (cx, p) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) o[keys[i]] = cs[i].load(cx, p + offsets[i]);
      return o;
    },
    store: (cx, v, p) => {
      const o = get(v);
      for (let i = 0; i < n; i++) cs[i].store(cx, o[keys[i]], p + offsets[i]);
    },
  };
}

/** How option and result values look in JS (variants use `{ tag, val }` as is). */
interface Shape {
  /** The case index of a JS value. */
  index(v: unknown): number;
  /** The payload of a JS value of case `i`. */
  payload(v: unknown, i: number): unknown;
  /** The JS value of case `i` with payload `val`. */
  make(i: number, val: unknown): unknown;
}

const OPTION: Shape = {
  index: (v) => v === undefined || v === null ? 0 : 1,
  payload: (v) => v,
  make: (i, val) => i === 0 ? undefined : val,
};

/** `option<option<T>>`: the outer option is `{ tag: "none" }` / `{ tag: "some", val }`. */
const NESTED_OPTION: Shape = {
  index: (v) => v === undefined || v === null || isTagged(v, "none", false) ? 0 : 1,
  payload: (v) => isTagged(v, "some") ? (v as { val: unknown }).val : v,
  make: (i, val) => i === 0 ? { tag: "none" } : { tag: "some", val },
};

const RESULT: Shape = {
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

function variantCodec(
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

function enumCodec(names: readonly string[], l: Layout): Codec {
  const byName = new Map(names.map((t, i) => [t, i]));
  const n = names.length;
  const size = l.size;
  const index = (v: unknown): number => {
    const i = typeof v === "string" ? byName.get(v) : undefined;
    if (i === undefined) {
      throw new TypeError(
        `${JSON.stringify(v)} is not one of the enum's values ${
          names.map((t) => JSON.stringify(t)).join(", ")
        }`,
      );
    }
    return i;
  };
  const name = (i: number): string => {
    if (i >= n) {
      throw new RuntimeError(`invalid variant discriminant: ${i >>> 0} for an enum of ${n} cases`);
    }
    return names[i];
  };
  return {
    ...l,
    lift: (cx, src) => name((src[cx.pos++] as number) >>> 0),
    lower: (_cx, v, out) => {
      out.push(index(v));
    },
    load: (cx, p) =>
      name(
        size === 1
          ? cx.mem.u8[p]
          : size === 2
          ? cx.mem.dv.getUint16(p, true)
          : cx.mem.dv.getUint32(p, true),
      ),
    store: (cx, v, p) => {
      const i = index(v);
      if (size === 1) cx.mem.u8[p] = i;
      else if (size === 2) cx.mem.dv.setUint16(p, i, true);
      else cx.mem.dv.setUint32(p, i, true);
    },
  };
}

function flagsCodec(names: readonly string[], l: Layout): Codec {
  const keys = names.map(camelCase);
  const words = l.flat.length;
  const size = l.size;
  const toObject = (bits: number[]): Record<string, boolean> => {
    const o: Record<string, boolean> = {};
    for (let i = 0; i < keys.length; i++) o[keys[i]] = ((bits[i >> 5] >>> (i & 31)) & 1) === 1;
    return o;
  };
  const toBits = (v: unknown): number[] => {
    if (v === null || typeof v !== "object") throw new TypeError("expected an object of flags");
    const o = v as Record<string, unknown>;
    const bits = new Array(words).fill(0);
    for (let i = 0; i < keys.length; i++) if (o[keys[i]]) bits[i >> 5] |= 1 << (i & 31);
    return bits;
  };
  return {
    ...l,
    lift: (cx, src) => {
      const bits = new Array(words);
      for (let w = 0; w < words; w++) bits[w] = src[cx.pos++] as number;
      return toObject(bits);
    },
    lower: (_cx, v, out) => {
      for (const b of toBits(v)) out.push(b);
    },
    load: (cx, p) => {
      const dv = cx.mem.dv;
      if (size === 1) return toObject([dv.getUint8(p)]);
      if (size === 2) return toObject([dv.getUint16(p, true)]);
      return toObject(Array.from({ length: words }, (_, w) => dv.getInt32(p + 4 * w, true)));
    },
    store: (cx, v, p) => {
      const bits = toBits(v);
      const dv = cx.mem.dv;
      if (size === 1) dv.setUint8(p, bits[0]);
      else if (size === 2) dv.setUint16(p, bits[0], true);
      else bits.forEach((b, w) => dv.setInt32(p + 4 * w, b, true));
    },
  };
}
