/**
 * Decoding of the component type grammar (Binary.md "Type Definitions"):
 * value types, defined types, function, component, instance and resource
 * types and their declarators, extern types and names, and aliases. The
 * core types a component can define (function and module types) are
 * `decode_core_types.ts`'s.
 *
 * @module
 */
import { ALL_FEATURES } from "../../binary/features.ts";
import { readValType as readCoreValType } from "../../binary/decode_types.ts";
import type { ComponentReader } from "./reader.ts";
import { readCoreType } from "./decode_core_types.ts";
import type {
  Alias,
  ComponentSort,
  CoreExternSort,
  DefValType,
  ExternDesc,
  ExternName,
  LabeledType,
  OuterAliasSort,
  PrimValType,
  TypeBound,
  TypeDecl,
  TypeDef,
  ValTypeRef,
  ValueBound,
  VariantCase,
} from "./model.ts";

/** Primitive value types by their binary code. */
export const PRIM_BY_CODE: Readonly<Record<number, PrimValType>> = {
  0x7f: "bool",
  0x7e: "s8",
  0x7d: "u8",
  0x7c: "s16",
  0x7b: "u16",
  0x7a: "s32",
  0x79: "u32",
  0x78: "s64",
  0x77: "u64",
  0x76: "f32",
  0x75: "f64",
  0x74: "char",
  0x73: "string",
  0x64: "error-context",
};

const MAX_FUNCTION_PARAMS = 1000;
const MAX_TYPE_DECLS = 1_000_000;
const MAX_RECORD_FIELDS = 10_000;
const MAX_VARIANT_CASES = 10_000;
const MAX_TUPLE_TYPES = 10_000;
const MAX_FLAG_NAMES = 1000;
const MAX_ENUM_CASES = 10_000;

/** `valtype`: a primitive code, or a type index (read as an s33, as wasm-tools does). */
export function readValTypeRef(r: ComponentReader): ValTypeRef {
  const prim = PRIM_BY_CODE[r.peek()];
  if (prim !== undefined) {
    r.pos++;
    return prim;
  }
  return r.s33AsU32();
}

function readLabeled(r: ComponentReader): LabeledType {
  return { name: r.string(), type: readValTypeRef(r) };
}

function readCase(r: ComponentReader): VariantCase {
  const name = r.string();
  const type = r.optional("optional component value type", readValTypeRef);
  const b = r.u8();
  if (b !== 0) r.badByte(b, "zero byte required");
  return { name, type };
}

function readOptionalValType(r: ComponentReader): ValTypeRef | null {
  return r.optional("optional component value type", readValTypeRef);
}

/** `resultlist`. */
export function readResultList(r: ComponentReader): ValTypeRef | null {
  const b = r.u8();
  if (b === 0) return readValTypeRef(r);
  if (b === 1) {
    const n = r.u8();
    if (n !== 0) r.badByte(n, "number of results");
    return null;
  }
  r.badByte(b, "component function results");
}

function readDefValType(r: ComponentReader, code: number): DefValType {
  switch (code) {
    case 0x72:
      return { kind: "record", fields: r.vec(MAX_RECORD_FIELDS, "record field", readLabeled) };
    case 0x71:
      return { kind: "variant", cases: r.vec(MAX_VARIANT_CASES, "variant cases", readCase) };
    case 0x70:
      return { kind: "list", element: readValTypeRef(r), length: null };
    case 0x67: {
      const element = readValTypeRef(r);
      return { kind: "list", element, length: r.u32() };
    }
    case 0x63: {
      const key = readValTypeRef(r);
      return { kind: "map", key, value: readValTypeRef(r) };
    }
    case 0x6f:
      return { kind: "tuple", types: r.vec(MAX_TUPLE_TYPES, "tuple types", readValTypeRef) };
    case 0x6e:
      return { kind: "flags", names: r.vec(MAX_FLAG_NAMES, "flag names", (r) => r.string()) };
    case 0x6d:
      return { kind: "enum", names: r.vec(MAX_ENUM_CASES, "enum cases", (r) => r.string()) };
    case 0x6b:
      return { kind: "option", type: readValTypeRef(r) };
    case 0x6a: {
      const ok = readOptionalValType(r);
      return { kind: "result", ok, err: readOptionalValType(r) };
    }
    case 0x69:
      return { kind: "own", resource: r.u32() };
    case 0x68:
      return { kind: "borrow", resource: r.u32() };
    case 0x66:
      return { kind: "stream", element: readOptionalValType(r) };
    case 0x65:
      return { kind: "future", element: readOptionalValType(r) };
    default:
      r.badByte(code, "component defined type");
  }
}

/** `type` (a `deftype`). */
export function readTypeDef(r: ComponentReader, depth: number): TypeDef {
  const code = r.u8();
  switch (code) {
    case 0x3f: {
      const rep = readCoreValType(r, ALL_FEATURES);
      const dtor = r.optional("resource destructor", (r) => r.u32());
      return { kind: "resource", rep, dtor };
    }
    case 0x40:
    case 0x43: {
      const params = r.vec(MAX_FUNCTION_PARAMS, "component function parameters", readLabeled);
      return { kind: "func", async: code === 0x43, params, result: readResultList(r) };
    }
    case 0x41:
      return {
        kind: "component",
        decls: r.vec(
          MAX_TYPE_DECLS,
          "component type declaration",
          (r) => readTypeDecl(r, true, depth + 1),
        ),
      };
    case 0x42:
      return {
        kind: "instance",
        decls: r.vec(
          MAX_TYPE_DECLS,
          "instance type declaration",
          (r) => readTypeDecl(r, false, depth + 1),
        ),
      };
    default: {
      const prim = PRIM_BY_CODE[code];
      if (prim !== undefined) return { kind: "prim", type: prim };
      return readDefValType(r, code);
    }
  }
}

/** Nesting beyond this is rejected before it can exhaust the host's stack. */
const MAX_DEPTH = 100;

function readTypeDecl(r: ComponentReader, component: boolean, depth: number): TypeDecl {
  if (depth > MAX_DEPTH) r.fail("type nesting is too deep");
  const offset = r.pos + r.base;
  const b = r.u8();
  switch (b) {
    case 0x00:
      return { kind: "coreType", type: readCoreType(r), offset };
    case 0x01:
      return { kind: "type", type: readTypeDef(r, depth), offset };
    case 0x02:
      return { kind: "alias", alias: readAlias(r), offset };
    case 0x03:
      if (!component) break;
      return { kind: "import", name: readExternName(r), desc: readExternDesc(r), offset };
    case 0x04:
      return { kind: "export", name: readExternName(r), desc: readExternDesc(r), offset };
  }
  r.badByte(b, "component or instance type declaration");
}

/**
 * A component-level `sort` (one byte, or `0x00` + a core sort byte), as
 * wasm-tools' `ComponentExternalKind`: only `core module` among the core sorts.
 */
export function readSort(r: ComponentReader, desc = "component external kind"): ComponentSort {
  const at = r.pos;
  const byte1 = r.u8();
  const byte2 = byte1 === 0x00 ? r.u8() : -1;
  return sortFromBytes(r, byte1, byte2, at, desc);
}

const CORE_EXTERN_SORTS: readonly CoreExternSort[] = ["func", "table", "memory", "global", "tag"];

/** A core extern kind byte (`core:sort` 0x00–0x04). */
export function readCoreExternSort(r: ComponentReader, desc = "external kind"): CoreExternSort {
  const b = r.u8();
  const s = CORE_EXTERN_SORTS[b];
  if (s === undefined) r.badByte(b, desc);
  return s;
}

/** `alias`. */
export function readAlias(r: ComponentReader): Alias {
  const at = r.pos;
  const byte1 = r.u8();
  const byte2 = byte1 === 0x00 ? r.u8() : -1;
  const target = r.u8();
  switch (target) {
    case 0x00: {
      const sort = sortFromBytes(r, byte1, byte2, at, "component external kind");
      const instance = r.u32();
      return { kind: "export", sort, instance, name: r.string() };
    }
    case 0x01: {
      if (byte2 < 0) r.badByte(byte1, "core instance export kind", at);
      const sort = CORE_EXTERN_SORTS[byte2];
      if (sort === undefined) r.badByte(byte2, "external kind", at);
      const instance = r.u32();
      return { kind: "coreExport", sort, instance, name: r.string() };
    }
    case 0x02: {
      let sort: OuterAliasSort;
      if (byte1 === 0x00) {
        if (byte2 === 0x10) sort = "coreType";
        else if (byte2 === 0x11) sort = "module";
        else r.badByte(byte2, "component outer alias kind", at + 1);
      } else if (byte1 === 0x03) sort = "type";
      else if (byte1 === 0x04) sort = "component";
      else r.badByte(byte1, "component outer alias kind", at);
      const count = r.u32();
      return { kind: "outer", sort, count, index: r.u32() };
    }
  }
  r.badByte(target, "alias");
}

function sortFromBytes(
  r: ComponentReader,
  byte1: number,
  byte2: number,
  at: number,
  desc: string,
): ComponentSort {
  switch (byte1) {
    case 0x00:
      if (byte2 === 0x11) return "module";
      r.badByte(byte2, desc, at + 1);
      break;
    case 0x01:
      return "func";
    case 0x02:
      return "value";
    case 0x03:
      return "type";
    case 0x04:
      return "component";
    case 0x05:
      return "instance";
  }
  r.badByte(byte1, desc, at);
}

function readTypeBound(r: ComponentReader): TypeBound {
  const b = r.u8();
  if (b === 0x00) return { kind: "eq", type: r.u32() };
  if (b === 0x01) return { kind: "subResource" };
  r.badByte(b, "type bound");
}

function readValueBound(r: ComponentReader): ValueBound {
  const b = r.u8();
  if (b === 0x00) return { kind: "eq", value: r.u32() };
  if (b === 0x01) return { kind: "type", type: readValTypeRef(r) };
  r.badByte(b, "value bound");
}

/** `externtype`. */
export function readExternDesc(r: ComponentReader): ExternDesc {
  const sort = readSort(r);
  switch (sort) {
    case "module":
      return { kind: "module", type: r.u32() };
    case "func":
      return { kind: "func", type: r.u32() };
    case "value":
      return { kind: "value", bound: readValueBound(r) };
    case "type":
      return { kind: "type", bound: readTypeBound(r) };
    case "component":
      return { kind: "component", type: r.u32() };
    case "instance":
      return { kind: "instance", type: r.u32() };
  }
}

/** `nameattributes`. */
export function readExternName(r: ComponentReader): ExternName {
  const b = r.u8();
  if (b > 2) r.badByte(b, "component name");
  const out: ExternName = {
    name: r.string(),
    implements: null,
    versionSuffix: null,
    externalId: null,
    encoding: b as 0 | 1 | 2,
  };
  if (b !== 2) return out;
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const kind = r.u8();
    if (kind === 0x00) {
      if (out.implements !== null) r.fail("duplicate 'implements' option in name", at);
      out.implements = r.string();
    } else if (kind === 0x01) {
      if (out.versionSuffix !== null) r.fail("duplicate 'versionsuffix' option in name", at);
      out.versionSuffix = r.string();
    } else if (kind === 0x02) {
      if (out.externalId !== null) r.fail("duplicate 'external-id' option in name", at);
      out.externalId = r.string();
    } else {
      r.badByte(kind, "name option");
    }
  }
  return out;
}
