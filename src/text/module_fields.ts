/**
 * Pass 2 over a module's fields: fills in the module structure in text
 * order (which is also the order implicit types are appended in): imports,
 * functions with their bodies, tables, memories, globals, exports, start,
 * and the inline abbreviations (inline imports/exports, inline elem/data).
 *
 * @module
 */
import type { SAtom, SList, SNode } from "./lexer.ts";
import type { Ctx } from "./_context.ts";
import { ByteWriter } from "../binary/leb_write.ts";
import type { Expr, ExternKind, ImportDesc, Limits, ValType } from "../binary/types.ts";
import { FUNC_INDEX_ELEM, Heap } from "../binary/valtype.ts";
import { paramCount, parseTypeUse, useIndex } from "./typeuse.ts";
import { constExpr, InstrWriter } from "./instructions.ts";
import { afterIdAndExports, scanFields, spaceOf } from "./module_scan.ts";
import { elemItem, parseData, parseElem } from "./segments.ts";
import { hintsWithin, resolveHints } from "./branch_hints.ts";

const EXTERN: Readonly<Record<string, ExternKind>> = {
  func: 0,
  table: 1,
  memory: 2,
  global: 3,
  tag: 4,
};

/**
 * Parses the fields of a module, already read as S-expressions of `ctx.src`,
 * into `ctx.m` (also for `(core module …)` in components).
 */
export function parseModuleFields(ctx: Ctx, fields: SNode[]): void {
  try {
    parseFields(ctx, fields);
  } catch (e) {
    // Folded instructions nest on the JS stack; absurd depth is malformed input, not a crash.
    if (e instanceof RangeError && ctx.deepNode !== null) {
      ctx.fail(ctx.deepNode, "nesting too deep");
    }
    throw e;
  }
}

/** Parses the fields of a module into `ctx.m`. */
export function parseFields(ctx: Ctx, fields: SNode[]): void {
  scanFields(ctx, fields);
  const next = { func: 0, table: 0, memory: 0, global: 0, tag: 0 } as Record<string, number>;
  for (const f of fields as SList[]) {
    const kw = ctx.head(f);
    switch (kw) {
      case "type":
      case "rec":
        break;
      case "import":
        parseImport(ctx, f, next);
        break;
      case "func":
      case "table":
      case "memory":
      case "global":
      case "tag": {
        const index = next[kw]++;
        let i = afterIdAndExports(ctx, f);
        for (let k = 1; k < i; k++) {
          const e = f.items[k];
          if (ctx.isList(e, "export")) {
            ctx.end(e, 2);
            ctx.m.exports.push({ name: ctx.name(e.items[1], e), kind: EXTERN[kw], index });
          }
        }
        const imp = f.items[i];
        if (ctx.isList(imp, "import")) {
          ctx.end(imp, 3);
          const module = ctx.name(imp.items[1], imp);
          const name = ctx.name(imp.items[2], imp);
          i++;
          ctx.m.imports.push({ module, name, desc: importDesc(ctx, kw, f, i) });
        } else if (kw === "func") parseFunc(ctx, f, i, index);
        else if (kw === "table") parseTable(ctx, f, i, index);
        else if (kw === "memory") parseMemory(ctx, f, i, index);
        else if (kw === "tag") ctx.m.tags.push(tagType(ctx, f, i));
        else parseGlobal(ctx, f, i);
        break;
      }
      case "export": {
        ctx.end(f, 3);
        const name = ctx.name(f.items[1], f);
        const d = f.items[2];
        if (!(d.kind === "list")) ctx.fail(d, "unexpected token");
        const dk = ctx.head(d);
        const space = spaceOf(ctx, dk);
        if (space === null) ctx.fail(d.items[0], "unexpected token");
        ctx.end(d, 2);
        ctx.m.exports.push({ name, kind: EXTERN[dk], index: ctx.index(d.items[1], d, space) });
        break;
      }
      case "start":
        if (ctx.m.start !== null) ctx.fail(f, "multiple start sections");
        ctx.end(f, 2);
        ctx.m.start = ctx.index(f.items[1], f, ctx.funcs);
        break;
      case "elem":
        parseElem(ctx, f);
        break;
      case "data":
        parseData(ctx, f);
        break;
    }
  }
  if (ctx.needsDataCount) ctx.m.dataCount = ctx.m.datas.length;
}

function parseImport(ctx: Ctx, f: SList, next: Record<string, number>): void {
  ctx.end(f, 4);
  const module = ctx.name(f.items[1], f);
  const name = ctx.name(f.items[2], f);
  const d = f.items[3] as SList;
  const kind = ctx.head(d);
  const i = d.items[1]?.kind === "id" ? 2 : 1;
  next[kind]++; // imports take the first indices of their space
  ctx.m.imports.push({ module, name, desc: importDesc(ctx, kind, d, i) });
}

/** The description of an imported entity, from `l.items[i…]`. */
export function importDesc(ctx: Ctx, kind: string, l: SList, i: number): ImportDesc {
  const it = l.items;
  switch (kind) {
    case "func": {
      const u = parseTypeUse(ctx, it, i, true);
      if (u.next < it.length) ctx.fail(it[u.next], "unexpected token");
      return { kind: 0, type: useIndex(ctx, u) };
    }
    case "tag":
      return { kind: 4, type: tagType(ctx, l, i) };
    case "table": {
      const is64 = ctx.isKeyword(it[i], "i64");
      if (is64 || ctx.isKeyword(it[i], "i32")) i++;
      const limits = parseLimits(ctx, l, i, is64, false);
      const elem = ctx.refType(it[limits.next], l);
      ctx.end(l, limits.next + 1);
      return { kind: 1, type: { elem, limits: limits.limits } };
    }
    case "memory": {
      const is64 = ctx.isKeyword(it[i], "i64");
      if (is64 || ctx.isKeyword(it[i], "i32")) i++;
      const limits = parseLimits(ctx, l, i, is64, true);
      ctx.end(l, limits.next);
      return { kind: 2, type: { limits: limits.limits } };
    }
    default: {
      const type = globalType(ctx, it[i], l);
      ctx.end(l, i + 1);
      return { kind: 3, type };
    }
  }
}

/** `min max? shared?` (shared only for memories). */
function parseLimits(
  ctx: Ctx,
  l: SList,
  i: number,
  is64: boolean,
  memory: boolean,
): { limits: Limits; next: number } {
  const it = l.items;
  const bits = is64 || ctx.features.memory64 ? 64 : 32;
  const min = ctx.unsigned(it[i++], l, bits);
  let max: bigint | null = null;
  if (it[i]?.kind === "num") max = ctx.unsigned(it[i++], l, bits);
  let shared = false;
  if (memory && ctx.isKeyword(it[i], "shared")) {
    shared = true;
    i++;
  } else if (memory && ctx.isKeyword(it[i], "unshared")) i++;
  return { limits: { min, max, shared, index64: is64 }, next: i };
}

/** A tag's type use, from `l.items[i…]`: its type index. */
function tagType(ctx: Ctx, l: SList, i: number): number {
  const u = parseTypeUse(ctx, l.items, i, true);
  if (u.next < l.items.length) ctx.fail(l.items[u.next], "unexpected token");
  return useIndex(ctx, u);
}

/** `t` or `(mut t)`. */
function globalType(ctx: Ctx, n: SNode | undefined, parent: SNode) {
  if (ctx.isList(n, "mut")) {
    ctx.end(n, 2);
    return { type: ctx.valType(n.items[1], n), mutable: true };
  }
  return { type: ctx.valType(n, parent), mutable: false };
}

function parseFunc(ctx: Ctx, f: SList, i: number, index: number): void {
  const it = f.items;
  const u = parseTypeUse(ctx, it, i, true);
  ctx.m.funcs.push(useIndex(ctx, u));
  const locals = new Map<string, number>();
  let count = paramCount(ctx, u);
  u.paramIds.forEach((id, k) => addLocal(ctx, locals, id, k));
  const decls: { count: number; type: ValType }[] = [];
  const push = (t: ValType) => {
    const last = decls[decls.length - 1];
    if (last !== undefined && last.type === t) last.count++;
    else decls.push({ count: 1, type: t });
  };
  i = u.next;
  for (; ctx.isList(it[i], "local"); i++) {
    const l = it[i] as SList;
    if (l.items[1]?.kind === "id") {
      push(ctx.valType(l.items[2], l));
      addLocal(ctx, locals, l.items[1] as SAtom, count++);
      ctx.end(l, 3);
    } else {
      for (const t of l.items.slice(1)) {
        push(ctx.valType(t, l));
        count++;
      }
    }
  }
  ctx.localNames.push([index, locals]);
  const w = new ByteWriter(64);
  const iw = new InstrWriter(ctx, w, locals);
  const hints = hintsWithin(ctx, f);
  if (hints.length > 0) iw.positions = [];
  iw.seq(it, i);
  if (iw.labelNames.length > 0) ctx.labelNames.push([index, iw.labelNames]);
  if (hints.length > 0) resolveHints(ctx, index, hints, iw.positions!, decls);
  w.u8(0x0b);
  ctx.m.codes.push({ locals: decls, body: { bytes: w.finish(), offset: 0 } });
}

function addLocal(ctx: Ctx, locals: Map<string, number>, id: SAtom | null, index: number): void {
  if (id === null) return;
  if (locals.has(id.text)) ctx.fail(id, `duplicate local $${id.text}`);
  locals.set(id.text, index);
}

function parseTable(ctx: Ctx, f: SList, i: number, index: number): void {
  const it = f.items;
  const is64 = ctx.isKeyword(it[i], "i64");
  if (is64 || ctx.isKeyword(it[i], "i32")) i++;
  const last = it[it.length - 1];
  if (ctx.isList(last, "elem")) {
    // (table t (elem …)): a table exactly as large as the inline segment.
    const elem = ctx.refType(it[i], f);
    ctx.end(f, i + 2);
    const items = last.items.slice(1);
    const n = BigInt(items.length);
    ctx.m.tables.push({ elem, limits: { min: n, max: n, shared: false, index64: is64 } });
    const offset = { bytes: Uint8Array.of(is64 ? 0x42 : 0x41, 0, 0x0b), offset: 0 };
    const active = (type: number, funcs: number[] | null, exprs: Expr[] | null) =>
      ctx.m.elems.push({
        mode: "active",
        table: index,
        offset,
        type,
        funcs,
        exprs,
        flags: funcs ? 2 : 6,
      });
    if (items.length > 0 && items[0].kind === "list") {
      active(elem, null, items.map((x) => ({ bytes: elemItem(ctx, x), offset: 0 })));
      return;
    }
    const funcs = items.map((x) => ctx.index(x, last, ctx.funcs));
    // Only funcref has an index-list encoding: other types list `ref.func`s.
    if (elem === Heap.func) active(FUNC_INDEX_ELEM, funcs, null);
    else active(elem, null, funcs.map((x) => ({ bytes: refFunc(x), offset: 0 })));
    return;
  }
  const limits = parseLimits(ctx, f, i, is64, false);
  const elem = ctx.refType(it[limits.next], f);
  if (limits.next + 1 < it.length) {
    // wasm 3.0: an initialiser expression for every element.
    const init = constExpr(ctx, it, limits.next + 1);
    ctx.m.tables.push({ elem, limits: limits.limits, init: { bytes: init, offset: 0 } });
    return;
  }
  ctx.m.tables.push({ elem, limits: limits.limits });
}

/** `ref.func x end`. */
function refFunc(x: number): Uint8Array {
  const w = new ByteWriter(8);
  w.u8(0xd2);
  w.u32(x);
  w.u8(0x0b);
  return w.finish();
}

function parseMemory(ctx: Ctx, f: SList, i: number, index: number): void {
  const it = f.items;
  const is64 = ctx.isKeyword(it[i], "i64");
  if (is64 || ctx.isKeyword(it[i], "i32")) i++;
  const last = it[i];
  if (ctx.isList(last, "data")) {
    ctx.end(f, i + 1);
    const parts = last.items.slice(1).map((s) => ctx.bytes(s, last));
    const size = parts.reduce((a, b) => a + b.length, 0);
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const pages = BigInt(Math.ceil(size / 65536));
    ctx.m.memories.push({ limits: { min: pages, max: pages, shared: false, index64: is64 } });
    ctx.m.datas.push({
      mode: "active",
      memory: index,
      offset: { bytes: Uint8Array.of(is64 ? 0x42 : 0x41, 0, 0x0b), offset: 0 },
      bytes,
      flags: index === 0 ? 0 : 2,
    });
    return;
  }
  const limits = parseLimits(ctx, f, i, is64, true);
  ctx.end(f, limits.next);
  ctx.m.memories.push({ limits: limits.limits });
}

function parseGlobal(ctx: Ctx, f: SList, i: number): void {
  const type = globalType(ctx, f.items[i], f);
  const init = constExpr(ctx, f.items, i + 1);
  ctx.m.globals.push({ type, init: { bytes: init, offset: 0 } });
}
