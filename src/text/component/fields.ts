/**
 * The fields of a component in the text format, planned in two steps as
 * wasm-tools does: parsing checks the syntax of every field and expands the
 * abbreviations (inline type definitions and instance bundles go before
 * the field, inline `(export …)`s after all fields); running the plan in a
 * {@link Scope} resolves names and emits the definitions.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "../lexer.ts";
import { Ctx } from "../_context.ts";
import { parseModuleFields } from "../module_fields.ts";
import { nameSection } from "../names.ts";
import { encodeModule } from "../../binary/encode.ts";
import type { ComponentModel } from "../../component/binary/model.ts";
import { NS_OF_SORT, Scope } from "./scope.ts";
import { isIndex, type ItemRef, itemRefFrom, resolveItem } from "./refs.ts";
import { parseAlias } from "./alias.ts";
import { parseBuiltin, parseLift } from "./canon.ts";
import { type Emit, parseItemSig, parseTypeField, parseTypeUse } from "./types.ts";
import { parseCoreTypeField } from "./core_types.ts";
import { parseExternName } from "./extern_names.ts";
import { componentNames } from "./names.ts";
import { itemHead, optId } from "./item_head.ts";
import { parseExportItem, planCoreInstance, planInstance } from "./instances.ts";

/** Options of the component text parser. */
export interface PlanOptions {
  /** Emit name sections for `$identifiers` (component-name, and core `name`). */
  names: boolean;
}

/** A planned component body: run it in a fresh component scope. */
export type ComponentPlan = Emit;

/** Plans the fields of a component. */
export function planFields(ctx: Ctx, fields: SNode[], options: PlanOptions): ComponentPlan {
  const steps: Emit[] = [];
  const appended: Emit[] = [];
  for (const f of fields) {
    if (f.kind !== "list") ctx.fail(f, "unexpected token");
    const pre: Emit[] = [];
    const main = planField(ctx, f, pre, appended, options);
    steps.push(...pre, main);
  }
  return (s) => {
    for (const e of steps) e(s);
    for (const e of appended) e(s);
  };
}

/** Runs a plan in a new component scope and returns the component. */
export function runPlan(
  ctx: Ctx,
  plan: ComponentPlan,
  id: SAtom | null,
  parent: Scope | null,
  options: PlanOptions,
): ComponentModel {
  const s = new Scope(ctx, "component", id?.text ?? null, parent);
  plan(s);
  return {
    definitions: s.defs,
    customs: [],
    names: options.names ? componentNames(s, id?.text ?? null) : null,
    offset: 0,
    end: 0,
  };
}

function planField(ctx: Ctx, f: SList, pre: Emit[], appended: Emit[], options: PlanOptions): Emit {
  const it = f.items;
  const kw = ctx.head(f);
  switch (kw) {
    case "core": {
      const second = it[1];
      if (second === undefined || second.kind !== "keyword") {
        ctx.fail(second ?? f, "unexpected token");
      }
      switch (second.text) {
        case "module":
          return planCoreModule(ctx, f, pre, appended, options);
        case "instance":
          return planCoreInstance(ctx, f, pre);
        case "type":
          return parseCoreTypeField(ctx, f);
        case "func":
          return planCoreFunc(ctx, f, pre);
        case "rec":
          ctx.fail(second, "gc types are not supported");
      }
      ctx.fail(second, "unexpected token");
      break;
    }
    case "component":
      return planNested(ctx, f, pre, appended, options);
    case "instance":
      return planInstance(ctx, f, pre, appended);
    case "alias":
      return parseAlias(ctx, f);
    case "type": {
      const t = parseTypeField(ctx, f, pre, true);
      for (const e of t.exports) {
        appended.push((s) => {
          s.defs.push({
            kind: "export",
            name: e.name,
            item: { sort: "type", index: t.index() },
            desc: null,
            offset: 0,
          });
          s.register("type", null);
        });
      }
      return t.emit;
    }
    case "canon":
      return planCanon(ctx, f, pre);
    case "func":
      return planFunc(ctx, f, pre, appended);
    case "start":
      return planStart(ctx, f);
    case "import": {
      const name = parseExternName(ctx, f, 1);
      const sig = it[name.next];
      if (sig === undefined || sig.kind !== "list") ctx.fail(sig ?? f, "unexpected token");
      ctx.end(f, name.next + 1);
      const item = parseItemSig(ctx, sig, true, pre);
      return (s) => {
        const desc = item.desc(s);
        s.defs.push({ kind: "import", name: name.name, desc, offset: 0 });
        s.register(item.ns, item.id);
      };
    }
    case "export":
      return planExport(ctx, f, pre);
  }
  ctx.fail(it[0], "unexpected token");
}

function planCoreModule(
  ctx: Ctx,
  f: SList,
  pre: Emit[],
  appended: Emit[],
  options: PlanOptions,
): Emit {
  const it = f.items;
  const head = itemHead(ctx, f, 2, "module", pre, appended);
  if (head.imported !== null) return head.imported;
  const { id, next: k, index } = head;
  const core = new Ctx(ctx.src, ctx.features);
  parseModuleFields(core, it.slice(k));
  if (options.names) {
    const names = nameSection(core, id?.text ?? null, {
      module: null,
      funcs: new Map(),
      tags: new Map(),
    });
    if (names !== null) core.m.customs.push(names);
  }
  const bytes = encodeModule(core.m);
  return (s) => {
    s.defs.push({ kind: "coreModule", module: { bytes, offset: 0 }, offset: 0 });
    index.value = s.register("core module", id);
  };
}

function planCoreFunc(ctx: Ctx, f: SList, pre: Emit[]): Emit {
  const it = f.items;
  const [id, k] = optId(it, 2);
  const body = it[k];
  ctx.end(f, k + 1);
  if (ctx.isList(body, "alias")) {
    const b = body.items;
    if (!ctx.isKeyword(b[1], "core") || !ctx.isKeyword(b[2], "export")) {
      ctx.fail(b[1] ?? body, "unexpected token");
    }
    ctx.end(body, 5);
    const inst = b[3];
    if (!isIndex(inst)) ctx.fail(inst ?? body, "unexpected token");
    const name = ctx.name(b[4], body);
    return (s) => {
      const instance = s.resolve({ node: inst }, "core instance");
      s.pushAlias({ kind: "coreExport", sort: "func", instance, name }, id);
    };
  }
  const c = body as SNode as SList;
  if (!ctx.isList(c, "canon")) ctx.fail(c ?? f, "unexpected token");
  const canon = parseBuiltin(ctx, c.items, 1, c.items.length, c, pre);
  return (s) => {
    s.defs.push({ kind: "canon", canon: canon(s), offset: 0 });
    s.register("core func", id);
  };
}

function planCanon(ctx: Ctx, f: SList, pre: Emit[]): Emit {
  const it = f.items;
  const last = it[it.length - 1];
  if (ctx.isKeyword(it[1], "lift")) {
    if (!ctx.isList(last, "func")) ctx.fail(last ?? f, "unexpected token");
    const lift = parseLift(ctx, it, 1, it.length - 1, f);
    const [id, k] = optId(last.items, 1);
    const type = parseTypeUse(ctx, last.items, k, last.items.length, "func", last, pre);
    return (s) => {
      const t = type(s);
      s.defs.push({ kind: "canon", canon: lift(s, t), offset: 0 });
      s.register("func", id);
    };
  }
  if (!ctx.isList(last, "core") || !ctx.isKeyword(last.items[1], "func")) {
    ctx.fail(last ?? f, "unexpected token");
  }
  const [id, k] = optId(last.items, 2);
  ctx.end(last, k);
  const canon = parseBuiltin(ctx, it, 1, it.length - 1, f, pre);
  return (s) => {
    s.defs.push({ kind: "canon", canon: canon(s), offset: 0 });
    s.register("core func", id);
  };
}

function planFunc(ctx: Ctx, f: SList, pre: Emit[], appended: Emit[]): Emit {
  const it = f.items;
  const head = itemHead(ctx, f, 1, "func", pre, appended);
  if (head.imported !== null) return head.imported;
  const { id, next: k, index } = head;
  const body = it[k];
  if (ctx.isList(body, "alias")) {
    ctx.end(f, k + 1);
    const b = body.items;
    if (!ctx.isKeyword(b[1], "export")) ctx.fail(b[1] ?? body, "unexpected token");
    ctx.end(body, 4);
    const inst = b[2];
    if (!isIndex(inst)) ctx.fail(inst ?? body, "unexpected token");
    const name = ctx.name(b[3], body);
    return (s) => {
      const instance = s.resolve({ node: inst }, "instance");
      index.value = s.pushAlias({ kind: "export", sort: "func", instance, name }, id);
    };
  }
  const last = it[it.length - 1];
  if (!ctx.isList(last, "canon")) ctx.fail(last ?? f, "unexpected token");
  const type = parseTypeUse(ctx, it, k, it.length - 1, "func", f, pre);
  const lift = parseLift(ctx, last.items, 1, last.items.length, last);
  return (s) => {
    const t = type(s);
    s.defs.push({ kind: "canon", canon: lift(s, t), offset: 0 });
    index.value = s.register("func", id);
  };
}

function planNested(ctx: Ctx, f: SList, pre: Emit[], appended: Emit[], options: PlanOptions): Emit {
  const it = f.items;
  const head = itemHead(ctx, f, 1, "component", pre, appended);
  if (head.imported !== null) return head.imported;
  const { id, next: k, index } = head;
  const plan = planFields(ctx, it.slice(k), options);
  return (s) => {
    const component = runPlan(ctx, plan, id, s, options);
    s.defs.push({ kind: "component", component, offset: 0 });
    index.value = s.register("component", id);
  };
}

function planExport(ctx: Ctx, f: SList, pre: Emit[]): Emit {
  const x = parseExportItem(ctx, f);
  const sig = f.items[x.next];
  ctx.end(f, sig === undefined ? x.next : x.next + 1);
  let desc: ReturnType<typeof parseItemSig> | null = null;
  if (sig !== undefined) {
    if (sig.kind !== "list") ctx.fail(sig, "unexpected token");
    desc = parseItemSig(ctx, sig, false, pre);
  }
  return (s) => {
    const d = desc === null ? null : desc.desc(s);
    const index = resolveItem(s, x.ref);
    s.defs.push({
      kind: "export",
      name: x.name,
      item: { sort: x.sort, index },
      desc: d,
      offset: 0,
    });
    s.register(NS_OF_SORT[x.sort], x.id);
  };
}

function planStart(ctx: Ctx, f: SList): Emit {
  const it = f.items;
  const func = it[1];
  if (!isIndex(func)) ctx.fail(func ?? f, "unexpected token");
  let k = 2;
  const args: ItemRef[] = [];
  while (ctx.isList(it[k], "value")) args.push(itemRefFrom(ctx, it[k++] as SList, "value"));
  const results: (SAtom | null)[] = [];
  while (ctx.isList(it[k], "result")) {
    const r = it[k++] as SList;
    ctx.end(r, 2);
    const v = r.items[1];
    if (!ctx.isList(v, "value")) ctx.fail(v ?? r, "unexpected token");
    const [rid, rk] = optId(v.items, 1);
    ctx.end(v, rk);
    results.push(rid);
  }
  ctx.end(f, k);
  return (s) => {
    const fi = s.resolve({ node: func }, "func");
    const a = args.map((r) => resolveItem(s, r));
    s.defs.push({
      kind: "start",
      start: { func: fi, args: a, results: results.length },
      offset: 0,
    });
    for (const r of results) s.register("value", r);
  };
}
