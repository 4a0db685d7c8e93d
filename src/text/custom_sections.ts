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
import { SECTION_ORDER, SectionId } from "../binary/decode.ts";

/** Section ids by their placement names. */
const SECTION_IDS: Readonly<Record<string, number>> = {
  type: SectionId.type,
  import: SectionId.import,
  func: SectionId.function,
  table: SectionId.table,
  memory: SectionId.memory,
  tag: SectionId.tag,
  global: SectionId.global,
  export: SectionId.export,
  start: SectionId.start,
  elem: SectionId.element,
  code: SectionId.code,
  data: SectionId.data,
  datacount: SectionId.dataCount,
};

/** The section that precedes each one in the binary order (0 before the first). */
const PREVIOUS: Record<number, number> = {};
SECTION_ORDER.forEach((id, i) => PREVIOUS[id] = i === 0 ? 0 : SECTION_ORDER[i - 1]);

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
