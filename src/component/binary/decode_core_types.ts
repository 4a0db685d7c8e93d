/**
 * Decoding of the core types a component can define (Binary.md "core:type"):
 * core function types and module types with their declarations. Only what
 * Gannet can run is accepted: a GC type decodes to an error saying so.
 *
 * @module
 */
import { ALL_FEATURES } from "../../binary/features.ts";
import { readLimits } from "../../binary/decode.ts";
import { readRefType, readValType as readCoreValType } from "../../binary/decode_types.ts";
import type { FuncType, ValType } from "../../binary/types.ts";
import type { ComponentReader } from "./reader.ts";
import type { CoreExternDesc, CoreTypeDef, ModuleTypeDecl, SubtypeForm } from "./model.ts";

const MAX_MODULE_TYPE_DECLS = 100_000;
/** Most entries a core type section may declare (wasm-tools' limit). */
export const MAX_CORE_TYPES = 1_000_000;

/** A core function type (`0x60 params results`). */
export function readCoreFuncType(r: ComponentReader): FuncType {
  const val = (r: ComponentReader) => readCoreValType(r, ALL_FEATURES);
  const params = r.vec(1000, "function params", val) as ValType[];
  const results = r.vec(1000, "function results", val) as ValType[];
  return { params, results };
}

const GC_UNSUPPORTED = "gc types are not supported (the GC proposal is not implemented)";

/**
 * A subtype (after its `0x50`/`0x4f` opcode): only one without supertypes
 * over a function type is supported — GC types need the GC proposal, which
 * Gannet does not implement.
 */
function readSubFunc(r: ComponentReader): FuncType {
  const n = r.u32();
  if (n > 0) r.fail(GC_UNSUPPORTED, r.pos - 1);
  const at = r.pos;
  const b = r.u8();
  if (b === 0x60) return readCoreFuncType(r);
  if (b === 0x5f || b === 0x5e) r.fail(GC_UNSUPPORTED, at);
  r.badByte(b, "type", at);
}

/** A core type in a rec group position (module type declarations). */
function readCoreRecType(r: ComponentReader): { type: FuncType; sub?: SubtypeForm } {
  const at = r.pos;
  const b = r.u8();
  if (b === 0x60) return { type: readCoreFuncType(r) };
  if (b === 0x50 || b === 0x4f) {
    return { type: readSubFunc(r), sub: b === 0x50 ? "nonFinal" : "final" };
  }
  if (b === 0x4e || b === 0x5f || b === 0x5e) r.fail(GC_UNSUPPORTED, at);
  r.badByte(b, "type", at);
}

/** `core:type` in a component's core type section or a type declaration. */
export function readCoreType(r: ComponentReader): CoreTypeDef {
  const b = r.peek();
  if (b === 0x50) {
    r.pos++;
    return {
      kind: "module",
      decls: r.vec(MAX_MODULE_TYPE_DECLS, "module type declaration", readModuleTypeDecl),
    };
  }
  if (b === 0x00) {
    r.pos++;
    const x = r.u8();
    if (x !== 0x50) r.badByte(x, "non-final sub type");
    return { kind: "func", type: readSubFunc(r), sub: "nonFinal" };
  }
  return { kind: "func", ...readCoreRecType(r) };
}

function readModuleTypeDecl(r: ComponentReader): ModuleTypeDecl {
  const offset = r.pos + r.base;
  const b = r.u8();
  switch (b) {
    case 0x00: {
      const module = r.string();
      const name = r.string();
      return { kind: "import", module, name, desc: readCoreExternDesc(r), offset };
    }
    case 0x01:
      return { kind: "type", ...readCoreRecType(r), offset };
    case 0x02: {
      const k = r.u8();
      if (k !== 0x10) r.badByte(k, "outer alias kind");
      const t = r.u8();
      if (t !== 0x01) r.badByte(t, "outer alias target");
      const count = r.u32();
      return { kind: "alias", count, index: r.u32(), offset };
    }
    case 0x03: {
      const name = r.string();
      return { kind: "export", name, desc: readCoreExternDesc(r), offset };
    }
  }
  r.badByte(b, "type definition");
}

/** A core `externtype` (import descriptor). */
export function readCoreExternDesc(r: ComponentReader): CoreExternDesc {
  const b = r.u8();
  switch (b) {
    case 0:
      return { kind: 0, type: r.u32() };
    case 1: {
      const elem = readRefType(r, ALL_FEATURES);
      return { kind: 1, type: { elem, limits: readLimits(r, ALL_FEATURES, true) } };
    }
    case 2:
      return { kind: 2, type: { limits: readLimits(r, ALL_FEATURES, false) } };
    case 3: {
      const type = readCoreValType(r, ALL_FEATURES) as ValType;
      const m = r.u8();
      if (m > 1) r.fail("malformed mutability", r.pos - 1);
      return { kind: 3, type: { type, mutable: m === 1 } };
    }
    case 4: {
      const attr = r.u8();
      if (attr !== 0) r.fail("invalid tag attributes", r.pos - 1);
      return { kind: 4, type: r.u32() };
    }
  }
  r.badByte(b, "external kind");
}
