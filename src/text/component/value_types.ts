/**
 * Value types in the component text format: primitives, type indices and
 * the defined value types (`record`, `variant`, `list`, `own`, …). An inline
 * defined type becomes a type definition inserted before the item that uses
 * it, as wasm-tools expands them.
 *
 * @module
 */
import type { SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type {
  DefValType,
  LabeledType,
  PrimValType,
  TypeDef,
  ValTypeRef,
  VariantCase,
} from "../../component/binary/model.ts";
import type { Scope } from "./scope.ts";
import { isIndex } from "./refs.ts";
import type { Emit, Thunk } from "./types.ts";

/** Primitive value types by keyword (`float32`/`float64` are older spellings). */
export const PRIMS: Readonly<Record<string, PrimValType>> = {
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
