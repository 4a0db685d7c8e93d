/**
 * Constants and result patterns of WAST scripts (`(i32.const 1)`,
 * `(f32.const nan:canonical)`, `(v128.const f32x4 …)`, `(ref.null func)`,
 * `(either …)`), and the small helpers the script parser shares.
 *
 * @module
 */
import { syntaxError } from "./errors.ts";
import { isLiteralAtom, type SAtom, type SList, type SNode } from "./lexer.ts";
import { parseF32, parseF64, parseI32, parseI64, RangeProblem } from "./numbers.ts";
import { isShape, LANE_COUNT, writeLane } from "./v128.ts";
import type { LanePattern, WastResult, WastValue } from "./wast_types.ts";
import { COMPONENT_VALUE_KEYWORDS, componentValue } from "./wast_component_values.ts";

/** Parses WAST values; the script parser extends it. */
export class WastValueParser {
  readonly src: string;
  readonly file: string | undefined;

  constructor(src: string, file: string | undefined) {
    this.src = src;
    this.file = file;
  }

  fail(node: SNode, reason: string): never {
    const e = syntaxError(this.src, node.start, reason);
    if (this.file !== undefined) e.message = `${this.file}:${e.line}:${e.column}: ${reason}`;
    throw e;
  }

  list(node: SNode | undefined, parent: SNode): SList {
    if (node === undefined) this.fail(parent, "unexpected end of command");
    if (node.kind !== "list") this.fail(node, "unexpected token");
    return node;
  }

  head(l: SList): string {
    const h = l.items[0];
    if (h === undefined || h.kind !== "keyword") this.fail(h ?? l, "unexpected token");
    return h.text;
  }

  end(l: SList, n: number): void {
    if (l.items.length > n) this.fail(l.items[n], "unexpected token");
  }

  /** A constant: `(i32.const 1)`, `(v128.const i32x4 …)`, `(ref.null func)`, `(ref.extern 1)`. */
  value(l: SList): WastValue {
    const r = this.result(l);
    if ("nan" in r || (r.type === "v128" && !("bytes" in r)) || r.type === "either") {
      this.fail(l, "unexpected token");
    }
    if (
      r.type === "ref.func" ||
      (r.type === "ref.extern" && !("value" in r)) || (r.type === "ref.null" && r.ref === null)
    ) {
      this.fail(l, "unexpected token");
    }
    return r as WastValue;
  }

  result(l: SList): WastResult {
    const kw = this.head(l);
    const it = l.items;
    const arg = (k: number): SAtom => {
      const n = it[k];
      if (!isLiteralAtom(n)) {
        this.fail(n ?? l, "unexpected token");
      }
      return n;
    };
    const num = <T>(k: number, f: (t: string) => T | null): T => {
      const a = arg(k);
      this.end(l, k + 1);
      try {
        const v = f(a.text);
        if (v === null) this.fail(a, "unknown operator");
        return v;
      } catch (e) {
        if (e instanceof RangeProblem) this.fail(a, e.message);
        throw e;
      }
    };
    switch (kw) {
      case "i32.const":
        return { type: "i32", value: num(1, parseI32) };
      case "i64.const":
        return { type: "i64", value: num(1, parseI64) };
      case "f32.const":
      case "f64.const": {
        const type = kw === "f32.const" ? "f32" : "f64";
        const t = arg(1).text;
        if (t === "nan:canonical" || t === "nan:arithmetic") {
          this.end(l, 2);
          return { type, nan: t === "nan:canonical" ? "canonical" : "arithmetic" };
        }
        if (type === "f32") return { type, bits: num(1, parseF32) };
        return { type, bits: num(1, parseF64) };
      }
      case "v128.const":
        return this.v128(l);
      case "ref.null": {
        if (it.length === 1) return { type: "ref.null", ref: null };
        const t = arg(1).text;
        this.end(l, 2);
        if (t === "func" || t === "extern") return { type: "ref.null", ref: t };
        return { type: "ref.other", name: t, null: true };
      }
      case "ref.extern":
        if (it.length === 1) return { type: "ref.extern" };
        return { type: "ref.extern", value: Number(num(1, parseI32)) >>> 0 };
      case "ref.func":
        this.end(l, 1);
        return { type: "ref.func" };
      case "either":
        return { type: "either", options: it.slice(1).map((n) => this.result(this.list(n, l))) };
      default:
        if (COMPONENT_VALUE_KEYWORDS.has(kw)) {
          return { type: "component", value: componentValue(this, it, 0, l) };
        }
        if (kw.startsWith("ref.")) {
          const name = kw.slice(4);
          const v = it[1];
          if (v !== undefined && v.kind === "num") {
            return { type: "ref.other", name, null: false, value: Number(num(1, parseI32)) >>> 0 };
          }
          return { type: "ref.other", name, null: false };
        }
        this.fail(it[0], "unexpected token");
    }
  }

  v128(l: SList): WastResult {
    const it = l.items;
    const shapeNode = it[1];
    if (shapeNode === undefined || shapeNode.kind !== "keyword" || !isShape(shapeNode.text)) {
      this.fail(shapeNode ?? l, "unexpected token");
    }
    const shape = shapeNode.text;
    const count = LANE_COUNT[shape];
    const lanes = it.slice(2);
    if (lanes.length !== count) this.fail(l, "wrong number of lane literals");
    const bytes = new Uint8Array(16);
    const isNan = (n: SNode) =>
      n.kind === "keyword" && (n.text === "nan:canonical" || n.text === "nan:arithmetic");
    const hasNan = lanes.some(isNan);
    const patterns: LanePattern[] = [];
    const single = new Uint8Array(16);
    lanes.forEach((n, k) => {
      if (n.kind !== "num" && n.kind !== "keyword") this.fail(n, "unexpected token");
      if (isNan(n)) {
        if (shape !== "f32x4" && shape !== "f64x2") this.fail(n, "unexpected token");
        patterns.push({
          type: shape === "f32x4" ? "f32" : "f64",
          nan: n.text === "nan:canonical" ? "canonical" : "arithmetic",
        });
        return;
      }
      try {
        if (!writeLane(bytes, shape, k, n.text)) this.fail(n, "unknown operator");
        if (hasNan) {
          single.fill(0);
          writeLane(single, shape, 0, n.text);
          patterns.push(lanePattern(shape, single));
        }
      } catch (e) {
        if (e instanceof RangeProblem) this.fail(n, e.message);
        throw e;
      }
    });
    if (hasNan) return { type: "v128", shape, lanes: patterns };
    return { type: "v128", bytes };
  }
}

function lanePattern(shape: string, b: Uint8Array): WastValue {
  const v = new DataView(b.buffer);
  switch (shape) {
    case "f32x4":
      return { type: "f32", bits: v.getUint32(0, true) };
    case "f64x2":
      return { type: "f64", bits: v.getBigUint64(0, true) };
    case "i64x2":
      return { type: "i64", value: v.getBigInt64(0, true) };
    case "i32x4":
      return { type: "i32", value: v.getInt32(0, true) };
    case "i16x8":
      return { type: "i32", value: v.getInt16(0, true) };
    default:
      return { type: "i32", value: v.getInt8(0) };
  }
}
