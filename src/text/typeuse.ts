/**
 * Type uses: `(type x)? (param …)* (result …)*` in functions, imports,
 * `call_indirect` and block types, and explicit type definitions.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "./lexer.ts";
import { type Ctx, sameType } from "./_context.ts";
import type { FuncType, ValType } from "../binary/types.ts";

/** A parsed type use, before it is turned into a type index. */
export interface TypeUse {
  /** The `(type x)` index, if given. */
  explicit: number | null;
  /** The inline signature (empty when none was written). */
  inline: FuncType;
  /** Whether any `(param)`/`(result)` clause was written. */
  hasInline: boolean;
  /** Identifier of each inline parameter (null when unnamed). */
  paramIds: (SAtom | null)[];
  /** Index of the first item after the type use. */
  next: number;
}

/**
 * Parses a type use starting at `items[i]`. `namedParams` allows
 * `(param $x t)` (functions and imports, not blocks or call_indirect).
 */
export function parseTypeUse(ctx: Ctx, items: SNode[], i: number, namedParams: boolean): TypeUse {
  let explicit: number | null = null;
  const params: ValType[] = [];
  const results: ValType[] = [];
  const paramIds: (SAtom | null)[] = [];
  let hasInline = false;
  let node = items[i];
  if (ctx.isList(node, "type")) {
    explicit = ctx.index(node.items[1], node, ctx.types);
    ctx.end(node, 2);
    node = items[++i];
  }
  while (ctx.isList(node, "param")) {
    hasInline = true;
    parseParams(ctx, node, params, paramIds, namedParams);
    node = items[++i];
  }
  while (ctx.isList(node, "result")) {
    hasInline = true;
    for (const t of node.items.slice(1)) results.push(ctx.valType(t, node) as ValType);
    node = items[++i];
  }
  if (ctx.isList(node, "type") || ctx.isList(node, "param")) {
    ctx.fail(node, "unexpected token"); // clauses out of order
  }
  const inline: FuncType = { params, results };
  if (explicit !== null && hasInline) {
    const t = ctx.m.types[explicit];
    if (t === undefined) ctx.fail(items[i - 1], "unknown type");
    if (!sameType(t, inline)) ctx.fail(items[i - 1], "inline function type");
  }
  return { explicit, inline, hasInline, paramIds, next: i };
}

function parseParams(
  ctx: Ctx,
  l: SList,
  params: ValType[],
  ids: (SAtom | null)[],
  named: boolean,
): void {
  const it = l.items;
  if (it[1]?.kind === "id") {
    if (!named) ctx.fail(it[1], "unexpected token");
    params.push(ctx.valType(it[2], l) as ValType);
    ids.push(it[1]);
    ctx.end(l, 3);
    return;
  }
  for (let k = 1; k < it.length; k++) {
    params.push(ctx.valType(it[k], l) as ValType);
    ids.push(null);
  }
}

/** The type index a function or call uses: the explicit one, or the (possibly new) implicit one. */
export function useIndex(ctx: Ctx, u: TypeUse): number {
  return u.explicit ?? ctx.typeIndexOf(u.inline);
}

/** Number of parameters of the function type a use denotes. */
export function paramCount(ctx: Ctx, u: TypeUse): number {
  if (u.explicit !== null && !u.hasInline) return ctx.m.types[u.explicit]?.params.length ?? 0;
  return u.inline.params.length;
}

/** Parses `(func (param …)* (result …)*)`, the body of a `(type …)` definition. */
export function parseFuncType(ctx: Ctx, l: SList): FuncType {
  if (ctx.head(l) !== "func") ctx.fail(l.items[0], "unexpected token");
  const u = parseTypeUse(ctx, l.items, 1, true);
  if (u.explicit !== null) ctx.fail(l.items[1], "unexpected token");
  if (u.next < l.items.length) ctx.fail(l.items[u.next], "unexpected token");
  return u.inline;
}
