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

/** Builds the name section, or null when nothing is named. */
export function nameSection(ctx: Ctx, moduleName: string | null): CustomSection | null {
  const out = new ByteWriter(256);
  if (moduleName !== null) subsection(out, 0, (w) => w.name(moduleName));
  if (ctx.funcs.ids.size > 0) subsection(out, 1, (w) => nameMap(w, ctx.funcs.ids));
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
  if (out.length === 0) return null;
  return { name: "name", data: out.finish(), after: 11 };
}
