/**
 * A component's world in WIT, as `wasm-tools component wit` (and
 * jco-transpile's `componentWit`) prints it: the imports and exports in
 * order — named interfaces by name, inline interfaces with their types and
 * functions, world-level functions, resources with their constructors,
 * methods and static functions, and `use` of an imported interface's type.
 *
 * @module
 */

import type { Component } from "./component.ts";
import {
  type ExternDecl,
  type ExternType,
  type FuncType,
  type InstanceType,
  type ResourceType,
  type ValType,
  witTypeName,
} from "./types.ts";

type Named = ValType | ResourceType;

/** Names of types in one scope (a world, or an inline interface), by identity and by shape. */
class Names {
  private readonly byObject = new Map<Named, string>();
  private readonly byShape = new Map<string, string>();
  constructor(private readonly outer: Names | null = null) {}

  set(t: Named, name: string): void {
    if (!this.byObject.has(t)) this.byObject.set(t, name);
    if (t.kind !== "resource") {
      const shape = witTypeName(t);
      if (!this.byShape.has(shape)) this.byShape.set(shape, name);
    }
  }

  get(t: Named): string | undefined {
    const n = this.byObject.get(t) ?? this.outer?.byObject.get(t);
    if (n !== undefined || t.kind === "resource" || !NAMED_KINDS.has(t.kind)) return n;
    const shape = witTypeName(t);
    return this.byShape.get(shape) ?? this.outer?.byShape.get(shape);
  }

  /** The WIT spelling of `t` with these names. */
  spell(t: Named): string {
    return witTypeName(t, (u) => this.get(u));
  }
}

/** Kinds that WIT only has as named definitions. */
const NAMED_KINDS = new Set(["record", "variant", "enum", "flags", "resource"]);

const RESOURCE_FUNC = /^\[(constructor|method|static)\]([^.]*)(?:\.(.*))?$/;

function params(f: FuncType, names: Names, skipSelf: boolean): string {
  return (skipSelf ? f.params.slice(1) : f.params)
    .map((p) => `${p.name}: ${names.spell(p.type)}`).join(", ");
}

function signature(f: FuncType, names: Names, kind = ""): string {
  const result = f.result === null ? "" : ` -> ${names.spell(f.result)}`;
  const prefix = `${f.async ? "async " : ""}${kind}`;
  return `${prefix}func(${params(f, names, kind === "method")})${result}`;
}

/** A resource's body: its constructor, methods and static functions among `funcs`. */
function resourceBody(
  name: string,
  funcs: readonly ExternDecl[],
  names: Names,
  indent: string,
): string {
  const lines: string[] = [];
  for (const d of funcs) {
    const m = RESOURCE_FUNC.exec(d.name);
    if (m === null || m[2] !== name || d.type.kind !== "func") continue;
    const f = d.type;
    if (m[1] === "constructor") {
      const result = f.result !== null && f.result.kind === "result"
        ? ` -> result<_, ${f.result.error === null ? "_" : names.spell(f.result.error)}>`
        : "";
      lines.push(`${indent}  constructor(${params(f, names, false)})${result};`);
    } else {
      const kind = m[1] === "static" ? "static " : "method";
      const sig = signature(f, names, kind).replace(/^(async )?method/, "$1");
      lines.push(`${indent}  ${m[3]}: ${sig};`);
    }
  }
  return lines.length === 0
    ? `${indent}resource ${name};`
    : `${indent}resource ${name} {\n${lines.join("\n")}\n${indent}}`;
}

/** A type definition `name = t` (record, variant, enum, flags, or an alias). */
function typeDef(name: string, t: ValType, names: Names, indent: string): string {
  const block = (kind: string, items: string[]) =>
    `${indent}${kind} ${name} {\n${items.map((i) => `${indent}  ${i},\n`).join("")}${indent}}`;
  switch (t.kind) {
    case "record":
      return block("record", t.fields.map((f) => `${f.name}: ${names.spell(f.type)}`));
    case "variant":
      return block(
        "variant",
        t.cases.map((c) => c.type === null ? c.name : `${c.name}(${names.spell(c.type)})`),
      );
    case "enum":
      return block("enum", [...t.names]);
    case "flags":
      return block("flags", [...t.names]);
    default:
      return `${indent}type ${name} = ${names.spell(t)};`;
  }
}

/** An inline interface's items: its types, then its functions. */
function interfaceBody(inst: InstanceType, outer: Names, indent: string): string {
  const names = new Names(outer);
  for (const e of inst.exports) {
    if (e.type.kind === "resource") names.set(e.type, e.name);
    else if (e.type.kind === "eq") names.set(e.type.type, e.name);
  }
  const items: string[] = [];
  for (const e of inst.exports) {
    if (e.type.kind === "resource") items.push(resourceBody(e.name, inst.exports, names, indent));
    else if (e.type.kind === "eq") {
      const t = e.type.type;
      if (t.kind === "resource") {
        items.push(`${indent}type ${e.name} = ${names.spell(t)};`);
      } else {
        const own = new Names(names);
        items.push(typeDef(e.name, t, own, indent));
      }
    }
  }
  for (const e of inst.exports) {
    if (e.type.kind === "func" && !RESOURCE_FUNC.test(e.name)) {
      items.push(`${indent}${e.name}: ${signature(e.type, names)};`);
    }
  }
  return items.join("\n\n");
}

/** Where each type exported by a named (package) interface import comes from. */
type Origins = Map<Named, { iface: string; name: string }>;

function block(
  dir: "import" | "export",
  decls: readonly ExternDecl[],
  names: Names,
  origins: Origins,
): string[] {
  const lines: string[] = [];
  for (const d of decls) {
    const t: ExternType = d.type;
    switch (t.kind) {
      case "instance":
        if (d.name.includes(":")) {
          lines.push(`  ${dir} ${d.name};`);
          if (dir === "import") {
            for (const e of t.exports) {
              const u = e.type.kind === "resource"
                ? e.type
                : e.type.kind === "eq"
                ? e.type.type
                : null;
              if (u !== null && !origins.has(u)) origins.set(u, { iface: d.name, name: e.name });
            }
          }
        } else {
          lines.push(`  ${dir} ${d.name}: interface {`);
          const body = interfaceBody(t, names, "    ");
          if (body !== "") lines.push(body);
          lines.push("  }");
        }
        break;
      case "func":
        if (!RESOURCE_FUNC.test(d.name)) lines.push(`  ${dir} ${d.name}: ${signature(t, names)};`);
        break;
      case "resource":
      case "eq": {
        const u: Named = t.kind === "resource" ? t : t.type;
        const from = origins.get(u);
        names.set(u, d.name);
        if (from !== undefined) {
          const item = from.name === d.name ? d.name : `${from.name} as ${d.name}`;
          lines.push(`  use ${from.iface}.{${item}};`);
        } else {
          // wasm-tools sets a world-level type definition off from what precedes it.
          if (lines.length > 0) lines.push("");
          lines.push(
            u.kind === "resource"
              ? resourceBody(d.name, decls, names, "  ")
              : typeDef(d.name, u, new Names(names), "  "),
          );
        }
        break;
      }
    }
  }
  return lines;
}

/**
 * The WIT world of `c`, as `wasm-tools component wit` prints it.
 *
 * @example
 * ```ts
 * import { Component } from "./component.ts";
 * import { printWorld } from "./wit.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = await Deno.readFile("../shared/components/no-wasi/asmjs_bigint.component.wasm")
 *   .catch(() => null);
 * if (bytes !== null) {
 *   assert.equal(
 *     printWorld(new Component(bytes)),
 *     "package root:component;\n\nworld root {\n  export add: func(x: s64, y: s64) -> s64;\n}\n",
 *   );
 * }
 * ```
 */
export function printWorld(c: Component): string {
  const names = new Names();
  const origins: Origins = new Map();
  const imports = block("import", c.imports, names, origins);
  const exports = block("export", c.exports, names, origins);
  const body = [...imports, ...(imports.length > 0 && exports.length > 0 ? [""] : []), ...exports];
  return `package root:component;\n\nworld root {\n${body.map((l) => `${l}\n`).join("")}}\n`;
}
