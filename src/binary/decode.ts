/**
 * The module decoder: binary bytes → {@link ModuleStruct}. It checks the
 * encoding only (malformedness); validity is `src/validate`'s job. Function
 * bodies are sliced, not parsed, so opening a large module is cheap; the
 * validator reads them.
 *
 * Like the reference interpreter, entries are read against the end of the
 * whole binary and a section that was over- or under-read is reported as
 * "section size mismatch" afterwards, which decides which message a broken
 * binary gets.
 *
 * @module
 */
import type { Features } from "./features.ts";
import { Reader } from "./reader.ts";
import { CompileError } from "../errors.ts";
import { findMalformedBody } from "./decode_bodies.ts";
import { readExpr, readVec } from "./decode_instr.ts";
import {
  readRefType,
  readTagType,
  readTypeSection,
  readValType,
  typedRefs,
} from "./decode_types.ts";
import { readCodeSection, readDataSection, readElemSection } from "./decode_segments.ts";
import {
  emptyModule,
  type GlobalType,
  type ImportDesc,
  type Limits,
  type ModuleStruct,
  type TableType,
} from "./types.ts";

/** Section ids. */
export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

/**
 * The non-custom section ids in the order a module must give them (tags
 * between memories and globals, data count before code).
 */
export const SECTION_ORDER: readonly number[] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

/** Position of each known section id in the required order (custom: 0). */
const ORDER: number[] = [0];
SECTION_ORDER.forEach((id, i) => ORDER[id] = i + 1);

/**
 * Decodes a binary module. Throws {@link CompileError} on malformed input,
 * with the spec's wording and the byte offset.
 */
export function decodeModule(bytes: Uint8Array, features: Readonly<Features>): ModuleStruct {
  const r = new Reader(bytes);
  if (bytes.length < 4) r.fail("unexpected end", bytes.length);
  if (r.fixed32() !== 0x6d736100) r.fail("magic header not detected", 0);
  if (bytes.length < 8) r.fail("unexpected end", bytes.length);
  if (r.fixed32() !== 1) r.fail("unknown binary version", 4);

  const m = emptyModule();
  try {
    readSections(r, m, features);
  } catch (e) {
    // A broken function body comes first in the reference decoder's order.
    if (e instanceof CompileError && m.codes.length > 0) {
      const early = findMalformedBody(m, features, bytes);
      if (early !== null) throw early;
    }
    throw e;
  }
  return m;
}

function readSections(r: Reader, m: ModuleStruct, features: Readonly<Features>): void {
  let last = 0; // order rank of the last known section
  let lastId = 0;
  let funcCount = -1;
  while (!r.eof()) {
    const idAt = r.pos;
    const id = r.u8();
    if (id > 13 || (id === SectionId.tag && !hasExceptions(features))) {
      r.fail("malformed section id", idAt);
    }
    const size = r.len();
    const start = r.pos;
    if (id === SectionId.custom) {
      const name = r.name();
      const rest = start + size - r.pos;
      if (rest < 0) r.fail("unexpected end", r.pos);
      m.customs.push({ name, data: r.take(rest), after: lastId });
    } else {
      if (ORDER[id] <= last) r.fail("unexpected content after last section", idAt);
      last = ORDER[id];
      lastId = id;
      switch (id) {
        case SectionId.type:
          readTypeSection(r, features, m);
          break;
        case SectionId.import:
          readImports(r, m, features);
          break;
        case SectionId.function:
          m.funcs = readVec(r, (r) => r.u32());
          funcCount = m.funcs.length;
          break;
        case SectionId.table:
          m.tables = readVec(r, (r) => readTable(r, features));
          break;
        case SectionId.memory:
          m.memories = readVec(r, (r) => ({ limits: readLimits(r, features, false) }));
          break;
        case SectionId.tag:
          m.tags = readVec(r, readTagType);
          break;
        case SectionId.global:
          m.globals = readVec(r, (r) => {
            const type = readGlobalType(r, features);
            return { type, init: readExpr(r, features) };
          });
          break;
        case SectionId.export:
          m.exports = readVec(r, (r) => {
            const name = r.name();
            const at = r.pos;
            const kind = r.u8();
            if (kind > 4 || (kind === 4 && !hasExceptions(features))) {
              r.fail("malformed export kind", at);
            }
            return { name, kind: kind as 0 | 1 | 2 | 3 | 4, index: r.u32() };
          });
          break;
        case SectionId.start:
          m.start = r.u32();
          break;
        case SectionId.element:
          m.elems = readElemSection(r, features);
          break;
        case SectionId.dataCount:
          m.dataCount = r.u32();
          break;
        case SectionId.code:
          readCodeSection(r, m.codes, features);
          break;
        case SectionId.data:
          m.datas = readDataSection(r, features);
          break;
      }
    }
    if (r.pos !== start + size) r.fail("section size mismatch", start);
  }
  if ((funcCount < 0 ? 0 : funcCount) !== m.codes.length) {
    r.fail("function and code section have inconsistent lengths", r.pos);
  }
  if (m.dataCount !== null && m.dataCount !== m.datas.length) {
    r.fail("data count and data section have inconsistent lengths", r.pos);
  }
}

/** Whether the tag section, tag imports/exports and `exnref` are on. */
export function hasExceptions(f: Readonly<Features>): boolean {
  return f.exceptions || f.legacyExceptions;
}

function readImports(r: Reader, m: ModuleStruct, features: Readonly<Features>): void {
  m.imports = readVec(r, (r: Reader) => {
    const module = r.name();
    const name = r.name();
    const at = r.pos;
    const kind = r.u8();
    let desc: ImportDesc;
    switch (kind) {
      case 0:
        desc = { kind, type: r.u32() };
        break;
      case 1:
        desc = { kind, type: readTableType(r, features) };
        break;
      case 2:
        desc = { kind, type: { limits: readLimits(r, features, false) } };
        break;
      case 3:
        desc = { kind, type: readGlobalType(r, features) };
        break;
      case 4:
        if (!hasExceptions(features)) r.fail("malformed import kind", at);
        desc = { kind, type: readTagType(r) };
        break;
      default:
        r.fail("malformed import kind", at);
    }
    return { module, name, desc };
  });
}

function readTableType(r: Reader, features: Readonly<Features>): TableType {
  const elem = readRefType(r, features);
  return { elem, limits: readLimits(r, features, true) };
}

/** A table section entry: a table type, or (wasm 3.0) `0x40 0x00` type and initialiser. */
function readTable(r: Reader, features: Readonly<Features>): TableType {
  if (r.peek() !== 0x40 || !(isWasm3(features) || typedRefs(features))) {
    return readTableType(r, features);
  }
  r.pos++;
  const at = r.pos;
  if (r.u8() !== 0) r.fail("malformed table", at);
  const t = readTableType(r, features);
  t.init = readExpr(r, features);
  return t;
}

/**
 * True when every wasm 3.0 proposal Gannet implements is on. Wasm 3.0 also
 * changed rules that belong to no such proposal (table initialisers; a
 * global's initialiser may read earlier globals); they apply in this mode
 * only, so a 2.0-plus-one-proposal configuration keeps the 2.0 rules its
 * tests expect.
 */
export function isWasm3(f: Readonly<Features>): boolean {
  return f.memory64 && f.multiMemory && f.extendedConst && f.tailCall && f.relaxedSimd;
}

function readGlobalType(r: Reader, features: Readonly<Features>): GlobalType {
  const type = readValType(r, features);
  const at = r.pos;
  const mut = r.u8();
  if (mut > 1) r.fail("malformed mutability", at);
  return { type, mutable: mut === 1 };
}

/**
 * Reads limits. Flag bits: 0 = has maximum, 1 = shared (threads), 2 = i64
 * address type (memory64). In wasm 2.0 the flag is a one-bit LEB128 (hence
 * its "integer too large" / "integer representation too long" messages).
 */
export function readLimits(r: Reader, features: Readonly<Features>, table: boolean): Limits {
  const at = r.pos;
  let flags: number;
  if (!features.threads && !features.memory64) {
    flags = r.lastLebByte(at, 0x7e, false); // a u1: its first byte is its last
  } else {
    flags = r.u8();
    const allowed = 1 | (features.threads ? 2 : 0) | (features.memory64 ? 4 : 0);
    if ((flags & ~allowed) !== 0) r.fail("malformed limits flags", at);
  }
  const index64 = (flags & 4) !== 0;
  // memory64 made every limit a u64 in the binary (range is validation's job).
  const wide = features.memory64;
  const min = wide ? r.u64() : BigInt(r.u32());
  const max = (flags & 1) === 0 ? null : wide ? r.u64() : BigInt(r.u32());
  const shared = (flags & 2) !== 0;
  if (shared && table) r.fail("tables cannot be shared (yet)", at);
  return { min, max, shared, index64 };
}
