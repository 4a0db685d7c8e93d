/**
 * `(@name "…")` annotations (the annotations proposal) as the reference
 * interpreter places them: right inside a module, before its first field,
 * the module's name; inside a function, before its type use and body, the
 * function's name; inside a tag, the tag's name. They go into the `name`
 * section, over the names `$identifiers` give.
 *
 * @module
 */
import type { SList, SNode } from "./lexer.ts";
import type { Ctx } from "./_context.ts";

/** Names given by annotations. */
export interface AnnotatedNames {
  module: string | null;
  funcs: Map<number, string>;
  tags: Map<number, string>;
}

/** `(export …)` and `(import …)` in a function field (before its name may come). */
function isClause(ctx: Ctx, n: SNode): boolean {
  return ctx.isList(n, "export") || ctx.isList(n, "import");
}

const inside = (a: SList, l: { start: number; end: number }) =>
  a.start >= l.start && a.end <= l.end;

/**
 * Resolves the `(@name …)` annotations `annots` of a module whose fields are
 * `fields` (`module` is the `(module …)` list, or null for bare fields).
 */
export function annotatedNames(
  ctx: Ctx,
  module: SList | null,
  fields: SNode[],
  annots: SList[],
): AnnotatedNames {
  const out: AnnotatedNames = { module: null, funcs: new Map(), tags: new Map() };
  for (const a of annots) {
    const s = a.items[0];
    if (s === undefined || s.kind !== "string") {
      ctx.fail(s ?? a, "@name annotation: string expected");
    }
    const name = ctx.name(s, a);
    if (a.items.length > 1) ctx.fail(a.items[1], "@name annotation: unexpected token");
    if (module !== null && !inside(a, module)) ctx.fail(a, "misplaced @name annotation");
    if (fields.length === 0 || a.end <= fields[0].start) {
      if (out.module !== null) ctx.fail(a, "@name annotation: multiple module names");
      out.module = name;
      continue;
    }
    const f = ctx.funcNodes.findIndex((n) => inside(a, n));
    if (f >= 0) {
      const node = ctx.funcNodes[f];
      const body: SNode | undefined = node.items.find((n: SNode, i) =>
        i > 0 && n.kind === "list" && !isClause(ctx, n)
      );
      if (body !== undefined && a.start > body.start) {
        ctx.fail(a, "@name annotation: misplaced annotation");
      }
      if (out.funcs.has(f)) ctx.fail(a, "@name annotation: multiple function names");
      out.funcs.set(f, name);
      continue;
    }
    const t = ctx.tagNodes.findIndex((n) => inside(a, n));
    if (t >= 0) {
      if (out.tags.has(t)) ctx.fail(a, "@name annotation: multiple tag names");
      out.tags.set(t, name);
      continue;
    }
    ctx.fail(a, "misplaced @name annotation");
  }
  return out;
}
