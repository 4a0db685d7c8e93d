/**
 * Component-level values of WAST scripts (`(u32.const 1)`, `(str.const
 * "…")`, `(list.const …)`, `(record.const (field "a" u32.const 1))`,
 * `(variant.const "c" (…))`, `(option.some (…))`, `(result.ok)`,
 * `(flags.const "a" "b")`, …), as wasm-tools' script parser reads them.
 *
 * @module
 */
import { isLiteralAtom, type SList, type SNode, stringBytes } from "./lexer.ts";
import { parseF32, parseF64, parseIntParts, RangeProblem } from "./numbers.ts";
import { isValidUtf8, utf8ToString } from "./strings.ts";
import type { ComponentValue } from "./wast_types.ts";

/** What the value parser needs from the script parser. */
export interface ValueHost {
  readonly src: string;
  fail(node: SNode, reason: string): never;
}

const INT_RANGES: Readonly<Record<string, [bigint, bigint]>> = {
  "u8": [0n, 0xffn],
  "s8": [-0x80n, 0x7fn],
  "u16": [0n, 0xffffn],
  "s16": [-0x8000n, 0x7fffn],
  "u32": [0n, 0xffffffffn],
  "s32": [-0x80000000n, 0x7fffffffn],
  "u64": [0n, 0xffffffffffffffffn],
  "s64": [-0x8000000000000000n, 0x7fffffffffffffffn],
};

/** The keywords that start a component value. */
export const COMPONENT_VALUE_KEYWORDS: ReadonlySet<string> = new Set([
  "bool.const",
  ...Object.keys(INT_RANGES).map((t) => `${t}.const`),
  "char.const",
  "str.const",
  "list.const",
  "record.const",
  "tuple.const",
  "variant.const",
  "enum.const",
  "option.none",
  "option.some",
  "result.ok",
  "result.err",
  "flags.const",
]);

/** A component value from `items[i…]` (keyword then operands, to the end of `parent`). */
export function componentValue(
  p: ValueHost,
  items: SNode[],
  i: number,
  parent: SList,
): ComponentValue {
  const head = items[i];
  if (head === undefined || head.kind !== "keyword") p.fail(head ?? parent, "unexpected token");
  const kw = head.text;
  const rest = items.slice(i + 1);
  const str = (n: SNode | undefined): string => {
    if (n === undefined || n.kind !== "string") p.fail(n ?? parent, "unexpected token");
    const b = stringBytes(p.src, n);
    if (!isValidUtf8(b)) p.fail(n, "malformed UTF-8 encoding");
    return utf8ToString(b);
  };
  const only = (n: number) => {
    if (rest.length > n) p.fail(rest[n], "unexpected token");
    if (rest.length < n) p.fail(parent, "unexpected token");
  };
  const nested = (n: SNode | undefined): ComponentValue => {
    if (n === undefined || n.kind !== "list") p.fail(n ?? parent, "unexpected token");
    return componentValue(p, n.items, 0, n);
  };
  const optNested = (): ComponentValue | null => {
    if (rest.length === 0) return null;
    only(1);
    return nested(rest[0]);
  };
  switch (kw) {
    case "bool.const": {
      only(1);
      const t = rest[0];
      if (t.kind === "keyword" && (t.text === "true" || t.text === "false")) {
        return { type: "bool", value: t.text === "true" };
      }
      p.fail(t, "unexpected token");
      break;
    }
    case "char.const": {
      only(1);
      const s = str(rest[0]);
      const chars = [...s];
      if (chars.length === 0) p.fail(rest[0], "empty string");
      if (chars.length > 1) p.fail(rest[0], "more than one character");
      return { type: "char", value: s };
    }
    case "str.const":
      only(1);
      return { type: "string", value: str(rest[0]) };
    case "f32.const":
    case "f64.const": {
      only(1);
      const t = rest[0];
      if (!isLiteralAtom(t)) p.fail(t, "unexpected token");
      try {
        if (kw === "f32.const") {
          const bits = parseF32(t.text);
          if (bits === null) p.fail(t, "unknown operator");
          return { type: "f32", bits };
        }
        const bits = parseF64(t.text);
        if (bits === null) p.fail(t, "unknown operator");
        return { type: "f64", bits };
      } catch (e) {
        if (e instanceof RangeProblem) p.fail(t, e.message);
        throw e;
      }
    }
    case "list.const":
    case "tuple.const":
      return { type: kw === "list.const" ? "list" : "tuple", values: rest.map(nested) };
    case "record.const":
      return {
        type: "record",
        fields: rest.map((f) => {
          if (f.kind !== "list" || f.items[0]?.kind !== "keyword" || f.items[0].text !== "field") {
            p.fail(f, "unexpected token");
          }
          return { name: str(f.items[1]), value: componentValue(p, f.items, 2, f) };
        }),
      };
    case "variant.const": {
      if (rest.length === 0) p.fail(parent, "unexpected token");
      const name = str(rest[0]);
      if (rest.length > 2) p.fail(rest[2], "unexpected token");
      return { type: "variant", case: name, value: rest.length === 2 ? nested(rest[1]) : null };
    }
    case "enum.const":
      only(1);
      return { type: "enum", case: str(rest[0]) };
    case "option.none":
      only(0);
      return { type: "option", value: null };
    case "option.some":
      only(1);
      return { type: "option", value: nested(rest[0]) };
    case "result.ok":
    case "result.err":
      return { type: "result", ok: kw === "result.ok", value: optNested() };
    case "flags.const":
      return { type: "flags", names: rest.map(str) };
  }
  const t = kw.slice(0, kw.indexOf("."));
  const range = INT_RANGES[t];
  if (range === undefined || kw !== `${t}.const`) p.fail(head, "unexpected token");
  only(1);
  const n = rest[0];
  if (!isLiteralAtom(n)) p.fail(n, "unexpected token");
  const parts = parseIntParts(n.text);
  if (parts === null) p.fail(n, "unknown operator");
  const v = parts.neg ? -parts.mag : parts.mag;
  if (v < range[0] || v > range[1]) p.fail(n, "constant out of range");
  if (t === "u64" || t === "s64") return { type: t, value: v };
  return { type: t as "u8", value: Number(v) };
}
