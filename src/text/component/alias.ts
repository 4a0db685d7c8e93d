/**
 * `(alias export $i "n" (sort $id?))`, `(alias core export $i "n" (core
 * sort $id?))` and `(alias outer $c $i (sort $id?))`, in components and in
 * component and instance types.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type {
  Alias,
  ComponentSort,
  CoreExternSort,
  OuterAliasSort,
} from "../../component/binary/model.ts";
import { aliasNs, type Scope } from "./scope.ts";
import { CORE_EXTERN_KINDS, isIndex, ITEM_KINDS } from "./refs.ts";
import type { Emit } from "./types.ts";

/** The sort of an alias target: `(func $id?)`, `(core module $id?)`, …, and the `$id`. */
function aliasTarget(
  ctx: Ctx,
  n: SNode | undefined,
  parent: SNode,
  core: boolean,
): { kind: string; id: SAtom | null } {
  if (n === undefined || n.kind !== "list") ctx.fail(n ?? parent, "unexpected token");
  const it = n.items;
  let k = 0;
  let kind = ctx.head(n);
  if (kind === "core") {
    const second = it[1];
    if (second === undefined || second.kind !== "keyword") {
      ctx.fail(second ?? n, "unexpected token");
    }
    kind = `core ${second.text}`;
    k = 2;
  } else {
    k = 1;
    if (core) ctx.fail(it[0], "unexpected token");
  }
  const id = it[k]?.kind === "id" ? it[k++] as SAtom : null;
  ctx.end(n, k);
  return { kind, id };
}

/** Parses an alias definition or declaration. */
export function parseAlias(ctx: Ctx, l: SList): Emit {
  const it = l.items;
  if (ctx.isKeyword(it[1], "export")) {
    ctx.end(l, 5);
    const inst = it[2];
    if (!isIndex(inst)) ctx.fail(inst ?? l, "unexpected token");
    const name = ctx.name(it[3], l);
    const t = aliasTarget(ctx, it[4], l, false);
    let sort: ComponentSort | undefined = ITEM_KINDS[t.kind];
    if (t.kind === "core module") sort = "module";
    if (sort === undefined) ctx.fail(it[4], "unexpected token");
    const s0 = sort;
    return (s) => {
      const instance = s.resolve({ node: inst }, "instance");
      s.pushAlias({ kind: "export", sort: s0, instance, name }, t.id);
    };
  }
  if (ctx.isKeyword(it[1], "core")) {
    if (!ctx.isKeyword(it[2], "export")) ctx.fail(it[2] ?? l, "unexpected token");
    ctx.end(l, 6);
    const inst = it[3];
    if (!isIndex(inst)) ctx.fail(inst ?? l, "unexpected token");
    const name = ctx.name(it[4], l);
    const t = aliasTarget(ctx, it[5], l, true);
    const sort: CoreExternSort | undefined = CORE_EXTERN_KINDS[t.kind.slice(5)];
    if (sort === undefined) ctx.fail(it[5], "unexpected token");
    return (s) => {
      const instance = s.resolve({ node: inst }, "core instance");
      s.pushAlias({ kind: "coreExport", sort, instance, name }, t.id);
    };
  }
  if (ctx.isKeyword(it[1], "outer")) {
    ctx.end(l, 5);
    const outer = it[2];
    const idx = it[3];
    if (!isIndex(outer)) ctx.fail(outer ?? l, "unexpected token");
    if (!isIndex(idx)) ctx.fail(idx ?? l, "unexpected token");
    const t = aliasTarget(ctx, it[4], l, false);
    const sorts: Record<string, OuterAliasSort> = {
      "core module": "module",
      "core type": "coreType",
      "type": "type",
      "component": "component",
    };
    const sort = sorts[t.kind];
    if (sort === undefined) ctx.fail(it[4], "unexpected token");
    return (s) => {
      s.pushAlias(outerAlias(s, l, outer, idx, sort), t.id);
    };
  }
  ctx.fail(it[1] ?? l, "unexpected token");
}

/** Resolves `(alias outer $c $i …)`: numbers are kept as they are (validation checks them). */
export function outerAlias(
  s: Scope,
  at: SNode,
  outer: SAtom,
  idx: SAtom,
  sort: OuterAliasSort,
): Alias {
  if (outer.kind !== "id" && idx.kind !== "id") {
    return { kind: "outer", sort, count: s.ctx.u32(outer, at), index: s.ctx.u32(idx, at) };
  }
  const count = s.outerDepth(outer);
  const target = s.outer(count, outer);
  const alias: Alias = { kind: "outer", sort, count, index: 0 };
  const ns = aliasNs(alias);
  const index = idx.kind === "id"
    ? target.lookup(ns, idx.text) ??
      s.ctx.fail(idx, `unknown ${ns}: failed to find name \`$${idx.text}\``)
    : s.ctx.u32(idx, at);
  return { ...alias, index };
}
