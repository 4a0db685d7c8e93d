/**
 * Codecs of the compound value types, with jco's JS conventions: records
 * and flags as objects with camelCase keys, tuples as arrays, enums as
 * their label strings, and numeric lists as typed arrays (variants,
 * options and results: `codec_variant.ts`).
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import { camelCase } from "../js_names.ts";
import type { ValType } from "../types.ts";
import type { Codec } from "./codec.ts";
import { type Layout, tupleLayout } from "./layout.ts";
import { liftList, lowerList } from "./lists.ts";
import { type CodecOf, NESTED_OPTION, OPTION, RESULT, variantCodec } from "./codec_variant.ts";

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
