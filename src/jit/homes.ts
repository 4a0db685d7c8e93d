/**
 * Choosing where compiled code keeps each register (its _home_, see
 * `registers.ts`): one walk over every register access of a function's
 * IR, counting accesses by view per word, then a home per word — a JS
 * local of the view it is mostly accessed through, or the register file.
 *
 * @module
 */

import { instrSize, IR, IR_DEFS, type IrDef } from "../interp/ir_defs.ts";
import { slotRun } from "../interp/exec_gc.ts";
import { operandWords } from "../interp/codegen.ts";
import {
  ANY_READ,
  type InstrEffect,
  INT_READ,
  INT_WRITE,
  OTHER,
  PART,
  SlotSplit,
} from "./split.ts";
import { D, EXACT_DOUBLES, F, I, IW, LD, PAIR, recordOperands, WRITTEN, X } from "./accesses.ts";
import {
  AS_DOUBLE,
  AS_FLOAT,
  AS_INT,
  CANON_INT,
  CANON_MEM,
  FIXED,
  INNER,
  MOVE,
  READ,
  SAFE_BITS,
  Satellites,
  signallingF32,
  WRITE,
} from "./webs.ts";
import { instructions, successors } from "./split.ts";
import { CALL_OUTS } from "./entries.ts";
import { WordLiveness } from "./liveness.ts";

/** Homes (`SPLIT`: an int32 local for word 0 and a float64 local, split.ts). */
export const MEM = 0, INT = 1, FLOAT = 2, DOUBLE = 3, SPLIT = 4;

/**
 * The parameter and result slots of a function the code calls directly (by
 * index in its instance), where known: a direct call then stores only the
 * arguments and reloads only the results.
 */
export type CallShape = (f: number) => { params: number; results: number } | undefined;

/** What choosing homes needs to know beyond the code. */
export interface RegisterOptions {
  /** Where a slice may start (every register reloaded there). */
  leaders?: ReadonlySet<number>;
  /** Slots of the function's results. */
  results?: number;
  /** Words of the function's parameters (default: every word). */
  paramWords?: number;
  /** The parameter types of the function the call at `pc` calls, where known. */
  callArgs?: (code: Int32Array, pc: number) => readonly number[] | undefined;
  /** Whether the function has exception handlers (reached by edges the code does not show). */
  exceptions?: boolean;
  /** Directly called functions' shapes. */
  calls?: CallShape;
  /**
   * The register accesses (`[word, class]`) of the `simd` instruction at
   * `pc` if compiled inline, else null.
   */
  simd?: (pc: number) => readonly (readonly [number, number, number])[] | null;
}

const BR_TABLE = IR["br_table"], MOVS = IR["movs"], ATOMIC = IR["atomic"];
const RET32 = IR["ret32"], RET64 = IR["ret64"], RETURN = IR["return"], CALL = IR["call"];
const UNREACHABLE = IR["unreachable"], SIMD = IR["simd"];

/** The homes of one function's registers. */
export interface Homes {
  /** Per word: its home. */
  home: Uint8Array;
  /** Words held as int32 locals. */
  ints: number[];
  /** Words held as float32 locals. */
  floats: number[];
  /** Slots held as float64 locals. */
  doubles: number[];
  /** Per word: accesses as float64 minus accesses as int32 (positive: mostly a double). */
  lean: Int32Array;
  /** Slots with an int32 and a float64 local (split.ts). */
  split: SlotSplit;
  /** Webs of words held apart from their word's home (webs.ts). */
  satellites: Satellites;
  /** Which words may still be read where (liveness.ts). */
  liveness: WordLiveness;
}

/** Chooses the homes from every register access of `code` (ops of `cold`: `coldOps`). */
export function chooseHomes(
  code: Int32Array,
  coldOps: ReadonlySet<number>,
  options: RegisterOptions = {},
): Homes {
  const ints: number[] = [], floats: number[] = [], doubles: number[] = [];
  const leaders = options.leaders ?? new Set([0]), results = options.results ?? 0;
  const calls = options.calls ?? (() => undefined), simd = options.simd ?? (() => null);
  const callArgs = options.callArgs ?? (() => undefined);
  let words = 0;
  const notes: [number, number][] = [];
  // Per instruction: [slot, access] pairs in execution order, for split.ts;
  // [word, access bits] pairs and int32 copies, for webs.ts.
  const accesses: number[][] = [], effects: InstrEffect[] = [];
  const wordAccess: number[][] = [], copies: number[][] = [], order: number[] = [];
  const clobbers: number[] = [], argWords: (number[] | null)[] = [];
  let acc: number[] = [], wa: number[] = [], fixed = false;
  const note = (w: number, c: number, how = 0) => {
    notes.push([w, c]);
    if (w + 2 > words) words = w + 2;
    wa.push(w, webBits(c, how) | (fixed ? FIXED : 0));
  };
  const operands = (d: IrDef, pc: number, first: number, exposed: boolean) =>
    recordOperands(d, code, pc, first, exposed, note, acc);
  const word = (w: number, c: number) => {
    note(w, c);
    acc.push(w >> 1, c === X || (w & 1) !== 0 ? OTHER : c === IW ? INT_WRITE : INT_READ);
  };
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    const op = code[pc], def = IR_DEFS[op];
    acc = [];
    wa = [];
    fixed = op === RET32 || op === RET64 || (coldOps.has(op) && op !== ATOMIC);
    const effect: InstrEffect = { exit: false, callBase: -1, callResults: -1 };
    let clobber = -1, args: number[] | null = null;
    if (def.parts !== undefined) {
      operands(def.parts[0], pc, 1, false);
      acc.push(-1, PART);
      const second = wa.length;
      operands(def.parts[1], pc, def.parts[0].size, false);
      // The second part's reads of what the first wrote see that write.
      const first = new Set<number>();
      for (let j = 0; j < second; j += 2) if (wa[j + 1] & WRITE) first.add(wa[j]);
      for (let j = second; j < wa.length; j += 2) {
        if (!(wa[j + 1] & WRITE) && first.has(wa[j])) wa[j + 1] |= INNER;
      }
    } else if (def.body !== null) operands(def, pc, 1, false);
    else if (op === BR_TABLE) word(code[pc + 1], I);
    else if (op === RET32 || op === RET64) {
      // A result's bits are observed as they are.
      word(code[pc + 1], I);
      if (op === RET64) word(code[pc + 1] + 1, I);
    } else if (op === MOVS) {
      for (let i = 0; i < code[pc + 1]; i++) {
        word(code[pc + 3 + 2 * i], I);
        word(code[pc + 2 + 2 * i], IW);
      }
    } else if (op === RETURN) {
      for (let s = 0; s < results; s++) acc.push(s, ANY_READ);
      for (let w = 0; w < 2 * results; w++) wa.push(w, READ | FIXED);
    } else if (op === CALL) {
      const base = code[pc + 2], shape = calls(code[pc + 1]);
      // Its arguments (every slot from the base on, when the callee is unknown).
      const top = shape === undefined ? words >> 1 : base + shape.params;
      for (let s = base; s < Math.max(top, base); s++) acc.push(s, ANY_READ);
      clobber = 2 * base;
      args = argumentWords(clobber, callArgs(code, pc));
      effect.callBase = base;
      effect.callResults = shape === undefined ? -1 : shape.results;
      if (shape === undefined) effect.exit = true;
    } else if (coldOps.has(op) && op !== ATOMIC) {
      // The loop's code reads and writes its operands in the register file:
      // the emitter stores their slots before it and reloads them after
      // (coldOperandSlots), so they keep their homes elsewhere (memops'
      // temporaries were all in the file for one memory.fill). Never a
      // split slot: their local would not be the one written last.
      // `w` operands too (up to four words: an address or length, an i64
      // pair in a memory64, a v128 global's value), which recordOperands
      // keeps in the file as index operands.
      const own: number[] = [];
      const plain = {
        ...def,
        operands: def.operands.map((o) => o.kind === "w" ? { ...o, kind: "#" } : o),
      };
      recordOperands(plain, code, pc, 1, false, note, own);
      for (let j = 0; j < own.length; j += 2) acc.push(own[j], OTHER);
      for (const { name, kind, at } of operandWords(def, 1)) {
        if (kind !== "w") continue;
        const w = code[pc + at], c = name === "d" ? IW : I;
        for (let k = 0; k < 4; k++) {
          note(w + k, c);
          acc.push((w + k) >> 1, OTHER);
        }
      }
    } else if (op === SIMD && simd(pc) !== null) {
      // Inline lane code: its words get homes as any other register's
      // (no split slot: a v128's words are int32 or float32 ones).
      for (const [w, c, how] of simd(pc)!) {
        note(w, c, how);
        acc.push(w >> 1, OTHER);
      }
    } else if (op === SIMD) {
      // Run by the SIMD loop: it reads and writes its operands' words (a
      // v128's four; an immediate taken for a word too, to be safe).
      effect.exit = true;
      for (let k = 0; k < code[pc + 2]; k++) {
        for (let w = code[pc + 3 + k]; w < code[pc + 3 + k] + 4; w++) {
          if (w >= 0) wa.push(w, READ | FIXED, w, WRITE | FIXED);
        }
      }
    } else if (op !== UNREACHABLE) {
      effect.exit = true;
      // Any word, but a call leaving through call_out.ts reads its callee
      // and arguments and writes from its base on, not the caller's words.
      clobber = 0;
      if (CALL_OUTS.has(op)) {
        const ops = operandWords(def, 1), base = ops.find((o) => o.name === "base");
        const callee = ops.find((o) => o.name === "c" && o.kind === "i");
        if (callee !== undefined) wa.push(code[pc + callee.at], READ | FIXED);
        if (base !== undefined) {
          clobber = 2 * code[pc + base.at];
          args = argumentWords(clobber, callArgs(code, pc));
        }
      }
    }
    // Values an op reads from a run of slots past its operand (struct.new).
    const run = slotRun(code, pc);
    if (run !== null) {
      for (let w = 2 * run[0]; w < 2 * (run[0] + run[1]); w++) {
        note(w, X);
        acc.push(w >> 1, OTHER);
      }
    }
    // Calls, returns, SIMD and atomic runs: the emitter spills around them.
    accesses.push(acc);
    effects.push(effect);
    copies.push(markCopies(code, pc, wa));
    clobbers.push(clobber);
    argWords.push(args);
    // One body (or lane template, or fused pair: INNER) reads its operands before it writes.
    order.push(def.parts !== undefined || def.body !== null || op === SIMD ? 1 : 0);
    wordAccess.push(wa);
  }
  const exceptions = options.exceptions ?? false;
  const split = new SlotSplit(code, leaders, accesses, effects, exceptions);
  const ni = new Int32Array(words), nf = new Int32Array(words), nd = new Int32Array(words);
  const x = new Uint8Array(words), iw = new Uint8Array(words);
  // A load into a slot otherwise only read and written as a double loads one.
  const asDouble = new Uint8Array(words);
  for (const [w, c] of notes) if (c === D) asDouble[w] = 1;
  for (let [w, c] of notes) {
    if (c === LD) c = asDouble[w & ~1] ? D : IW;
    if (c === IW) iw[w] = 1;
    if (c === I || c === IW) ni[w]++;
    else if (c === F) nf[w]++;
    else if (c === D) nd[w]++;
    else x[w] = 1;
  }
  const home = new Uint8Array(words);
  for (const s of split.slots) home[2 * s] = home[2 * s + 1] = SPLIT;
  for (let s = 0; 2 * s + 1 < words; s++) {
    const a = 2 * s, b = a + 1;
    if (home[a] === SPLIT) continue;
    if (x[a] || x[b] || nd[a] === 0 || nf[a] + nf[b] > 0) continue;
    // A slot used as f64. Never one written as int32 in the function: the
    // bits of an f64 moved through int32 words must stay exact (and
    // converting at each such write cost more than the register file:
    // nbody 1.79 s vs 1.34 s CPU). Its words read as int32 (an f64 stored
    // by i64.store) only where a JS double keeps every NaN's bits: the
    // slot may hold other bits when the slice starts (an i64 parameter),
    // and JavaScriptCore canonicalizes NaNs in values.
    if (iw[a] || iw[b] || (ni[a] + ni[b] > 0 && !EXACT_DOUBLES)) continue;
    home[a] = home[b] = DOUBLE;
    doubles.push(s);
  }
  for (let w = 0; w < words; w++) {
    if (x[w] || home[w] === DOUBLE || home[w] === SPLIT || nd[w] > 0) continue;
    // One view, or int32 words read as float32 at most as often as int32:
    // a float32 access of an int32 local converts through a small buffer,
    // which costs about what the register file does, and the int32
    // accesses are then free (simd_dot: v128 words that are f32 lanes in
    // one loop and i32 or i16 lanes in another, 3.85 → 3.31 s CPU; no
    // other bench program has such a word).
    if (ni[w] > 0 && nf[w] === 0) home[w] = INT;
    else if (nf[w] > 0 && ni[w] === 0) home[w] = FLOAT;
    else if (ni[w] > 0 && ni[w] >= nf[w]) home[w] = INT;
    else continue;
    (home[w] === FLOAT ? floats : ints).push(w);
  }
  const lean = new Int32Array(words);
  for (let w = 0; w < words; w++) lean[w] = nd[w] - ni[w];
  // Words whose webs may be worth satellites: an int32 home also read or
  // written as a float32, or the register file (any word a JS local could hold).
  const candidates = new Map<number, number>();
  // (None where exception handlers are: SlotSplit's reason.)
  for (let w = 0; w < words && !exceptions; w++) {
    if (home[w] === INT && nf[w] > 0) candidates.set(w, CANON_INT);
    else if (home[w] === MEM && ni[w] + nf[w] + nd[w] > 0) candidates.set(w, CANON_MEM);
  }
  const { pcs, index } = instructions(code);
  const ordered = Uint8Array.from(order);
  const input = {
    succ: candidates.size === 0 ? [] : successors(code, pcs, index),
    access: wordAccess,
    moves: copies,
    clobber: Int32Array.from(clobbers),
    args: argWords,
    ordered,
    words: candidates,
    paramWords: options.paramWords ?? Infinity,
  };
  const satellites = new Satellites(input, words, index);
  const liveness = new WordLiveness(input, { code, pcs, index, exceptions });
  return { home, ints, floats, doubles, lean, split, satellites, liveness };
}

/** webs.ts's access bits for an access of class `c` (`how`: accesses.ts's `WRITTEN`, `PAIR`). */
function webBits(c: number, how: number): number {
  const write = (how & WRITTEN) !== 0 ? WRITE : READ;
  const pair = (how & PAIR) !== 0 ? FIXED : 0;
  switch (c) {
    case I:
      return READ | AS_INT | pair;
    case IW:
      return WRITE | AS_INT | pair;
    case F:
      return write | AS_FLOAT;
    case LD:
      // (Both words: the emitter loads a float64 into a float64 satellite.)
      return WRITE | AS_DOUBLE;
    case D:
      return write | AS_DOUBLE;
    default:
      return READ | FIXED;
  }
}

/**
 * The words a call with its frame at word `at` reads as arguments of
 * types `params` (unknown: null, every word): an i32's or f32's low word
 * only, a v128's four.
 */
function argumentWords(at: number, params: readonly number[] | undefined): number[] | null {
  if (params === undefined) return null;
  const out: number[] = [];
  let w = at;
  for (const t of params) {
    const n = t === 0x7f || t === 0x7d ? 1 : t === 0x7b ? 4 : 2;
    for (let k = 0; k < n; k++) out.push(w + k);
    w += t === 0x7b ? 4 : 2;
  }
  return out;
}

const CONST32 = IR["const32"], CONST128 = IR["const128"];
const MOV32 = IR["mov32"], MOV128 = IR["mov128"];

/**
 * Marks the int32 writes of the instruction at `pc` (its `[word, bits]`
 * list `wa`) that write constant bits other than a float32 signalling
 * NaN's, or copy another word; returns the copies as `[word, source]`.
 */
function markCopies(code: Int32Array, pc: number, wa: number[]): number[] {
  const op = code[pc], moves: number[] = [];
  const mark = (w: number, bit: number) => {
    for (let j = 0; j < wa.length; j += 2) {
      if (wa[j] === w && (wa[j + 1] & WRITE) && (wa[j + 1] & AS_INT)) wa[j + 1] |= bit;
    }
  };
  if (op === CONST32) {
    if (!signallingF32(code[pc + 2])) mark(code[pc + 1], SAFE_BITS);
  } else if (op === CONST128) {
    for (let k = 0; k < 4; k++) {
      if (!signallingF32(code[pc + 2 + k])) mark(code[pc + 1] + k, SAFE_BITS);
    }
  } else if (op === MOV32 || op === MOV128 || op === MOVS) {
    const pairs: [number, number][] = op === MOVS
      ? Array.from({ length: code[pc + 1] }, (_, i) => [code[pc + 2 + 2 * i], code[pc + 3 + 2 * i]])
      : Array.from(
        { length: op === MOV32 ? 1 : 4 },
        (_, k) => [code[pc + 1] + k, code[pc + 2] + k],
      );
    for (const [to, from] of pairs) {
      mark(to, MOVE);
      moves.push(to, from);
    }
  }
  return moves;
}

/**
 * The register slots of a hand-written cold op's operands at `pc` (index
 * operands excepted: those stay in the file), which the emitter stores
 * before the loop's code runs it, and of those it writes (its `d`), which
 * the emitter reloads after.
 */
export function coldOperandSlots(
  code: Int32Array,
  pc: number,
): { read: number[]; written: number[] } {
  const read = new Set<number>(), written = new Set<number>();
  for (const { name, kind, at } of operandWords(IR_DEFS[code[pc]], 1)) {
    const w = code[pc + at], slots = name === "d" ? written : read;
    if (kind === "i" || kind === "f") slots.add(w >> 1);
    else if (kind === "l") slots.add(w >> 1).add((w + 1) >> 1);
    else if (kind === "d") slots.add(w);
    else if (kind === "w" || kind === "V") { for (let k = 0; k < 4; k++) slots.add((w + k) >> 1); }
  }
  return { read: [...read], written: [...written] };
}
