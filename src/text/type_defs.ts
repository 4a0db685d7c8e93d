/**
 * Type definitions in the text format: `(type $id? subtype)` and
 * `(rec (type …)*)`, where a subtype is `(func …)`, `(struct (field …)*)`,
 * `(array fieldtype)` or `(sub final? $super? comptype)`. Every type's
 * identifier is bound before any definition is read, so definitions may
 * name types that come later (in their recursion group, or anywhere: the
 * validator reports the latter).
 *
 * @module
 */
import type { SAtom, SList, SNode } from "./lexer.ts";
import type { Ctx } from "./_context.ts";
import { parseFuncType } from "./typeuse.ts";
import { type FieldType, type TypeDef, TypeKind } from "../binary/types.ts";

/** The `(type …)` definitions of a field list, in order, with their recursion group sizes. */
function typeFields(
  ctx: Ctx,
  fields: SNode[],
): { defs: SList[]; recs: number[]; written: boolean[] } {
  const defs: SList[] = [];
  const recs: number[] = [];
  const written: boolean[] = [];
  for (const f of fields) {
    if (f.kind !== "list") continue;
    const head = f.items[0];
    if (ctx.isKeyword(head, "type")) {
      defs.push(f);
      recs.push(1);
      written.push(false);
    } else if (ctx.isKeyword(head, "rec")) {
      let n = 0;
      for (const t of f.items.slice(1)) {
        if (!ctx.isList(t, "type")) ctx.fail(t, "unexpected token");
        defs.push(t);
        n++;
      }
      recs.push(n);
      written.push(true);
    }
  }
  return { defs, recs, written };
}

/** Binds the type identifiers of `fields`, then reads every type definition into `ctx.m`. */
export function parseTypeDefs(ctx: Ctx, fields: SNode[]): void {
  const { defs, recs, written } = typeFields(ctx, fields);
  for (const d of defs) {
    const id = d.items[1]?.kind === "id" ? d.items[1] as SAtom : null;
    ctx.define(ctx.types, id, ctx.types.count++);
    ctx.fields.push(new Map());
  }
  defs.forEach((d, x) => {
    let i = 1;
    if (d.items[i]?.kind === "id") i++;
    const def = d.items[i];
    if (def === undefined || def.kind !== "list") ctx.fail(def ?? d, "unexpected token");
    ctx.end(d, i + 1);
    ctx.m.types.push(subType(ctx, def, x));
  });
  ctx.m.recs.push(...recs);
  ctx.m.recWritten.push(...written);
  ctx.explicitTypes = defs.length;
  let k = 0;
  for (const n of recs) {
    for (let i = 0; i < n; i++, k++) {
      const t = ctx.m.types[k];
      ctx.implicitOk.push(n === 1 && t.kind === TypeKind.func && t.final && t.supertype < 0);
    }
  }
}

function subType(ctx: Ctx, l: SList, x: number): TypeDef {
  if (ctx.head(l) !== "sub") return compType(ctx, l, x);
  let i = 1;
  const final = ctx.isKeyword(l.items[i], "final");
  if (final) i++;
  let supertype = -1;
  if (ctx.isIndex(l.items[i])) supertype = ctx.index(l.items[i++], l, ctx.types);
  const body = l.items[i];
  if (body === undefined || body.kind !== "list") ctx.fail(body ?? l, "unexpected token");
  ctx.end(l, i + 1);
  const t = compType(ctx, body, x);
  t.final = final;
  t.supertype = supertype;
  return t;
}

function compType(ctx: Ctx, l: SList, x: number): TypeDef {
  switch (ctx.head(l)) {
    case "func": {
      const { params, results } = parseFuncType(ctx, l);
      return { kind: TypeKind.func, params, results, fields: [], final: true, supertype: -1 };
    }
    case "struct": {
      const fields: FieldType[] = [];
      const names = ctx.fields[x];
      for (const f of l.items.slice(1)) {
        if (!ctx.isList(f, "field")) ctx.fail(f, "unexpected token");
        const it = f.items;
        if (it[1]?.kind === "id") {
          const id = it[1] as SAtom;
          if (names.has(id.text)) ctx.fail(id, `duplicate field $${id.text}`);
          names.set(id.text, fields.length);
          fields.push(fieldType(ctx, it[2], f));
          ctx.end(f, 3);
        } else {
          for (const t of it.slice(1)) fields.push(fieldType(ctx, t, f));
        }
      }
      return { kind: TypeKind.struct, params: [], results: [], fields, final: true, supertype: -1 };
    }
    case "array": {
      const field = fieldType(ctx, l.items[1], l);
      ctx.end(l, 2);
      return {
        kind: TypeKind.array,
        params: [],
        results: [],
        fields: [field],
        final: true,
        supertype: -1,
      };
    }
    default:
      ctx.fail(l.items[0], "unexpected token");
  }
}

/** `storagetype` or `(mut storagetype)`, a storage type being a value type, `i8` or `i16`. */
function fieldType(ctx: Ctx, n: SNode | undefined, parent: SNode): FieldType {
  if (ctx.isList(n, "mut")) {
    ctx.end(n, 2);
    return { type: storageType(ctx, n.items[1], n), mutable: true };
  }
  return { type: storageType(ctx, n, parent), mutable: false };
}

function storageType(ctx: Ctx, n: SNode | undefined, parent: SNode): number {
  if (ctx.isKeyword(n, "i8")) return 0x78;
  if (ctx.isKeyword(n, "i16")) return 0x77;
  return ctx.valType(n, parent);
}
