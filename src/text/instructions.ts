/**
 * Instruction sequences (function bodies and constant expressions), flat
 * and folded, written straight to bytes. Mnemonics, immediate shapes and
 * encodings come from the instruction table (`src/binary/opcodes.ts`);
 * output and label/local scopes are `instr_scope.ts`'s.
 *
 * @module
 */
import type { SAtom, SList, SNode } from "./lexer.ts";
import { type Ctx, DEEP } from "./_context.ts";
import { ByteWriter } from "../binary/leb_write.ts";
import { Imm, opByName, type OpInfo } from "../binary/opcodes.ts";
import { parseTypeUse, useIndex } from "./typeuse.ts";
import { InstrScope } from "./instr_scope.ts";
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
export class InstrWriter extends InstrScope {
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

  /** Writes folded instruction `l` at the current depth ({@link folded} counts the depth). */
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
}

/** Parses a constant expression (`items[from…]`) to bytes ending in `end`. */
export function constExpr(ctx: Ctx, items: SNode[], from: number): Uint8Array {
  const w = new ByteWriter(16);
  new InstrWriter(ctx, w, null).seq(items, from);
  w.u8(0x0b);
  return w.finish();
}
