/**
 * Import and export names in the component text format: `"name"` or the
 * older `(interface "name")`, then the attributes `(implements …)`,
 * `(versionsuffix …)` and `(external-id …)`, at most one of each, in that
 * order; and the inline `(export "n")` / `(import "n")` of item fields.
 *
 * @module
 */
import type { SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type { ExternName } from "../../component/binary/model.ts";

/** An import/export name with its attributes, and where parsing stopped. */
export interface ParsedName {
  name: ExternName;
  next: number;
}

/** `"name"` or `(interface "name")`, then `(implements …)? (versionsuffix …)? (external-id …)?`. */
export function parseExternName(ctx: Ctx, l: SList, i: number): ParsedName {
  const it = l.items;
  let n = it[i];
  let name: string;
  if (ctx.isList(n, "interface")) {
    ctx.end(n, 2);
    name = ctx.name(n.items[1], n);
  } else {
    name = ctx.name(n, l);
  }
  i++;
  const attr = (kw: string): string | null => {
    n = it[i];
    if (!ctx.isList(n, kw)) return null;
    ctx.end(n, 2);
    i++;
    return ctx.name(n.items[1], n);
  };
  const implementsName = attr("implements");
  const versionSuffix = attr("versionsuffix");
  const externalId = attr("external-id");
  return {
    name: { name, implements: implementsName, versionSuffix, externalId, encoding: 0 },
    next: i,
  };
}

/** True for `(export "name" …attrs)` used inline (no item after the name). */
export function isInlineExport(ctx: Ctx, n: SNode | undefined): n is SList {
  return isInlineName(ctx, n, "export");
}

/** True for `(import "name" …attrs)` used inline. */
export function isInlineImport(ctx: Ctx, n: SNode | undefined): n is SList {
  return isInlineName(ctx, n, "import");
}

function isInlineName(ctx: Ctx, n: SNode | undefined, kw: string): n is SList {
  if (!ctx.isList(n, kw)) return false;
  const first = n.items[1];
  if (first === undefined) return false;
  if (first.kind !== "string" && !ctx.isList(first, "interface")) return false;
  for (const a of n.items.slice(2)) {
    if (
      !(ctx.isList(a, "implements") || ctx.isList(a, "versionsuffix") ||
        ctx.isList(a, "external-id"))
    ) {
      return false;
    }
  }
  return true;
}

/** The name of an inline `(export …)` / `(import …)`. */
export function parseInlineName(ctx: Ctx, l: SList): ParsedName {
  const n = parseExternName(ctx, l, 1);
  ctx.end(l, n.next);
  return n;
}
