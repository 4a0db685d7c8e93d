/**
 * Component values of WAST scripts ↔ the JS values component functions
 * take and give (jco's conventions, which Gannet's canonical ABI uses):
 * script arguments are converted by the parameter types, and results are
 * compared with the expected script values by the result type.
 *
 * @module
 */
import type { ComponentValue, WastValue } from "../text/wast_types.ts";
import type { ValType } from "../component/types.ts";
import { camelCase } from "../component/js_names.ts";

/** A script value or type the runner does not support. */
export class UnsupportedValue extends Error {}

const f32 = new Float32Array(1);
const f32Bits = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigInt64Array(f64.buffer);

/** A top-level script argument as a component value (core float constants are component floats). */
export function scriptValue(v: WastValue): ComponentValue {
  if (v.type === "component") return v.value;
  if (v.type === "f32" || v.type === "f64") return v;
  throw new UnsupportedValue(`${v.type} is not a component value`);
}

/** The JS value for script value `v` of type `t`. */
export function toJs(v: ComponentValue, t: ValType): unknown {
  const fail = (): never => {
    throw new TypeError(`a ${v.type} value for a parameter of type ${t.kind}`);
  };
  switch (t.kind) {
    case "bool":
      return v.type === "bool" ? v.value : fail();
    case "s8":
    case "u8":
    case "s16":
    case "u16":
    case "s32":
    case "u32":
      return v.type === t.kind ? v.value : fail();
    case "s64":
    case "u64":
      return v.type === t.kind ? v.value : fail();
    case "f32":
      if (v.type !== "f32" || !("bits" in v)) return fail();
      f32Bits[0] = v.bits;
      return f32[0];
    case "f64":
      if (v.type !== "f64" || !("bits" in v)) return fail();
      f64Bits[0] = BigInt.asIntN(64, v.bits);
      return f64[0];
    case "char":
    case "string":
      return v.type === (t.kind === "char" ? "char" : "string")
        ? (v as { value: string }).value
        : fail();
    case "list":
      return v.type === "list" ? v.values.map((x) => toJs(x, t.element)) : fail();
    case "tuple":
      if (v.type !== "tuple" || v.values.length !== t.types.length) return fail();
      return v.values.map((x, i) => toJs(x, t.types[i]));
    case "record": {
      if (v.type !== "record") return fail();
      const out: Record<string, unknown> = {};
      for (const f of t.fields) {
        const given = v.fields.find((x) => x.name === f.name);
        if (given === undefined) throw new TypeError(`record field "${f.name}" missing`);
        out[camelCase(f.name)] = toJs(given.value, f.type);
      }
      return out;
    }
    case "variant": {
      if (v.type !== "variant") return fail();
      const c = t.cases.find((x) => x.name === v.case);
      if (c === undefined) throw new TypeError(`no variant case "${v.case}"`);
      if (c.type === null || v.value === null) return { tag: c.name };
      return { tag: c.name, val: toJs(v.value, c.type) };
    }
    case "enum":
      return v.type === "enum" ? v.case : fail();
    case "option": {
      if (v.type !== "option") return fail();
      const nested = t.type.kind === "option";
      if (v.value === null) return nested ? { tag: "none" } : undefined;
      const val = toJs(v.value, t.type);
      return nested ? { tag: "some", val } : val;
    }
    case "result": {
      if (v.type !== "result") return fail();
      const pt = v.ok ? t.ok : t.error;
      return {
        tag: v.ok ? "ok" : "err",
        val: v.value === null || pt === null ? undefined : toJs(v.value, pt),
      };
    }
    case "flags": {
      if (v.type !== "flags") return fail();
      const out: Record<string, boolean> = {};
      for (const n of t.names) out[camelCase(n)] = v.names.includes(n);
      return out;
    }
    default:
      throw new UnsupportedValue(`script values of type ${t.kind} are not supported`);
  }
}

function floatMatches(got: unknown, e: ComponentValue, width: 32 | 64): boolean {
  if (typeof got !== "number") return false;
  if ("nan" in e) return Number.isNaN(got);
  if (width === 32) {
    if (e.type !== "f32") return false;
    f32[0] = got;
    f32Bits[0] = e.bits;
    const want = f32[0];
    return Number.isNaN(want) ? Number.isNaN(got) : Object.is(Math.fround(got), want);
  }
  if (e.type !== "f64") return false;
  f64Bits[0] = BigInt.asIntN(64, e.bits);
  const want = f64[0];
  return Number.isNaN(want) ? Number.isNaN(got) : Object.is(got, want);
}

/** Whether the JS value `got` of type `t` is the expected script value `e`. */
export function matchesJs(got: unknown, e: ComponentValue, t: ValType): boolean {
  switch (t.kind) {
    case "bool":
      return e.type === "bool" && got === e.value;
    case "s8":
    case "u8":
    case "s16":
    case "u16":
    case "s32":
    case "u32":
    case "s64":
    case "u64":
      return e.type === t.kind && got === e.value;
    case "f32":
      return floatMatches(got, e, 32);
    case "f64":
      return floatMatches(got, e, 64);
    case "char":
      return e.type === "char" && got === e.value;
    case "string":
      return e.type === "string" && got === e.value;
    case "list":
    case "tuple": {
      if (e.type !== t.kind || got === null || typeof got !== "object" || !("length" in got)) {
        return false;
      }
      const a = Array.from(got as ArrayLike<unknown>);
      if (a.length !== e.values.length) return false;
      return a.every((x, i) =>
        matchesJs(x, e.values[i], t.kind === "list" ? t.element : t.types[i])
      );
    }
    case "record": {
      if (e.type !== "record" || got === null || typeof got !== "object") return false;
      const o = got as Record<string, unknown>;
      return e.fields.length === t.fields.length && t.fields.every((f) => {
        const want = e.fields.find((x) => x.name === f.name);
        return want !== undefined && matchesJs(o[camelCase(f.name)], want.value, f.type);
      });
    }
    case "variant": {
      if (e.type !== "variant" || got === null || typeof got !== "object") return false;
      const g = got as { tag?: unknown; val?: unknown };
      if (g.tag !== e.case) return false;
      const c = t.cases.find((x) => x.name === e.case);
      if (c === undefined) return false;
      if (c.type === null || e.value === null) return c.type === null && e.value === null;
      return matchesJs(g.val, e.value, c.type);
    }
    case "enum":
      return e.type === "enum" && got === e.case;
    case "option": {
      if (e.type !== "option") return false;
      if (t.type.kind === "option") {
        const g = got as { tag?: unknown; val?: unknown } | null;
        if (e.value === null) return g !== null && typeof g === "object" && g.tag === "none";
        return g !== null && typeof g === "object" && g.tag === "some" &&
          matchesJs(g.val, e.value, t.type);
      }
      if (e.value === null) return got === undefined || got === null;
      return got !== undefined && matchesJs(got, e.value, t.type);
    }
    case "result": {
      if (e.type !== "result" || got === null || typeof got !== "object") return false;
      const g = got as { tag?: unknown; val?: unknown };
      if (g.tag !== (e.ok ? "ok" : "err")) return false;
      const pt = e.ok ? t.ok : t.error;
      if (pt === null || e.value === null) return pt === null && e.value === null;
      return matchesJs(g.val, e.value, pt);
    }
    case "flags": {
      if (e.type !== "flags" || got === null || typeof got !== "object") return false;
      const o = got as Record<string, unknown>;
      return t.names.every((n) => Boolean(o[camelCase(n)]) === e.names.includes(n));
    }
    default:
      throw new UnsupportedValue(`script values of type ${t.kind} are not supported`);
  }
}

/** A JS result for messages. */
export function showJs(v: unknown): string {
  if (v === undefined) return "none";
  return JSON.stringify(v, (_, x) => {
    if (typeof x === "bigint") return `${x}n`;
    if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
    return x;
  }) ?? String(v);
}

/** A script value for messages. */
export function showValue(v: ComponentValue): string {
  return JSON.stringify(v, (_, x) => typeof x === "bigint" ? `${x}n` : x);
}
