/**
 * The common start of component item fields (`core module`, `func`,
 * `component`, `instance`): `$id?`, inline `(export "n")*` (appended as
 * exports after every field), and an inline `(import "n")` that makes the
 * whole field an import.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type { ComponentSort } from "../../component/binary/model.ts";
import { NS_OF_SORT } from "./scope.ts";
import { type Emit, parseItemSig, type Thunk } from "./types.ts";
import {
  isInlineExport,
  isInlineImport,
  type ParsedName,
  parseInlineName,
} from "./extern_names.ts";

/** `$id?` at `it[k]`, and the index after it. */
export function optId(it: SNode[], k: number): [SAtom | null, number] {
  return it[k]?.kind === "id" ? [it[k] as SAtom, k + 1] : [null, k];
}

/** Inline `(export "n")*` at `it[k…]`, appended as exports of the item once it has an index. */
export function inlineExports(
  ctx: Ctx,
  it: SNode[],
  k: number,
  sort: ComponentSort,
  index: () => number,
  appended: Emit[],
): number {
  while (isInlineExport(ctx, it[k])) {
    const name = parseInlineName(ctx, it[k++] as SList).name;
    appended.push((s) => {
      s.defs.push({ kind: "export", name, item: { sort, index: index() }, desc: null, offset: 0 });
      s.register(NS_OF_SORT[sort], null);
    });
  }
  return k;
}

/** The common start of an item field: `$id? (export "n")* (import "n")?`. */
export interface ItemHead {
  id: SAtom | null;
  /** Where the item's own contents start. */
  next: number;
  /** The item's index, once emitted (for its inline exports). */
  index: { value: number };
  /** With an inline import, the whole field is that import. */
  imported: Emit | null;
}

/**
 * Parses `$id? (export "n")* (import "n")?` from `f.items[from…]`. Inline
 * exports are appended; an inline import makes the field an import of the
 * item signature `(sort …rest)`.
 */
export function itemHead(
  ctx: Ctx,
  f: SList,
  from: number,
  sort: ComponentSort,
  pre: Emit[],
  appended: Emit[],
): ItemHead {
  const it = f.items;
  const [id, k0] = optId(it, from);
  const index = { value: -1 };
  const k = inlineExports(ctx, it, k0, sort, () => index.value, appended);
  if (!isInlineImport(ctx, it[k])) return { id, next: k, index, imported: null };
  const name = parseInlineName(ctx, it[k] as SList);
  const sig: SList = {
    kind: "list",
    items: [...it.slice(0, sort === "module" ? 2 : 1), ...it.slice(k + 1)],
    start: f.start,
    end: f.end,
  };
  const imp = importOf(ctx, name, sig, pre, id);
  return {
    id,
    next: k,
    index,
    imported: (s) => {
      index.value = imp(s);
    },
  };
}

/** An import of `sig` under `name`; running it emits the import and gives its index. */
export function importOf(
  ctx: Ctx,
  name: ParsedName,
  sig: SList,
  pre: Emit[],
  id: SAtom | null,
): Thunk<number> {
  const item = parseItemSig(ctx, sig, false, pre);
  return (s) => {
    const desc = item.desc(s);
    s.defs.push({ kind: "import", name: name.name, desc, offset: 0 });
    return s.register(item.ns, id);
  };
}
