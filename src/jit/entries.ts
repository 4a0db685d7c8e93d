/**
 * Where compiled code may start, and which forward branches jump inside
 * it: the entries of a function's emitted `switch` (`emit.ts`).
 *
 * @module
 */

import { instrSize, IR } from "../interp/ir_defs.ts";
import { COLD_HANDWRITTEN } from "../interp/exec_loop.ts";
import { targets } from "./split.ts";

const OP = (name: string): number => IR[name];
const CALL = OP("call"), SIMD = OP("simd");
/** Ops that leave the slice for `call_out.ts`. */
export const CALL_OUTS: ReadonlySet<number> = new Set(
  [
    "call_import",
    "call_indirect",
    "return_call",
    "return_call_import",
    "return_call_indirect",
    "call_ref",
    "return_call_ref",
  ].map(OP),
);
/**
 * Hand-written rare ops compiled code runs through the loop's `cold`. Not
 * `throw`/`throw_ref`: they deoptimize, so that the exception leaves the
 * interpreter, whose handler records where it was thrown (`interp/unwind.ts`).
 */
export const COLD: ReadonlySet<number> = new Set(
  COLD_HANDWRITTEN.filter((n) => n !== "throw" && n !== "throw_ref").map(OP),
);

/** Scalar ops a SIMD run (`simd_run.ts`) executes too: it may stop after any of them. */
const SIMD_SCALARS = new Set(
  [
    "i32.add_i",
    "i32.sub_i",
    "const32",
    "i32.add_i+i32.add_i",
    "i32.add_i+br_if.i32.lt_u_i",
    "i32.add_i+br_if.i32.ne_i",
    "br_if.i32.lt_u_i",
    "br_if.i32.ne",
  ].map(OP),
);
/**
 * Entries of `code`, ascending: the pcs where a compiled slice may start,
 * each a `case` of the emitted switch: pc 0, loop headers (targets of
 * backward branches), return sites, where the SIMD loop may stop
 * (`inline`: the SIMD instructions compiled inline, after which it never
 * does), and forward branch targets that a branch reaches across another
 * entry. A forward target between two entries is a labeled block's end
 * instead (a direct jump); a slice that must start there (its budget ran
 * out on that branch) starts in the interpreter, which runs until it
 * reaches an entry (`NOT_ENTRY`, `interp/slice.ts`). Without
 * `returnSites` (a directly called function's variant, which leaves at
 * every call it cannot make in place), calls end no region.
 */
export function leaders(
  code: Int32Array,
  inline: ReadonlySet<number> = new Set(),
  returnSites = true,
): number[] {
  const set = new Set<number>([0]);
  let hasSimd = false;
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    if (code[pc] === SIMD && !inline.has(pc)) hasSimd = true;
  }
  const forward: [number, number][] = [];
  for (let pc = 0; pc < code.length;) {
    const op = code[pc], next = pc + instrSize(code, pc);
    const runs = op === SIMD && !inline.has(pc);
    for (const t of targets(code, pc)) {
      if (t <= pc) set.add(t);
      else forward.push([pc, t]);
    }
    const resumes = returnSites && (op === CALL || CALL_OUTS.has(op));
    if (resumes || runs || (hasSimd && SIMD_SCALARS.has(op))) {
      if (next < code.length) set.add(next);
    }
    pc = next;
  }
  // A forward branch over an entry cannot be a block's `break` (a case
  // label cannot be inside a block): its target is an entry too.
  for (let changed = true; changed;) {
    changed = false;
    const sorted = [...set].sort((a, b) => a - b);
    for (const [from, to] of forward) {
      if (set.has(to)) continue;
      // The first entry after `from`.
      let lo = 0, hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] <= from) lo = mid + 1;
        else hi = mid;
      }
      if (lo < sorted.length && sorted[lo] < to) {
        set.add(to);
        changed = true;
      }
    }
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * The forward branch targets inside each entry's region (not entries):
 * where the blocks that branches to them `break` out of end.
 */
export function regionTargets(code: Int32Array, entries: Int32Array): Set<number> {
  const out = new Set<number>();
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    for (const t of targets(code, pc)) if (t > pc && t < code.length && entries[t] < 0) out.add(t);
  }
  return out;
}
