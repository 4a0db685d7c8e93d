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
 * chooses the homes; this module reads and writes through them;
 * `register_moves.ts` loads and spills them.)
 *
 * @module
 */

import { chooseHomes, DOUBLE, FLOAT, INT, MEM, type RegisterOptions, SPLIT } from "./homes.ts";
import type { SlotSplit } from "./split.ts";
import type { Satellite, Satellites } from "./webs.ts";
import type { WordLiveness } from "./liveness.ts";

// The one-operand conversions, as expressions rather than calls: in a
// large function V8 runs out of inlining budget and leaves the calls
// (simd_dot's main spent 8% of its time in them). Safe inline because the
// operand is evaluated before the buffer is written (not so for two).

/** An int32 expression for the bits of float32 expression `f`. */
export const floatBits = (f: string): string => `($cvF[0] = ${f}, $cvI[0])`;
/** A float32 expression for int32 bits `b`. */
export const bitsFloat = (b: string): string => `($cvI[0] = ${b}, $cvF[0])`;
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
  /** Which words may still be read where (liveness.ts). */
  readonly liveness: WordLiveness;
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
    this.liveness = h.liveness;
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

  /** The home of word `w` (past the last register accessed: the register file). */
  homeOf(w: number): number {
    return w < this.home.length ? this.home[w] : MEM;
  }

  /** Whether word `w` starts a slot held as a float64 local. */
  isDouble(w: number): boolean {
    return (w & 1) === 0 && this.homeOf(w) === DOUBLE;
  }

  /** Whether word `w` lives in the register file (no JS local). */
  inFile(w: number): boolean {
    return this.homeOf(w) === MEM;
  }

  /**
   * Whether slot `s` holds a double more often than int32 words: in a
   * float64 local, or in the register file accessed mostly as float64.
   */
  mostlyDouble(s: number): boolean {
    return this.isDouble(2 * s) || this.homeOf(2 * s) === SPLIT ||
      (this.inFile(2 * s) && this.inFile(2 * s + 1) && 2 * s < this.lean.length &&
        this.lean[2 * s] >= 0);
  }

  /**
   * The JS local holding word `w` as an int32 wherever it is read, or null
   * (another home, or a split slot, whose local depends on where).
   */
  local(w: number): string | null {
    return !this.split.has(w >> 1) && this.homeOf(w) === INT ? `$r${w}` : null;
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
    switch (this.homeOf(w)) {
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
    switch (this.homeOf(w)) {
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
    if (this.homeOf(2 * s) === DOUBLE || this.homeOf(2 * s) === SPLIT) return `$d${s}`;
    if (this.homeOf(2 * s) === MEM && this.homeOf(2 * s + 1) === MEM) return `F64[fd + ${s}]`;
    return `$bd(${this.bits(2 * s)}, ${this.bits(2 * s + 1)})`;
  }

  /** A statement writing int32 bits `v` to word `w`. */
  setBits(w: number, v: string, int32: boolean): string {
    const sat = this.sat(w, true);
    if (sat !== undefined) {
      if (sat.kind === "f") return `${sat.name} = ${bitsFloat(v)};`;
      return int32 ? `${sat.name} = ${v};` : `${sat.name} = (${v}) | 0;`;
    }
    switch (this.homeOf(w)) {
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
    switch (this.homeOf(w)) {
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
    if (this.homeOf(a) === DOUBLE || this.homeOf(a) === SPLIT) return `$d${s} = ${v};`;
    if (this.homeOf(a) === MEM && this.homeOf(a + 1) === MEM) return `F64[fd + ${s}] = ${v};`;
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
