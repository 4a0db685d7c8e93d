/**
 * Types in the component text format: function, resource, component and
 * instance types and their declarations, and import/export descriptions.
 * Value types are `value_types.ts`'s, core types (core function types and
 * module types) `core_types.ts`'s.
 *
 * Parsing is split from resolution: a parse function checks the syntax and
 * returns a thunk that, run in a {@link Scope}, resolves names (emitting
 * the aliases they need) and builds the binary model. `pre` collects the
 * definitions to insert before the current item.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type {
  ExternDesc,
  FuncTypeDef,
  LabeledType,
  TypeDef,
  ValTypeRef,
} from "../../component/binary/model.ts";
import { type Ns, Scope } from "./scope.ts";
import {
  corePrefixedRef,
  isIndex,
  isRefList,
  itemRefFrom,
  resolveCoreItem,
  resolveItem,
} from "./refs.ts";
import { parseAlias } from "./alias.ts";
import { parseCoreModuleTypeUse, parseCoreTypeField } from "./core_types.ts";
import {
  isInlineExport,
  type ParsedName,
  parseExternName,
  parseInlineName,
} from "./extern_names.ts";
import { parseDefined, parseValType, prependType, PRIMS } from "./value_types.ts";

/** Resolves and builds a value when run in a scope. */
export type Thunk<T> = (s: Scope) => T;
/** Emits definitions into a scope. */
export type Emit = (s: Scope) => void;

/**
 * A function type from `items[i…]`: `async? (param "n" t)* (result t)?`.
 * Returns the thunk and the index of the first item after it.
 */
export function parseFuncType(
  ctx: Ctx,
  items: SNode[],
  i: number,
  pre: Emit[],
): { type: Thunk<FuncTypeDef>; next: number } {
  let async = false;
  if (ctx.isKeyword(items[i], "async")) {
    async = true;
    i++;
  }
  const params: Thunk<LabeledType>[] = [];
  while (ctx.isList(items[i], "param")) {
    const p = items[i++] as SList;
    ctx.end(p, 3);
    const name = ctx.name(p.items[1], p);
    const type = parseValType(ctx, p.items[2], p, pre);
    params.push((s) => ({ name, type: type(s) }));
  }
  let result: Thunk<ValTypeRef | null> = () => null;
  if (ctx.isList(items[i], "result")) {
    const r = items[i++] as SList;
    ctx.end(r, 2);
    result = parseValType(ctx, r.items[1], r, pre);
  }
  return {
    type: (s) => ({ kind: "func", async, params: params.map((p) => p(s)), result: result(s) }),
    next: i,
  };
}

/**
 * A type use for `kind` (func, component, instance) at `items[i…]`: `(type
 * $t …)`, or an inline type, prepended to `pre`. The whole rest of `items`
 * (from `i` to `end`) is the inline type.
 */
export function parseTypeUse(
  ctx: Ctx,
  items: SNode[],
  i: number,
  end: number,
  kind: "func" | "component" | "instance",
  parent: SList,
  pre: Emit[],
): Thunk<number> {
  const first = items[i];
  if (i < end && isRefList(first, "type")) {
    if (i + 1 < end) ctx.fail(items[i + 1], "unexpected token");
    const ref = itemRefFrom(ctx, first as SList, "type");
    return (s) => resolveItem(s, ref);
  }
  let def: Thunk<TypeDef>;
  if (kind === "func") {
    const f = parseFuncType(ctx, items, i, pre);
    if (f.next < end) ctx.fail(items[f.next], "unexpected token");
    def = f.type;
  } else {
    def = parseDeclsType(ctx, items.slice(i, end), kind, null, parent);
  }
  return prependType(pre, def);
}

/** `(component decl*)` / `(instance decl*)` contents, as a type definition thunk. */
export function parseDeclsType(
  ctx: Ctx,
  decls: SNode[],
  kind: "component" | "instance",
  id: SAtom | null,
  parent: SNode,
): Thunk<TypeDef> {
  const plans = decls.map((d) => {
    if (d.kind !== "list") ctx.fail(d, "unexpected token");
    const pre: Emit[] = [];
    const main = parseDecl(ctx, d, kind, pre);
    return [...pre, main];
  });
  void parent;
  return (s) => {
    const child = new Scope(
      ctx,
      kind === "component" ? "componentType" : "instanceType",
      id?.text ?? null,
      s,
    );
    for (const plan of plans) for (const e of plan) e(child);
    return { kind, decls: child.decls };
  };
}

function parseDecl(ctx: Ctx, d: SList, kind: "component" | "instance", pre: Emit[]): Emit {
  const kw = ctx.head(d);
  switch (kw) {
    case "core": {
      if (!ctx.isKeyword(d.items[1], "type")) ctx.fail(d.items[1] ?? d, "unexpected token");
      return parseCoreTypeField(ctx, d);
    }
    case "type":
      return parseTypeField(ctx, d, pre, false).emit;
    case "alias":
      return parseAlias(ctx, d);
    case "import":
    case "export": {
      if (kw === "import" && kind === "instance") ctx.fail(d.items[0], "unexpected token");
      const name = parseExternName(ctx, d, 1);
      const sig = d.items[name.next];
      if (sig === undefined || sig.kind !== "list") ctx.fail(sig ?? d, "unexpected token");
      ctx.end(d, name.next + 1);
      const item = parseItemSig(ctx, sig, true, pre);
      return (s) => {
        const desc = item.desc(s);
        s.decls.push({ kind: kw, name: name.name, desc, offset: 0 });
        s.register(item.ns, item.id);
      };
    }
  }
  ctx.fail(d.items[0], "unexpected token");
}

/**
 * `(type $id? (export "n")* typedef)`; with `exports`, inline exports are
 * allowed (component fields) and returned.
 */
export function parseTypeField(
  ctx: Ctx,
  l: SList,
  pre: Emit[],
  exports: boolean,
): { emit: Emit; index: () => number; exports: ParsedName[] } {
  const it = l.items;
  let k = 1;
  const id = it[k]?.kind === "id" ? it[k++] as SAtom : null;
  const names: ParsedName[] = [];
  while (exports && isInlineExport(ctx, it[k])) names.push(parseInlineName(ctx, it[k++] as SList));
  const d = it[k];
  ctx.end(l, k + 1);
  let def: Thunk<TypeDef>;
  if (d === undefined) ctx.fail(l, "unexpected token");
  if (d.kind === "keyword") {
    const prim = PRIMS[d.text];
    if (prim === undefined) ctx.fail(d, "unexpected token");
    def = () => ({ kind: "prim", type: prim });
  } else if (d.kind === "list") {
    const head = ctx.head(d);
    if (head === "func") def = parseFuncTypeList(ctx, d, pre);
    else if (head === "component" || head === "instance") {
      def = parseDeclsType(ctx, d.items.slice(1), head, id, d);
    } else if (head === "resource") def = parseResource(ctx, d);
    else def = parseDefined(ctx, d, pre);
  } else {
    ctx.fail(d, "unexpected token");
  }
  let index = -1;
  return {
    emit: (s) => {
      index = s.pushType(def(s), id);
    },
    index: () => index,
    exports: names,
  };
}

function parseFuncTypeList(ctx: Ctx, l: SList, pre: Emit[]): Thunk<TypeDef> {
  const f = parseFuncType(ctx, l.items, 1, pre);
  if (f.next < l.items.length) ctx.fail(l.items[f.next], "unexpected token");
  return f.type;
}

function parseResource(ctx: Ctx, l: SList): Thunk<TypeDef> {
  const it = l.items;
  const rep = it[1];
  if (!ctx.isList(rep, "rep")) ctx.fail(rep ?? l, "unexpected token");
  ctx.end(rep, 2);
  const repType = ctx.valType(rep.items[1], rep);
  const d = it[2];
  let dtor: Thunk<number | null> = () => null;
  if (d !== undefined) {
    if (!ctx.isList(d, "dtor")) ctx.fail(d, "unexpected token");
    ctx.end(d, 2);
    const ref = corePrefixedRef(ctx, d.items[1], d, "func", true);
    dtor = (s) => resolveCoreItem(s, ref);
    ctx.end(l, 3);
  }
  return (s) => ({ kind: "resource", rep: repType, dtor: dtor(s) });
}

/** An item signature: what an import or export declares, with its namespace and `$id`. */
export interface ItemSig {
  ns: Ns;
  id: SAtom | null;
  desc: Thunk<ExternDesc>;
}

/**
 * `(core module $id? typeuse)`, `(func $id? typeuse)`, `(component …)`,
 * `(instance …)`, `(value $id? t)`, `(type $id? (eq t)|(sub resource))`.
 */
export function parseItemSig(ctx: Ctx, l: SList, named: boolean, pre: Emit[]): ItemSig {
  const it = l.items;
  let kw = ctx.head(l);
  let k = 1;
  if (kw === "core") {
    if (!ctx.isKeyword(it[1], "module")) ctx.fail(it[1] ?? l, "unexpected token");
    kw = "core module";
    k = 2;
  }
  let id: SAtom | null = null;
  if (named && it[k]?.kind === "id") id = it[k++] as SAtom;
  switch (kw) {
    case "core module": {
      const type = parseCoreModuleTypeUse(ctx, it, k, l, pre);
      return { ns: "core module", id, desc: (s) => ({ kind: "module", type: type(s) }) };
    }
    case "func":
    case "component":
    case "instance": {
      const type = parseTypeUse(ctx, it, k, it.length, kw, l, pre);
      return { ns: kw, id, desc: (s) => ({ kind: kw, type: type(s) }) };
    }
    case "value": {
      ctx.end(l, k + 1);
      const n = it[k];
      let type: Thunk<ValTypeRef>;
      if (isRefList(n, "type")) {
        const ref = itemRefFrom(ctx, n as SList, "type");
        type = (s) => resolveItem(s, ref);
      } else {
        type = parseValType(ctx, n, l, pre);
      }
      return {
        ns: "value",
        id,
        desc: (s) => ({ kind: "value", bound: { kind: "type", type: type(s) } }),
      };
    }
    case "type": {
      ctx.end(l, k + 1);
      const b = it[k];
      if (b === undefined || b.kind !== "list") ctx.fail(b ?? l, "unexpected token");
      const bk = ctx.head(b);
      if (bk === "eq") {
        ctx.end(b, 2);
        const t = b.items[1];
        if (!isIndex(t)) ctx.fail(t ?? b, "unexpected token");
        return {
          ns: "type",
          id,
          desc: (s) => ({
            kind: "type",
            bound: { kind: "eq", type: s.resolve({ node: t }, "type") },
          }),
        };
      }
      if (bk === "sub") {
        ctx.end(b, 2);
        if (!ctx.isKeyword(b.items[1], "resource")) ctx.fail(b.items[1] ?? b, "unexpected token");
        return { ns: "type", id, desc: () => ({ kind: "type", bound: { kind: "subResource" } }) };
      }
      ctx.fail(b.items[0], "unexpected token");
    }
  }
  ctx.fail(it[0], "unexpected token");
}
