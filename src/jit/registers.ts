/**
 * Which of a function's registers compiled code keeps in JS locals. The
 * interpreter's register file is one buffer seen through Int32, Float32
 * and Float64 views, and the IR relies on that aliasing (an f64 moved as
 * two words, a v128 through an index). A register can live in a JS local
 * only if every access in the function goes through one view:
 *
 * - a word read and written only as int32 (operand kinds `i`, `l`'s
 *   halves) → `r<word>`, an int32 number;
 * - a word only as float32 (`f`) → `f<word>`, a float32-rounded number;
 * - a slot whose two words are only accessed as float64 (`d`) → `d<slot>`.
 *
 * Everything else (index operands, operands of ops run by the loop's own
 * code: `cold`, SIMD runs) stays in the register file. Locals are loaded
 * when a compiled slice starts and stored back ("spilled") wherever the
 * register file must be whole: before leaving the slice and around ops
 * that read it themselves.
 *
 * @module
 */

import { operandWords } from "../interp/codegen.ts";
import { instrSize, IR, IR_DEFS, type IrDef } from "../interp/ir_defs.ts";
import { slotRun } from "../interp/exec_gc.ts";

/** Access classes of a word. */
const I = 1, F = 2, D = 3, X = 4;

const BR_TABLE = IR["br_table"], MOVS = IR["movs"], SIMD = IR["simd"], ATOMIC = IR["atomic"];

/** How one function's registers are held. */
export class RegisterMap {
  /** Per word: its class (0: never accessed). */
  readonly cls: Uint8Array;
  /** Words held as int32 locals. */
  readonly ints: number[] = [];
  /** Words held as float32 locals. */
  readonly floats: number[] = [];
  /** Slots held as float64 locals. */
  readonly doubles: number[] = [];

  /** Classifies every register access of `code` (ops of `cold`: `coldOps`). */
  constructor(code: Int32Array, coldOps: ReadonlySet<number>) {
    let words = 0;
    const notes: [number, number][] = [];
    const note = (w: number, c: number) => {
      notes.push([w, c]);
      if (w + 1 > words) words = w + 1;
    };
    for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
      const op = code[pc], def = IR_DEFS[op];
      if (def.parts !== undefined) {
        noteOperands(def.parts[0], code, pc, 1, note, false);
        noteOperands(def.parts[1], code, pc, def.parts[0].size, note, false);
      } else if (def.body !== null) noteOperands(def, code, pc, 1, note, false);
      else if (op === BR_TABLE) note(code[pc + 1], I);
      else if (op === MOVS) {
        for (let i = 0; i < code[pc + 1]; i++) {
          note(code[pc + 2 + 2 * i], I);
          note(code[pc + 3 + 2 * i], I);
        }
      } else if (coldOps.has(op) && op !== ATOMIC) {
        noteOperands(def, code, pc, 1, note, true);
        // Values an op reads from a run of slots past its operand (struct.new).
        const run = slotRun(code, pc);
        if (run !== null) { for (let w = 2 * run[0]; w < 2 * (run[0] + run[1]); w++) note(w, X); }
      }
      // Calls, returns, SIMD and atomic runs: the emitter spills around them.
    }
    const cls = new Uint8Array(words + 1);
    for (const [w, c] of notes) cls[w] = cls[w] === 0 || cls[w] === c ? c : X;
    this.cls = cls;
    for (let w = 0; w < words; w++) {
      if (cls[w] === I) this.ints.push(w);
      else if (cls[w] === F) this.floats.push(w);
      else if (cls[w] === D && (w & 1) === 0 && cls[w + 1] === D) this.doubles.push(w >> 1);
    }
    // A word of class D whose partner is not: in the register file.
    for (let w = 0; w < words; w++) {
      if (cls[w] === D && cls[w ^ 1] !== D) cls[w] = X;
    }
  }

  /** Whether word `w` is an int32 local. */
  isInt(w: number): boolean {
    return this.cls[w] === I;
  }
  /** Whether word `w` is a float32 local. */
  isFloat(w: number): boolean {
    return this.cls[w] === F;
  }
  /** Whether slot `s` is a float64 local. */
  isDouble(s: number): boolean {
    return this.cls[2 * s] === D;
  }

  /** Number of locals. */
  get size(): number {
    return this.ints.length + this.floats.length + this.doubles.length;
  }

  /** Declarations of the locals (loaded where the slice starts). */
  declare(): string {
    if (this.size === 0) return "";
    return `let ${
      [
        ...this.ints.map((w) => `$r${w} = 0`),
        ...this.floats.map((w) => `$f${w} = 0`),
        ...this.doubles.map((s) => `$d${s} = 0`),
      ].join(", ")
    };`;
  }

  /** Statements storing every local into the register file. */
  spill(): string {
    return [
      ...this.ints.map((w) => `I32[fp + ${w}] = $r${w};`),
      ...this.floats.map((w) => `F32[fp + ${w}] = $f${w};`),
      ...this.doubles.map((s) => `F64[fd + ${s}] = $d${s};`),
    ].join(" ");
  }

  /** Statements reloading every local from the register file. */
  reload(): string {
    return [
      ...this.ints.map((w) => `$r${w} = I32[fp + ${w}];`),
      ...this.floats.map((w) => `$f${w} = F32[fp + ${w}];`),
      ...this.doubles.map((s) => `$d${s} = F64[fd + ${s}];`),
    ].join(" ");
  }

  /** Statements storing the locals among words [from, to) (a frame's results). */
  spillWords(from: number, to: number): string {
    const out: string[] = [];
    for (let w = from; w < to; w++) {
      if (this.isInt(w)) out.push(`I32[fp + ${w}] = $r${w};`);
      else if (this.isFloat(w)) out.push(`F32[fp + ${w}] = $f${w};`);
      else if ((w & 1) === 0 && this.isDouble(w >> 1)) {
        out.push(`F64[fd + ${w >> 1}] = $d${w >> 1};`);
      }
    }
    return out.join(" ");
  }

  /** An int32 expression for the bits of word `w` (only for int or register-file words). */
  word(w: number): string {
    return this.isInt(w) ? `$r${w}` : `I32[fp + ${w}]`;
  }
}

/**
 * Notes the register accesses of `def`'s operands at `code[pc + first]…`:
 * by view for a generated body, or as register-file accesses (`exposed`)
 * for an op the loop's code runs. Index operands always expose their
 * registers (a v128 or a pair, taken as four words).
 */
function noteOperands(
  def: IrDef,
  code: Int32Array,
  pc: number,
  first: number,
  note: (w: number, c: number) => void,
  exposed: boolean,
): void {
  for (const { kind, at } of operandWords(def, first)) {
    const w = code[pc + at];
    switch (kind) {
      case "i":
        note(w, exposed ? X : I);
        break;
      case "l":
        note(w, exposed ? X : I);
        note(w + 1, exposed ? X : I);
        break;
      case "f":
        note(w, exposed ? X : F);
        break;
      case "d":
        note(2 * w, exposed ? X : D);
        note(2 * w + 1, exposed ? X : D);
        break;
      case "w":
      case "v":
        for (let k = 0; k < 4; k++) note(w + k, X);
        break;
      case "s":
      case "r":
        note(2 * w, X);
        note(2 * w + 1, X);
        break;
    }
  }
  // Words written through `I32[fp + x]` (`x` an immediate word index).
  if (def.body !== null) {
    for (const m of def.body.matchAll(/\bI32\[fp \+ (\w+)\]/g)) {
      const o = operandWords(def, first).find((x) => x.name === m[1]);
      if (o !== undefined) note(code[pc + o.at], exposed ? X : I);
    }
  }
}

/** Whether `op` reads or writes registers itself, by pc (the emitter spills around it). */
export function runsOnRegisterFile(op: number): boolean {
  return op === SIMD || op === ATOMIC;
}
