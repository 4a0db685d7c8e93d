/**
 * Reading ahead in a function body without translating it: skipping dead
 * code, and finding which blocks end right before a `local.set` (their
 * results can be written into that local directly, see `blockHomes`).
 *
 * @module
 */

import { ONE_BYTE, opByCode, type OpInfo } from "../binary/opcodes.ts";
import { skipImmediates as skipDecoded } from "../binary/decode_instr.ts";
import { CompileError } from "../errors.ts";
import type { Translator } from "./translator.ts";

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

/** Reads past an instruction's immediates (the decoder's skip, over the translator's bytes). */
export function skipImmediates(t: Translator, op: OpInfo): void {
  const r = t.reader;
  r.pos = t.pos;
  skipDecoded(r, op, t.inst.features);
  t.pos = r.pos;
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
