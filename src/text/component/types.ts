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
import { importDesc } from "../module_fields.ts";
import type { FuncType, ValType } from "../../binary/types.ts";
import type {
  CoreExternDesc,
  CoreTypeDef,
  DefValType,
  ExternDesc,
  ExternName,
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
import { outerAlias, parseAlias } from "./alias.ts";

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

/** The type use of a core module: `(type $t)` or inline module type declarations. */
function parseCoreModuleTypeUse(
  ctx: Ctx,
  it: SNode[],
  k: number,
  l: SList,
  pre: Emit[],
): Thunk<number> {
  if (isRefList(it[k], "type")) {
    ctx.end(l, k + 1);
    const ref = it[k] as SList;
    if (ref.items.length > 2) ctx.fail(ref.items[2], "unexpected token");
    const node = ref.items[1] as SAtom;
    return (s) => s.resolve({ node }, "core type");
  }
  const def = parseModuleType(ctx, it.slice(k), null);
  let index = -1;
  pre.push((s) => {
    index = s.pushCoreType(def(s), null);
  });
  return () => index;
}

/** `(core type $id? (func …)|(module …))`. */
export function parseCoreTypeField(ctx: Ctx, l: SList): Emit {
  const it = l.items;
  let k = 2;
  const id = it[k]?.kind === "id" ? it[k++] as SAtom : null;
  const d = it[k];
  ctx.end(l, k + 1);
  if (d === undefined || d.kind !== "list") ctx.fail(d ?? l, "unexpected token");
  const head = ctx.head(d);
  if (head === "module") {
    const def = parseModuleType(ctx, d.items.slice(1), id);
    return (s) => {
      s.pushCoreType(def(s), id);
    };
  }
  if (head === "func") {
    const type = coreFuncTypeList(ctx, d);
    return (s) => {
      s.pushCoreType({ kind: "func", type }, id);
    };
  }
  if (head === "sub" || head === "struct" || head === "array" || head === "rec") {
    ctx.fail(d.items[0], "gc types are not supported");
  }
  ctx.fail(d.items[0], "unexpected token");
}

/** `(func (param …)* (result …)*)`: a core function type. */
export function coreFuncTypeList(ctx: Ctx, l: SList): FuncType {
  const u = coreTypeUse(ctx, l.items, 1);
  if (u.explicit !== null) ctx.fail(l.items[1], "unexpected token");
  if (u.next < l.items.length) ctx.fail(l.items[u.next], "unexpected token");
  return u.inline;
}

/** A core type use: `(type x)? (param …)* (result …)*`. */
function coreTypeUse(
  ctx: Ctx,
  items: SNode[],
  i: number,
): { explicit: SAtom | null; inline: FuncType; next: number } {
  let explicit: SAtom | null = null;
  if (ctx.isList(items[i], "type")) {
    const t = items[i] as SList;
    ctx.end(t, 2);
    if (!isIndex(t.items[1])) ctx.fail(t.items[1] ?? t, "unexpected token");
    explicit = t.items[1];
    i++;
  }
  const params: ValType[] = [];
  const results: ValType[] = [];
  while (ctx.isList(items[i], "param")) {
    const p = items[i++] as SList;
    if (p.items[1]?.kind === "id") {
      ctx.end(p, 3);
      params.push(ctx.valType(p.items[2], p) as ValType);
    } else {
      for (const t of p.items.slice(1)) params.push(ctx.valType(t, p) as ValType);
    }
  }
  while (ctx.isList(items[i], "result")) {
    const r = items[i++] as SList;
    for (const t of r.items.slice(1)) results.push(ctx.valType(t, r) as ValType);
  }
  return { explicit, inline: { params, results }, next: i };
}

function sameFuncType(a: FuncType, b: FuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length &&
    a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i]);
}

/**
 * Module type declarations: `(type …)`, `(alias outer …)`, `(import "m"
 * "n" desc)`, `(export "n" desc)`. Inline function types of imports and
 * exports become type declarations before them (reusing an equal one).
 */
export function parseModuleType(ctx: Ctx, decls: SNode[], id: SAtom | null): Thunk<CoreTypeDef> {
  return (s) => {
    const m = new Scope(ctx, "moduleType", id?.text ?? null, s);
    // Inline function types reuse an equal explicit `(type …)` declaration;
    // otherwise each gets a new declaration (as wasm-tools expands them).
    const explicit: [FuncType, number][] = [];
    const typeIndex = (t: FuncType): number => {
      const found = explicit.find(([u]) => sameFuncType(u, t));
      if (found !== undefined) return found[1];
      m.moduleDecls.push({ kind: "type", type: t, offset: 0 });
      return m.register("core type", null);
    };
    for (const d of decls) {
      if (d.kind !== "list") ctx.fail(d, "unexpected token");
      const kw = ctx.head(d);
      const it = d.items;
      switch (kw) {
        case "type": {
          let k = 1;
          const tid = it[k]?.kind === "id" ? it[k++] as SAtom : null;
          const f = it[k];
          ctx.end(d, k + 1);
          if (!ctx.isList(f, "func")) ctx.fail(f ?? d, "unexpected token");
          const type = coreFuncTypeList(ctx, f);
          m.moduleDecls.push({ kind: "type", type, offset: 0 });
          explicit.push([type, m.register("core type", tid)]);
          break;
        }
        case "alias": {
          if (!ctx.isKeyword(it[1], "outer")) ctx.fail(it[1] ?? d, "unexpected token");
          ctx.end(d, 5);
          const target = it[4];
          if (!ctx.isList(target, "type")) ctx.fail(target ?? d, "expected type for outer alias");
          const aid = target.items[1]?.kind === "id" ? target.items[1] as SAtom : null;
          ctx.end(target, aid === null ? 1 : 2);
          const outer = it[2];
          const idx = it[3];
          if (!isIndex(outer)) ctx.fail(outer ?? d, "unexpected token");
          if (!isIndex(idx)) ctx.fail(idx ?? d, "unexpected token");
          m.pushAlias(outerAlias(m, d, outer, idx, "coreType"), aid);
          break;
        }
        case "import": {
          ctx.end(d, 4);
          const module = ctx.name(it[1], d);
          const name = ctx.name(it[2], d);
          const desc = coreExternDesc(ctx, it[3], d, m, typeIndex);
          m.moduleDecls.push({ kind: "import", module, name, desc, offset: 0 });
          break;
        }
        case "export": {
          ctx.end(d, 3);
          const name = ctx.name(it[1], d);
          const desc = coreExternDesc(ctx, it[2], d, m, typeIndex);
          m.moduleDecls.push({ kind: "export", name, desc, offset: 0 });
          break;
        }
        default:
          ctx.fail(it[0], "unexpected token");
      }
    }
    return { kind: "module", decls: m.moduleDecls };
  };
}

function coreExternDesc(
  ctx: Ctx,
  n: SNode | undefined,
  parent: SNode,
  m: Scope,
  typeIndex: (t: FuncType) => number,
): CoreExternDesc {
  if (n === undefined || n.kind !== "list") ctx.fail(n ?? parent, "unexpected token");
  const kind = ctx.head(n);
  const i = n.items[1]?.kind === "id" ? 2 : 1;
  if (kind === "func" || kind === "tag") {
    const u = coreTypeUse(ctx, n.items, i);
    if (u.next < n.items.length) ctx.fail(n.items[u.next], "unexpected token");
    const type = u.explicit !== null
      ? m.resolve({ node: u.explicit }, "core type")
      : typeIndex(u.inline);
    return { kind: kind === "func" ? 0 : 4, type };
  }
  if (kind !== "table" && kind !== "memory" && kind !== "global") {
    ctx.fail(n.items[0], "unexpected token");
  }
  return importDesc(ctx, kind, n, i) as CoreExternDesc;
}
