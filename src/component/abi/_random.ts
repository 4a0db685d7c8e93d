/**
 * Random value types and random JS values of them (jco's conventions), for
 * the ABI's round-trip tests and the differential test against jco. A
 * seeded generator keeps failures reproducible.
 *
 * @module
 */

import { camelCase } from "../js_names.ts";
import { primitive, type PrimitiveKind, type ValType } from "../types.ts";
import { TYPED_ARRAYS } from "./lists.ts";

/** A small seeded PRNG (mulberry32). */
export class Rng {
  private s: number;
  /** Creates a generator from `seed`. */
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** One of `xs`. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

/** Every primitive but `error-context` (an async value). */
const PRIMS = (Object.keys(primitive) as PrimitiveKind[]).filter((k) => k !== "error-context");

/** `n` distinct kebab-case labels (each word starts with a letter, as WIT requires). */
function labels(r: Rng, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `l${i}-${String.fromCharCode(97 + r.int(26))}${i}`);
}

/** A random value type of nesting depth at most `depth` (no resources). */
export function randomType(r: Rng, depth: number, maxFlags = 40): ValType {
  if (depth <= 0 || r.next() < 0.35) return primitive[r.pick(PRIMS)];
  const sub = () => randomType(r, depth - 1, maxFlags);
  switch (r.int(9)) {
    case 0:
      return { kind: "list", element: sub(), length: null };
    case 1:
      return {
        kind: "record",
        fields: labels(r, 1 + r.int(4)).map((name) => ({ name, type: sub() })),
      };
    case 2:
      return { kind: "tuple", types: Array.from({ length: 1 + r.int(4) }, sub) };
    case 3:
      return {
        kind: "variant",
        cases: labels(r, 1 + r.int(4)).map((name) => ({
          name,
          type: r.next() < 0.3 ? null : sub(),
        })),
      };
    case 4:
      return { kind: "enum", names: labels(r, 1 + r.int(5)) };
    case 5:
      return { kind: "option", type: sub() };
    case 6:
      return {
        kind: "result",
        ok: r.next() < 0.3 ? null : sub(),
        error: r.next() < 0.3 ? null : sub(),
      };
    case 7:
      return { kind: "flags", names: labels(r, 1 + r.int(maxFlags)) };
    default:
      return { kind: "list", element: primitive[r.pick(PRIMS)], length: null };
  }
}

const F32_SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1.5, -3.25e-40, 3.4028234663852886e38].map(
  Math.fround,
);
const F64_SPECIAL = [0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MAX_VALUE, 0.1];

function randomChar(r: Rng): string {
  switch (r.int(4)) {
    case 0:
      return String.fromCharCode(0x20 + r.int(0x5f));
    case 1:
      return String.fromCharCode(0x80 + r.int(0x80));
    case 2: {
      const c = r.int(0xfffe);
      return String.fromCharCode(c >= 0xd800 && c <= 0xdfff ? c - 0x1000 : c);
    }
    default:
      return String.fromCodePoint(0x10000 + r.int(0x100000));
  }
}

function randomString(r: Rng): string {
  const n = r.next() < 0.2 ? 0 : r.int(40);
  const mode = r.int(3); // ASCII only, latin1, anything
  let s = "";
  for (let i = 0; i < n; i++) {
    s += mode === 0
      ? String.fromCharCode(0x20 + r.int(0x5f))
      : mode === 1
      ? String.fromCharCode(0x20 + r.int(0xdf))
      : randomChar(r);
  }
  return s;
}

function randomBig(r: Rng, signed: boolean): bigint {
  const hi = BigInt(r.int(2 ** 32)), lo = BigInt(r.int(2 ** 32));
  const v = (hi << 32n) | lo;
  return signed ? BigInt.asIntN(64, v) : v;
}

/** A random JS value of type `t` (the shape a lifted value has). */
export function randomValue(r: Rng, t: ValType): unknown {
  switch (t.kind) {
    case "bool":
      return r.next() < 0.5;
    case "u8":
      return r.int(0x100);
    case "s8":
      return r.int(0x100) - 0x80;
    case "u16":
      return r.int(0x10000);
    case "s16":
      return r.int(0x10000) - 0x8000;
    case "u32":
      return r.int(2 ** 32);
    case "s32":
      return r.int(2 ** 32) - 2 ** 31;
    case "u64":
      return randomBig(r, false);
    case "s64":
      return randomBig(r, true);
    case "f32":
      return r.next() < 0.3 ? r.pick(F32_SPECIAL) : Math.fround((r.next() - 0.5) * 2 ** r.int(60));
    case "f64":
      return r.next() < 0.3 ? r.pick(F64_SPECIAL) : (r.next() - 0.5) * 2 ** r.int(200);
    case "char":
      return randomChar(r);
    case "string":
      return randomString(r);
    case "list": {
      const n = t.length ?? (r.next() < 0.2 ? 0 : r.int(6));
      const items = Array.from({ length: n }, () => randomValue(r, t.element));
      const T = t.length === null ? TYPED_ARRAYS[t.element.kind] : undefined;
      return T === undefined
        ? items
        : (T as unknown as { from(a: unknown[]): unknown }).from(items);
    }
    case "record": {
      const o: Record<string, unknown> = {};
      for (const f of t.fields) o[camelCase(f.name)] = randomValue(r, f.type);
      return o;
    }
    case "tuple":
      return t.types.map((u) => randomValue(r, u));
    case "variant": {
      const c = r.pick(t.cases);
      return c.type === null ? { tag: c.name } : { tag: c.name, val: randomValue(r, c.type) };
    }
    case "enum":
      return r.pick(t.names);
    case "option": {
      const none = r.next() < 0.3;
      if (t.type.kind === "option") {
        return none ? { tag: "none" } : { tag: "some", val: randomValue(r, t.type) };
      }
      return none ? undefined : randomValue(r, t.type);
    }
    case "result": {
      const ok = r.next() < 0.5;
      const u = ok ? t.ok : t.error;
      return { tag: ok ? "ok" : "err", val: u === null ? undefined : randomValue(r, u) };
    }
    case "flags": {
      const o: Record<string, boolean> = {};
      for (const n of t.names) o[camelCase(n)] = r.next() < 0.5;
      return o;
    }
    default:
      throw new TypeError(`no random values of ${t.kind}`);
  }
}
