/**
 * Pass 1 over a module's fields: explicit type definitions, and the
 * identifiers and sizes of every index space, so that pass 2 can resolve
 * references to things defined later in the text. Also enforces that
 * imports come before definitions.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "./lexer.ts";
import type { Ctx, Space } from "./_context.ts";
import { parseTypeDefs } from "./type_defs.ts";

const KIND_NAMES: Readonly<Record<string, string>> = {
  func: "function",
  table: "table",
  memory: "memory",
  global: "global",
  tag: "tag",
};

/** Runs pass 1 over `fields`. */
export function scanFields(ctx: Ctx, fields: SNode[]): void {
  for (const f of fields) {
    if (f.kind !== "list") {
      ctx.fail(f, f.kind === "reserved" ? "unknown operator" : "unexpected token");
    }
  }
  parseTypeDefs(ctx, fields);
  let firstDefinition: string | null = null;
  const importHere = (at: SNode) => {
    if (firstDefinition !== null) ctx.fail(at, `import after ${firstDefinition}`);
  };
  for (const f of fields) {
    if (f.kind !== "list") {
      ctx.fail(f, f.kind === "reserved" ? "unknown operator" : "unexpected token");
    }
    const kw = ctx.head(f);
    const it = f.items;
    switch (kw) {
      case "type":
      case "rec":
        break;
      case "import": {
        const desc = it[3];
        if (desc === undefined || desc.kind !== "list") ctx.fail(desc ?? f, "unexpected token");
        const dk = ctx.head(desc);
        const space = spaceOf(ctx, dk);
        if (space === null) ctx.fail(desc.items[0], "unexpected token");
        importHere(f);
        const id = desc.items[1]?.kind === "id" ? desc.items[1] as SAtom : null;
        noteIndexType(ctx, dk, desc.items, id === null ? 1 : 2);
        noteNode(ctx, dk, desc);
        ctx.define(space, id, space.count++);
        break;
      }
      case "func":
      case "table":
      case "memory":
      case "global":
      case "tag": {
        const space = spaceOf(ctx, kw)!;
        let i = 1;
        const id = it[i]?.kind === "id" ? it[i++] as SAtom : null;
        while (ctx.isList(it[i], "export")) i++;
        if (ctx.isList(it[i], "import")) {
          importHere(f);
          i++;
        } else {
          firstDefinition ??= KIND_NAMES[kw];
          const last = it[it.length - 1];
          if (kw === "table" && ctx.isList(last, "elem")) ctx.elems.count++;
          if (kw === "memory" && ctx.isList(last, "data")) ctx.datas.count++;
        }
        noteIndexType(ctx, kw, it, i);
        noteNode(ctx, kw, f);
        ctx.define(space, id, space.count++);
        break;
      }
      case "elem":
      case "data": {
        const space = kw === "elem" ? ctx.elems : ctx.datas;
        const id = it[1]?.kind === "id" ? it[1] as SAtom : null;
        ctx.define(space, id, space.count++);
        break;
      }
      case "export":
      case "start":
        break;
      default:
        ctx.fail(it[0], "unexpected token");
    }
  }
}

/** The index space a field or import kind defines into. */
export function spaceOf(ctx: Ctx, kind: string): Space | null {
  switch (kind) {
    case "func":
      return ctx.funcs;
    case "table":
      return ctx.tables;
    case "memory":
      return ctx.mems;
    case "global":
      return ctx.globals;
    case "tag":
      return ctx.tags;
    default:
      return null;
  }
}

/** Records the node defining a function or tag (where its `@name` may be). */
function noteNode(ctx: Ctx, kind: string, node: SList): void {
  if (kind === "func") ctx.funcNodes.push(node);
  else if (kind === "tag") ctx.tagNodes.push(node);
}

/** Records whether a memory or table uses 64-bit addresses (`i64` after id/exports/import). */
function noteIndexType(ctx: Ctx, kind: string, items: SNode[], i: number): void {
  const is64 = ctx.isKeyword(items[i], "i64");
  if (kind === "memory") ctx.mem64.push(is64);
  else if (kind === "table") ctx.table64.push(is64);
}

/** Skips `$id? (export …)*` and returns the index of the next item. */
export function afterIdAndExports(ctx: Ctx, l: SList): number {
  let i = 1;
  if (l.items[i]?.kind === "id") i++;
  while (ctx.isList(l.items[i], "export")) i++;
  return i;
}
