/**
 * Control frames while translating: opening one, and the code that leaves
 * one. A branch moves its values into the slots its label expects (or the
 * block's home local), then jumps; a forward jump's target is patched when
 * the frame ends. Leaving the function is the return sequence instead,
 * which puts the results in slots 0… where the caller reads them.
 *
 * @module
 */

import { isRef } from "../binary/valtype.ts";
import { slotSize } from "../runtime/func.ts";
import { IR } from "./ir_defs.ts";
import { CONST, type Ctl, FUNC, LOCAL, LOOP, TEMP, type Translator } from "./translator.ts";

const V128 = 0x7b;

/** Opens a control frame whose params are the top stack entries. */
export function pushCtl(
  t: Translator,
  kind: number,
  params: readonly number[],
  results: readonly number[],
): Ctl {
  const c: Ctl = {
    kind,
    base: t.sp - params.length,
    params,
    results,
    target: -1,
    patches: [],
    elsePatch: -1,
    unreachable: false,
    home: -1,
    tryBlock: -1,
    inside: t.curTry,
    hpatches: [],
  };
  t.ctl.push(c);
  return c;
}

/** The frame `depth` labels out. */
export function labelCtl(t: Translator, depth: number): Ctl {
  return t.ctl[t.ctl.length - 1 - depth];
}

/** Types a branch to `c` carries. */
function labelTypes(c: Ctl): readonly number[] {
  return c.kind === LOOP ? c.params : c.results;
}

/** Whether branching to `c` needs moves (values not in the label's slots). */
export function needsMoves(t: Translator, c: Ctl): boolean {
  if (c.kind === FUNC) return true;
  if (c.home >= 0) return !(t.vk[t.sp - 1] === LOCAL && t.vv[t.sp - 1] === c.home);
  const types = labelTypes(c);
  let dst = t.slotAt(c.base);
  for (let i = 0, h = t.sp - types.length; i < types.length; i++, h++) {
    if (t.vk[h] !== TEMP || t.vs[h] !== dst) return true;
    dst += slotSize(types[i]);
  }
  return false;
}

/** Moves the branch values into `c`'s label slots (ascending order is safe). */
export function branchMoves(t: Translator, c: Ctl): void {
  if (c.home >= 0) {
    t.valueTo(t.sp - 1, c.home);
    return;
  }
  const types = labelTypes(c);
  let dst = t.slotAt(c.base);
  for (let i = 0, h = t.sp - types.length; i < types.length; i++, h++) {
    t.valueTo(h, dst);
    dst += slotSize(types[i]);
  }
}

/** Puts the results of `c`'s fall-through where its label expects them. */
export function fallResults(t: Translator, c: Ctl): void {
  if (c.home < 0) {
    for (let h = t.sp - c.results.length; h < t.sp; h++) t.materialize(h);
  } else if (t.topIsLast()) t.code[t.lastDest] = c.home * t.lastScale;
  else t.valueTo(t.sp - 1, c.home);
}

/** Emits a jump to `c` (recording a patch for forward labels). */
export function jumpTo(t: Translator, c: Ctl, op: number, ...words: number[]): void {
  t.emit(op, ...words, c.kind === LOOP ? c.target : -1);
  if (c.kind !== LOOP) c.patches.push(t.n - 1);
}

/** Emits the return sequence: results to slots 0…, then `return`. */
export function emitReturn(t: Translator): void {
  const results = t.fn.type.results;
  const k = results.length;
  if (k === 1) {
    const h = t.sp - 1;
    const type = results[0];
    if (t.topIsLast()) {
      // The instruction that computed the result writes slot 0 directly.
      t.code[t.lastDest] = 0;
    } else if (t.vk[h] !== CONST && !isRef(type) && type !== V128) {
      const src = t.srcSlot(h);
      if (src !== 0) {
        t.emit(type === 0x7e || type === 0x7c ? IR["ret64"] : IR["ret32"], src * 2);
        return;
      }
    } else t.valueTo(h, 0);
  } else if (k > 1) {
    for (let h = t.sp - k; h < t.sp; h++) t.materialize(h);
    let dst = 0;
    for (let i = 0, h = t.sp - k; i < k; i++, h++) {
      t.move(results[i], dst, t.vs[h]);
      dst += slotSize(results[i]);
    }
  }
  t.emit(IR["return"]);
}

/** Marks the rest of the current block unreachable. */
export function setUnreachable(t: Translator): void {
  t.ctl[t.ctl.length - 1].unreachable = true;
}

/** Patches every recorded branch to `c`'s end to the current position. */
export function patchEnd(t: Translator, c: Ctl): void {
  const here = t.label();
  for (const p of c.patches) t.code[p] = here;
  if (c.elsePatch >= 0) t.code[c.elsePatch] = here;
  for (const k of c.hpatches) t.clauses[k * 4 + 3] = here;
}
