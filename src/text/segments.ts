/**
 * Element and data segments, in all their text forms (active with a table
 * or memory use and an offset, passive, declarative; function-index lists
 * and expression lists). The binary variant (`flags`) is chosen the way
 * wasm-tools chooses it, so that encodings compare byte for byte.
 *
 * @module
 */
import type { SList, SNode } from "./lexer.ts";
import type { Ctx, Space } from "./_context.ts";
import { constExpr } from "./instructions.ts";
import type { Expr, RefType, SegmentMode } from "../binary/types.ts";
import { FUNC_INDEX_ELEM } from "../binary/valtype.ts";

/** An offset: `(offset instr*)` or one folded instruction. */
function offsetExpr(ctx: Ctx, n: SList): Expr {
  if (ctx.isList(n, "offset")) return { bytes: constExpr(ctx, n.items, 1), offset: 0 };
  return { bytes: constExpr(ctx, [n], 0), offset: 0 };
}

/** Where an active segment goes (`explicit`: it named its table or memory). */
interface ActiveUse {
  index: number;
  explicit: boolean;
  /** Null for a passive (or declarative) segment. */
  offset: Expr | null;
  /** The item after the use and offset. */
  next: number;
}

/**
 * `((kw x) | x)? offset?` from `f.items[i]`: a table or memory use, then the
 * offset, which must follow an explicit use.
 */
function activeUse(ctx: Ctx, f: SList, i: number, kw: string, space: Space): ActiveUse {
  const it = f.items;
  let index = 0;
  let explicit = false;
  let offset: Expr | null = null;
  const t = it[i];
  if (ctx.isList(t, kw)) {
    ctx.end(t, 2);
    index = ctx.index(t.items[1], t, space);
    explicit = true;
    i++;
  } else if (ctx.isIndex(t) && it[i + 1]?.kind === "list") {
    index = ctx.index(t, f, space);
    explicit = true;
    i++;
  }
  const o = it[i];
  if (o !== undefined && o.kind === "list" && !ctx.isList(o, "ref")) {
    offset = offsetExpr(ctx, o);
    i++;
  } else if (explicit) ctx.fail(o ?? f, "unexpected token");
  return { index, explicit, offset, next: i };
}

/** `(elem $id? …)`. */
export function parseElem(ctx: Ctx, f: SList): void {
  const it = f.items;
  let i = 1;
  if (it[i]?.kind === "id") i++;
  let mode: SegmentMode = "passive";
  let table = 0;
  let explicitTable = false;
  let offset: Expr | null = null;
  if (ctx.isKeyword(it[i], "declare")) {
    mode = "declarative";
    i++;
  } else {
    const use = activeUse(ctx, f, i, "table", ctx.tables);
    table = use.index;
    explicitTable = use.explicit;
    offset = use.offset;
    if (offset !== null) mode = "active";
    i = use.next;
  }
  let type: RefType = FUNC_INDEX_ELEM;
  let funcs: number[] | null = null;
  let exprs: Expr[] | null = null;
  const k = it[i];
  if (ctx.isKeyword(k, "func")) {
    funcs = it.slice(i + 1).map((x) => ctx.index(x, f, ctx.funcs));
  } else if ((k !== undefined && k.kind === "keyword") || ctx.isRefType(k)) {
    type = ctx.refType(k, f);
    exprs = it.slice(i + 1).map((x) => ({ bytes: elemItem(ctx, x), offset: 0 }));
  } else if (mode === "active") {
    funcs = it.slice(i).map((x) => ctx.index(x, f, ctx.funcs));
  } else {
    ctx.fail(k ?? f, "unexpected token");
  }
  let flags: number;
  if (funcs !== null) {
    flags = mode === "passive" ? 1 : mode === "declarative" ? 3 : explicitTable ? 2 : 0;
  } else {
    flags = mode === "passive"
      ? 5
      : mode === "declarative"
      ? 7
      : !explicitTable && type === 0x70
      ? 4
      : 6;
  }
  ctx.m.elems.push({ mode, table, offset, type, funcs, exprs, flags });
}

/** `(data $id? (memory x)? offset? "…"*)`. */
export function parseData(ctx: Ctx, f: SList): void {
  const it = f.items;
  let i = 1;
  if (it[i]?.kind === "id") i++;
  const { index: memory, offset, next } = activeUse(ctx, f, i, "memory", ctx.mems);
  i = next;
  const parts = it.slice(i).map((s: SNode) => ctx.bytes(s, f));
  const bytes = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  if (offset === null) {
    ctx.m.datas.push({ mode: "passive", memory: 0, offset: null, bytes, flags: 1 });
  } else {
    ctx.m.datas.push({ mode: "active", memory, offset, bytes, flags: memory === 0 ? 0 : 2 });
  }
}

/** One element expression: `(item instr*)` or a single folded instruction. */
export function elemItem(ctx: Ctx, x: SNode): Uint8Array {
  if (x.kind !== "list") ctx.fail(x, "unexpected token");
  if (ctx.isList(x, "item")) return constExpr(ctx, x.items, 1);
  return constExpr(ctx, [x], 0);
}
