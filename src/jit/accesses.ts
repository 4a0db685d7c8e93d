/**
 * The register accesses of IR instructions' operands, as compiled code
 * will make them: by view (int32 word, float32 word, float64 slot) for
 * choosing homes (`registers.ts`), and by slot for split slots
 * (`split.ts`), in one walk of the operands.
 *
 * @module
 */

import { operandWords } from "../interp/codegen.ts";
import type { IrDef } from "../interp/ir_defs.ts";
import { DBL_READ, DBL_WRITE, INT_READ, INT_WRITE, OTHER } from "./split.ts";

/**
 * Whether a float64 read from a typed array or a DataView into a JS value
 * and stored to a typed array keeps a NaN's bits on this engine, quiet or
 * signalling (V8 does; JavaScriptCore canonicalizes NaNs when it boxes
 * them). A signalling NaN stays one only until V8's Maglev tier stores
 * it: compiled code never holds one in a double (signalling.ts).
 */
export const EXACT_DOUBLES: boolean = (() => {
  const from = new Float64Array(2), to = new Float64Array(2);
  const bits = new Int32Array(from.buffer);
  bits[0] = bits[1] = -1; // the i64 -1: a quiet NaN with every payload bit set
  bits[2] = 1;
  bits[3] = 0x7ff00000; // a signalling NaN
  const dv = new DataView(from.buffer);
  to[0] = from[0];
  to[1] = dv.getFloat64(8, true);
  const o = new Int32Array(to.buffer);
  return o[0] === -1 && o[1] === -1 && o[2] === 1 && o[3] === 0x7ff00000;
})();

/**
 * 8-byte integer loads, which compiled code makes float64 loads when their
 * destination slot is used as a double elsewhere ({@link EXACT_DOUBLES}):
 * nbody's f64 values reach memory and back through these (the translator
 * keeps an `f64.load` bit-exact as an `i64.load`).
 */
export const I64_LOADS: ReadonlyMap<string, string> = new Map([
  ["i64.load", "f64.load"],
  ["i64.load_d", "f64.load_d"],
  ["i64.load_abs", "f64.load_abs"],
]);

/** 8-byte integer stores, which compiled code makes float64 stores of a slot that holds a double. */
export const I64_STORES: ReadonlySet<string> = new Set([
  "i64.store",
  "i64.store_d",
  "i64.store_abs",
]);

/**
 * Access classes (`IW`: an int32 write; `LD`: an 8-byte integer load's
 * destination, a float64 write if the slot is a double elsewhere).
 */
export const I = 1, F = 2, D = 3, X = 4, IW = 5, LD = 6;

/** What {@link recordOperands} tells `note` besides the class: the operand is written, or half of an i64 pair. */
export const WRITTEN = 1, PAIR = 2;

/**
 * The register accesses of `def`'s operands at `code[pc + first]…`, in the
 * two forms the register map needs, in one walk:
 *
 * - by word and view, to `note` (choosing homes): for a generated body,
 *   or as register-file accesses (`exposed`) for an op the loop's code
 *   runs; index operands always expose their registers (a v128 or a pair,
 *   taken as four words);
 * - by slot, onto `acc` as `[slot, access]` pairs, reads before the write
 *   (split.ts): an int32 word, a float64 slot (8-byte integer loads,
 *   stores and moves of doubles included, as the emitter makes them), or
 *   anything else.
 */
export function recordOperands(
  def: IrDef,
  code: Int32Array,
  pc: number,
  first: number,
  exposed: boolean,
  note: (w: number, c: number, how?: number) => void,
  acc: number[],
): void {
  // An 8-byte load's or move's destination: a float64 write where the slot is a double elsewhere.
  const load = EXACT_DOUBLES && !exposed && (I64_LOADS.has(def.name) || def.name === "mov64");
  const writes: number[] = [];
  for (const { name, kind, at } of operandWords(def, first)) {
    const w = code[pc + at], write = name === "d", to = write && !exposed ? writes : acc;
    const int = write ? (load && (w & 1) === 0 ? LD : IW) : I, how = write ? WRITTEN : 0;
    switch (kind) {
      case "i":
        note(w, exposed ? X : int, how);
        to.push(w >> 1, exposed || (w & 1) !== 0 ? OTHER : write ? INT_WRITE : INT_READ);
        break;
      case "l": {
        note(w, exposed ? X : int, how | PAIR);
        note(w + 1, exposed ? X : int, how | PAIR);
        const double = !exposed && EXACT_DOUBLES && (w & 1) === 0 && (def.name === "mov64" ||
          (write ? I64_LOADS.has(def.name) : name === "b" && I64_STORES.has(def.name)));
        if (double) to.push(w >> 1, write ? DBL_WRITE : DBL_READ);
        else to.push(w >> 1, OTHER, (w + 1) >> 1, OTHER);
        break;
      }
      case "f":
        note(w, exposed ? X : F, how);
        to.push(w >> 1, OTHER);
        break;
      case "d":
        note(2 * w, exposed ? X : D, how);
        note(2 * w + 1, exposed ? X : D, how);
        to.push(w, exposed ? OTHER : write ? DBL_WRITE : DBL_READ);
        break;
      case "V":
        // Four int32 words, each a register of its own.
        for (let k = 0; k < 4; k++) {
          note(w + k, exposed ? X : write ? IW : I, how);
          to.push((w + k) >> 1, OTHER);
        }
        break;
      case "w":
      case "v":
        for (let k = 0; k < 4; k++) {
          note(w + k, X);
          acc.push((w + k) >> 1, OTHER);
        }
        break;
      case "s":
        // A slot operand may hold a v128 (struct.get/set and array.get/set
        // of a v128 field): two slots, both in the file (fuzz seed 18926:
        // a struct.get's upper slot was read from a stale int32 local).
        for (let k = 0; k < 4; k++) note(2 * w + k, X);
        acc.push(w, OTHER, w + 1, OTHER);
        break;
      case "r":
        note(2 * w, X);
        note(2 * w + 1, X);
        acc.push(w, OTHER);
        break;
    }
  }
  // Words written through `I32[fp + x]` (`x` an immediate word index).
  if (def.body !== null) {
    for (const m of def.body.matchAll(/\bI32\[fp \+ (\w+)\]/g)) {
      const o = operandWords(def, first).find((x) => x.name === m[1]);
      if (o === undefined) continue;
      note(code[pc + o.at], exposed ? X : IW, WRITTEN);
      acc.push(code[pc + o.at] >> 1, OTHER);
    }
  }
  acc.push(...writes);
}

/**
 * The register words `def` (an instruction or a fused pair's part, its
 * operands from `code[pc + first]`) writes through its `d` operand.
 */
export function writtenWords(def: IrDef, code: Int32Array, pc: number, first = 1): number[] {
  const out: number[] = [];
  for (const { name, kind, at } of operandWords(def, first)) {
    if (name !== "d") continue;
    const w = code[pc + at];
    if (kind === "i" || kind === "f") out.push(w);
    else if (kind === "l") out.push(w, w + 1);
    else if (kind === "d") out.push(2 * w, 2 * w + 1);
    else if (kind === "V") out.push(w, w + 1, w + 2, w + 3);
  }
  return out;
}
