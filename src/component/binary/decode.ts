/**
 * The component decoder: binary bytes → {@link ComponentModel}. It checks
 * the encoding only (what `assert_malformed` tests); validity is
 * `src/component/validate`'s job. Embedded core modules are sliced, not
 * decoded: the validator compiles them with the core decoder.
 *
 * Sections are read within their declared size (an entry running past it is
 * "unexpected end-of-file", bytes left over are a size mismatch), with
 * wasm-tools' wording throughout, since the component-model test suite is
 * written against it.
 *
 * @module
 */
import { ALL_FEATURES, type Features } from "../../binary/features.ts";
import { ComponentReader } from "./reader.ts";
import { readCanon } from "./decode_canon.ts";
import {
  readAlias,
  readCoreExternSort,
  readExternDesc,
  readExternName,
  readSort,
  readTypeDef,
  readValTypeRef,
} from "./decode_types.ts";
import { MAX_CORE_TYPES, readCoreType } from "./decode_core_types.ts";
import { decodeComponentNames } from "./decode_names.ts";
import {
  type ComponentModel,
  type CoreInstanceExpr,
  type Definition,
  emptyComponent,
  type InstanceExpr,
} from "./model.ts";

/** Section ids of the component binary format. */
export const ComponentSectionId = {
  custom: 0,
  coreModule: 1,
  coreInstance: 2,
  coreType: 3,
  component: 4,
  instance: 5,
  alias: 6,
  type: 7,
  canon: 8,
  start: 9,
  import: 10,
  export: 11,
  value: 12,
} as const;

/** The component preamble's version and layer fields (`0x0d 0x00 0x01 0x00`). */
export const COMPONENT_VERSION = 0x0001000d;

const MAX_INSTANCES = 1000;
const MAX_INSTANTIATION_ARGS = 100_000;
const MAX_INSTANCE_EXPORTS = 100_000;
const MAX_TYPES = 1_000_000;
const MAX_FUNCTIONS = 1_000_000;
const MAX_IMPORTS = 1_000_000;
const MAX_EXPORTS = 1_000_000;
const MAX_ALIASES = 1_000_000;
const MAX_VALUES = 1000;
const MAX_START_ARGS = 1000;
const MAX_FUNCTION_RETURNS = 1000;
/** Nested components deeper than this are rejected before they exhaust the host's stack. */
const MAX_NESTING = 100;

/** True when `bytes` start with the component preamble (rather than a core module's). */
export function isComponentBinary(bytes: Uint8Array): boolean {
  return hasMagic(bytes) && bytes[4] === 0x0d && bytes[5] === 0 && bytes[6] === 1 &&
    bytes[7] === 0;
}

function isModuleHeader(bytes: Uint8Array): boolean {
  return hasMagic(bytes) && bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0;
}

function hasMagic(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d;
}

/**
 * Decodes a component binary. Throws for malformed
 * input (a `CompileError`), with wasm-tools' wording and the byte offset;
 * with the `componentModel` feature off, every component is rejected.
 *
 * @example
 * ```ts
 * import { decodeComponent } from "./decode.ts";
 * import assert from "node:assert/strict";
 *
 * const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
 * assert.deepEqual(decodeComponent(empty).definitions, []);
 * ```
 */
export function decodeComponent(
  bytes: Uint8Array,
  features: Readonly<Features> = ALL_FEATURES,
): ComponentModel {
  const r = new ComponentReader(bytes);
  if (!features.componentModel && isComponentBinary(bytes)) {
    r.fail(
      "unknown binary version and encoding combination: 0xd and 0x1, note: encoded as a " +
        "component but the WebAssembly component model feature is not enabled",
      4,
    );
  }
  return readComponent(r, bytes.length, 0);
}

function readPreamble(r: ComponentReader): void {
  const start = r.pos;
  if (r.end - start < 4) r.fail("unexpected end-of-file", r.end);
  const magic = r.fixed32();
  if (magic !== 0x6d736100) r.fail("magic header not detected: bad magic number", start);
  if (r.end - r.pos < 4) r.fail("unexpected end-of-file", r.end);
  const version = r.fixed32();
  if (version === COMPONENT_VERSION) return;
  const num = version & 0xffff;
  if ((version >>> 16) === 1) {
    r.fail(
      `${num < 0x0d ? "unsupported" : "unknown"} component version: 0x${num.toString(16)}`,
      start + 4,
    );
  }
  if (version === 1) r.fail("expected a version header for a component", start + 4);
  r.fail(`unknown binary version: 0x${version.toString(16).padStart(8, "0")}`, start + 4);
}

/** Reads a component from `r.pos` up to `end` (the preamble included). */
function readComponent(r: ComponentReader, end: number, depth: number): ComponentModel {
  if (depth > MAX_NESTING) r.fail("components are nested too deeply");
  const c = emptyComponent(r.pos + r.base);
  const outerEnd = r.end;
  r.end = end;
  readPreamble(r);
  let sawStart = false;
  while (r.pos < end) {
    const idAt = r.pos;
    if (
      end - r.pos >= 4 && r.bytes[r.pos] === 0 && r.bytes[r.pos + 1] === 0x61 &&
      r.bytes[r.pos + 2] === 0x73 && r.bytes[r.pos + 3] === 0x6d
    ) {
      r.fail("expected section, got wasm magic number", idAt);
    }
    const id = r.u8();
    if ((id & 0x80) !== 0) r.fail("malformed section id", idAt);
    const sizeAt = r.pos;
    const size = r.u32();
    const start = r.pos;
    if (size > end - start) {
      if (depth === 0) r.fail("unexpected end-of-file", end);
      r.fail(`section too large, ${size} goes past 0x${(end + r.base).toString(16)}`, sizeAt);
    }
    const sectionEnd = start + size;
    r.end = sectionEnd;
    const defs = c.definitions;
    const offset = () => r.pos + r.base;
    switch (id) {
      case 0: {
        const name = r.string();
        const data = r.bytes.subarray(r.pos, sectionEnd);
        r.pos = sectionEnd;
        c.customs.push({ name, data, before: defs.length });
        if (name === "component-name") c.names = decodeComponentNames(data);
        break;
      }
      case 1: {
        const at = offset();
        const bytes = r.bytes.subarray(start, sectionEnd);
        if (!isModuleHeader(bytes)) checkNestedHeader(r, start, sectionEnd, "module");
        defs.push({ kind: "coreModule", module: { bytes, offset: at }, offset: at });
        r.pos = sectionEnd;
        break;
      }
      case 2:
        readItems(r, MAX_INSTANCES, "core instances", (at) => ({
          kind: "coreInstance",
          instance: readCoreInstance(r),
          offset: at,
        }), defs);
        break;
      case 3:
        readItems(r, MAX_CORE_TYPES, "core types", (at) => ({
          kind: "coreType",
          type: readCoreType(r),
          offset: at,
        }), defs);
        break;
      case 4: {
        const at = offset();
        if (!isComponentBinary(r.bytes.subarray(start, sectionEnd))) {
          checkNestedHeader(r, start, sectionEnd, "component");
        }
        const component = readComponent(r, sectionEnd, depth + 1);
        r.end = sectionEnd;
        defs.push({ kind: "component", component, offset: at });
        break;
      }
      case 5:
        readItems(r, MAX_INSTANCES, "instances", (at) => ({
          kind: "instance",
          instance: readInstance(r),
          offset: at,
        }), defs);
        break;
      case 6:
        readItems(r, MAX_ALIASES, "aliases", (at) => ({
          kind: "alias",
          alias: readAlias(r),
          offset: at,
        }), defs);
        break;
      case 7:
        readItems(r, MAX_TYPES, "types", (at) => ({
          kind: "type",
          type: readTypeDef(r, 0),
          offset: at,
        }), defs);
        break;
      case 8:
        readItems(r, MAX_FUNCTIONS, "functions", (at) => ({
          kind: "canon",
          canon: readCanon(r),
          offset: at,
        }), defs);
        break;
      case 9: {
        if (sawStart) r.fail("component cannot have more than one start function");
        sawStart = true;
        const at = offset();
        const func = r.u32();
        const args = r.vec(MAX_START_ARGS, "start function arguments", (r) => r.u32());
        const results = r.size(MAX_FUNCTION_RETURNS, "start function results");
        defs.push({ kind: "start", start: { func, args, results }, offset: at });
        if (r.pos < sectionEnd) r.fail("unexpected data at the end of the section");
        break;
      }
      case 10:
        readItems(r, MAX_IMPORTS, "imports", (at) => {
          const name = readExternName(r);
          return { kind: "import", name, desc: readExternDesc(r), offset: at };
        }, defs);
        break;
      case 11:
        readItems(r, MAX_EXPORTS, "exports", (at) => {
          const name = readExternName(r);
          const sort = readSort(r);
          const index = r.u32();
          const desc = r.optional("optional component export type", readExternDesc);
          return { kind: "export", name, item: { sort, index }, desc, offset: at };
        }, defs);
        break;
      case 12:
        readItems(r, MAX_VALUES, "values", (at) => {
          const type = readValTypeRef(r);
          const n = r.u32();
          return { kind: "value", value: { type, bytes: r.take(n) }, offset: at };
        }, defs);
        break;
      default:
        r.fail(`malformed section id: ${id}`, idAt);
    }
    if (r.pos !== sectionEnd) {
      r.fail("unexpected data at the end of the section", r.pos);
    }
    r.end = end;
  }
  c.end = end + r.base;
  r.end = outerEnd;
  return c;
}

/** The header of a nested module or component section is the wrong kind or version. */
function checkNestedHeader(
  r: ComponentReader,
  start: number,
  end: number,
  want: "module" | "component",
): never {
  const b = r.bytes;
  if (end - start < 8) r.fail("unexpected end-of-file", end);
  if (b[start] !== 0 || b[start + 1] !== 0x61 || b[start + 2] !== 0x73 || b[start + 3] !== 0x6d) {
    r.fail("magic header not detected: bad magic number", start);
  }
  const layer = b[start + 6] | (b[start + 7] << 8);
  const expectedLayer = want === "module" ? 0 : 1;
  if (layer !== expectedLayer && (layer === 0 || layer === 1)) {
    r.fail(`expected a version header for a ${want}`, start + 4);
  }
  const version = (b[start + 4] | (b[start + 5] << 8) | (layer << 16)) >>> 0;
  r.fail(`unknown binary version: 0x${version.toString(16).padStart(8, "0")}`, start + 4);
}

/** Reads a section's `vec` of items into `defs`, each with its starting offset. */
function readItems(
  r: ComponentReader,
  limit: number,
  desc: string,
  item: (offset: number) => Definition,
  defs: Definition[],
): void {
  const n = r.size(limit, desc);
  for (let i = 0; i < n; i++) defs.push(item(r.pos + r.base));
}

function readCoreInstance(r: ComponentReader): CoreInstanceExpr {
  const b = r.u8();
  if (b === 0x00) {
    const module = r.u32();
    const args = r.vec(MAX_INSTANTIATION_ARGS, "core instantiation arguments", (r) => {
      const name = r.string();
      const k = r.u8();
      if (k !== 0x12) r.badByte(k, "instantiation arg kind");
      return { name, instance: r.u32() };
    });
    return { kind: "instantiate", module, args };
  }
  if (b === 0x01) {
    const exports = r.vec(MAX_INSTANTIATION_ARGS, "core instantiation arguments", (r) => {
      const name = r.string();
      const sort = readCoreExternSort(r);
      return { name, sort, index: r.u32() };
    });
    return { kind: "exports", exports };
  }
  r.badByte(b, "core instance");
}

function readInstance(r: ComponentReader): InstanceExpr {
  const b = r.u8();
  if (b === 0x00) {
    const component = r.u32();
    const args = r.vec(MAX_INSTANTIATION_ARGS, "instantiation arguments", (r) => {
      const name = r.string();
      const sort = readSort(r);
      return { name, sort, index: r.u32() };
    });
    return { kind: "instantiate", component, args };
  }
  if (b === 0x01) {
    const exports = r.vec(MAX_INSTANCE_EXPORTS, "instantiation exports", (r) => {
      const name = readExternName(r);
      const sort = readSort(r);
      return { name, sort, index: r.u32() };
    });
    return { kind: "exports", exports };
  }
  r.badByte(b, "instance");
}
