/**
 * A function's branches as nested JS loops and labeled blocks, for the
 * variant of its compiled code that direct calls enter (`emit_body.ts`).
 *
 * @module
 */

import { instrSize } from "../interp/ir_defs.ts";
import { targets } from "./split.ts";

/**
 * A function's branches as nested JS loops and labeled blocks: the direct
 * variant, which no slice starts in, needs no `switch` at all where they
 * nest (the IR comes from structured wasm; fusing and jump threading keep
 * that, but nothing here relies on it).
 */
export interface Nesting {
  /** Loop header → the pc after its last back edge. */
  loops: ReadonlyMap<number, number>;
  /** pc → headers of the loops that end there, innermost first. */
  closing: ReadonlyMap<number, number[]>;
  /** Loop header (-1: the function) → forward targets whose blocks open in its body, farthest first. */
  blocks: ReadonlyMap<number, number[]>;
  /** Forward targets (where their blocks end). */
  ends: ReadonlySet<number>;
}

/**
 * The nesting of `code`'s branches, or null where they do not nest (a
 * forward branch into a loop's body from outside it): a backward branch
 * makes its target a loop header, its loop running to the last such branch
 * or to the end of a loop that starts inside it; a forward branch breaks
 * out of a block that opens at the start of the innermost loop around its
 * target (or of the function).
 */
export function nesting(code: Int32Array): Nesting | null {
  const loops = new Map<number, number>();
  const forward: [number, number][] = [];
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    const next = pc + instrSize(code, pc);
    for (const t of targets(code, pc)) {
      if (t <= pc) loops.set(t, Math.max(loops.get(t) ?? 0, next));
      else forward.push([pc, t]);
    }
  }
  const sorted = [...loops].sort((a, b) => a[0] - b[0]);
  // A loop whose last back edge comes before the end of a loop that starts
  // inside it (wasm's `br $outer` from an inner loop, then more of the inner
  // loop) holds that loop: it runs to the inner loop's end, as in the wasm.
  // Innermost-last order: the loops after a loop's header have their final
  // ends when it takes theirs.
  for (let i = sorted.length - 1; i >= 0; i--) {
    for (let j = i + 1; j < sorted.length && sorted[j][0] < sorted[i][1]; j++) {
      if (sorted[j][1] > sorted[i][1]) sorted[i][1] = sorted[j][1];
    }
  }
  for (const [head, end] of sorted) loops.set(head, end);
  /** The innermost loop strictly around `t` (its header), or -1. */
  const around = (t: number) => {
    let h = -1;
    for (const [head, end] of sorted) if (head < t && t < end) h = head;
    return h;
  };
  const blocks = new Map<number, number[]>(), ends = new Set<number>();
  for (const [from, to] of forward) {
    const h = around(to);
    // A branch into a loop's body from outside it cannot be a `break`.
    if (from < h) return null;
    if (ends.has(to)) continue;
    ends.add(to);
    blocks.set(h, [...(blocks.get(h) ?? []), to]);
  }
  for (const list of blocks.values()) list.sort((a, b) => b - a);
  const closing = new Map<number, number[]>();
  for (const [head, end] of sorted) closing.set(end, [head, ...(closing.get(end) ?? [])]);
  return { loops, closing, blocks, ends };
}
