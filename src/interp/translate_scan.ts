/**
 * Reading ahead in a function body without translating it: skipping dead
 * code, and finding which blocks end right before a `local.set` (their
 * results can be written into that local directly, see `blockHomes`).
 *
 * @module
 */

import { Imm, ONE_BYTE, opByCode, type OpInfo } from "../binary/opcodes.ts";
import { CompileError } from "../errors.ts";
import type { Translator } from "./translate.ts";

/** Reads the next opcode (a prefixed one with its index). */
export function nextOp(t: Translator): OpInfo {
  const b = t.byte();
  const op = b >= 0xfb ? opByCode(b, t.u32()) : ONE_BYTE[b];
  if (op === undefined) throw new CompileError(`unknown opcode 0x${b.toString(16)}`);
  return op;
}

/** Skips the unreachable rest of a block, stopping before its `else`/`end`. */
export function skipDead(t: Translator): void {
  let depth = 0;
  for (;;) {
    const at = t.pos;
    const op = nextOp(t);
    const name = op.name;
    if (
      name === "block" || name === "loop" || name === "if" || name === "try" ||
      name === "try_table"
    ) depth++;
    else if (
      name === "end" || name === "else" || name === "catch" || name === "catch_all" ||
      name === "delegate"
    ) {
      if (depth === 0) {
        t.pos = at;
        return;
      }
      if (name === "end" || name === "delegate") depth--;
    }
    skipImmediates(t, op);
  }
}

/** Reads past an instruction's immediates. */
export function skipImmediates(t: Translator, op: OpInfo): void {
  switch (op.imm) {
    case Imm.None:
      return;
    case Imm.BlockType:
      t.blockType();
      return;
    case Imm.BrTable: {
      const n = t.u32();
      for (let i = 0; i <= n; i++) t.u32();
      return;
    }
    case Imm.CallIndirect:
    case Imm.TableInit:
    case Imm.TableCopy:
    case Imm.MemInit:
    case Imm.MemCopy:
      t.u32();
      t.u32();
      return;
    case Imm.MemArg:
    case Imm.MemArgLane: {
      const flags = t.u32();
      if (flags & 0x40) t.u32();
      t.u64();
      if (op.imm === Imm.MemArgLane) t.byte();
      return;
    }
    case Imm.I32:
      t.s32();
      return;
    case Imm.I64:
      t.s64();
      return;
    case Imm.F32:
      t.pos += 4;
      return;
    case Imm.F64:
      t.pos += 8;
      return;
    case Imm.V128:
    case Imm.Shuffle:
      t.pos += 16;
      return;
    case Imm.Lane:
    case Imm.Zero:
      t.pos++;
      return;
    case Imm.HeapType:
      t.s64();
      return;
    case Imm.SelectT: {
      const n = t.u32();
      for (let i = 0; i < n; i++) t.valType();
      return;
    }
    case Imm.TypeField:
    case Imm.TypeCount:
    case Imm.TypeData:
    case Imm.TypeElem:
    case Imm.TypeType:
      t.u32();
      t.u32();
      return;
    case Imm.BrOnCast:
      t.byte();
      t.u32();
      t.heapType();
      t.heapType();
      return;
    case Imm.TryTable: {
      t.blockType();
      const n = t.u32();
      for (let i = 0; i < n; i++) {
        if (t.byte() < 2) t.u32(); // the tag of catch/catch_ref
        t.u32(); // the label
      }
      return;
    }
    default:
      t.u32();
  }
}

/**
 * For each `block` and `if` of the body whose `end` is followed directly by
 * `local.set x`, the position of its opcode → `x`. One linear pass, run the
 * first time a block could use it; `t.pos` is left where it was.
 *
 * The translator then makes `x`'s slot the block's result slot: every
 * branch to the block and its fall-through write the local, and the
 * `local.set` after the `end` has nothing left to move — CoreMark's pattern
 * `mov32+br_if s5←s18 …; mov32 s4←s5` loses its second move.
 */
export function blockHomes(t: Translator): Map<number, number> {
  const homes = new Map<number, number>();
  const saved = t.pos;
  t.pos = 0;
  // Openers' positions; -1 for constructs that never get a home.
  const open: number[] = [];
  for (;;) {
    const at = t.pos;
    const op = nextOp(t);
    const name = op.name;
    if (name === "block" || name === "if") open.push(at);
    else if (name === "loop" || name === "try" || name === "try_table") open.push(-1);
    else if (name === "delegate") open.pop();
    else if (name === "end") {
      if (open.length === 0) break; // the function's own end
      const opener = open.pop()!;
      if (opener >= 0 && t.pos < t.bytes.length && t.bytes[t.pos] === 0x21) {
        const p = t.pos;
        t.pos++;
        homes.set(opener, t.u32());
        t.pos = p;
      }
    }
    skipImmediates(t, op);
  }
  t.pos = saved;
  return homes;
}
