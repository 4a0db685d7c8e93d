/**
 * Where compiled code keeps a function's registers. The interpreter's
 * register file is one buffer seen through Int32, Float32 and Float64
 * views, and the IR relies on that aliasing (an f64 stored as two words, a
 * stack slot reused for values of another type). Compiled code gives each
 * register a _home_:
 *
 * - an int32 JS local `$r<word>` for a word accessed mostly as int32
 *   (operand kinds `i`, `l`'s halves);
 * - a float32 JS local `$f<word>` for a word accessed only as float32;
 * - a float64 JS local `$d<slot>` for a slot accessed mostly as float64;
 * - the register file itself for registers that ops of the loop's own code
 *   read (`cold`, SIMD runs) or that an index operand names.
 *
 * An access through another view than the home's converts through a
 * small buffer seen through the same three views, which is exactly what
 * the register file does: the bits are the interpreter's, on every engine.
 * Locals are loaded when a compiled slice starts and stored back
 * ("spilled") wherever the register file must be whole. (`homes.ts`
 * chooses the homes; this module reads, writes and spills through them.)
 *
 * @module
 */

import { chooseHomes, DOUBLE, FLOAT, INT, MEM, type RegisterOptions, SPLIT } from "./homes.ts";
import type { SlotSplit } from "./split.ts";
import { CANON_INT, type Satellite, type Satellites } from "./webs.ts";
import type { ValueShape } from "./value_call.ts";

/**
 * The one-operand conversions, as expressions rather than calls: in a
 * large function V8 runs out of inlining budget and leaves the calls
 * (simd_dot's main spent 8% of its time in them). Safe inline because the
 * operand is evaluated before the buffer is written (not so for two).
 */
const floatBits = (f: string) => `($cvF[0] = ${f}, $cvI[0])`;
const bitsFloat = (b: string) => `($cvI[0] = ${b}, $cvF[0])`;
/** Word `half` (0: low) of double `d`'s bits. */
const doubleWord = (d: string, half: number) => `($cvD[0] = ${d}, $cvI[${half}])`;

/** How one function's registers are held. */
export class RegisterMap {
  /** Per word: its home. */
  readonly home: Uint8Array;
  /** Words held as int32 locals. */
  readonly ints: number[];
  /** Words held as float32 locals. */
  readonly floats: number[];
  /** Slots held as float64 locals. */
  readonly doubles: number[];
  /** Per word: accesses as float64 minus accesses as int32 (positive: mostly a double). */
  private readonly lean: Int32Array;

  /** Slots with an int32 and a float64 local (split.ts). */
  readonly split: SlotSplit;
  /** Webs of words held in locals of their own (webs.ts). */
  readonly satellites: Satellites;
  /** The instruction being emitted (-1: none), whose accesses may take a satellite. */
  private pc = -1;

  /** Chooses the homes from every register access of `code` (ops of `cold`: `coldOps`). */
  constructor(code: Int32Array, coldOps: ReadonlySet<number>, options: RegisterOptions = {}) {
    const h = chooseHomes(code, coldOps, options);
    this.home = h.home;
    this.ints = h.ints;
    this.floats = h.floats;
    this.doubles = h.doubles;
    this.lean = h.lean;
    this.split = h.split;
    this.satellites = h.satellites;
  }

  /**
   * Accesses from here on are the instruction's at `pc` (-1: outside any
   * instruction, the homes themselves): a web held in a satellite
   * (webs.ts) is read and written there.
   */
  at(pc: number): void {
    this.pc = pc;
  }

  /**
   * Words a fused pair's first part wrote, while its second part is
   * emitted: a read of one sees that write (webs.ts's INNER).
   */
  private written: readonly number[] = [];

  /** The second part of a fused pair is emitted from here on, its first having written `words` (none: []). */
  secondPart(words: readonly number[]): void {
    this.written = words;
  }

  /** The satellite a read (`write`: a write) of word `w` takes here, if any. */
  private sat(w: number, write: boolean): Satellite | undefined {
    const key = write || this.written.includes(w);
    const sat = this.pc < 0 ? undefined : this.satellites.at(this.pc, w, key);
    if (sat?.kind === "d") throw new Error(`registers: word ${w} of a float64 satellite as a word`);
    return sat;
  }

  /** The float64 satellite an access of slot `s` takes here, if any (none of its words' others). */
  private doubleSat(s: number, write: boolean): Satellite | undefined {
    if (this.pc < 0) return undefined;
    const key = write || this.written.includes(2 * s);
    const a = this.satellites.at(this.pc, 2 * s, key);
    if (a?.kind === "d") return a;
    if (a !== undefined || this.satellites.at(this.pc, 2 * s + 1, key) !== undefined) {
      throw new Error(`registers: slot ${s} read as a float64 from a word's satellite`);
    }
    return undefined;
  }

  /** Whether a write of slot `s` here goes to a float64 satellite. */
  writesDoubleSatellite(s: number): boolean {
    return this.doubleSat(s, true) !== undefined;
  }

  /** The satellites' locals, each once (a local holds every web of its word and view). */
  private satelliteLocals(): Satellite[] {
    return this.satellites.locals;
  }

  /**
   * Statements an exit from the instruction at `pc` (`when`: before it,
   * between its parts, after it) makes before leaving, the code resuming
   * at `resume` (-1: nowhere): the split slots among [from, to) live there
   * stored (split.ts), and the satellites that hold their words' values
   * there stored back into their homes.
   */
  exitSpill(
    pc: number,
    when: "before" | "mid" | "after",
    resume: number,
    from = 0,
    to = Infinity,
  ): string {
    const out = [this.split.spill(pc, when, resume, from, to)];
    for (const s of this.satellites.liveAt(resume)) {
      if (s.word < 2 * from || s.word >= 2 * to) continue;
      const w = s.word;
      if (s.kind === "d") out.push(`F64[fd + ${w >> 1}] = ${s.name};`);
      else if (s.canon === CANON_INT) {
        out.push(`$r${w} = ${s.kind === "f" ? floatBits(s.name) : s.name};`);
      } else out.push(`${s.kind === "f" ? "F32" : "I32"}[fp + ${w}] = ${s.name};`);
    }
    return out.filter((x) => x !== "").join(" ");
  }

  /** The home of word `w` (past the last register accessed: the register file). */
  private h(w: number): number {
    return w < this.home.length ? this.home[w] : MEM;
  }

  /** Whether word `w` starts a slot held as a float64 local. */
  isDouble(w: number): boolean {
    return (w & 1) === 0 && this.h(w) === DOUBLE;
  }

  /** Whether word `w` lives in the register file (no JS local). */
  inFile(w: number): boolean {
    return this.h(w) === MEM;
  }

  /**
   * Whether slot `s` holds a double more often than int32 words: in a
   * float64 local, or in the register file accessed mostly as float64.
   */
  mostlyDouble(s: number): boolean {
    return this.isDouble(2 * s) || this.h(2 * s) === SPLIT ||
      (this.inFile(2 * s) && this.inFile(2 * s + 1) && 2 * s < this.lean.length &&
        this.lean[2 * s] >= 0);
  }

  /**
   * The JS local holding word `w` as an int32 wherever it is read, or null
   * (another home, or a split slot, whose local depends on where).
   */
  local(w: number): string | null {
    return !this.split.has(w >> 1) && this.h(w) === INT ? `$r${w}` : null;
  }

  /** Number of locals. */
  get size(): number {
    return this.ints.length + this.floats.length + this.doubles.length +
      2 * this.split.slots.length + this.satelliteLocals().length;
  }

  /** An int32 expression for the bits of word `w`. */
  bits(w: number): string {
    const sat = this.sat(w, false);
    if (sat !== undefined) return sat.kind === "f" ? floatBits(sat.name) : sat.name;
    switch (this.h(w)) {
      case INT:
        return `$r${w}`;
      case FLOAT:
        return floatBits(`$f${w}`);
      case DOUBLE:
        return doubleWord(`$d${w >> 1}`, w & 1);
      case SPLIT:
        // (Its odd word is never read on its own: split.ts.)
        return (w & 1) === 0 ? `$r${w}` : doubleWord(`$d${w >> 1}`, 1);
      default:
        return `I32[fp + ${w}]`;
    }
  }

  /** A number expression for word `w` read as a float32. */
  float(w: number): string {
    const sat = this.sat(w, false);
    if (sat !== undefined) return sat.kind === "f" ? sat.name : bitsFloat(sat.name);
    switch (this.h(w)) {
      case FLOAT:
        return `$f${w}`;
      case MEM:
        return `F32[fp + ${w}]`;
      default:
        return bitsFloat(this.bits(w));
    }
  }

  /** A number expression for slot `s` read as a float64. */
  double(s: number): string {
    const sat = this.doubleSat(s, false);
    if (sat !== undefined) return sat.name;
    if (this.h(2 * s) === DOUBLE || this.h(2 * s) === SPLIT) return `$d${s}`;
    if (this.h(2 * s) === MEM && this.h(2 * s + 1) === MEM) return `F64[fd + ${s}]`;
    return `$bd(${this.bits(2 * s)}, ${this.bits(2 * s + 1)})`;
  }

  /** A statement writing int32 bits `v` to word `w`. */
  setBits(w: number, v: string, int32: boolean): string {
    const sat = this.sat(w, true);
    if (sat !== undefined) {
      if (sat.kind === "f") return `${sat.name} = ${bitsFloat(v)};`;
      return int32 ? `${sat.name} = ${v};` : `${sat.name} = (${v}) | 0;`;
    }
    switch (this.h(w)) {
      case INT:
        // An Int32Array store wraps to int32; so must the local.
        return int32 ? `$r${w} = ${v};` : `$r${w} = (${v}) | 0;`;
      case SPLIT:
        if ((w & 1) === 0) return int32 ? `$r${w} = ${v};` : `$r${w} = (${v}) | 0;`;
        return `$d${w >> 1} = $sethi($d${w >> 1}, ${v});`;
      case FLOAT:
        return `$f${w} = ${bitsFloat(v)};`;
      case DOUBLE:
        return `$d${w >> 1} = ${(w & 1) === 0 ? "$setlo" : "$sethi"}($d${w >> 1}, ${v});`;
      default:
        return `I32[fp + ${w}] = ${v};`;
    }
  }

  /** A statement writing number `v` to word `w` as a float32. */
  setFloat(w: number, v: string): string {
    const sat = this.sat(w, true);
    if (sat !== undefined) {
      return sat.kind === "f"
        ? `${sat.name} = Math.fround(${v});`
        : `${sat.name} = ${floatBits(v)};`;
    }
    switch (this.h(w)) {
      case FLOAT:
        return `$f${w} = Math.fround(${v});`;
      case MEM:
        return `F32[fp + ${w}] = ${v};`;
      default:
        return this.setBits(w, floatBits(v), true);
    }
  }

  /** A statement writing number `v` to slot `s` as a float64. */
  setDouble(s: number, v: string): string {
    const sat = this.doubleSat(s, true);
    if (sat !== undefined) return `${sat.name} = ${v};`;
    const a = 2 * s;
    if (this.h(a) === DOUBLE || this.h(a) === SPLIT) return `$d${s} = ${v};`;
    if (this.h(a) === MEM && this.h(a + 1) === MEM) return `F64[fd + ${s}] = ${v};`;
    return `$db(${v}); ${this.setBits(a, "$cvI[0]", true)} ${this.setBits(a + 1, "$cvI[1]", true)}`;
  }

  /** Declarations of the locals (loaded where the slice starts). */
  declare(): string {
    if (this.size === 0) return "";
    return `let ${
      [
        ...this.ints.map((w) => `$r${w} = 0`),
        ...this.floats.map((w) => `$f${w} = 0`),
        ...this.doubles.map((s) => `$d${s} = 0`),
        ...this.split.slots.flatMap((s) => [`$r${2 * s} = 0`, `$d${s} = 0`]),
        ...this.satelliteLocals().map((s) => `${s.name} = 0`),
      ].join(", ")
    };`;
  }

  /** Statements storing every local into the register file (not split slots': {@link split}'s). */
  spill(): string {
    return this.words(0, Infinity, (w) => this.store(w));
  }

  /** Statements reloading every local from the register file (a split slot's both, satellites). */
  reload(): string {
    const sats = this.satelliteLocals().map((s) =>
      s.kind === "d"
        ? `${s.name} = F64[fd + ${s.word >> 1}];`
        : `${s.name} = ${s.kind === "f" ? "F32" : "I32"}[fp + ${s.word}];`
    );
    return [this.words(0, Infinity, (w) => this.load(w)), ...sats].join(" ");
  }

  /**
   * Statements starting a directly called function: words below
   * `paramWords` (its parameters) reloaded or taken from `shape`'s JS
   * arguments, words up to `localWords` (its locals) zero, in the register
   * file unless held in a JS local only (a split slot's file words too: its
   * analysis starts from the file) — but for the high words of the `narrow`
   * slots (i32 and f32 locals), which nothing reads.
   */
  enter(
    paramWords: number,
    localWords: number,
    shape: ValueShape | null = null,
    narrow: ArrayLike<number> = [],
  ): string {
    const high = new Set(Array.from(narrow));
    let inFile = 0;
    for (let w = paramWords; w < localWords; w++) {
      if (this.h(w) === MEM && !((w & 1) === 1 && high.has(w >> 1))) inFile++;
    }
    // Many locals in the file: one loop zeroes every local word there.
    // (Counting the high words of i32 locals, sha256's block function had
    // a loop over 40 words for 20 i32 locals, all held in JS locals.)
    const loop = inFile > 16;
    // Every local word, accessed by compiled code or not: a return reads
    // its result slots from the file (fuzz seed 20144: an f64 local that
    // was the result, never touched, kept a caller's argument).
    const zero = this.allWords(paramWords, localWords, (w) => {
      switch (this.h(w)) {
        case INT:
          return `$r${w} = 0;`;
        case FLOAT:
          return `$f${w} = 0;`;
        case DOUBLE:
          return (w & 1) === 0 ? `$d${w >> 1} = 0;` : "";
        case SPLIT:
          return (w & 1) === 0 ? `$r${w} = 0; $d${w >> 1} = 0; F64[fd + ${w >> 1}] = 0;` : "";
        default:
          // (No instruction reads an i32 or f32 local's high word: CoreMark's
          // state machine stored eight such zeros per call.)
          return loop || ((w & 1) === 1 && high.has(w >> 1)) ? "" : `I32[fp + ${w}] = 0;`;
      }
    });
    // The other registers (the function's stack) are written before read.
    // A satellite live here holds a local's zero (webs.ts: never a parameter).
    return [
      loop ? `for (let i = fp + ${paramWords}; i < fp + ${localWords}; i++) I32[i] = 0;` : "",
      shape === null || shape.args === null
        ? this.words(0, paramWords, (w) => this.load(w))
        : this.takeArgs(shape),
      zero,
      ...this.satelliteLocals().map((s) => `${s.name} = 0;`),
    ].filter((x) => x !== "").join(" ");
  }

  /**
   * Statements putting the parameters passed as JS values (`$a<k>`) in
   * their homes: a local of the value's own kind directly, any other home
   * through the register file; and loading those passed in the file (the
   * words of a parameter not passed are never read before written).
   */
  private takeArgs(shape: ValueShape): string {
    const direct: string[] = [], viaFile: string[] = [], reload: number[] = [];
    (shape.args ?? []).forEach((a, k) => {
      const v = `$a${k}`, h = this.h(a.at);
      if (h === INT) direct.push(`$r${a.at} = ${v};`);
      else if (h === FLOAT) direct.push(`$f${a.at} = ${bitsFloat(v)};`);
      else {
        viaFile.push(`I32[fp + ${a.at}] = ${v};`);
        reload.push(a.at);
      }
    });
    for (const s of shape.fileSlots) reload.push(2 * s, 2 * s + 1);
    return [...direct, ...viaFile, ...reload.map((w) => this.load(w))].filter((x) => x !== "")
      .join(" ");
  }

  /** Statements reloading the locals among words [from, to) (a callee's results). */
  reloadWords(from: number, to: number): string {
    return this.words(from, to, (w) => this.load(w));
  }

  /** Statements storing the locals below word `limit` (a JS expression). */
  spillBelow(limit: string): string {
    return this.words(0, Infinity, (w) => {
      const s = this.store(w);
      return s === "" ? "" : `if (${w} < ${limit}) ${s}`;
    });
  }

  /** Statements storing the locals among words [from, to) (a frame's results). */
  spillWords(from: number, to: number): string {
    return this.words(from, to, (w) => this.store(w));
  }

  /** The statements `f` gives for words [from, to), accessed by compiled code or not. */
  private allWords(from: number, to: number, f: (w: number) => string): string {
    const out: string[] = [];
    for (let w = from; w < to; w++) {
      const s = f(w);
      if (s !== "") out.push(s);
    }
    return out.join(" ");
  }

  /** The statements `f` gives for words [from, to) of the registers accessed (past them: none). */
  private words(from: number, to: number, f: (w: number) => string): string {
    return this.allWords(from, Math.min(to, this.home.length), f);
  }

  /** Loading word `w`'s local from the register file ("": none; a split slot's both locals). */
  private load(w: number): string {
    switch (this.h(w)) {
      case INT:
        return `$r${w} = I32[fp + ${w}];`;
      case FLOAT:
        return `$f${w} = F32[fp + ${w}];`;
      case DOUBLE:
        return (w & 1) === 0 ? `$d${w >> 1} = F64[fd + ${w >> 1}];` : "";
      case SPLIT:
        return (w & 1) === 0 ? `$r${w} = I32[fp + ${w}]; $d${w >> 1} = F64[fd + ${w >> 1}];` : "";
      default:
        return "";
    }
  }

  /**
   * Storing word `w`'s local into the register file ("": none). Not a split
   * slot's: which of its locals holds the value depends on where (split.ts).
   */
  private store(w: number): string {
    switch (this.h(w)) {
      case INT:
        return `I32[fp + ${w}] = $r${w};`;
      case FLOAT:
        return `F32[fp + ${w}] = $f${w};`;
      case DOUBLE:
        return (w & 1) === 0 ? `F64[fd + ${w >> 1}] = $d${w >> 1};` : "";
      default:
        return "";
    }
  }
}

/**
 * The conversions between views, as the register file makes them: one
 * 8-byte buffer seen as Int32, Float32 and Float64 (JS source, bound once
 * per compiled function's factory).
 */
export const CONVERSIONS = `const $cv = new ArrayBuffer(8);
const $cvI = new Int32Array($cv), $cvF = new Float32Array($cv), $cvD = new Float64Array($cv);
const $bd = (lo, hi) => { $cvI[0] = lo; $cvI[1] = hi; return $cvD[0]; };
const $setlo = (d, lo) => { $cvD[0] = d; $cvI[0] = lo; return $cvD[0]; };
const $sethi = (d, hi) => { $cvD[0] = d; $cvI[1] = hi; return $cvD[0]; };
const $db = (d) => { $cvD[0] = d; };
`;
