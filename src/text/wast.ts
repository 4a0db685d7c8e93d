/**
 * The WAST script parser: a spec test script → a list of commands. Modules
 * inside commands are not parsed here (a malformed module must be reported
 * by the `assert_malformed` that expects it); text modules keep their exact
 * source, `binary` and `quote` modules their concatenated strings.
 *
 * @module
 */
import { readSexprs, type SAtom, type SList, type SNode, stringBytes } from "./lexer.ts";
import { decodeSourceBytes, isValidUtf8, utf8ToString } from "./strings.ts";
import { parseWat, type ParseWatOptions } from "./parse_wat.ts";
import { parseComponentWat } from "./component/parse_component.ts";
import { WastValueParser } from "./wast_values.ts";
import { WatSyntaxError } from "./errors.ts";
import type { WastAction, WastCommand, WastModuleSource } from "./wast_types.ts";

export type * from "./wast_types.ts";

/**
 * Parses a WAST script. Throws a `WatSyntaxError` when the script itself is
 * malformed; with a `filename`, its message reads `file:line:column: what`.
 */
export function parseWast(source: string, filename?: string): WastCommand[] {
  const p = new WastParser(source, filename);
  let nodes: SNode[];
  try {
    nodes = readSexprs(source);
  } catch (e) {
    if (e instanceof WatSyntaxError && filename !== undefined) {
      e.message = `${filename}:${e.line}:${e.column}: ${e.reason}`;
    }
    throw e;
  }
  try {
    return p.commands(nodes);
  } catch (e) {
    // Only `either` and `thread` nest; absurd depth is malformed input, not a crash.
    if (e instanceof RangeError) p.fail(nodes[0], "nesting too deep");
    throw e;
  }
}

/**
 * The binary of a script module: text and quote modules go through
 * `parseWat` (components through `parseComponentWat`; both may throw
 * `WatSyntaxError`), binary ones are returned
 * as they are. `options` go to `parseWat`: pass `{ features }` with
 * memory64 off to get wasm 2.0's malformed-text rules (u32 memarg offsets,
 * limits and alignments), as the core/ scripts expect.
 */
export function wastModuleBytes(m: WastModuleSource, options?: ParseWatOptions): Uint8Array {
  if (m.kind === "binary") return m.bytes;
  if (m.component === true) return parseComponentWat(m.source, options);
  return parseWat(m.source, options);
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

class WastParser extends WastValueParser {
  // Incremental offset → line mapping (commands come in source order).
  private lineAt = 0;
  private line = 1;

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
      case "module":
      case "component": {
        const second = it[1];
        if (second?.kind === "keyword" && second.text === "instance") {
          const ids = it.slice(2).map((n) => this.id(n));
          if (ids.length > 2) this.fail(it[4], "unexpected token");
          return {
            line,
            type: "module_instance",
            instance: ids[0] ?? null,
            module: ids[1] ?? null,
            ...(kw === "component" ? { component: true } : {}),
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
        if (this.head(target) === "module" || this.head(target) === "component") {
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
        const head = this.head(target);
        if (head !== "module" && head !== "component") this.fail(target, "unexpected token");
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

  id(n: SNode): string {
    if (n.kind !== "id") this.fail(n, "unexpected token");
    return n.text;
  }

  /**
   * `(module definition? $id? …)`, `(module $id? binary "…"*)`, `(module
   * $id? quote "…"*)`, and the same forms of `(component …)`.
   */
  module(l: SList): { name: string | null; module: WastModuleSource; definition: boolean } {
    const it = l.items;
    const layer = this.head(l) === "component" ? { component: true } : {};
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
      if (form.text === "binary") {
        return { name, module: { kind: "binary", bytes, ...layer }, definition };
      }
      return {
        name,
        module: { kind: "quote", source: decodeSourceBytes(bytes), ...layer },
        definition,
      };
    }
    return {
      name,
      module: { kind: "text", source: this.src.slice(l.start, l.end), ...layer },
      definition,
    };
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
}
