/**
 * Encoding of the component type grammar: value types, defined, function,
 * component, instance and resource types and their declarations, extern
 * types and names, sorts, aliases, and core types (function and module
 * types). The inverse of `decode_types.ts`.
 *
 * @module
 */
import type { ByteWriter } from "../../binary/leb_write.ts";
import { writeGlobalType, writeLimits, writeTableType } from "../../binary/encode.ts";
import { writeValType as writeCoreValType } from "../../binary/encode_types.ts";
import type { FuncType } from "../../binary/types.ts";
import { PRIM_BY_CODE } from "./decode_types.ts";
import type {
  Alias,
  ComponentSort,
  CoreExternDesc,
  CoreExternSort,
  CoreTypeDef,
  ExternDesc,
  ExternName,
  PrimValType,
  TypeDecl,
  TypeDef,
  ValTypeRef,
} from "./model.ts";

const CODE_BY_PRIM = Object.fromEntries(
  Object.entries(PRIM_BY_CODE).map(([code, name]) => [name, Number(code)]),
) as Record<PrimValType, number>;

/** A `valtype`: a primitive code, or a type index as a signed LEB128 (s33). */
export function writeValType(w: ByteWriter, t: ValTypeRef): void {
  if (typeof t === "number") w.s64(BigInt(t));
  else w.u8(CODE_BY_PRIM[t]);
}

export function writeOptValType(w: ByteWriter, t: ValTypeRef | null): void {
  if (t === null) w.u8(0);
  else {
    w.u8(1);
    writeValType(w, t);
  }
}

export function writeResultList(w: ByteWriter, t: ValTypeRef | null): void {
  if (t === null) {
    w.u8(1);
    w.u8(0);
  } else {
    w.u8(0);
    writeValType(w, t);
  }
}

const SORT_BYTES: Readonly<Record<ComponentSort, number[]>> = {
  module: [0x00, 0x11],
  func: [0x01],
  value: [0x02],
  type: [0x03],
  component: [0x04],
  instance: [0x05],
};

export const CORE_SORT_BYTE: Readonly<Record<CoreExternSort, number>> = {
  func: 0,
  table: 1,
  memory: 2,
  global: 3,
  tag: 4,
};

export function writeSort(w: ByteWriter, s: ComponentSort): void {
  for (const b of SORT_BYTES[s]) w.u8(b);
}

export function writeTypeDef(w: ByteWriter, t: TypeDef): void {
  switch (t.kind) {
    case "prim":
      return w.u8(CODE_BY_PRIM[t.type]);
    case "record":
      w.u8(0x72);
      w.u32(t.fields.length);
      for (const f of t.fields) {
        w.name(f.name);
        writeValType(w, f.type);
      }
      return;
    case "variant":
      w.u8(0x71);
      w.u32(t.cases.length);
      for (const c of t.cases) {
        w.name(c.name);
        writeOptValType(w, c.type);
        w.u8(0);
      }
      return;
    case "list":
      w.u8(t.length === null ? 0x70 : 0x67);
      writeValType(w, t.element);
      if (t.length !== null) w.u32(t.length);
      return;
    case "map":
      w.u8(0x63);
      writeValType(w, t.key);
      writeValType(w, t.value);
      return;
    case "tuple":
      w.u8(0x6f);
      w.u32(t.types.length);
      for (const x of t.types) writeValType(w, x);
      return;
    case "flags":
    case "enum":
      w.u8(t.kind === "flags" ? 0x6e : 0x6d);
      w.u32(t.names.length);
      for (const n of t.names) w.name(n);
      return;
    case "option":
      w.u8(0x6b);
      return writeValType(w, t.type);
    case "result":
      w.u8(0x6a);
      writeOptValType(w, t.ok);
      return writeOptValType(w, t.err);
    case "own":
    case "borrow":
      w.u8(t.kind === "own" ? 0x69 : 0x68);
      return w.u32(t.resource);
    case "stream":
    case "future":
      w.u8(t.kind === "stream" ? 0x66 : 0x65);
      return writeOptValType(w, t.element);
    case "func":
      w.u8(t.async ? 0x43 : 0x40);
      w.u32(t.params.length);
      for (const p of t.params) {
        w.name(p.name);
        writeValType(w, p.type);
      }
      return writeResultList(w, t.result);
    case "component":
    case "instance":
      w.u8(t.kind === "component" ? 0x41 : 0x42);
      w.u32(t.decls.length);
      for (const d of t.decls) writeTypeDecl(w, d);
      return;
    case "resource":
      w.u8(0x3f);
      writeCoreValType(w, t.rep);
      if (t.dtor === null) w.u8(0);
      else {
        w.u8(1);
        w.u32(t.dtor);
      }
      return;
  }
}

export function writeTypeDecl(w: ByteWriter, d: TypeDecl): void {
  switch (d.kind) {
    case "coreType":
      w.u8(0x00);
      return writeCoreType(w, d.type);
    case "type":
      w.u8(0x01);
      return writeTypeDef(w, d.type);
    case "alias":
      w.u8(0x02);
      return writeAlias(w, d.alias);
    case "import":
    case "export":
      w.u8(d.kind === "import" ? 0x03 : 0x04);
      writeExternName(w, d.name);
      return writeExternDesc(w, d.desc);
  }
}

export function writeExternDesc(w: ByteWriter, d: ExternDesc): void {
  writeSort(w, d.kind);
  switch (d.kind) {
    case "value":
      if (d.bound.kind === "eq") {
        w.u8(0);
        w.u32(d.bound.value);
      } else {
        w.u8(1);
        writeValType(w, d.bound.type);
      }
      return;
    case "type":
      if (d.bound.kind === "eq") {
        w.u8(0);
        w.u32(d.bound.type);
      } else w.u8(1);
      return;
    default:
      w.u32(d.type);
  }
}

export function writeExternName(w: ByteWriter, n: ExternName): void {
  const attrs: [number, string][] = [];
  if (n.implements !== null) attrs.push([0, n.implements]);
  if (n.versionSuffix !== null) attrs.push([1, n.versionSuffix]);
  if (n.externalId !== null) attrs.push([2, n.externalId]);
  const encoding = attrs.length > 0 ? 2 : n.encoding;
  w.u8(encoding);
  w.name(n.name);
  if (encoding !== 2) return;
  w.u32(attrs.length);
  for (const [k, s] of attrs) {
    w.u8(k);
    w.name(s);
  }
}

export function writeAlias(w: ByteWriter, a: Alias): void {
  switch (a.kind) {
    case "export":
      writeSort(w, a.sort);
      w.u8(0x00);
      w.u32(a.instance);
      return w.name(a.name);
    case "coreExport":
      w.u8(0x00);
      w.u8(CORE_SORT_BYTE[a.sort]);
      w.u8(0x01);
      w.u32(a.instance);
      return w.name(a.name);
    case "outer": {
      const bytes = a.sort === "coreType"
        ? [0x00, 0x10]
        : a.sort === "module"
        ? [0x00, 0x11]
        : a.sort === "type"
        ? [0x03]
        : [0x04];
      for (const b of bytes) w.u8(b);
      w.u8(0x02);
      w.u32(a.count);
      return w.u32(a.index);
    }
  }
}

export function writeCoreFuncType(w: ByteWriter, t: FuncType): void {
  w.u8(0x60);
  w.u32(t.params.length);
  for (const p of t.params) writeCoreValType(w, p);
  w.u32(t.results.length);
  for (const r of t.results) writeCoreValType(w, r);
}

export function writeCoreType(w: ByteWriter, t: CoreTypeDef): void {
  if (t.kind === "func") {
    if (t.sub === "nonFinal") w.bytes(Uint8Array.of(0x00, 0x50, 0x00));
    else if (t.sub === "final") w.bytes(Uint8Array.of(0x4f, 0x00));
    return writeCoreFuncType(w, t.type);
  }
  w.u8(0x50);
  w.u32(t.decls.length);
  for (const d of t.decls) {
    switch (d.kind) {
      case "import":
        w.u8(0x00);
        w.name(d.module);
        w.name(d.name);
        writeCoreExternDesc(w, d.desc);
        break;
      case "type":
        w.u8(0x01);
        if (d.sub !== undefined) w.bytes(Uint8Array.of(d.sub === "final" ? 0x4f : 0x50, 0x00));
        writeCoreFuncType(w, d.type);
        break;
      case "alias":
        w.u8(0x02);
        w.u8(0x10);
        w.u8(0x01);
        w.u32(d.count);
        w.u32(d.index);
        break;
      case "export":
        w.u8(0x03);
        w.name(d.name);
        writeCoreExternDesc(w, d.desc);
        break;
    }
  }
}

/** A core import descriptor (extern kind byte and type). */
export function writeCoreExternDesc(w: ByteWriter, d: CoreExternDesc): void {
  w.u8(d.kind);
  switch (d.kind) {
    case 0:
      return w.u32(d.type);
    case 1:
      return writeTableType(w, d.type);
    case 2:
      return writeLimits(w, d.type.limits);
    case 3:
      return writeGlobalType(w, d.type);
    case 4:
      w.u8(0);
      return w.u32(d.type);
  }
}
