/**
 * The WAST script parser: a spec test script → a list of commands. Modules
 * inside commands are not parsed here (a malformed module must be reported
 * by the `assert_malformed` that expects it); text modules keep their exact
 * source, `binary` and `quote` modules their concatenated strings.
 *
 * @module
 */
import { syntaxError } from "./errors.ts";
import { readSexprs, type SAtom, type SList, type SNode, stringBytes } from "./lexer.ts";
import { parseF32, parseF64, parseI32, parseI64, RangeProblem } from "./numbers.ts";
import { decodeSourceBytes, isValidUtf8, utf8ToString } from "./strings.ts";
import { isShape, LANE_COUNT, writeLane } from "./v128.ts";
import { parseWat } from "./parse_wat.ts";
import type {
  LanePattern,
  WastAction,
  WastCommand,
  WastModuleSource,
  WastResult,
  WastValue,
} from "./wast_types.ts";

export type * from "./wast_types.ts";

/**
 * Parses a WAST script. `filename` only decorates error messages. Throws a
 * `WatSyntaxError` when the script itself is malformed.
 */
export function parseWast(source: string, filename?: string): WastCommand[] {
  const p = new WastParser(source, filename);
  return p.commands(readSexprs(source));
}

/**
 * The binary of a script module: text and quote modules go through
 * `parseWat` (and may throw its `WatSyntaxError`), binary ones are returned
 * as they are.
 */
export function wastModuleBytes(m: WastModuleSource): Uint8Array {
  if (m.kind === "binary") return m.bytes;
  return parseWat(m.source);
}

const MODULE_FIELDS = new Set([
  "type",
  "import",
  "func",
  "table",
  "memory",
  "global",
  "export",
  "start",
  "elem",
  "data",
]);

class WastParser {
  readonly src: string;
  readonly file: string | undefined;
  // Incremental offset → line mapping (commands come in source order).
  private lineAt = 0;
  private line = 1;

  constructor(src: string, file: string | undefined) {
    this.src = src;
    this.file = file;
  }

  fail(node: SNode, reason: string): never {
    const e = syntaxError(this.src, node.start, reason);
    if (this.file !== undefined) e.message = `${this.file}:${e.line}:${e.column}: ${reason}`;
    throw e;
  }

  lineOf(offset: number): number {
    if (offset < this.lineAt) {
      this.lineAt = 0;
      this.line = 1;
    }
    const src = this.src;
    for (
      let i = src.indexOf("\n", this.lineAt);
      i !== -1 && i < offset;
      i = src.indexOf("\n", i + 1)
    ) {
      this.line++;
      this.lineAt = i + 1;
    }
    if (this.lineAt < offset && src.indexOf("\n", this.lineAt) === -1) this.lineAt = offset;
    return this.line;
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

  str(node: SNode | undefined, parent: SNode): string {
    if (node === undefined || node.kind !== "string") this.fail(node ?? parent, "unexpected token");
    const bytes = stringBytes(this.src, node);
    if (!isValidUtf8(bytes)) this.fail(node, "malformed UTF-8 encoding");
    return utf8ToString(bytes);
  }

  commands(nodes: SNode[]): WastCommand[] {
    const first = nodes[0];
    if (
      first?.kind === "list" &&
      MODULE_FIELDS.has(first.items[0]?.kind === "keyword" ? (first.items[0] as SAtom).text : "")
    ) {
      // A script may be one module written as bare fields.
      const source = this.src;
      return [{
        line: this.lineOf(first.start),
        type: "module",
        name: null,
        module: { kind: "text", source },
        definition: false,
      }];
    }
    const out: WastCommand[] = [];
    for (const n of nodes) out.push(this.command(this.list(n, n)));
    return out;
  }

  command(l: SList): WastCommand {
    const line = this.lineOf(l.start);
    const kw = this.head(l);
    const it = l.items;
    switch (kw) {
      case "module": {
        const second = it[1];
        if (second?.kind === "keyword" && second.text === "instance") {
          const ids = it.slice(2).map((n) => this.id(n));
          if (ids.length > 2) this.fail(it[4], "unexpected token");
          return {
            line,
            type: "module_instance",
            instance: ids[0] ?? null,
            module: ids[1] ?? null,
          };
        }
        const { name, module, definition } = this.module(l);
        return { line, type: "module", name, module, definition };
      }
      case "register": {
        const as = this.str(it[1], l);
        const module = it[2] === undefined ? null : this.id(it[2]);
        if (it.length > 3) this.fail(it[3], "unexpected token");
        return { line, type: "register", as, module };
      }
      case "invoke":
      case "get":
        return { line, type: "action", action: this.action(l) };
      case "assert_return": {
        const action = this.action(this.list(it[1], l));
        const expected = it.slice(2).map((n) => this.result(this.list(n, l)));
        return { line, type: "assert_return", action, expected };
      }
      case "assert_trap": {
        const target = this.list(it[1], l);
        const text = this.str(it[2], l);
        this.end(l, 3);
        if (this.head(target) === "module") {
          return { line, type: "assert_trap_module", module: this.module(target).module, text };
        }
        return { line, type: "assert_trap", action: this.action(target), text };
      }
      case "assert_exhaustion": {
        const action = this.action(this.list(it[1], l));
        const text = this.str(it[2], l);
        this.end(l, 3);
        return { line, type: "assert_exhaustion", action, text };
      }
      case "assert_invalid":
      case "assert_malformed":
      case "assert_unlinkable":
      case "assert_invalid_custom":
      case "assert_malformed_custom": {
        const target = this.list(it[1], l);
        if (this.head(target) !== "module") this.fail(target, "unexpected token");
        const module = this.module(target).module;
        const text = this.str(it[2], l);
        this.end(l, 3);
        return { line, type: kw, module, text };
      }
      case "assert_exception": {
        const action = this.action(this.list(it[1], l));
        this.end(l, 2);
        return { line, type: "assert_exception", action };
      }
      case "thread": {
        const name = this.id(it[1] ?? l);
        const shared: string[] = [];
        let i = 2;
        for (; i < it.length; i++) {
          const s = this.list(it[i], l);
          if (this.head(s) !== "shared") break;
          const m = this.list(s.items[1], s);
          if (this.head(m) !== "module" || m.items.length !== 2) this.fail(m, "unexpected token");
          shared.push(this.id(m.items[1]));
          this.end(s, 2);
        }
        const commands = it.slice(i).map((n) => this.command(this.list(n, l)));
        return { line, type: "thread", name, shared, commands };
      }
      case "wait": {
        const thread = this.id(it[1] ?? l);
        this.end(l, 2);
        return { line, type: "wait", thread };
      }
      default:
        this.fail(it[0], `unknown command "${kw}"`);
    }
  }

  end(l: SList, n: number): void {
    if (l.items.length > n) this.fail(l.items[n], "unexpected token");
  }

  id(n: SNode): string {
    if (n.kind !== "id") this.fail(n, "unexpected token");
    return n.text;
  }

  /** `(module definition? $id? …)`, `(module $id? binary "…"*)`, `(module $id? quote "…"*)`. */
  module(l: SList): { name: string | null; module: WastModuleSource; definition: boolean } {
    const it = l.items;
    let i = 1;
    let definition = false;
    if (it[i]?.kind === "keyword" && (it[i] as SAtom).text === "definition") {
      definition = true;
      i++;
    }
    let name: string | null = null;
    if (it[i]?.kind === "id") name = (it[i++] as SAtom).text;
    const form = it[i];
    if (form?.kind === "keyword" && (form.text === "binary" || form.text === "quote")) {
      const parts: Uint8Array[] = [];
      let size = 0;
      for (const n of it.slice(i + 1)) {
        if (n.kind !== "string") this.fail(n, "unexpected token");
        const b = stringBytes(this.src, n);
        parts.push(b);
        size += b.length;
      }
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const b of parts) {
        bytes.set(b, at);
        at += b.length;
      }
      if (form.text === "binary") return { name, module: { kind: "binary", bytes }, definition };
      return { name, module: { kind: "quote", source: decodeSourceBytes(bytes) }, definition };
    }
    return { name, module: { kind: "text", source: this.src.slice(l.start, l.end) }, definition };
  }

  action(l: SList): WastAction {
    const kw = this.head(l);
    const it = l.items;
    let i = 1;
    let module: string | null = null;
    if (it[i]?.kind === "id") module = (it[i++] as SAtom).text;
    const field = this.str(it[i++], l);
    if (kw === "invoke") {
      const args = it.slice(i).map((n) => this.value(this.list(n, l)));
      return { type: "invoke", module, field, args };
    }
    if (kw === "get") {
      this.end(l, i);
      return { type: "get", module, field };
    }
    this.fail(it[0], "unexpected token");
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
      if (n === undefined || n.kind === "list" || n.kind === "string" || n.kind === "id") {
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
