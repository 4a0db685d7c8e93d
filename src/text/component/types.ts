/**
 * Types in the component text format: value types (inline ones become type
 * definitions inserted before the item that uses them, as wasm-tools
 * expands them), defined, function, resource, component and instance types
 * and their declarations, import/export descriptions, and core types (core
 * function types and module types).
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
  DefValType,
  ExternDesc,
  FuncTypeDef,
  LabeledType,
  PrimValType,
  TypeDef,
  ValTypeRef,
  VariantCase,
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

/** Resolves and builds a value when run in a scope. */
export type Thunk<T> = (s: Scope) => T;
/** Emits definitions into a scope. */
export type Emit = (s: Scope) => void;

const PRIMS: Readonly<Record<string, PrimValType>> = {
  bool: "bool",
  s8: "s8",
  u8: "u8",
  s16: "s16",
  u16: "u16",
  s32: "s32",
  u32: "u32",
  s64: "s64",
  u64: "u64",
  f32: "f32",
  f64: "f64",
  float32: "f32",
  float64: "f64",
  char: "char",
  string: "string",
  "error-context": "error-context",
};

/**
 * A value type: an index, a primitive, or an inline defined type (which is
 * prepended to `pre` as a type definition, its own inline types first).
 */
export function parseValType(
  ctx: Ctx,
  n: SNode | undefined,
  parent: SNode,
  pre: Emit[],
): Thunk<ValTypeRef> {
  if (isIndex(n)) return (s) => s.resolve({ node: n }, "type");
  if (n !== undefined && n.kind === "keyword") {
    const prim = PRIMS[n.text];
    if (prim !== undefined) return () => prim;
  }
  if (n === undefined || n.kind !== "list") ctx.fail(n ?? parent, "unexpected token");
  const def = parseDefined(ctx, n, pre);
  return prependType(pre, (s) => def(s));
}

/** Prepends a type definition to `pre`; the thunk gives its index once emitted. */
export function prependType(pre: Emit[], def: Thunk<TypeDef>): Thunk<number> {
  let index = -1;
  pre.push((s) => {
    index = s.pushType(def(s), null);
  });
  return () => index;
}

/** A defined value type: `(record …)`, `(list t)`, `(own $r)`, …. */
export function parseDefined(ctx: Ctx, l: SList, pre: Emit[]): Thunk<DefValType> {
  const kw = ctx.head(l);
  const it = l.items;
  const val = (n: SNode | undefined) => parseValType(ctx, n, l, pre);
  const optVal = (n: SNode | undefined): Thunk<ValTypeRef | null> =>
    n === undefined ? () => null : val(n);
  switch (kw) {
    case "record": {
      const fields = it.slice(1).map((f) => {
        if (!ctx.isList(f, "field")) ctx.fail(f, "unexpected token");
        ctx.end(f, 3);
        const name = ctx.name(f.items[1], f);
        const type = val(f.items[2]);
        return (s: Scope): LabeledType => ({ name, type: type(s) });
      });
      return (s) => ({ kind: "record", fields: fields.map((f) => f(s)) });
    }
    case "variant": {
      const cases = it.slice(1).map((c) => {
        if (!ctx.isList(c, "case")) ctx.fail(c, "unexpected token");
        let k = 1;
        if (c.items[k]?.kind === "id") k++;
        const name = ctx.name(c.items[k++], c);
        const type = c.items[k] === undefined ? null : val(c.items[k++]);
        ctx.end(c, k);
        return (s: Scope): VariantCase => ({ name, type: type === null ? null : type(s) });
      });
      return (s) => ({ kind: "variant", cases: cases.map((c) => c(s)) });
    }
    case "list": {
      const element = val(it[1]);
      let length: number | null = null;
      if (it[2] !== undefined) {
        length = ctx.u32(it[2], l);
        ctx.end(l, 3);
      }
      return (s) => ({ kind: "list", element: element(s), length });
    }
    case "map": {
      ctx.end(l, 3);
      const key = val(it[1]);
      const value = val(it[2]);
      return (s) => ({ kind: "map", key: key(s), value: value(s) });
    }
    case "tuple": {
      const types = it.slice(1).map((n) => val(n));
      return (s) => ({ kind: "tuple", types: types.map((t) => t(s)) });
    }
    case "flags":
    case "enum": {
      const names = it.slice(1).map((n) => ctx.name(n, l));
      return () => ({ kind: kw, names });
    }
    case "option": {
      ctx.end(l, 2);
      const type = val(it[1]);
      return (s) => ({ kind: "option", type: type(s) });
    }
    case "result": {
      let k = 1;
      let ok: Thunk<ValTypeRef | null> = () => null;
      if (it[k] !== undefined && !ctx.isList(it[k], "error")) ok = val(it[k++]);
      let err: Thunk<ValTypeRef | null> = () => null;
      const e = it[k];
      if (e !== undefined) {
        if (!ctx.isList(e, "error")) ctx.fail(e, "unexpected token");
        ctx.end(e, 2);
        err = val(e.items[1]);
        k++;
      }
      ctx.end(l, k);
      return (s) => ({ kind: "result", ok: ok(s), err: err(s) });
    }
    case "own":
    case "borrow": {
      ctx.end(l, 2);
      const r = it[1];
      if (!isIndex(r)) ctx.fail(r ?? l, "unexpected token");
      return (s) => ({ kind: kw, resource: s.resolve({ node: r }, "type") });
    }
    case "stream":
    case "future": {
      ctx.end(l, it.length > 1 ? 2 : 1);
      const element = optVal(it[1]);
      return (s) => ({ kind: kw, element: element(s) });
    }
  }
  ctx.fail(l.items[0], "unexpected token");
}

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
