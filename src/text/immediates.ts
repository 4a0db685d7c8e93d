/**
 * Immediate operands of plain instructions, by the shape the instruction
 * table gives ({@link Imm}): indices, memargs, literals, lanes.
 *
 * @module
 */
import type { SAtom, SNode } from "./lexer.ts";
import type { InstrWriter } from "./instructions.ts";
import type { Ctx, Space } from "./_context.ts";
import type { ByteWriter } from "../binary/leb_write.ts";
import { Imm, type OpInfo } from "../binary/opcodes.ts";
import { writeHeapType } from "../binary/encode_types.ts";
import { heapOf, isNullable } from "../binary/valtype.ts";
import { parseF32, parseF64, parseI32, parseI64, parseUnsigned, RangeProblem } from "./numbers.ts";
import { isShape, LANE_COUNT, writeLane } from "./v128.ts";
import { isLiteralAtom, isNumberToken } from "./lexer.ts";

/**
 * Parses the immediates of `op` from `items[i…]` into `out`; returns the
 * index of the first item after them.
 */
export function writeImmediate(
  iw: InstrWriter,
  op: OpInfo,
  items: SNode[],
  i: number,
  at: SNode,
  out: ByteWriter,
): number {
  const ctx: Ctx = iw.ctx;
  switch (op.imm) {
    case Imm.None:
      return i;
    case Imm.Label:
      out.u32(iw.label(items[i], at));
      return i + 1;
    case Imm.BrTable: {
      const labels: number[] = [];
      while (ctx.isIndex(items[i])) labels.push(iw.label(items[i++], at));
      if (labels.length === 0) ctx.fail(items[i] ?? at, "unexpected token");
      out.u32(labels.length - 1);
      for (const l of labels) out.u32(l);
      return i;
    }
    case Imm.Func:
      out.u32(ctx.index(items[i], at, ctx.funcs));
      return i + 1;
    case Imm.Local:
      out.u32(iw.local(items[i], at));
      return i + 1;
    case Imm.Global:
      out.u32(ctx.index(items[i], at, ctx.globals));
      return i + 1;
    case Imm.Table:
      return optionalIndices(ctx, items, i, at, ctx.tables, 1, out);
    case Imm.Mem:
      return optionalIndices(ctx, items, i, at, ctx.mems, 1, out);
    case Imm.Elem:
      out.u32(ctx.index(items[i], at, ctx.elems));
      return i + 1;
    case Imm.Data:
      ctx.needsDataCount = true;
      out.u32(ctx.index(items[i], at, ctx.datas));
      return i + 1;
    case Imm.TableInit:
    case Imm.MemInit: {
      // table.init tableidx? elemidx, memory.init memidx? dataidx
      const isTable = op.imm === Imm.TableInit;
      if (!isTable) ctx.needsDataCount = true;
      let target = 0;
      if (ctx.isIndex(items[i + 1])) {
        target = ctx.index(items[i++], at, isTable ? ctx.tables : ctx.mems);
      }
      out.u32(ctx.index(items[i], at, isTable ? ctx.elems : ctx.datas));
      out.u32(target);
      return i + 1;
    }
    case Imm.TableCopy:
      return optionalIndices(ctx, items, i, at, ctx.tables, 2, out);
    case Imm.MemCopy:
      return optionalIndices(ctx, items, i, at, ctx.mems, 2, out);
    case Imm.MemArg:
      return memArg(iw, op, items, i, at, out, false);
    case Imm.MemArgLane: {
      i = memArg(iw, op, items, i, at, out, true);
      out.u8(lane(iw, items[i], at));
      return i + 1;
    }
    case Imm.Lane:
      out.u8(lane(iw, items[i], at));
      return i + 1;
    case Imm.Shuffle: {
      let k = 0;
      while (k < 16 && (items[i + k]?.kind === "num" || items[i + k]?.kind === "keyword")) k++;
      if (k < 16 || items[i + k]?.kind === "num") {
        ctx.fail(items[i + k] ?? at, "invalid lane length");
      }
      for (k = 0; k < 16; k++) out.u8(lane(iw, items[i + k], at, "malformed lane index"));
      return i + 16;
    }
    case Imm.I32:
      out.s32(literal(iw, items[i], at, parseI32, "constant out of range"));
      return i + 1;
    case Imm.I64:
      out.s64(literal(iw, items[i], at, parseI64, "constant out of range"));
      return i + 1;
    case Imm.F32:
      out.f32Bits(literal(iw, items[i], at, parseF32));
      return i + 1;
    case Imm.F64:
      out.f64Bits(literal(iw, items[i], at, parseF64));
      return i + 1;
    case Imm.V128:
      return v128(iw, items, i, at, out);
    case Imm.HeapType:
      writeHeapType(out, ctx.heapType(items[i], at));
      return i + 1;
    case Imm.Tag:
      out.u32(ctx.index(items[i], at, ctx.tags));
      return i + 1;
    case Imm.Type:
      out.u32(ctx.index(items[i], at, ctx.types));
      return i + 1;
    case Imm.TypeField: {
      const x = ctx.index(items[i], at, ctx.types);
      out.u32(x);
      const f = items[i + 1];
      if (f !== undefined && f.kind === "id") {
        const k = ctx.fields[x]?.get(f.text);
        if (k === undefined) ctx.fail(f, `unknown field $${f.text}`);
        out.u32(k);
      } else out.u32(ctx.u32(f, at));
      return i + 2;
    }
    case Imm.TypeCount:
      out.u32(ctx.index(items[i], at, ctx.types));
      out.u32(ctx.u32(items[i + 1], at));
      return i + 2;
    case Imm.TypeData:
      // Like wasm-tools: a data count section for code, not constant expressions.
      if (iw.locals !== null) ctx.needsDataCount = true;
      out.u32(ctx.index(items[i], at, ctx.types));
      out.u32(ctx.index(items[i + 1], at, ctx.datas));
      return i + 2;
    case Imm.TypeElem:
      out.u32(ctx.index(items[i], at, ctx.types));
      out.u32(ctx.index(items[i + 1], at, ctx.elems));
      return i + 2;
    case Imm.TypeType:
      out.u32(ctx.index(items[i], at, ctx.types));
      out.u32(ctx.index(items[i + 1], at, ctx.types));
      return i + 2;
    case Imm.BrOnCast: {
      const l = iw.label(items[i], at);
      const t1 = ctx.refType(items[i + 1], at);
      const t2 = ctx.refType(items[i + 2], at);
      out.u8((isNullable(t1) ? 1 : 0) | (isNullable(t2) ? 2 : 0));
      out.u32(l);
      writeHeapType(out, heapOf(t1));
      writeHeapType(out, heapOf(t2));
      return i + 3;
    }
    case Imm.Zero:
      out.u8(0);
      return i;
    default:
      ctx.fail(at, `unknown operator ${op.name}`);
  }
}

/**
 * `count` table or memory indices (`x` or `dst src`), all given or all
 * omitted (each then 0); returns the index of the first item after them.
 */
function optionalIndices(
  ctx: Ctx,
  items: SNode[],
  i: number,
  at: SNode,
  space: Space,
  count: number,
  out: ByteWriter,
): number {
  const given = ctx.isIndex(items[i]);
  for (let k = 0; k < count; k++) out.u32(given ? ctx.index(items[i + k], at, space) : 0);
  return given ? i + count : i;
}

/** A numeric literal immediate; wrong shapes and out-of-range values are malformed. */
function literal<T>(
  iw: InstrWriter,
  n: SNode | undefined,
  at: SNode,
  parse: (t: string) => T | null,
  rangeMessage?: string,
): T {
  const ctx: Ctx = iw.ctx;
  if (!isLiteralAtom(n)) {
    ctx.fail(n ?? at, "unexpected token");
  }
  try {
    const v = parse(n.text);
    if (v === null) {
      // `nan:1` and the like are not number tokens at all.
      const bogus = n.kind === "keyword" && n.text.startsWith("nan:") && !isNumberToken(n.text) &&
        n.text !== "nan:canonical" && n.text !== "nan:arithmetic";
      ctx.fail(n, bogus ? "unknown operator" : "unexpected token");
    }
    return v;
  } catch (e) {
    if (e instanceof RangeProblem) ctx.fail(n, rangeMessage ?? e.message);
    throw e;
  }
}

/** A lane index: a u8 literal (`shape` is the message for a non-integer). */
function lane(
  iw: InstrWriter,
  n: SNode | undefined,
  at: SNode,
  shape = "unexpected token",
): number {
  const ctx: Ctx = iw.ctx;
  if (!isLiteralAtom(n)) {
    ctx.fail(n ?? at, "unexpected token");
  }
  if (n.kind === "reserved") ctx.fail(n, "unknown operator");
  try {
    const v = parseUnsigned(n.text, 8);
    if (v === null) ctx.fail(n, shape);
    return Number(v);
  } catch (e) {
    if (e instanceof RangeProblem) ctx.fail(n, "malformed lane index");
    throw e;
  }
}

function isMemArgKeyword(n: SNode | undefined): boolean {
  return n !== undefined && n.kind === "keyword" &&
    (n.text.startsWith("offset=") || n.text.startsWith("align="));
}

/** `memidx? offset=N? align=N?` → flags (with bit 6 when memidx ≠ 0), memidx, offset. */
function memArg(
  iw: InstrWriter,
  op: OpInfo,
  items: SNode[],
  i: number,
  at: SNode,
  out: ByteWriter,
  laneFollows: boolean,
): number {
  const ctx: Ctx = iw.ctx;
  let mem = 0;
  const n = items[i];
  const hasMem = n?.kind === "id" ||
    (n?.kind === "num" &&
      (!laneFollows || items[i + 1]?.kind === "num" || isMemArgKeyword(items[i + 1])));
  if (hasMem) mem = ctx.index(items[i++], at, ctx.mems);
  const is64 = ctx.mem64[mem] === true;
  let offset = 0n;
  let align = 1n << BigInt(op.align);
  let k = items[i];
  if (k !== undefined && k.kind === "keyword" && k.text.startsWith("offset=")) {
    offset = keywordValue(iw, k, "offset=", is64 || ctx.features.memory64 ? 64 : 32);
    k = items[++i];
  }
  if (k !== undefined && k.kind === "keyword" && k.text.startsWith("align=")) {
    align = keywordValue(iw, k, "align=", ctx.features.memory64 ? 64 : 32);
    if (align === 0n || (align & (align - 1n)) !== 0n) {
      ctx.fail(k, "alignment must be a power of two");
    }
    i++;
  }
  const log2 = align.toString(2).length - 1;
  out.u32(log2 | (mem !== 0 ? 0x40 : 0));
  if (mem !== 0) out.u32(mem);
  out.u64(offset);
  return i;
}

function keywordValue(
  iw: InstrWriter,
  k: SNode & { text: string },
  prefix: string,
  bits: number,
): bigint {
  const text = k.text.slice(prefix.length);
  try {
    const v = parseUnsigned(text, bits);
    if (v === null) iw.ctx.fail(k, "unknown operator");
    return v;
  } catch (e) {
    if (e instanceof RangeProblem) iw.ctx.fail(k, e.message);
    throw e;
  }
}

/** `v128.const shape lane…`. */
function v128(iw: InstrWriter, items: SNode[], i: number, at: SNode, out: ByteWriter): number {
  const ctx: Ctx = iw.ctx;
  const s = items[i];
  if (s === undefined || s.kind !== "keyword" || !isShape(s.text)) {
    ctx.fail(s ?? at, "unexpected token");
  }
  const count = LANE_COUNT[s.text];
  for (let k = 0; k < count; k++) {
    const n = items[i + 1 + k];
    if (!isLiteralAtom(n)) {
      ctx.fail(n ?? at, "wrong number of lane literals");
    }
  }
  const bytes = new Uint8Array(16);
  for (let k = 0; k < count; k++) {
    const n = items[i + 1 + k] as SAtom; // checked above, before any lane's value
    try {
      if (!writeLane(bytes, s.text, k, n.text)) {
        ctx.fail(n, n.kind === "num" ? "unexpected token" : "unknown operator");
      }
    } catch (e) {
      if (e instanceof RangeProblem) ctx.fail(n, "constant out of range");
      throw e;
    }
  }
  const after = items[i + 1 + count];
  if (after !== undefined && after.kind === "num") ctx.fail(after, "wrong number of lane literals");
  out.bytes(bytes);
  return i + 1 + count;
}
