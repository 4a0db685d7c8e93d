/**
 * The binary encoder: `ModuleStruct` → module bytes. Sections come out in
 * the binary format's order; custom sections go back after the section
 * they followed (`after`). Element and data segments are written in the
 * variant their `flags` name, so that a decoded module re-encodes byte for
 * byte.
 *
 * @module
 */
import { ByteWriter } from "./leb_write.ts";
import { writeTypeSection, writeValType } from "./encode_types.ts";
import type {
  CustomSection,
  Data,
  Elem,
  GlobalType,
  Limits,
  ModuleStruct,
  TableType,
} from "./types.ts";

/** Encodes a module structure as a binary module. */
export function encodeModule(m: ModuleStruct): Uint8Array {
  const out = new ByteWriter(1024);
  out.bytes(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
  const customs = (after: number) => writeCustoms(out, m.customs, after);
  customs(0);
  const section = (id: number, count: number, body: (w: ByteWriter) => void) => {
    if (count > 0) {
      const w = new ByteWriter(256);
      body(w);
      out.u8(id);
      out.u32(w.length);
      out.bytes(w.buf.subarray(0, w.length));
    }
    customs(id);
  };
  section(1, m.recs.length, (w) => writeTypeSection(w, m.types, m.recs, m.recWritten));
  section(2, m.imports.length, (w) => {
    w.u32(m.imports.length);
    for (const imp of m.imports) {
      w.name(imp.module);
      w.name(imp.name);
      const d = imp.desc;
      w.u8(d.kind);
      if (d.kind === 0) w.u32(d.type);
      else if (d.kind === 1) writeTableType(w, d.type);
      else if (d.kind === 2) writeLimits(w, d.type.limits);
      else if (d.kind === 3) writeGlobalType(w, d.type);
      else writeTagType(w, d.type);
    }
  });
  section(3, m.funcs.length, (w) => {
    w.u32(m.funcs.length);
    for (const t of m.funcs) w.u32(t);
  });
  section(4, m.tables.length, (w) => {
    w.u32(m.tables.length);
    for (const t of m.tables) {
      if (t.init !== undefined) w.bytes(Uint8Array.of(0x40, 0x00));
      writeTableType(w, t);
      if (t.init !== undefined) w.bytes(t.init.bytes);
    }
  });
  section(5, m.memories.length, (w) => {
    w.u32(m.memories.length);
    for (const mem of m.memories) writeLimits(w, mem.limits);
  });
  section(13, m.tags.length, (w) => {
    w.u32(m.tags.length);
    for (const t of m.tags) writeTagType(w, t);
  });
  section(6, m.globals.length, (w) => {
    w.u32(m.globals.length);
    for (const g of m.globals) {
      writeGlobalType(w, g.type);
      w.bytes(g.init.bytes);
    }
  });
  section(7, m.exports.length, (w) => {
    w.u32(m.exports.length);
    for (const e of m.exports) {
      w.name(e.name);
      w.u8(e.kind);
      w.u32(e.index);
    }
  });
  section(8, m.start === null ? 0 : 1, (w) => w.u32(m.start!));
  section(9, m.elems.length, (w) => {
    w.u32(m.elems.length);
    for (const e of m.elems) writeElem(w, e);
  });
  section(12, m.dataCount === null ? 0 : 1, (w) => w.u32(m.dataCount!));
  section(10, m.codes.length, (w) => {
    w.u32(m.codes.length);
    for (const c of m.codes) {
      const body = new ByteWriter(c.body.bytes.length + 16);
      body.u32(c.locals.length);
      for (const l of c.locals) {
        body.u32(l.count);
        writeValType(body, l.type);
      }
      body.bytes(c.body.bytes);
      w.u32(body.length);
      w.bytes(body.buf.subarray(0, body.length));
    }
  });
  section(11, m.datas.length, (w) => {
    w.u32(m.datas.length);
    for (const d of m.datas) writeData(w, d);
  });
  return out.finish();
}

function writeCustoms(out: ByteWriter, customs: CustomSection[], after: number): void {
  for (const c of customs) {
    if (c.after !== after) continue;
    const w = new ByteWriter(c.data.length + 16);
    w.name(c.name);
    w.bytes(c.data);
    out.u8(0);
    out.u32(w.length);
    out.bytes(w.buf.subarray(0, w.length));
  }
}

/** Writes limits with the flags byte (max present, shared, 64-bit). */
export function writeLimits(w: ByteWriter, l: Limits): void {
  const flags = (l.max !== null ? 1 : 0) | (l.shared ? 2 : 0) | (l.index64 ? 4 : 0);
  w.u8(flags);
  w.u64(l.min);
  if (l.max !== null) w.u64(l.max);
}

/** Writes a table type (element reference type, limits). */
export function writeTableType(w: ByteWriter, t: TableType): void {
  writeValType(w, t.elem);
  writeLimits(w, t.limits);
}

/** Writes a global type (value type, mutability). */
export function writeGlobalType(w: ByteWriter, g: GlobalType): void {
  writeValType(w, g.type);
  w.u8(g.mutable ? 1 : 0);
}

function writeTagType(w: ByteWriter, typeIndex: number): void {
  w.u8(0);
  w.u32(typeIndex);
}

function writeElem(w: ByteWriter, e: Elem): void {
  const f = e.flags;
  w.u32(f);
  if ((f & 1) === 0) {
    // active
    if ((f & 2) !== 0) w.u32(e.table);
    w.bytes(e.offset!.bytes);
  }
  if ((f & 3) !== 0) {
    // elemkind (0x00 = funcref) for index vectors, reftype for expressions
    if ((f & 4) !== 0) writeValType(w, e.type);
    else w.u8(0x00);
  }
  if ((f & 4) !== 0) {
    const exprs = e.exprs!;
    w.u32(exprs.length);
    for (const x of exprs) w.bytes(x.bytes);
  } else {
    const funcs = e.funcs!;
    w.u32(funcs.length);
    for (const fi of funcs) w.u32(fi);
  }
}

function writeData(w: ByteWriter, d: Data): void {
  w.u32(d.flags);
  if (d.flags === 2) w.u32(d.memory);
  if (d.flags !== 1) w.bytes(d.offset!.bytes);
  w.vecBytes(d.bytes);
}
