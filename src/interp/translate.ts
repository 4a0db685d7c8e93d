/**
 * Translation of a validated function body into register IR, in one pass
 * with a control stack (the approach of wasmi's translator).
 *
 * Every value on the wasm operand stack has a canonical frame slot decided
 * by its height (after the locals; a v128 takes two slots), so values meet
 * at the same slot on every path into a label. While translating, a stack
 * entry may instead be *virtual* — a local (`local.get`) or a constant — so
 * that `local.get a; local.get b; i32.add; local.set c` becomes the single
 * instruction `i32.add c, a, b`:
 * - operands that are locals are read from the local's slot directly;
 * - constants become immediates where an `_i` form exists, else they are
 *   materialized into their canonical slot;
 * - `local.set`/`local.tee` right after an instruction rewrite that
 *   instruction's destination (no move);
 * - `br_if`/`if` right after a comparison fuse with it (`br_if.i32.lt_s`).
 * Virtual locals are materialized before the local is written and at
 * control-flow entries, so every path sees the value from before the write.
 *
 * The input must have passed validation; translation does not re-check it.
 *
 * The translator's state and operand stack are in `translator.ts`, the
 * instruction loop in `translate_body.ts` (which hands families of
 * instructions to the other `translate_*.ts` modules); this module runs
 * them and the passes over the finished code (`translate_post.ts`).
 *
 * @module
 */

import { F32, I32, isRef } from "../binary/valtype.ts";
import type { FuncInst } from "../runtime/func.ts";
import { bundlePairs, threadJumps } from "./translate_post.ts";
import { translateBody } from "./translate_body.ts";
import { finishHandlers } from "./translate_eh.ts";
import { Translator } from "./translator.ts";

/**
 * Translates `fn` (a wasm function of a live instance) to IR, storing the
 * code and frame layout on it. Returns the code.
 */
export function translateFunction(fn: FuncInst): Int32Array {
  const t = new Translator(fn);
  translateBody(t);
  const handlerTargets = finishHandlers(t);
  threadJumps(t.code, t.n);
  bundlePairs(t.code, t.n, handlerTargets);
  const code = t.code.slice(0, t.n);
  fn.frameSlots = Math.max(t.maxSlot, fn.paramSlots, fn.resultSlots, 1);
  fn.paramWords = fn.paramSlots * 2;
  fn.localWords = t.localSlots * 2;
  const refs: number[] = [], narrow: number[] = [];
  for (let i = fn.type.params.length; i < t.localTypes.length; i++) {
    const type = t.localTypes[i];
    if (isRef(type)) refs.push(t.localSlot[i]);
    else if (type === I32 || type === F32) narrow.push(t.localSlot[i]);
  }
  fn.refLocals = refs.length > 0 ? Int32Array.from(refs) : null;
  fn.narrowLocals = Int32Array.from(narrow);
  fn.hasLocals = fn.localWords > fn.paramWords;
  fn.code = code;
  return code;
}
