/**
 * The `name` custom section built from `$identifiers` (module, functions,
 * locals, and the other index spaces wasm-tools names), so that traps and
 * tools can show names. Emitted when `parseWat` is asked for it.
 *
 * @module
 */
import { ByteWriter } from "../binary/leb_write.ts";
import type { CustomSection } from "../binary/types.ts";
import type { Ctx, Space } from "./_context.ts";
import type { AnnotatedNames } from "./name_annotations.ts";

/** Writes a name map: vec(index name), sorted by index. */
function nameMap(w: ByteWriter, ids: Map<string, number>): void {
  indexedNames(w, [...ids].map(([name, index]) => [index, name]));
}

function indexedNames(w: ByteWriter, entries: [number, string][]): void {
  entries.sort((a, b) => a[0] - b[0]);
  w.u32(entries.length);
  for (const [index, name] of entries) {
    w.u32(index);
    w.name(name);
  }
}

function subsection(out: ByteWriter, id: number, body: (w: ByteWriter) => void): void {
  const w = new ByteWriter(64);
  body(w);
  out.u8(id);
  out.u32(w.length);
  out.bytes(w.buf.subarray(0, w.length));
}

/** Index → name from identifiers, overridden by `@name` annotations. */
function merged(ids: Map<string, number>, annotated: Map<number, string>): [number, string][] {
  const byIndex = new Map<number, string>();
  for (const [name, index] of ids) byIndex.set(index, name);
  for (const [index, name] of annotated) byIndex.set(index, name);
  return [...byIndex];
}

/** Builds the name section, or null when nothing is named. */
export function nameSection(
  ctx: Ctx,
  moduleName: string | null,
  annotated: AnnotatedNames,
): CustomSection | null {
  const out = new ByteWriter(256);
  const mod = annotated.module ?? moduleName;
  if (mod !== null) subsection(out, 0, (w) => w.name(mod));
  const funcs = merged(ctx.funcs.ids, annotated.funcs);
  if (funcs.length > 0) subsection(out, 1, (w) => indexedNames(w, funcs));
  const locals = ctx.localNames.filter(([, m]) => m.size > 0);
  if (locals.length > 0) {
    subsection(out, 2, (w) => {
      w.u32(locals.length);
      for (const [func, names] of locals) {
        w.u32(func);
        nameMap(w, names);
      }
    });
  }
  if (ctx.labelNames.length > 0) {
    subsection(out, 3, (w) => {
      w.u32(ctx.labelNames.length);
      for (const [func, names] of ctx.labelNames) {
        w.u32(func);
        indexedNames(w, names);
      }
    });
  }
  // Extended name subsections: types 4, tables 5, memories 6, globals 7, elems 8, data 9.
  const spaces: [number, Space][] = [
    [4, ctx.types],
    [5, ctx.tables],
    [6, ctx.mems],
    [7, ctx.globals],
    [8, ctx.elems],
    [9, ctx.datas],
  ];
  for (const [id, space] of spaces) {
    if (space.ids.size > 0) subsection(out, id, (w) => nameMap(w, space.ids));
  }
  const fields = ctx.fields.map((m, x) => [x, m] as const).filter(([, m]) => m.size > 0);
  if (fields.length > 0) {
    subsection(out, 10, (w) => {
      w.u32(fields.length);
      for (const [x, m] of fields) {
        w.u32(x);
        nameMap(w, m);
      }
    });
  }
  const tags = merged(ctx.tags.ids, annotated.tags);
  if (tags.length > 0) subsection(out, 11, (w) => indexedNames(w, tags));
  if (out.length === 0) return null;
  return { name: "name", data: out.finish(), after: 11 };
}
