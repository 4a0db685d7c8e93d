/**
 * Core types in components: core function types, and core module types
 * (`(core type (module …))`, or the type use of a core module import),
 * whose inline function types become type declarations before the import
 * or export using them, as wasm-tools expands them.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import { importDesc } from "../module_fields.ts";
import type { FuncType, ValType } from "../../binary/types.ts";
import type { CoreExternDesc, CoreTypeDef } from "../../component/binary/model.ts";
import { Scope } from "./scope.ts";
import { isIndex, isRefList } from "./refs.ts";
import { outerAlias } from "./alias.ts";
import type { Emit, Thunk } from "./types.ts";

/** The type use of a core module: `(type $t)` or inline module type declarations. */
export function parseCoreModuleTypeUse(
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
