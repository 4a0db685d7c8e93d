/**
 * i16 lanes held apart from their words: across a straight run of compiled
 * code, the values of i16x8 ops that have a lane form
 * (`LaneTemplate.lane`) are kept as eight JS locals per v128 register,
 * each lane a sign-extended int (`$l<halfword>`), instead of as four
 * words of two packed lanes. An op on packed words pays to take its lanes
 * apart and to pack its result (simd_dot's i16 kernel: a saturating add,
 * a compare, a sub, a neg and a select in a row, each unpacking and
 * repacking); here each lane is unpacked once where the run first reads
 * it, and a result is packed into its word only where something reads
 * the word: an op without a lane form, an exit, a label, an instruction
 * that reads the word — and only if the word is live there
 * (`liveness.ts`): a lane result that no path reads as a word is never
 * packed.
 *
 * The cache holds within a stretch of straight-line code: the emitter
 * empties it at every label and after every instruction that may leave
 * the stretch.
 *
 * @module
 */

import type { RegisterMap } from "./registers.ts";
import { type LaneOp, laneOp, type SimdInline, simdResolve } from "./simd_emit.ts";
import { WRITTEN } from "./accesses.ts";

/** The local holding i16 lane `h` (halfword `h` of the register file's words) of the run. */
const laneLocal = (h: number) => `$l${h}`;

/** Width of a sign-extended i16 lane (bits). */
const NARROW = 16;
/** Widest lane a modular op takes (a sum of such stays exact and an int32 in V8). */
const WIDEST = 24;

/** Compiled statements that may leave the straight line they are in (or run the register file's code). */
const LEAVES = /\b(break|continue|return|throw|trapCode|cold|simdRun)\b/;

/** Lanes held in locals, and the words whose home does not hold them yet. */
export class LaneCache {
  /**
   * Halfwords held in their lane locals → the bits their values may take
   * (16: sign-extended; wider: a modular op's result, whose low 16 bits
   * are the lane).
   */
  private readonly lanes = new Map<number, number>();
  /** Word → pc of the lane op that wrote it, while only its lanes hold the value. */
  private readonly dirty = new Map<number, number>();
  /** Held halfwords known to be lane masks (each 0 or -1: a compare's result, or bitwise ops on such). */
  private readonly masks = new Set<number>();

  constructor(private readonly regs: RegisterMap) {}

  /**
   * The statements of the inline SIMD instruction at `pc` (`inline`
   * expanded): in lanes where it has a lane form, else on words.
   */
  simd(code: Int32Array, pc: number, inline: SimdInline): string {
    const op = laneOp(code, pc), asLanes = op === null ? null : this.laneOp(op, pc);
    if (asLanes !== null) return `{\n${asLanes}\n}`;
    const words = this.wordOp(inline, pc);
    this.wordOpDone(inline);
    return words.before + simdResolve(words.inline, this.regs);
  }

  /**
   * Any other instruction's statements `s`, with what the held lanes need
   * first: code that may leave sees every live word whole, and ends the
   * stretch; other code has the words it reads packed.
   */
  around(pc: number, s: string): string {
    if (!this.active) return s;
    let packs: string;
    if (LEAVES.test(s)) packs = this.flush(pc);
    else {
      packs = this.pack(this.regs.liveness.reads(pc), pc);
      this.wrote(this.regs.liveness.writes(pc));
    }
    return packs === "" ? s : `${packs}\n${s}`;
  }

  /**
   * Statements computing the lane op at `pc` into lane locals, or null
   * where it is better done on words (a bitwise op whose operands are not
   * all held as lanes).
   */
  private laneOp(op: LaneOp, pc: number): string | null {
    const vectors = [...op.operands].filter(([name]) => name !== "S");
    if (op.modular === "bitwise" && !vectors.every(([, r]) => this.held(r))) return null;
    const lines: string[] = [];
    const s = op.operands.get("S");
    if (s !== undefined) lines.push(this.pack([s], pc));
    const widest = op.modular === null ? NARROW : WIDEST;
    for (const [, r] of vectors) {
      for (let j = 0; j < 8; j++) {
        lines.push(this.unpack(2 * r + j), this.narrow(2 * r + j, widest));
      }
    }
    const count = s === undefined ? "" : this.regs.bits(s);
    const c = op.operands.get("C");
    const form = op.maskLane !== null && c !== undefined && this.allMasks(c)
      ? op.maskLane
      : op.lane;
    // Lane j of the result reads only lane j of each operand: written in
    // place, a destination that is also an operand stays exact.
    for (let j = 0; j < 8; j++) {
      let width = 0, masks = true;
      const expr = form.replace(/\b[ABCS]\b/g, (x) => {
        if (x === "S") return count;
        const h = 2 * op.operands.get(x)! + j;
        width = Math.max(width, this.lanes.get(h)!);
        if (x !== "C" || form === op.lane) masks &&= this.masks.has(h);
        return laneLocal(h);
      });
      const h = 2 * op.d + j;
      lines.push(`const ${laneLocal(h)} = ${expr};`);
      this.lanes.set(
        h,
        op.modular === "arith" ? width + 1 : op.modular === "bitwise" ? width : NARROW,
      );
      // Bitwise ops (a select among them) on masks give masks.
      if (op.mask || (op.modular === "bitwise" && masks)) this.masks.add(h);
      else this.masks.delete(h);
    }
    for (let w = op.d; w < op.d + 4; w++) this.dirty.set(w, pc);
    return lines.filter((x) => x !== "").join("\n");
  }

  /**
   * An inline SIMD instruction on words: its i16 lane reads taken from the
   * lane locals that hold them, and the statements to run before it (the
   * words it reads packed).
   */
  private wordOp(inline: SimdInline, pc: number): { before: string; inline: SimdInline } {
    const narrowed: string[] = [];
    const body = inline.body.replace(/⟪I16:(\d+)⟫/g, (all, n: string) => {
      const h = Number(n);
      if (!this.lanes.has(h)) return all;
      narrowed.push(this.narrow(h, NARROW));
      return laneLocal(h);
    });
    const read: number[] = [];
    for (const [, view, n, write] of body.matchAll(/⟪(\w+):(\d+)⟫( = )?/g)) {
      if (write !== undefined) continue;
      const at = Number(n);
      if (view === "F64") read.push(2 * at, 2 * at + 1);
      else read.push(view === "I16" ? at >> 1 : at);
    }
    const before = [...narrowed, this.pack(read, pc)].filter((x) => x !== "").join(" ");
    return { before, inline: { body, accesses: inline.accesses } };
  }

  /** After an inline SIMD instruction on words: forget what it wrote. */
  private wordOpDone(inline: SimdInline): void {
    this.wrote(inline.accesses.filter((a) => (a[2] & WRITTEN) !== 0).map((a) => a[0]));
  }

  /** Words written (on words) from here on: their lanes are stale, their homes hold them. */
  wrote(words: readonly number[]): void {
    for (const w of words) {
      this.dirty.delete(w);
      for (let h = 2 * w; h < 2 * w + 2; h++) {
        this.lanes.delete(h);
        this.masks.delete(h);
      }
    }
  }

  /** Statements packing those of `words` whose homes do not hold their lanes (`pc`: here). */
  pack(words: readonly number[], pc: number): string {
    const out: string[] = [];
    for (const w of words) {
      if (!this.dirty.has(w)) continue;
      out.push(this.packing(w, pc));
      this.dirty.delete(w);
    }
    return out.join(" ");
  }

  /**
   * Statements for an exit from the instruction at `pc` (a branch of its
   * own: nothing changes on the way on): every held word live there packed.
   */
  exitPacks(pc: number): string {
    const out: string[] = [];
    for (const w of this.dirty.keys()) {
      if (this.regs.liveness.liveAt(pc, w)) out.push(this.packing(w, pc));
    }
    return out.join(" ");
  }

  /**
   * Statements where the stretch ends at `pc` (code that may leave, a
   * label): every held word live there packed, the rest dropped, and
   * every lane forgotten.
   */
  flush(pc: number): string {
    const out = this.exitPacks(pc);
    this.lanes.clear();
    this.dirty.clear();
    this.masks.clear();
    return out;
  }

  /** Whether any lane is held. */
  get active(): boolean {
    return this.lanes.size > 0;
  }

  private allMasks(r: number): boolean {
    for (let h = 2 * r; h < 2 * r + 8; h++) if (!this.masks.has(h)) return false;
    return true;
  }

  private held(r: number): boolean {
    for (let h = 2 * r; h < 2 * r + 8; h++) if (!this.lanes.has(h)) return false;
    return true;
  }

  /** The statement sign-extending lane `h` in place if it may be wider than `bits`. */
  private narrow(h: number, bits: number): string {
    if (this.lanes.get(h)! <= bits) return "";
    this.lanes.set(h, NARROW);
    return `const ${laneLocal(h)} = (${laneLocal(h)} << 16) >> 16;`;
  }

  /** The statement loading lane `h` from its word, if not held. */
  private unpack(h: number): string {
    if (this.lanes.has(h)) return "";
    this.lanes.set(h, NARROW);
    this.masks.delete(h);
    const bits = this.regs.bits(h >> 1);
    return `const ${laneLocal(h)} = ${
      (h & 1) === 0 ? `((${bits} << 16) >> 16)` : `(${bits} >> 16)`
    };`;
  }

  /**
   * Word `w` packed from its lanes, written as at the lane op that
   * produced it (where its web's satellite, if any, is the one it takes).
   */
  private packing(w: number, pc: number): string {
    const at = this.dirty.get(w)!, regs = this.regs;
    regs.at(at);
    const s = regs.setBits(
      w,
      `(${laneLocal(2 * w)} & 0xffff) | (${laneLocal(2 * w + 1)} << 16)`,
      true,
    );
    regs.at(pc);
    return s;
  }
}
