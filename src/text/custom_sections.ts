/**
 * `(@custom "name" placement? "data"*)` annotations (the annotations
 * proposal): custom sections written in the text, placed `(before|after
 * section)`, `(before first)` or `(after last)` (the default), as wasm-tools
 * places them.
 *
 * @module
 */
import type { SList } from "./lexer.ts";
import type { Ctx } from "./_context.ts";
import type { CustomSection } from "../binary/types.ts";

/** Section ids by their placement names. */
const SECTION_IDS: Readonly<Record<string, number>> = {
  type: 1,
  import: 2,
  func: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  elem: 9,
  code: 10,
  data: 11,
  datacount: 12,
};

/** The section that precedes each one in the binary order (12 sits between 9 and 10). */
const PREVIOUS: Readonly<Record<number, number>> = {
  1: 0,
  2: 1,
  3: 2,
  4: 3,
  5: 4,
  6: 5,
  7: 6,
  8: 7,
  9: 8,
  12: 9,
  10: 12,
  11: 10,
};

/**
 * Parses the collected annotations. Those placed explicitly come first, in
 * text order; `(after last)` ones (and unplaced ones) follow them.
 */
export function customSections(ctx: Ctx, annotations: SList[]): CustomSection[] {
  const placed: CustomSection[] = [];
  const last: CustomSection[] = [];
  for (const l of annotations) {
    const it = l.items;
    const fail = (at: { start: number }, what: string): never =>
      ctx.fail(at, `@custom annotation: ${what}`);
    const nameNode = it[0];
    if (nameNode === undefined || nameNode.kind !== "string") {
      fail(nameNode ?? l, "missing section name");
    }
    let name: string;
    try {
      name = ctx.name(nameNode, l);
    } catch {
      return fail(nameNode, "malformed UTF-8 encoding");
    }
    let i = 1;
    let after = -1;
    const p = it[1];
    if (p !== undefined && p.kind === "list") {
      const [where, what] = p.items;
      if (p.items.length > 2) fail(p.items[2], "unexpected token");
      const rel = where?.kind === "keyword" ? where.text : "";
      if (rel !== "before" && rel !== "after") fail(where ?? p, "malformed placement");
      const kind = what?.kind === "keyword" ? what.text : "";
      if (rel === "before" && kind === "first") after = 0;
      else if (rel === "after" && kind === "last") after = -1;
      else {
        const id = SECTION_IDS[kind];
        if (id === undefined) fail(what ?? p, "malformed section kind");
        after = rel === "after" ? id : PREVIOUS[id];
      }
      i = 2;
    }
    const parts = it.slice(i).map((n) => {
      if (n.kind !== "string") fail(n, "unexpected token");
      return ctx.bytes(n, l);
    });
    const data = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
    let at = 0;
    for (const b of parts) {
      data.set(b, at);
      at += b.length;
    }
    if (after === -1) last.push({ name, data, after: 11 });
    else placed.push({ name, data, after });
  }
  return [...placed, ...last];
}
