/**
 * What an instruction writer carries through one function body or constant
 * expression: the output bytes (and, for branch hints, where each
 * instruction starts), the labels and locals that names resolve against,
 * block types, and the per-depth scratch buffers folded forms need. The
 * instruction syntax itself is `instructions.ts`'s.
 *
 * @module
 */
import type { SAtom, SNode } from "./lexer.ts";
import type { Ctx } from "./_context.ts";
import { ByteWriter } from "../binary/leb_write.ts";
import type { OpInfo } from "../binary/opcodes.ts";
import { parseTypeUse } from "./typeuse.ts";
import { writeValType } from "../binary/encode_types.ts";

/** Output and name scopes of an instruction writer (see `InstrWriter`). */
export class InstrScope {
  /** Module parser state. */
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
  /**
   * Reusable buffers for immediates, one per folding depth: a folded
   * instruction's immediates wait there while its operands (one level
   * deeper) are written.
   */
  protected readonly immPool: ByteWriter[] = [];
  /** Reusable buffers for block types, one per folding depth (as {@link immPool}). */
  protected readonly btPool: ByteWriter[] = [];

  /** The empty scratch buffer of the current depth. */
  protected scratch(pool: ByteWriter[]): ByteWriter {
    let w = pool[this.depth];
    if (w === undefined) pool[this.depth] = w = new ByteWriter(16);
    w.length = 0;
    return w;
  }

  /**
   * Starts with no labels in scope; instructions are appended to `w`.
   *
   * @param ctx Module parser state.
   * @param w Output.
   * @param locals Local identifiers, or null outside a function.
   */
  constructor(ctx: Ctx, w: ByteWriter, locals: Map<string, number> | null) {
    this.ctx = ctx;
    this.w = w;
    this.locals = locals;
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
