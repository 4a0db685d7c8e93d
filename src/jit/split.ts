/**
 * Split slots: a stack slot the translator reuses for an i32 value in one
 * place and an f64 value in another (nbody's temporaries) would have to
 * stay in the register file (registers.ts: one home per word). Where every
 * read finds the value of its own type, such a slot gets two JS locals,
 * `$r<2s>` for its int32 word and `$d<s>` for its float64, and each access
 * takes the one of its type.
 *
 * The register file must still be exact wherever compiled code leaves (the
 * interpreter, a callee or the driver read it) — but only for live slots,
 * and only from the local written last. A forward analysis finds, for each
 * instruction, which of the two was written last (or neither since the
 * slice reloaded both from the file), and a backward one which slots are
 * live; every exit then stores the right local of each live split slot.
 *
 * @module
 */

import { instrSize, IR, IR_DEFS } from "../interp/ir_defs.ts";

/** A slot access, as the analysis sees it. */
/** Where in an instruction code leaves it: before it, between a fused pair's parts, after it. */
export type ExitPoint = "before" | "mid" | "after";

export const INT_READ = 1, INT_WRITE = 2, DBL_READ = 3, DBL_WRITE = 4, ANY_READ = 5;
/** Not splittable: a float32, an odd word, an i64 pair, an index operand. */
export const OTHER = 6;
/** Marks the end of a fused instruction's first part in an access list. */
export const PART = 7;

/** State bits: both locals match the file (reloaded); the int or the double was written last. */
const RELOADED = 1, INT = 2, DBL = 4;

const BR = IR["br"], BR_TABLE = IR["br_table"], RETURN = IR["return"];
const RET32 = IR["ret32"], RET64 = IR["ret64"], UNREACHABLE = IR["unreachable"];

/** The branch targets of the instruction at `pc` (operands of kind `@`, br_table's list). */
export function targets(code: Int32Array, pc: number): number[] {
  const op = code[pc];
  if (op === BR_TABLE) {
    const n = code[pc + 2], out: number[] = [];
    for (let i = 0; i <= n; i++) out.push(code[pc + 3 + i]);
    return out;
  }
  const def = IR_DEFS[op], out: number[] = [];
  const walk = (d: typeof def, first: number) => {
    let k = first;
    for (const o of d.operands) {
      if (o.kind === "@") out.push(code[pc + k]);
      k += o.kind === "L" ? 2 : 1;
    }
  };
  if (def.parts !== undefined) {
    walk(def.parts[0], 1);
    walk(def.parts[1], def.parts[0].size);
  } else walk(def, 1);
  return out;
}

/** The pcs of `code`'s instructions, and pc → instruction number (-1 elsewhere). */
export function instructions(code: Int32Array): { pcs: number[]; index: Int32Array } {
  const pcs: number[] = [];
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) pcs.push(pc);
  const index = new Int32Array(code.length + 1).fill(-1);
  pcs.forEach((pc, i) => index[pc] = i);
  return { pcs, index };
}

/** Per instruction (by number): the instructions control may go to next. */
export function successors(
  code: Int32Array,
  pcs: readonly number[],
  index: Int32Array,
): number[][] {
  return pcs.map((pc, i) => {
    const op = code[pc], out = targets(code, pc).map((t) => index[t]);
    const falls = op !== BR && op !== BR_TABLE && op !== RETURN && op !== RET32 &&
      op !== RET64 && op !== UNREACHABLE;
    if (falls && i + 1 < pcs.length) out.push(i + 1);
    return out;
  });
}

/** What one instruction does besides its accesses. */
export interface InstrEffect {
  /** Leaves compiled code (a call out, a SIMD or atomic run, a deopt): every split slot is read. */
  exit: boolean;
  /** A direct call's base slot (-1: not a direct call). */
  callBase: number;
  /** The direct callee's result slots (-1: unknown). */
  callResults: number;
}

/**
 * The split slots of one function and, per instruction, which local of
 * each holds its value. Built from every instruction's slot accesses in
 * execution order (`PART` between a fused pair's halves).
 */
export class SlotSplit {
  /** The split slots, ascending. */
  readonly slots: number[] = [];
  private readonly index: Int32Array;
  /** Per split slot × instruction: state before, between a pair's parts, after. */
  private readonly before: Uint8Array[] = [];
  private readonly mid: Uint8Array[] = [];
  private readonly after: Uint8Array[] = [];
  private readonly liveIn: Uint8Array[] = [];

  /**
   * Analyses `code` (a slice may start at each of `leaders`) from each
   * instruction's `accesses` (`[slot, access]` pairs) and `effects`; none
   * where the function handles `exceptions`.
   */
  constructor(
    code: Int32Array,
    leaders: ReadonlySet<number>,
    accesses: readonly (readonly number[])[],
    effects: readonly InstrEffect[],
    exceptions = false,
  ) {
    const { pcs, index } = instructions(code);
    const n = pcs.length;
    this.index = index;
    // An exception handler is reached by edges the code does not show
    // (unwind.ts): liveness without them could leave a slot's value unstored.
    if (exceptions) return;
    // Candidates: accessed as an int32 word and as a double, nothing else.
    const kinds = new Map<number, number>();
    for (const list of accesses) {
      for (let j = 0; j < list.length; j += 2) {
        const s = list[j], c = list[j + 1];
        if (c === PART || c === ANY_READ) continue;
        const bit = c === OTHER ? 4 : c === INT_READ || c === INT_WRITE ? 1 : 2;
        kinds.set(s, (kinds.get(s) ?? 0) | bit);
      }
    }
    const cands = [...kinds].filter(([, k]) => k === 3).map(([s]) => s).sort((a, b) => a - b);
    if (cands.length === 0) return;
    const succ = successors(code, pcs, index);
    for (const s of cands) {
      const live = liveness(s, n, succ, accesses, effects);
      const st = flow(s, n, pcs, leaders, succ, accesses, effects, live);
      if (st === null) continue;
      this.slots.push(s);
      this.before.push(st.before);
      this.mid.push(st.mid);
      this.after.push(st.after);
      this.liveIn.push(live);
    }
  }

  /** Whether slot `s` is split. */
  has(s: number): boolean {
    return this.slots.includes(s);
  }

  /**
   * Statements storing, for the split slots in [from, to) live at
   * `resume`, the local written last at instruction `pc` (`when`: before
   * it, between its parts, after it) into the register file.
   */
  spill(pc: number, when: ExitPoint, resume: number, from = 0, to = Infinity): string {
    const i = this.index[pc], r = this.index[resume];
    const out: string[] = [];
    this.slots.forEach((s, k) => {
      if (s < from || s >= to || i < 0) return;
      if (r >= 0 && !this.liveIn[k][r]) return;
      const st = (when === "before" ? this.before : when === "mid" ? this.mid : this.after)[k][i];
      if (st & INT) out.push(`I32[fp + ${2 * s}] = $r${2 * s};`);
      else if (st & DBL) out.push(`F64[fd + ${s}] = $d${s};`);
    });
    return out.join(" ");
  }
}

/** Backward liveness of slot `s`: per instruction, whether it is read before written from there. */
function liveness(
  s: number,
  n: number,
  succ: readonly number[][],
  accesses: readonly (readonly number[])[],
  effects: readonly InstrEffect[],
): Uint8Array {
  // Per instruction: 1 read before any write, 2 written (full) before any read.
  const gen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const list = accesses[i];
    let g = 0;
    if (effects[i].exit) g = 1;
    for (let j = 0; j < list.length && g === 0; j += 2) {
      if (list[j] !== s) continue;
      const c = list[j + 1];
      if (c === INT_READ || c === DBL_READ || c === ANY_READ) g = 1;
      else if (c === INT_WRITE || c === DBL_WRITE) g = 2;
    }
    // A call's results and the callee's frame: written by the call.
    if (g === 0 && effects[i].callBase >= 0 && s >= effects[i].callBase) g = 2;
    gen[i] = g;
  }
  const live = new Uint8Array(n);
  for (let changed = true; changed;) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      let v = gen[i] === 1 ? 1 : 0;
      if (gen[i] === 0) { for (const j of succ[i]) v |= live[j]; }
      if (v !== live[i]) {
        live[i] = v;
        changed = true;
      }
    }
  }
  return live;
}

/**
 * Forward states of slot `s`, or null where a read could find the other
 * type's local (or an exit could not tell which local to store).
 */
function flow(
  s: number,
  n: number,
  pcs: readonly number[],
  leaders: ReadonlySet<number>,
  succ: readonly number[][],
  accesses: readonly (readonly number[])[],
  effects: readonly InstrEffect[],
  live: Uint8Array,
): { before: Uint8Array; mid: Uint8Array; after: Uint8Array } | null {
  const before = new Uint8Array(n), mid = new Uint8Array(n), after = new Uint8Array(n);
  const reach = new Uint8Array(n);
  // Every block leader may be where a slice starts, every register reloaded.
  for (let i = 0; i < n; i++) if (leaders.has(pcs[i])) reach[i] = RELOADED;
  const work: number[] = [];
  for (let i = n - 1; i >= 0; i--) work.push(i);
  const queued = new Uint8Array(n).fill(1);
  while (work.length > 0) {
    const i = work.pop()!;
    queued[i] = 0;
    let st = live[i] ? reach[i] : 0;
    before[i] = st;
    let m = st;
    const list = accesses[i], e = effects[i];
    if (e.exit && (st & INT) && (st & DBL)) return null;
    for (let j = 0; j < list.length; j += 2) {
      const c = list[j + 1];
      if (c === PART) {
        m = st;
        continue;
      }
      if (list[j] !== s) continue;
      if (c === INT_READ && (st & DBL)) return null;
      if (c === DBL_READ && (st & INT)) return null;
      if (c === ANY_READ && (st & INT) && (st & DBL)) return null;
      if (c === INT_WRITE) st = INT;
      else if (c === DBL_WRITE) st = DBL;
    }
    if (!list.includes(PART)) m = st;
    if (e.callBase >= 0 && s >= e.callBase) {
      st = e.callResults < 0 || s < e.callBase + e.callResults ? RELOADED : 0;
    }
    mid[i] = m;
    after[i] = st;
    for (const j of succ[i]) {
      const v = reach[j] | st;
      if (v !== reach[j]) {
        reach[j] = v;
        if (!queued[j]) {
          queued[j] = 1;
          work.push(j);
        }
      }
    }
  }
  return { before, mid, after };
}
