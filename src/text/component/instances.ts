/**
 * Core and component instances in the text format: `(instantiate …)` with
 * its arguments (an inline bundle of exports becomes an instance defined
 * just before), and bundles of exports; and the `(sort ref)` of exports.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type {
  ComponentSort,
  CoreInlineExport,
  ExternName,
  InlineExport,
  InstantiateArg,
} from "../../component/binary/model.ts";
import { NS_OF_SORT, type Scope } from "./scope.ts";
import {
  CORE_EXTERN_KINDS,
  coreItemRefFrom,
  indexOrRef,
  isIndex,
  isRefList,
  ITEM_KINDS,
  type ItemRef,
  itemRefFrom,
  resolveCoreItem,
  resolveItem,
} from "./refs.ts";
import type { Emit, Thunk } from "./types.ts";
import { parseExternName } from "./extern_names.ts";
import { itemHead, optId } from "./item_head.ts";

/** `(export "n" (func $f "e"?))` entries of a core instance bundle. */
function coreBundle(ctx: Ctx, items: SNode[]): Thunk<CoreInlineExport[]> {
  const exports = items.map((e) => {
    if (!ctx.isList(e, "export")) ctx.fail(e, "unexpected token");
    ctx.end(e, 3);
    const name = ctx.name(e.items[1], e);
    const target = e.items[2];
    if (target === undefined || target.kind !== "list") ctx.fail(target ?? e, "unexpected token");
    const kind = ctx.head(target);
    const sort = CORE_EXTERN_KINDS[kind];
    if (sort === undefined) ctx.fail(target.items[0], "unexpected token");
    const ref = coreItemRefFrom(ctx, target, 1, `core ${kind}` as never);
    return (s: Scope): CoreInlineExport => ({ name, sort, index: resolveCoreItem(s, ref) });
  });
  return (s) => exports.map((e) => e(s));
}

export function planCoreInstance(ctx: Ctx, f: SList, pre: Emit[]): Emit {
  const it = f.items;
  const [id, k] = optId(it, 2);
  const body = it[k];
  if (ctx.isList(body, "instantiate")) {
    ctx.end(f, k + 1);
    const module = indexOrRef(ctx, body.items[1], body, "module", "core module");
    const args = body.items.slice(2).map((a) => {
      if (!ctx.isList(a, "with")) ctx.fail(a, "unexpected token");
      ctx.end(a, 3);
      const name = ctx.name(a.items[1], a);
      const v = a.items[2];
      if (!ctx.isList(v, "instance")) ctx.fail(v ?? a, "unexpected token");
      if (isRefList(v, "instance")) {
        const ref = coreItemRefFrom(ctx, v as SList, 1, "core instance");
        return (s: Scope) => ({ name, instance: resolveCoreItem(s, ref) });
      }
      const bundle = coreBundle(ctx, v.items.slice(1));
      let index = -1;
      pre.push((s) => {
        s.defs.push({
          kind: "coreInstance",
          instance: { kind: "exports", exports: bundle(s) },
          offset: 0,
        });
        index = s.register("core instance", null);
      });
      return () => ({ name, instance: index });
    });
    return (s) => {
      const m = resolveItem(s, module);
      const a = args.map((x) => x(s));
      s.defs.push({
        kind: "coreInstance",
        instance: { kind: "instantiate", module: m, args: a },
        offset: 0,
      });
      s.register("core instance", id);
    };
  }
  const bundle = coreBundle(ctx, it.slice(k));
  return (s) => {
    s.defs.push({
      kind: "coreInstance",
      instance: { kind: "exports", exports: bundle(s) },
      offset: 0,
    });
    s.register("core instance", id);
  };
}

/** `(export $id? "name" (sort ref))` entries of an instance bundle. */
function instanceBundle(ctx: Ctx, items: SNode[]): Thunk<InlineExport[]> {
  const exports = items.map((e) => {
    if (!ctx.isList(e, "export")) ctx.fail(e, "unexpected token");
    const x = parseExportItem(ctx, e);
    return (s: Scope): InlineExport => ({
      name: x.name,
      sort: x.sort,
      index: resolveItem(s, x.ref),
    });
  });
  return (s) => exports.map((e) => e(s));
}

/** `(export $id? "name" attrs (sort ref) sig?)`: its parts. */
export function parseExportItem(
  ctx: Ctx,
  e: SList,
): { id: SAtom | null; name: ExternName; sort: ComponentSort; ref: ItemRef; next: number } {
  const [id, k] = optId(e.items, 1);
  const name = parseExternName(ctx, e, k);
  const target = e.items[name.next];
  const { sort, ref } = exportKind(ctx, target, e);
  return { id, name: name.name, sort, ref, next: name.next + 1 };
}

/** `(core module ref)`, `(func ref)`, `(value ref)`, `(type ref)`, `(component ref)`, `(instance ref)`. */
function exportKind(
  ctx: Ctx,
  n: SNode | undefined,
  parent: SNode,
): { sort: ComponentSort; ref: ItemRef } {
  if (n === undefined || n.kind !== "list") ctx.fail(n ?? parent, "unexpected token");
  const head = ctx.head(n);
  if (head === "core") {
    if (!ctx.isKeyword(n.items[1], "module")) ctx.fail(n.items[1] ?? n, "unexpected token");
    return { sort: "module", ref: itemRefFrom(ctx, n, "core module", 2) };
  }
  const sort = ITEM_KINDS[head];
  if (sort === undefined) ctx.fail(n.items[0], "unexpected token");
  return { sort, ref: itemRefFrom(ctx, n, NS_OF_SORT[sort]) };
}

/** True when `n` is an export kind with an index (`(func $f)`), not an instance bundle. */
function isExportKind(ctx: Ctx, n: SNode | undefined): boolean {
  if (n === undefined || n.kind !== "list") return false;
  const h = n.items[0];
  if (h === undefined || h.kind !== "keyword") return false;
  if (h.text === "core") return ctx.isKeyword(n.items[1], "module") && isIndex(n.items[2]);
  return ITEM_KINDS[h.text] !== undefined && isIndex(n.items[1]);
}

export function planInstance(ctx: Ctx, f: SList, pre: Emit[], appended: Emit[]): Emit {
  const it = f.items;
  const head = itemHead(ctx, f, 1, "instance", pre, appended);
  if (head.imported !== null) return head.imported;
  const { id, next: k, index } = head;
  const body = it[k];
  if (ctx.isList(body, "instantiate")) {
    ctx.end(f, k + 1);
    const component = indexOrRef(ctx, body.items[1], body, "component", "component");
    const args = body.items.slice(2).map((a): Thunk<InstantiateArg> => {
      if (!ctx.isList(a, "with")) ctx.fail(a, "unexpected token");
      ctx.end(a, 3);
      const name = ctx.name(a.items[1], a);
      const v = a.items[2];
      if (isExportKind(ctx, v)) {
        const { sort, ref } = exportKind(ctx, v, a);
        return (s) => ({ name, sort, index: resolveItem(s, ref) });
      }
      if (!ctx.isList(v, "instance")) ctx.fail(v ?? a, "unexpected token");
      const bundle = instanceBundle(ctx, v.items.slice(1));
      let bundleIndex = -1;
      pre.push((s) => {
        s.defs.push({
          kind: "instance",
          instance: { kind: "exports", exports: bundle(s) },
          offset: 0,
        });
        bundleIndex = s.register("instance", null);
      });
      return () => ({ name, sort: "instance", index: bundleIndex });
    });
    return (s) => {
      const c = resolveItem(s, component);
      const a = args.map((x) => x(s));
      s.defs.push({
        kind: "instance",
        instance: { kind: "instantiate", component: c, args: a },
        offset: 0,
      });
      index.value = s.register("instance", id);
    };
  }
  const bundle = instanceBundle(ctx, it.slice(k));
  return (s) => {
    s.defs.push({ kind: "instance", instance: { kind: "exports", exports: bundle(s) }, offset: 0 });
    index.value = s.register("instance", id);
  };
}
