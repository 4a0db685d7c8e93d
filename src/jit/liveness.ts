/**
 * Which register words a function may still read: backward liveness of
 * one word at a time over the instructions, from the same per-instruction
 * access lists webs.ts works from (`homes.ts` builds them). Compiled code
 * asks it where a value it holds only in a form of its own (the i16 lanes
 * of `simd_lanes.ts`) would have to be written back to the word's home:
 * a word no path reads before writing it again needs no write-back.
 *
 * @module
 */

import { INNER, READ, type WebInput, WRITE } from "./webs.ts";
import { successors } from "./split.ts";

/** The function the access lists are of. */
export interface LivenessCode {
  /** Its IR. */
  code: Int32Array;
  /** Each instruction's pc. */
  pcs: readonly number[];
  /** pc → instruction number (-1 elsewhere). */
  index: Int32Array;
  /** Whether it has exception handlers (edges the code does not show): every word live. */
  exceptions: boolean;
}

/** Liveness of register words, computed per word on first use. */
export class WordLiveness {
  private succ: readonly (readonly number[])[] | null = null;
  private readonly byWord = new Map<number, Uint8Array>();

  /** From what finding satellites reads (`webs.ts`: its successors reused where it computed them). */
  constructor(
    private readonly input: Pick<WebInput, "succ" | "access" | "clobber" | "args">,
    private readonly fn: LivenessCode,
  ) {}

  /** Whether word `w` may be read from the instruction at `pc` on before it is written. */
  liveAt(pc: number, w: number): boolean {
    if (this.fn.exceptions) return true;
    const i = this.fn.index[pc];
    if (i < 0) return true;
    let live = this.byWord.get(w);
    if (live === undefined) this.byWord.set(w, live = this.solve(w));
    return live[i] === 1;
  }

  /** The words the instruction at `pc` reads (its operands; not a call's clobbered words). */
  reads(pc: number): number[] {
    return this.words(pc, true);
  }

  /** The words the instruction at `pc` writes (its operands). */
  writes(pc: number): number[] {
    return this.words(pc, false);
  }

  private words(pc: number, read: boolean): number[] {
    const i = this.fn.index[pc], out: number[] = [];
    if (i < 0) return out;
    const list = this.input.access[i];
    for (let j = 0; j < list.length; j += 2) {
      const bits = list[j + 1];
      const isRead = (bits & READ) !== 0 && (bits & INNER) === 0;
      if (read ? isRead : (bits & WRITE) !== 0) out.push(list[j]);
    }
    return out;
  }

  private solve(w: number): Uint8Array {
    const { access, clobber, args } = this.input, { code, pcs, index } = this.fn;
    const n = pcs.length;
    this.succ ??= this.input.succ.length === n ? this.input.succ : successors(code, pcs, index);
    const gen = new Uint8Array(n), kill = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const list = access[i];
      for (let j = 0; j < list.length; j += 2) {
        if (list[j] !== w) continue;
        const bits = list[j + 1];
        // (A fused pair's second part reading what its first wrote reads no earlier value.)
        if ((bits & READ) !== 0 && (bits & INNER) === 0) gen[i] = 1;
        if ((bits & WRITE) !== 0) kill[i] = 1;
      }
      const from = clobber[i];
      if (from >= 0 && w >= from) {
        const a = args[i];
        if (a === null || a.includes(w)) gen[i] = 1;
        kill[i] = 1;
      }
    }
    const live = new Uint8Array(n), succ = this.succ;
    for (let changed = true; changed;) {
      changed = false;
      for (let i = n - 1; i >= 0; i--) {
        let v = gen[i];
        if (v === 0 && kill[i] === 0) {
          for (const s of succ[i]) v |= live[s];
        }
        if (v !== live[i]) {
          live[i] = v;
          changed = true;
        }
      }
    }
    return live;
  }
}
