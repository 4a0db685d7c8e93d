/**
 * Canonical definitions in the text format: `(canon lift …)`, `(canon
 * lower …)`, the resource, async and thread built-ins, their options, and
 * the `(core func (canon …))` / `(func (canon lift …))` abbreviations.
 *
 * @module
 */
import type { SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type { Canon, CanonOpt, ValTypeRef } from "../../component/binary/model.ts";
import {
  type CoreItemRef,
  coreItemRefFrom,
  corePrefixedContents,
  corePrefixedRef,
  indexOrRef,
  itemRefFrom,
  resolveCoreItem,
  resolveItem,
} from "./refs.ts";
import type { Scope } from "./scope.ts";
import type { Emit, Thunk } from "./types.ts";
import { parseValType } from "./value_types.ts";

const ENCODINGS: Readonly<Record<string, CanonOpt>> = {
  "string-encoding=utf8": { kind: "string-encoding", encoding: "utf8" },
  "string-encoding=utf16": { kind: "string-encoding", encoding: "utf16" },
  "string-encoding=latin1+utf16": { kind: "string-encoding", encoding: "latin1+utf16" },
  "async": { kind: "async" },
  "gc": { kind: "gc" },
};

/** True when `n` is a canonical option. */
export function isCanonOpt(ctx: Ctx, n: SNode | undefined): boolean {
  if (n === undefined) return false;
  if (n.kind === "keyword") return ENCODINGS[n.text] !== undefined;
  return ["memory", "realloc", "post-return", "callback", "core-type"].some((k) =>
    ctx.isList(n, k)
  );
}

/** Canonical options from `items[i…end)`. */
export function parseOpts(ctx: Ctx, items: SNode[], i: number, end: number): Thunk<CanonOpt[]> {
  const opts: Thunk<CanonOpt>[] = [];
  for (; i < end; i++) {
    const n = items[i];
    if (n.kind === "keyword" && ENCODINGS[n.text] !== undefined) {
      const o = ENCODINGS[n.text];
      opts.push(() => o);
      continue;
    }
    if (n.kind !== "list") ctx.fail(n, "unexpected token");
    const kw = ctx.head(n);
    if (kw === "memory") {
      const ref = corePrefixedContents(ctx, n, 1, "memory");
      opts.push((s) => ({ kind: "memory", index: resolveCoreItem(s, ref) }));
    } else if (kw === "realloc" || kw === "post-return" || kw === "callback") {
      ctx.end(n, 2);
      const ref = corePrefixedRef(ctx, n.items[1], n, "func", true);
      opts.push((s) => ({ kind: kw, index: resolveCoreItem(s, ref) }));
    } else if (kw === "core-type") {
      ctx.end(n, 2);
      const ref = corePrefixedRef(ctx, n.items[1], n, "type", true);
      opts.push((s) => ({ kind: "core-type", index: resolveCoreItem(s, ref) }));
    } else {
      ctx.fail(n.items[0], "unexpected token");
    }
  }
  return (s) => opts.map((o) => o(s));
}

/** `(core func idx "name"?)` (the function a lift lifts). */
function coreFuncRef(ctx: Ctx, n: SNode | undefined, parent: SNode): CoreItemRef {
  if (!ctx.isList(n, "core")) ctx.fail(n ?? parent, "unexpected token");
  if (!ctx.isKeyword(n.items[1], "func")) ctx.fail(n.items[1] ?? n, "unexpected token");
  return coreItemRefFrom(ctx, n, 2, "core func");
}

/** `lift (core func …) opts*` from `items[i…end)`: the lifted function's core func and options. */
export function parseLift(
  ctx: Ctx,
  items: SNode[],
  i: number,
  end: number,
  parent: SList,
): (s: Scope, type: number) => Canon {
  if (!ctx.isKeyword(items[i], "lift")) ctx.fail(items[i] ?? parent, "unexpected token");
  const func = coreFuncRef(ctx, items[i + 1], parent);
  const opts = parseOpts(ctx, items, i + 2, end);
  return (s, type) => {
    const coreFunc = resolveCoreItem(s, func);
    return { kind: "lift", coreFunc, options: opts(s), type };
  };
}

const RESOURCE = new Set(["resource.new", "resource.drop", "resource.rep"]);
const TYPED = new Set([
  "stream.new",
  "stream.drop-readable",
  "stream.drop-writable",
  "future.new",
  "future.drop-readable",
  "future.drop-writable",
]);
const TYPED_OPTS = new Set(["stream.read", "stream.write", "future.read", "future.write"]);
const TYPED_ASYNC = new Set([
  "stream.cancel-read",
  "stream.cancel-write",
  "future.cancel-read",
  "future.cancel-write",
]);
const CANCELLABLE = new Set([
  "thread.suspend",
  "thread.yield",
  "thread.suspend-then-resume",
  "thread.yield-then-resume",
  "thread.suspend-then-promote",
  "thread.yield-then-promote",
]);
const PLAIN = new Set([
  "backpressure.inc",
  "backpressure.dec",
  "task.cancel",
  "subtask.drop",
  "error-context.drop",
  "waitable-set.new",
  "waitable-set.drop",
  "waitable.join",
  "thread.index",
  "thread.resume-later",
]);

/**
 * A built-in that defines a core function, from `items[i…end)` (starting at
 * its keyword: `lower`, `resource.new`, …).
 */
export function parseBuiltin(
  ctx: Ctx,
  items: SNode[],
  i: number,
  end: number,
  parent: SList,
  pre: Emit[],
): Thunk<Canon> {
  const kwNode = items[i];
  if (kwNode === undefined || kwNode.kind !== "keyword") {
    ctx.fail(kwNode ?? parent, "unexpected token");
  }
  const kw = kwNode.text;
  const arg = items[i + 1];
  const count = end - i;
  const only = (n: number) => {
    if (count > n) ctx.fail(items[i + n], "unexpected token");
  };
  const flag = (word: string): boolean => {
    if (count === 1) return false;
    if (!ctx.isKeyword(arg, word)) ctx.fail(arg, "unexpected token");
    only(2);
    return true;
  };
  if (kw === "lower") {
    if (!ctx.isList(arg, "func")) ctx.fail(arg ?? parent, "unexpected token");
    const func = itemRefFrom(ctx, arg, "func");
    const opts = parseOpts(ctx, items, i + 2, end);
    return (s) => ({ kind: "lower", func: resolveItem(s, func), options: opts(s) });
  }
  if (PLAIN.has(kw)) {
    only(1);
    return () => ({ kind: kw } as Canon);
  }
  if (RESOURCE.has(kw)) {
    const ref = indexOrRef(ctx, arg, parent, "type", "type");
    only(2);
    return (s) => ({ kind: kw, resource: resolveItem(s, ref) } as Canon);
  }
  if (TYPED.has(kw) || TYPED_OPTS.has(kw) || TYPED_ASYNC.has(kw)) {
    const ref = indexOrRef(ctx, arg, parent, "type", "type");
    if (TYPED.has(kw)) {
      only(2);
      return (s) => ({ kind: kw, type: resolveItem(s, ref) } as Canon);
    }
    if (TYPED_ASYNC.has(kw)) {
      const async = count > 2;
      if (async) {
        if (!ctx.isKeyword(items[i + 2], "async")) ctx.fail(items[i + 2], "unexpected token");
        only(3);
      }
      return (s) => ({ kind: kw, type: resolveItem(s, ref), async } as Canon);
    }
    const opts = parseOpts(ctx, items, i + 2, end);
    return (s) => ({ kind: kw, type: resolveItem(s, ref), options: opts(s) } as Canon);
  }
  if (CANCELLABLE.has(kw)) {
    const cancellable = flag("cancellable");
    return () => ({ kind: kw, cancellable } as Canon);
  }
  switch (kw) {
    case "task.return": {
      let k = i + 1;
      let result: Thunk<ValTypeRef | null> = () => null;
      if (ctx.isList(items[k], "result")) {
        const r = items[k++] as SList;
        ctx.end(r, 2);
        result = parseValType(ctx, r.items[1], r, pre);
      }
      const opts = parseOpts(ctx, items, k, end);
      return (s) => ({ kind: "task.return", result: result(s), options: opts(s) });
    }
    case "context.get":
    case "context.set": {
      only(3);
      const type = ctx.valType(arg, parent);
      const slot = ctx.u32(items[i + 2], parent);
      return () => ({ kind: kw, type, slot });
    }
    case "subtask.cancel": {
      const async = flag("async");
      return () => ({ kind: "subtask.cancel", async });
    }
    case "error-context.new":
    case "error-context.debug-message": {
      const opts = parseOpts(ctx, items, i + 1, end);
      return (s) => ({ kind: kw, options: opts(s) });
    }
    case "waitable-set.wait":
    case "waitable-set.poll": {
      let k = i + 1;
      const cancellable = ctx.isKeyword(items[k], "cancellable");
      if (cancellable) k++;
      const m = items[k];
      if (!ctx.isList(m, "memory")) ctx.fail(m ?? parent, "unexpected token");
      only(k - i + 1);
      const ref = corePrefixedContents(ctx, m, 1, "memory");
      return (s) => ({ kind: kw, cancellable, memory: resolveCoreItem(s, ref) });
    }
    case "thread.new-indirect":
    case "thread.spawn-indirect": {
      only(3);
      const type = corePrefixedRef(ctx, arg, parent, "type", false);
      const table = corePrefixedRef(ctx, items[i + 2], parent, "table", true);
      return (s) => {
        const t = resolveCoreItem(s, type);
        const tbl = resolveCoreItem(s, table);
        return kw === "thread.new-indirect"
          ? { kind: kw, type: t, table: tbl }
          : { kind: kw, shared: false, type: t, table: tbl };
      };
    }
    case "thread.spawn-ref": {
      only(2);
      const type = corePrefixedRef(ctx, arg, parent, "type", false);
      return (s) => ({ kind: kw, shared: false, type: resolveCoreItem(s, type) });
    }
    case "thread.available-parallelism":
      only(1);
      return () => ({ kind: kw, shared: false });
  }
  ctx.fail(kwNode, "unexpected token");
}
