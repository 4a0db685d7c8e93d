/**
 * The component encoder: {@link ComponentModel} → component bytes. Runs of
 * definitions of one kind share a section, as wasm-tools writes them;
 * custom sections go back before the definition they preceded. A decoded
 * component re-encodes byte for byte (up to LEB128 padding and section
 * grouping).
 *
 * @module
 */
import { ByteWriter } from "../../binary/leb_write.ts";
import { writeGlobalType, writeLimits, writeTableType } from "../../binary/encode.ts";
import { writeValType as writeCoreValType } from "../../binary/encode_types.ts";
import type { FuncType } from "../../binary/types.ts";
import { CANON_OPCODES } from "./decode_canon.ts";
import { PRIM_BY_CODE } from "./decode_types.ts";
import { nameSortBytes } from "./decode_names.ts";
import { ComponentSectionId } from "./decode.ts";
import type {
  Alias,
  Canon,
  CanonOpt,
  ComponentModel,
  ComponentNames,
  ComponentSort,
  CoreExternDesc,
  CoreExternSort,
  CoreInstanceExpr,
  CoreTypeDef,
  Definition,
  ExternDesc,
  ExternName,
  InstanceExpr,
  PrimValType,
  TypeDecl,
  TypeDef,
  ValTypeRef,
} from "./model.ts";

const PREAMBLE = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00);

const CODE_BY_PRIM = Object.fromEntries(
  Object.entries(PRIM_BY_CODE).map(([code, name]) => [name, Number(code)]),
) as Record<PrimValType, number>;

/** The section each kind of definition goes in. */
const SECTION_OF: Readonly<Record<Definition["kind"], number>> = ComponentSectionId;

/**
 * Encodes a component. With `names`, a `component-name` section is
 * appended for them (unless the component already carries one).
 *
 * @example
 * ```ts
 * import { encodeComponent } from "./encode.ts";
 * import { decodeComponent } from "./decode.ts";
 * import { emptyComponent } from "./model.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeComponent(emptyComponent());
 * assert.equal(bytes.length, 8);
 * assert.deepEqual(decodeComponent(bytes).definitions, []);
 * ```
 */
export function encodeComponent(c: ComponentModel): Uint8Array {
  const out = new ByteWriter(1024);
  writeComponent(out, c);
  return out.finish();
}

function writeComponent(out: ByteWriter, c: ComponentModel): void {
  out.bytes(PREAMBLE);
  const defs = c.definitions;
  let custom = 0;
  const customsBefore = (i: number) => {
    while (custom < c.customs.length && c.customs[custom].before <= i) {
      const s = c.customs[custom++];
      const w = new ByteWriter(s.data.length + 16);
      w.name(s.name);
      w.bytes(s.data);
      section(out, 0, w);
    }
  };
  let i = 0;
  while (i < defs.length) {
    customsBefore(i);
    const id = SECTION_OF[defs[i].kind];
    const w = new ByteWriter(256);
    if (id === 1 || id === 4 || id === 9) {
      // One module, component or start function per section.
      writeSingle(w, defs[i]);
      i++;
    } else {
      let j = i;
      while (j < defs.length && SECTION_OF[defs[j].kind] === id && (j === i || !customAt(c, j))) {
        j++;
      }
      w.u32(j - i);
      for (let k = i; k < j; k++) writeItem(w, defs[k]);
      i = j;
    }
    section(out, id, w);
  }
  customsBefore(Infinity);
  if (c.names !== null && !c.customs.some((s) => s.name === "component-name")) {
    const w = new ByteWriter(256);
    w.name("component-name");
    writeNames(w, c.names);
    section(out, 0, w);
  }
}

function customAt(c: ComponentModel, i: number): boolean {
  return c.customs.some((s) => s.before === i);
}

function section(out: ByteWriter, id: number, w: ByteWriter): void {
  out.u8(id);
  out.u32(w.length);
  out.bytes(w.buf.subarray(0, w.length));
}

function writeSingle(w: ByteWriter, d: Definition): void {
  if (d.kind === "coreModule") w.bytes(d.module.bytes);
  else if (d.kind === "component") writeComponent(w, d.component);
  else if (d.kind === "start") {
    w.u32(d.start.func);
    w.u32(d.start.args.length);
    for (const a of d.start.args) w.u32(a);
    w.u32(d.start.results);
  }
}

function writeItem(w: ByteWriter, d: Definition): void {
  switch (d.kind) {
    case "coreInstance":
      return writeCoreInstance(w, d.instance);
    case "coreType":
      return writeCoreType(w, d.type);
    case "instance":
      return writeInstance(w, d.instance);
    case "alias":
      return writeAlias(w, d.alias);
    case "type":
      return writeTypeDef(w, d.type);
    case "canon":
      return writeCanon(w, d.canon);
    case "import":
      writeExternName(w, d.name);
      return writeExternDesc(w, d.desc);
    case "export":
      writeExternName(w, d.name);
      writeSort(w, d.item.sort);
      w.u32(d.item.index);
      if (d.desc === null) w.u8(0);
      else {
        w.u8(1);
        writeExternDesc(w, d.desc);
      }
      return;
    case "value":
      writeValType(w, d.value.type);
      w.vecBytes(d.value.bytes);
      return;
    default:
      throw new RangeError(`${d.kind} is not a vector section item`);
  }
}

/** A `valtype`: a primitive code, or a type index as a signed LEB128 (s33). */
export function writeValType(w: ByteWriter, t: ValTypeRef): void {
  if (typeof t === "number") w.s64(BigInt(t));
  else w.u8(CODE_BY_PRIM[t]);
}

function writeOptValType(w: ByteWriter, t: ValTypeRef | null): void {
  if (t === null) w.u8(0);
  else {
    w.u8(1);
    writeValType(w, t);
  }
}

function writeResultList(w: ByteWriter, t: ValTypeRef | null): void {
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

const CORE_SORT_BYTE: Readonly<Record<CoreExternSort, number>> = {
  func: 0,
  table: 1,
  memory: 2,
  global: 3,
  tag: 4,
};

function writeSort(w: ByteWriter, s: ComponentSort): void {
  for (const b of SORT_BYTES[s]) w.u8(b);
}

function writeTypeDef(w: ByteWriter, t: TypeDef): void {
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

function writeTypeDecl(w: ByteWriter, d: TypeDecl): void {
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

function writeExternDesc(w: ByteWriter, d: ExternDesc): void {
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

function writeExternName(w: ByteWriter, n: ExternName): void {
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

function writeAlias(w: ByteWriter, a: Alias): void {
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

function writeCoreFuncType(w: ByteWriter, t: FuncType): void {
  w.u8(0x60);
  w.u32(t.params.length);
  for (const p of t.params) writeCoreValType(w, p);
  w.u32(t.results.length);
  for (const r of t.results) writeCoreValType(w, r);
}

function writeCoreType(w: ByteWriter, t: CoreTypeDef): void {
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

function writeCoreInstance(w: ByteWriter, i: CoreInstanceExpr): void {
  if (i.kind === "instantiate") {
    w.u8(0x00);
    w.u32(i.module);
    w.u32(i.args.length);
    for (const a of i.args) {
      w.name(a.name);
      w.u8(0x12);
      w.u32(a.instance);
    }
  } else {
    w.u8(0x01);
    w.u32(i.exports.length);
    for (const e of i.exports) {
      w.name(e.name);
      w.u8(CORE_SORT_BYTE[e.sort]);
      w.u32(e.index);
    }
  }
}

function writeInstance(w: ByteWriter, i: InstanceExpr): void {
  if (i.kind === "instantiate") {
    w.u8(0x00);
    w.u32(i.component);
    w.u32(i.args.length);
    for (const a of i.args) {
      w.name(a.name);
      writeSort(w, a.sort);
      w.u32(a.index);
    }
  } else {
    w.u8(0x01);
    w.u32(i.exports.length);
    for (const e of i.exports) {
      writeExternName(w, e.name);
      writeSort(w, e.sort);
      w.u32(e.index);
    }
  }
}

const ENCODING_BYTE = { "utf8": 0x00, "utf16": 0x01, "latin1+utf16": 0x02 } as const;

function writeOpts(w: ByteWriter, opts: CanonOpt[]): void {
  w.u32(opts.length);
  for (const o of opts) {
    switch (o.kind) {
      case "string-encoding":
        w.u8(ENCODING_BYTE[o.encoding]);
        break;
      case "memory":
      case "realloc":
      case "post-return":
      case "callback":
      case "core-type": {
        const code =
          { memory: 3, realloc: 4, "post-return": 5, callback: 7, "core-type": 8 }[o.kind];
        w.u8(code);
        w.u32(o.index);
        break;
      }
      case "async":
        w.u8(0x06);
        break;
      case "gc":
        w.u8(0x09);
        break;
    }
  }
}

function writeCanon(w: ByteWriter, c: Canon): void {
  w.u8(CANON_OPCODES[c.kind]);
  switch (c.kind) {
    case "lift":
      w.u8(0x00);
      w.u32(c.coreFunc);
      writeOpts(w, c.options);
      return w.u32(c.type);
    case "lower":
      w.u8(0x00);
      w.u32(c.func);
      return writeOpts(w, c.options);
    case "task.return":
      writeResultList(w, c.result);
      return writeOpts(w, c.options);
    case "context.get":
    case "context.set":
      writeCoreValType(w, c.type);
      return w.u32(c.slot);
    case "waitable-set.wait":
    case "waitable-set.poll":
      w.u8(c.cancellable ? 1 : 0);
      return w.u32(c.memory);
    case "thread.new-indirect":
      w.u32(c.type);
      return w.u32(c.table);
    case "thread.spawn-ref":
      w.u8(c.shared ? 1 : 0);
      return w.u32(c.type);
    case "thread.spawn-indirect":
      w.u8(c.shared ? 1 : 0);
      w.u32(c.type);
      return w.u32(c.table);
    case "thread.available-parallelism":
      return w.u8(c.shared ? 1 : 0);
  }
  if ("resource" in c) w.u32(c.resource);
  if ("type" in c) w.u32(c.type);
  if ("options" in c) writeOpts(w, c.options);
  if ("async" in c) w.u8(c.async ? 1 : 0);
  if ("cancellable" in c) w.u8(c.cancellable ? 1 : 0);
}

function writeNames(w: ByteWriter, names: ComponentNames): void {
  if (names.component !== null) {
    const sub = new ByteWriter(64);
    sub.name(names.component);
    w.u8(0);
    w.u32(sub.length);
    w.bytes(sub.buf.subarray(0, sub.length));
  }
  for (const [sort, map] of names.sorts) {
    if (map.size === 0) continue;
    const sub = new ByteWriter(64);
    for (const b of nameSortBytes(sort)) sub.u8(b);
    sub.u32(map.size);
    for (const [index, name] of [...map].sort((a, b) => a[0] - b[0])) {
      sub.u32(index);
      sub.name(name);
    }
    w.u8(1);
    w.u32(sub.length);
    w.bytes(sub.buf.subarray(0, sub.length));
  }
}
