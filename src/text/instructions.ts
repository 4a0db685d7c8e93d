/**
 * Instruction sequences (function bodies and constant expressions), flat
 * and folded, written straight to bytes. Mnemonics, immediate shapes and
 * encodings come from the instruction table (`src/binary/opcodes.ts`).
 *
 * @module
 */
import type { SAtom, SList, SNode } from "./lexer.ts";
import { type Ctx, DEEP } from "./_context.ts";
import { ByteWriter } from "../binary/leb_write.ts";
import { Imm, opByName, type OpInfo } from "../binary/opcodes.ts";
import { parseTypeUse, useIndex } from "./typeuse.ts";
import { writeImmediate } from "./immediates.ts";
import { writeHeapType, writeValType } from "../binary/encode_types.ts";
import { heapOf, isNullable } from "../binary/valtype.ts";

const BLOCK = opByName("block")!;
const LOOP = opByName("loop")!;
const IF = opByName("if")!;
const TRY = opByName("try")!;
const TRY_TABLE = opByName("try_table")!;
const CATCH = opByName("catch")!;
const CATCH_ALL = opByName("catch_all")!;
const DELEGATE = opByName("delegate")!;
const SELECT = opByName("select")!;
const SELECT_T = opByName("select_t")!;
const REF_TEST = opByName("ref.test")!;
const REF_CAST = opByName("ref.cast")!;
/** Nullable variants of ref.test/ref.cast, by the non-null row's index. */
const NULL_VARIANT = new Map<OpInfo, OpInfo>([
  [REF_TEST, opByName("ref.test_null")!],
  [REF_CAST, opByName("ref.cast_null")!],
]);
/** Table rows that are not text mnemonics of their own. */
const NOT_MNEMONICS = new Set<OpInfo>([SELECT_T, ...NULL_VARIANT.values()]);
/** Keywords that only appear inside a block form (never as an instruction of their own). */
const CLAUSES = new Set([
  "then",
  "do",
  "catch",
  "catch_ref",
  "catch_all",
  "catch_all_ref",
  "delegate",
]);
/** `try_table` catch clauses, by keyword: their binary kind. */
const CATCH_KINDS: Readonly<Record<string, number>> = {
  catch: 0,
  catch_ref: 1,
  catch_all: 2,
  catch_all_ref: 3,
};

/** An open flat block (`block … end` written without parentheses). */
interface FlatBlock {
  op: OpInfo;
  label: SAtom | null;
  /** `if`: an `else` was seen. A legacy `try`: a clause was seen (1 catch, 2 catch_all). */
  sawElse: boolean;
  clause: number;
  at: SNode;
}

/** Writes instructions of one function body or constant expression. */
export class InstrWriter {
  readonly ctx: Ctx;
  /** Output bytes. */
  readonly w: ByteWriter;
  /** Local identifiers (null in constant expressions). */
  readonly locals: Map<string, number> | null;
  /** Enclosing labels, innermost last (null for unnamed). */
  readonly labels: (string | null)[] = [];
  /** Named blocks as (block number in the body, name), for the name section. */
  readonly labelNames: [number, string][] = [];
  /** Blocks (block, loop, if) entered so far. */
  blocks = 0;
  /** Current nesting of folded instructions. */
  depth = 0;
  /**
   * When not null, (source offset, byte offset) of every instruction written,
   * for branch hints (see branch_hints.ts).
   */
  positions: number[] | null = null;
  // Reusable buffers for immediates and block types, one per folding depth:
  // a folded instruction's immediates wait there while its operands (one
  // level deeper) are written.
  private readonly immPool: ByteWriter[] = [];
  private readonly btPool: ByteWriter[] = [];

  /** The empty scratch buffer of the current depth. */
  private scratch(pool: ByteWriter[]): ByteWriter {
    let w = pool[this.depth];
    if (w === undefined) pool[this.depth] = w = new ByteWriter(16);
    w.length = 0;
    return w;
  }

  /**
   * @param ctx Module parser state.
   * @param w Output.
   * @param locals Local identifiers, or null outside a function.
   */
  constructor(ctx: Ctx, w: ByteWriter, locals: Map<string, number> | null) {
    this.ctx = ctx;
    this.w = w;
    this.locals = locals;
  }

  /** Writes the instruction sequence `items[from…]`. */
  seq(items: SNode[], from: number): void {
    const ctx: Ctx = this.ctx;
    const open: FlatBlock[] = [];
    let i = from;
    while (i < items.length) {
      const n = items[i];
      if (n.kind === "list") {
        this.folded(n);
        i++;
        continue;
      }
      if (n.kind !== "keyword") {
        ctx.fail(n, n.kind === "reserved" ? "unknown operator" : "unexpected token");
      }
      const name = n.text;
      if (
        name === "block" || name === "loop" || name === "if" || name === "try" ||
        name === "try_table"
      ) {
        const op = name === "block"
          ? BLOCK
          : name === "loop"
          ? LOOP
          : name === "if"
          ? IF
          : name === "try"
          ? TRY
          : TRY_TABLE;
        const label = items[i + 1]?.kind === "id" ? items[i + 1] as SAtom : null;
        i += label === null ? 1 : 2;
        const bt = this.scratch(this.btPool);
        i = this.blockType(items, i, bt);
        this.op(op, n);
        this.w.bytes(bt.buf.subarray(0, bt.length));
        if (op === TRY_TABLE) i = this.catchClauses(items, i);
        this.pushLabel(label);
        open.push({ op, label, sawElse: false, clause: 0, at: n });
        continue;
      }
      if (name === "catch" || name === "catch_all") {
        const top = open[open.length - 1];
        if (top === undefined || top.op !== TRY || top.clause === 2) {
          ctx.fail(n, "unexpected token");
        }
        this.op(name === "catch" ? CATCH : CATCH_ALL, n);
        i++;
        if (name === "catch") this.w.u32(ctx.index(items[i++], n, ctx.tags));
        top.clause = name === "catch" ? 1 : 2;
        continue;
      }
      if (name === "delegate") {
        const top = open[open.length - 1];
        if (top === undefined || top.op !== TRY || top.clause !== 0) {
          ctx.fail(n, "unexpected token");
        }
        open.pop();
        this.labels.pop();
        this.op(DELEGATE, n);
        this.w.u32(this.label(items[i + 1], n));
        i += 2;
        continue;
      }
      if (name === "else" || name === "end") {
        const top = open[open.length - 1];
        if (top === undefined) ctx.fail(n, "unexpected token");
        if (name === "else" && (top.op !== IF || top.sawElse)) ctx.fail(n, "unexpected token");
        i++;
        const id = items[i];
        if (id?.kind === "id") {
          if (top.label === null || top.label.text !== id.text) ctx.fail(id, "mismatching label");
          i++;
        }
        if (name === "else") {
          top.sawElse = true;
          this.w.u8(0x05);
        } else {
          open.pop();
          this.labels.pop();
          this.w.u8(0x0b);
        }
        continue;
      }
      if (CLAUSES.has(name)) ctx.fail(n, "unexpected token");
      const op = opByName(name);
      if (op === undefined || NOT_MNEMONICS.has(op)) ctx.fail(n, `unknown operator ${name}`);
      i = this.plain(op, items, i + 1, n, false);
    }
    if (open.length > 0) ctx.fail(open[open.length - 1].at, "unexpected end of block");
  }

  /** Writes a folded instruction `(op …)`. */
  folded(l: SList): void {
    const ctx: Ctx = this.ctx;
    if (++this.depth === DEEP && ctx.deepNode === null) ctx.deepNode = l;
    this.foldedBody(l);
    this.depth--;
  }

  foldedBody(l: SList): void {
    const ctx: Ctx = this.ctx;
    const h = l.items[0];
    if (h === undefined || h.kind !== "keyword") {
      ctx.fail(h ?? l, h?.kind === "reserved" ? "unknown operator" : "unexpected token");
    }
    const items = l.items;
    const name = h.text;
    if (
      name === "type" || name === "param" || name === "result" || name === "local" ||
      CLAUSES.has(name)
    ) {
      ctx.fail(h, "unexpected token"); // a declaration after the first instruction, a stray clause
    }
    if (name === "try_table") {
      const label = items[1]?.kind === "id" ? items[1] as SAtom : null;
      const bt = this.scratch(this.btPool);
      let i = this.blockType(items, label === null ? 1 : 2, bt);
      this.op(TRY_TABLE, l);
      this.w.bytes(bt.buf.subarray(0, bt.length));
      i = this.catchClauses(items, i);
      this.pushLabel(label);
      this.seq(items, i);
      this.labels.pop();
      this.w.u8(0x0b);
      return;
    }
    if (name === "try") {
      this.foldedTry(l);
      return;
    }
    if (name === "block" || name === "loop") {
      const label = items[1]?.kind === "id" ? items[1] as SAtom : null;
      const bt = this.scratch(this.btPool);
      const i = this.blockType(items, label === null ? 1 : 2, bt);
      this.op(name === "block" ? BLOCK : LOOP, l);
      this.w.bytes(bt.buf.subarray(0, bt.length));
      this.pushLabel(label);
      this.seq(items, i);
      this.labels.pop();
      this.w.u8(0x0b);
      return;
    }
    if (name === "if") {
      const label = items[1]?.kind === "id" ? items[1] as SAtom : null;
      const bt = this.scratch(this.btPool);
      let i = this.blockType(items, label === null ? 1 : 2, bt);
      for (; i < items.length && !ctx.isList(items[i], "then"); i++) {
        const c = items[i];
        if (c.kind !== "list") {
          ctx.fail(c, c.kind === "reserved" ? "unknown operator" : "unexpected token");
        }
        this.folded(c);
      }
      const then = items[i];
      if (!ctx.isList(then, "then")) ctx.fail(then ?? { start: l.end - 1 }, "unexpected token");
      this.op(IF, l);
      this.w.bytes(bt.buf.subarray(0, bt.length));
      this.pushLabel(label);
      this.seq(then.items, 1);
      const els = items[i + 1];
      if (els !== undefined) {
        if (!ctx.isList(els, "else")) ctx.fail(els, "unexpected token");
        this.w.u8(0x05);
        this.seq(els.items, 1);
        if (i + 2 < items.length) ctx.fail(items[i + 2], "unexpected token");
      }
      this.labels.pop();
      this.w.u8(0x0b);
      return;
    }
    const op = opByName(name);
    if (op === undefined || NOT_MNEMONICS.has(op) || name === "else" || name === "end") {
      ctx.fail(h, `unknown operator ${name}`);
    }
    this.plain(op, items, 1, h, true);
  }

  /** `(try $l? bt (do …) (catch x …)* (catch_all …)?)` or `(try $l? bt (do …) (delegate l))`. */
  private foldedTry(l: SList): void {
    const ctx: Ctx = this.ctx;
    const items = l.items;
    const label = items[1]?.kind === "id" ? items[1] as SAtom : null;
    const bt = this.scratch(this.btPool);
    let i = this.blockType(items, label === null ? 1 : 2, bt);
    this.op(TRY, l);
    this.w.bytes(bt.buf.subarray(0, bt.length));
    this.pushLabel(label);
    const body = items[i++];
    if (!ctx.isList(body, "do")) ctx.fail(body ?? { start: l.end - 1 }, "unexpected token");
    this.seq(body.items, 1);
    const next = items[i];
    if (ctx.isList(next, "delegate")) {
      ctx.end(next, 2);
      if (i + 1 < items.length) ctx.fail(items[i + 1], "unexpected token");
      this.labels.pop();
      this.op(DELEGATE, next);
      this.w.u32(this.label(next.items[1], next));
      return;
    }
    let sawAll = false;
    for (; i < items.length; i++) {
      const c = items[i];
      if (!sawAll && ctx.isList(c, "catch")) {
        this.op(CATCH, c);
        this.w.u32(ctx.index(c.items[1], c, ctx.tags));
        this.seq(c.items, 2);
      } else if (!sawAll && ctx.isList(c, "catch_all")) {
        sawAll = true;
        this.op(CATCH_ALL, c);
        this.seq(c.items, 1);
      } else ctx.fail(c, "unexpected token");
    }
    this.labels.pop();
    this.w.u8(0x0b);
  }

  /**
   * `try_table` catch clauses at `items[i…]`: `(catch x l)`, `(catch_ref x l)`,
   * `(catch_all l)`, `(catch_all_ref l)`, written as a vector. Labels are
   * resolved outside the `try_table` (its own label is not yet in scope).
   */
  private catchClauses(items: SNode[], i: number): number {
    const ctx: Ctx = this.ctx;
    const clauses: number[] = [];
    for (; i < items.length; i++) {
      const c = items[i];
      if (c.kind !== "list") break;
      const kind = CATCH_KINDS[c.items[0]?.kind === "keyword" ? (c.items[0] as SAtom).text : ""];
      if (kind === undefined) break;
      clauses.push(kind);
      if (kind < 2) {
        clauses.push(ctx.index(c.items[1], c, ctx.tags), this.label(c.items[2], c));
        ctx.end(c, 3);
      } else {
        clauses.push(this.label(c.items[1], c));
        ctx.end(c, 2);
      }
    }
    const w = this.w;
    let n = 0;
    for (let k = 0; k < clauses.length; k += clauses[k] < 2 ? 3 : 2) n++;
    w.u32(n);
    for (const x of clauses) w.u32(x);
    return i;
  }

  /**
   * Writes a plain instruction whose immediates start at `items[i]`; in
   * folded form the remaining items are its operands. Returns the index of
   * the next item.
   */
  plain(op: OpInfo, items: SNode[], i: number, at: SNode, folded: boolean): number {
    const imm = this.scratch(this.immPool);
    let actual = op;
    if (op === SELECT && this.ctx.isList(items[i], "result")) {
      actual = SELECT_T;
      const types: number[] = [];
      while (this.ctx.isList(items[i], "result")) {
        const r = items[i] as SList;
        for (const t of r.items.slice(1)) types.push(this.ctx.valType(t, r));
        i++;
      }
      imm.u32(types.length);
      for (const t of types) writeValType(imm, t);
    } else if (op === REF_TEST || op === REF_CAST) {
      const t = this.ctx.refType(items[i++], at);
      if (isNullable(t)) actual = NULL_VARIANT.get(op)!;
      writeHeapType(imm, heapOf(t));
    } else if (op.imm === Imm.CallIndirect) {
      i = this.callIndirect(items, i, at, imm);
    } else {
      i = writeImmediate(this, op, items, i, at, imm);
    }
    if (folded) {
      for (; i < items.length; i++) {
        const c = items[i];
        if (c.kind !== "list") {
          this.ctx.fail(c, c.kind === "reserved" ? "unknown operator" : "unexpected token");
        }
        this.folded(c);
      }
    }
    this.op(actual, at);
    this.w.bytes(imm.buf.subarray(0, imm.length));
    return i;
  }

  /** `call_indirect tableidx? typeuse`: type index, then table index. */
  callIndirect(items: SNode[], i: number, at: SNode, out: ByteWriter): number {
    const ctx: Ctx = this.ctx;
    let table = 0;
    if (ctx.isIndex(items[i])) table = ctx.index(items[i++], at, ctx.tables);
    const u = parseTypeUse(ctx, items, i, false);
    out.u32(useIndex(ctx, u));
    out.u32(table);
    return u.next;
  }

  /** Parses a block type at `items[i]` into `out`; returns the next index. */
  blockType(items: SNode[], i: number, out: ByteWriter): number {
    const u = parseTypeUse(this.ctx, items, i, false);
    if (u.explicit !== null) out.s64(BigInt(u.explicit));
    else if (u.inline.params.length === 0 && u.inline.results.length === 0) out.u8(0x40);
    else if (u.inline.params.length === 0 && u.inline.results.length === 1) {
      writeValType(out, u.inline.results[0]);
    } else out.s64(BigInt(this.ctx.typeIndexOf(u.inline)));
    return u.next;
  }

  /**
   * Writes an opcode (prefix and LEB128 code for multi-byte ones); `at` is
   * the instruction's source node, recorded when branch hints need it.
   */
  op(op: OpInfo, at: SNode): void {
    if (this.positions !== null) this.positions.push(at.start, this.w.length);
    if (op.prefix === 0) this.w.u8(op.code);
    else {
      this.w.u8(op.prefix);
      this.w.u32(op.code);
    }
  }

  /** Enters a block: its label joins the scope, and the name section's label map. */
  pushLabel(label: SAtom | null): void {
    if (label !== null) this.labelNames.push([this.blocks, label.text]);
    this.blocks++;
    this.labels.push(label?.text ?? null);
  }

  /** Resolves a label (number or `$id`) to its depth. */
  label(n: SNode | undefined, at: SNode): number {
    if (n !== undefined && n.kind === "id") {
      for (let d = this.labels.length - 1; d >= 0; d--) {
        if (this.labels[d] === n.text) return this.labels.length - 1 - d;
      }
      this.ctx.fail(n, `unknown label $${n.text}`);
    }
    return this.ctx.u32(n, at);
  }

  /** Resolves a local (number or `$id`). */
  local(n: SNode | undefined, at: SNode): number {
    if (n !== undefined && n.kind === "id") {
      const i = this.locals?.get(n.text);
      if (i === undefined) this.ctx.fail(n, `unknown local $${n.text}`);
      return i;
    }
    return this.ctx.u32(n, at);
  }
}

/** Parses a constant expression (`items[from…]`) to bytes ending in `end`. */
export function constExpr(ctx: Ctx, items: SNode[], from: number): Uint8Array {
  const w = new ByteWriter(16);
  new InstrWriter(ctx, w, null).seq(items, from);
  w.u8(0x0b);
  return w.finish();
}
