/**
 * NaN canonicalization left out where nothing can see the NaN.
 *
 * An f64 add, sub, mul, div or sqrt canonicalizes a NaN result
 * (`r === r ? r : QNAN[0]`), so that NaN bits are the same on every host
 * and in every tier. Many of those results only feed such ops, which
 * canonicalize their own, or comparisons and truncations, and then die:
 * nothing ever sees their bits. Compiled code leaves such a result raw
 * where, from the instruction that makes it, the straight code after it
 * (up to a label or an instruction that may branch or leave) reads its
 * slot only that way and then writes it, or leaves it dead. Code that
 * leaves from inside that stretch (a failed bounds check, a signalling
 * NaN) goes to the interpreter at the same instruction, which runs the
 * same straight code, so it does not see the bits either. nbody's inner
 * loop computes seven canonicalized results; four die that way.
 *
 * A raw NaN is quiet (arithmetic makes quiet NaNs): it is never a
 * signalling one (signalling.ts).
 *
 * @module
 */

import { instrSize, IR, IR_DEFS, type IrDef } from "../interp/ir_defs.ts";
import { COLD } from "./entries.ts";
import type { WordLiveness } from "./liveness.ts";
import { targets } from "./split.ts";

const MEMORY_GROW = IR["memory.grow"];

/** Ops that canonicalize their result (`const r = …; F64[d] = r === r ? r : QNAN[0];`). */
const PRODUCERS: ReadonlySet<string> = new Set([
  "f64.add",
  "f64.sub",
  "f64.mul",
  "f64.div",
  "f64.sqrt",
]);

/** Ops whose f64 operands' NaN bits cannot show: the producers, comparisons, truncations. */
const BLIND: ReadonlySet<string> = new Set([
  ...PRODUCERS,
  ..."eq ne lt gt le ge".split(" ").map((c) => `f64.${c}`),
  ..."i32 i64".split(" ").flatMap((t) =>
    ["s", "u"].flatMap((s) => [`${t}.trunc_f64_${s}`, `${t}.trunc_sat_f64_${s}`])
  ),
]);

/** The canonicalizing write of a producer's result, as the IR table writes it. */
export const CANONICAL_WRITE = "r === r ? r : QNAN[0]";

/** Whether IR op `name` canonicalizes its result (so may leave it raw). */
export function produces(name: string): boolean {
  return PRODUCERS.has(name);
}

/** Whether IR op `name` reads f64 operands without their NaN bits showing. */
export function blind(name: string): boolean {
  return BLIND.has(name);
}

/** Whether `def` reads no f64's NaN bits: it reads none, or only as {@link blind} ops do. */
export function readsBlindly(def: IrDef): boolean {
  return blind(def.name) || def.operands.every((o) => o.name === "d" || o.kind === "#");
}

/**
 * Whether instruction `def` (opcode `op`) goes on to the next one or leaves
 * only through an exit branch of its own (a failed bounds check): no
 * branch, call, return, or run of the loop's code.
 */
function straight(def: IrDef, op: number): boolean {
  const plain = (d: IrDef) => d.body !== null && !d.body.includes("JUMP(");
  if (op === MEMORY_GROW || COLD.has(op)) return false;
  return def.parts !== undefined ? plain(def.parts[0]) && plain(def.parts[1]) : plain(def);
}

/**
 * The facts of `code` for {@link diesUnseen}; `special(pc)` says the
 * instruction there is not emitted from its IR definition (an inline SIMD
 * op, a remainder taken from a quotient), so is taken as not straight.
 */
export function stretchFacts(
  code: Int32Array,
  labels: ReadonlySet<number>,
  liveness: WordLiveness,
  special: (pc: number) => boolean,
): StretchFacts {
  return {
    code,
    labels,
    liveness,
    kind: (pc) => {
      const def = IR_DEFS[code[pc]];
      return {
        straight: !special(pc) && straight(def, code[pc]),
        blind: def.parts !== undefined
          ? readsBlindly(def.parts[0]) && readsBlindly(def.parts[1])
          : readsBlindly(def),
      };
    },
  };
}

/** What {@link diesUnseen} asks of an instruction. */
export interface StretchFacts {
  /** Its IR. */
  code: Int32Array;
  /** Where control may come in from elsewhere (entries, branch targets). */
  labels: ReadonlySet<number>;
  /** Which words are read and written where. */
  liveness: WordLiveness;
  /**
   * Of the instruction at `pc`: whether it goes on to the next one or
   * leaves only through an exit branch of its own (`straight`), and
   * whether it reads no f64's NaN bits (`blind`).
   */
  kind(pc: number): { straight: boolean; blind: boolean };
}

/**
 * Whether slot `s`, written by the instruction at `pc`, is read only
 * blindly before the straight code after it writes it or ends with it
 * dead.
 */
export function diesUnseen(facts: StretchFacts, pc: number, s: number): boolean {
  const { code, labels, liveness } = facts, lo = 2 * s, hi = lo + 1;
  for (let q = pc + instrSize(code, pc); q < code.length; q += instrSize(code, q)) {
    const { straight, blind } = facts.kind(q);
    if (labels.has(q) || !straight) return !liveness.liveAt(q, lo) && !liveness.liveAt(q, hi);
    const reads = liveness.reads(q);
    if (!blind && (reads.includes(lo) || reads.includes(hi))) return false;
    const writes = liveness.writes(q);
    if (writes.includes(lo) && writes.includes(hi)) return true;
  }
  return false;
}

/** Where control may come in besides falling through: `code`'s branch targets and `entries`. */
export function labels(code: Int32Array, entries: readonly number[]): Set<number> {
  const out = new Set<number>(entries);
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    for (const t of targets(code, pc)) out.add(t);
  }
  return out;
}
