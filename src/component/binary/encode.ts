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
import { writeValType as writeCoreValType } from "../../binary/encode_types.ts";
import { CANON_OPCODES } from "./decode_canon.ts";
import { nameSortBytes } from "./decode_names.ts";
import {
  CORE_SORT_BYTE,
  writeAlias,
  writeCoreType,
  writeExternDesc,
  writeExternName,
  writeResultList,
  writeSort,
  writeTypeDef,
  writeValType,
} from "./encode_types.ts";
import { ComponentSectionId } from "./decode.ts";
import type {
  Canon,
  CanonOpt,
  ComponentModel,
  ComponentNames,
  CoreInstanceExpr,
  Definition,
  InstanceExpr,
} from "./model.ts";

const PREAMBLE = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00);

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
