/**
 * Item references of the component text format: `$x` / `0`, `(func $i "a"
 * "b")` (through instance exports), `(core func $i "f")` (a core instance
 * export), and the `core`-prefixed forms canonical options and built-ins
 * take; and their resolution to indices, injecting the export aliases the
 * references imply.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type { ComponentSort, CoreExternSort } from "../../component/binary/model.ts";
import { type Ns, NS_OF_SORT, type Scope } from "./scope.ts";

/** A component-level reference: an index, possibly through instance exports. */
export interface ItemRef {
  ns: Ns;
  node: SAtom;
  exports: string[];
}

/** A core-level reference: an index, possibly a core instance's export. */
export interface CoreItemRef {
  ns: Ns;
  node: SAtom;
  export: string | null;
}

/** Component item keywords and their namespaces (`core module` is two words). */
export const ITEM_KINDS: Readonly<Record<string, ComponentSort>> = {
  func: "func",
  value: "value",
  type: "type",
  component: "component",
  instance: "instance",
};

/** Core item keywords and their namespaces. */
export const CORE_KINDS: Readonly<Record<string, Ns>> = {
  func: "core func",
  table: "core table",
  memory: "core memory",
  global: "core global",
  tag: "core tag",
  type: "core type",
  module: "core module",
  instance: "core instance",
};

/** Core sorts an instance can export. */
export const CORE_EXTERN_KINDS: Readonly<Record<string, CoreExternSort>> = {
  func: "func",
  table: "table",
  memory: "memory",
  global: "global",
  tag: "tag",
};

const INTEGER = /^[0-9](_?[0-9])*$|^0x[0-9a-fA-F](_?[0-9a-fA-F])*$/;

/** An index token. */
export interface IndexAtom extends SAtom {
  readonly kind: "id" | "num";
}

/** True for an index token: `$name` or an unsigned integer. */
export function isIndex(n: SNode | undefined): n is IndexAtom {
  return n !== undefined && (n.kind === "id" || (n.kind === "num" && INTEGER.test(n.text)));
}

/** True when `n` is `(kw idx "name"*)`: a reference, not an inline definition. */
export function isRefList(n: SNode | undefined, kw: string): boolean {
  if (n === undefined || n.kind !== "list") return false;
  const it = n.items;
  if (it[0]?.kind !== "keyword" || it[0].text !== kw || !isIndex(it[1])) return false;
  return it[2] === undefined || it[2].kind === "string";
}

/** Parses `(kind idx "name"*)` (the keyword is checked by the caller). */
export function itemRefFrom(ctx: Ctx, l: SList, ns: Ns, from = 1): ItemRef {
  const idx = l.items[from];
  if (!isIndex(idx)) ctx.fail(idx ?? l, "unexpected token");
  const exports = l.items.slice(from + 1).map((n) => ctx.name(n, l));
  return { ns, node: idx, exports };
}

/** An index, or `(kind idx "name"*)`. */
export function indexOrRef(
  ctx: Ctx,
  n: SNode | undefined,
  parent: SNode,
  kind: string,
  ns: Ns,
): ItemRef {
  if (isIndex(n)) return { ns, node: n, exports: [] };
  if (n === undefined || n.kind !== "list" || !ctx.isKeyword(n.items[0], kind)) {
    ctx.fail(n ?? parent, "unexpected token");
  }
  return itemRefFrom(ctx, n, ns);
}

/** `kind idx "name"?` from `l.items[from…]` (to the end of `l`). */
export function coreItemRefFrom(ctx: Ctx, l: SList, from: number, ns: Ns): CoreItemRef {
  const idx = l.items[from];
  if (!isIndex(idx)) ctx.fail(idx ?? l, "unexpected token");
  const name = l.items[from + 1];
  ctx.end(l, name === undefined ? from + 1 : from + 2);
  return { ns, node: idx, export: name === undefined ? null : ctx.name(name, l) };
}

/**
 * An index, or `(core kind idx "name"?)`; with `legacy`, `(kind idx "name"?)`
 * without `core` is accepted too (wasm-tools' default).
 */
export function corePrefixedRef(
  ctx: Ctx,
  n: SNode | undefined,
  parent: SNode,
  kind: string,
  legacy: boolean,
): CoreItemRef {
  const ns = CORE_KINDS[kind];
  if (isIndex(n)) return { ns, node: n, export: null };
  if (n === undefined || n.kind !== "list") ctx.fail(n ?? parent, "unexpected token");
  if (legacy && ctx.isKeyword(n.items[0], kind)) return coreItemRefFrom(ctx, n, 1, ns);
  if (!ctx.isKeyword(n.items[0], "core")) ctx.fail(n.items[0] ?? n, "unexpected token");
  if (!ctx.isKeyword(n.items[1], kind)) ctx.fail(n.items[1] ?? n, "unexpected token");
  return coreItemRefFrom(ctx, n, 2, ns);
}

/** The contents of `(memory …)` after the keyword: `idx "name"?` or `(core memory idx "name"?)`. */
export function corePrefixedContents(ctx: Ctx, l: SList, from: number, kind: string): CoreItemRef {
  const n = l.items[from];
  if (isIndex(n)) return coreItemRefFrom(ctx, l, from, CORE_KINDS[kind]);
  ctx.end(l, from + 1);
  return corePrefixedRef(ctx, n, l, kind, false);
}

/** Resolves a component-level reference, aliasing through instance exports. */
export function resolveItem(scope: Scope, ref: ItemRef): number {
  if (ref.exports.length === 0) return scope.resolve(ref, ref.ns);
  let index = scope.resolve(ref, "instance");
  ref.exports.forEach((name, i) => {
    const last = i === ref.exports.length - 1;
    const sort: ComponentSort = last ? sortOfNs(ref.ns) : "instance";
    index = scope.pushAlias({ kind: "export", sort, instance: index, name }, null);
  });
  return index;
}

/** Resolves a core-level reference, aliasing a core instance export. */
export function resolveCoreItem(scope: Scope, ref: CoreItemRef): number {
  if (ref.export === null) return scope.resolve(ref, ref.ns);
  const sort = CORE_EXTERN_KINDS[ref.ns.slice(5)];
  if (sort === undefined) {
    scope.ctx.fail(
      ref.node,
      "core instances cannot export this kind of item, so an export name cannot be used to resolve this reference",
    );
  }
  const instance = scope.resolve(ref, "core instance");
  return scope.pushAlias({ kind: "coreExport", sort, instance, name: ref.export }, null);
}

function sortOfNs(ns: Ns): ComponentSort {
  for (const [sort, n] of Object.entries(NS_OF_SORT)) if (n === ns) return sort as ComponentSort;
  throw new RangeError(`${ns} is not a component sort`);
}
