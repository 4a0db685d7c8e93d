/**
 * The register accesses of IR instructions' operands, as compiled code
 * will make them: by view (int32 word, float32 word, float64 slot) for
 * choosing homes (`registers.ts`), and by slot for split slots
 * (`split.ts`).
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
 * them). Compiled code never stores one through `DataView.setFloat64`,
 * which V8 lets quiet a signalling NaN.
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

/**
 * Notes the register accesses of `def`'s operands at `code[pc + first]…`:
 * by view for a generated body, or as register-file accesses (`exposed`)
 * for an op the loop's code runs. Index operands always expose their
 * registers (a v128 or a pair, taken as four words).
 */
export function noteOperands(
  def: IrDef,
  code: Int32Array,
  pc: number,
  first: number,
  note: (w: number, c: number) => void,
  exposed: boolean,
): void {
  // An 8-byte load's or move's destination: a float64 write where the slot is a double elsewhere.
  const load = EXACT_DOUBLES && !exposed && (I64_LOADS.has(def.name) || def.name === "mov64");
  for (const { name, kind, at } of operandWords(def, first)) {
    const w = code[pc + at], int = name === "d" ? (load && (w & 1) === 0 ? LD : IW) : I;
    switch (kind) {
      case "i":
        note(w, exposed ? X : int);
        break;
      case "l":
        note(w, exposed ? X : int);
        note(w + 1, exposed ? X : int);
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
      if (o !== undefined) note(code[pc + o.at], exposed ? X : IW);
    }
  }
}

/**
 * The slot accesses of `def`'s operands at `code[pc + first]…` for
 * split.ts, reads before the write, as `[slot, access]` pairs onto `out`:
 * an int32 word, a float64 slot (8-byte integer loads and stores of
 * doubles included, as the emitter makes them), or anything else.
 */
export function slotAccesses(
  def: IrDef,
  code: Int32Array,
  pc: number,
  first: number,
  exposed: boolean,
  out: number[],
): void {
  const writes: number[] = [];
  const asDouble = EXACT_DOUBLES && !exposed;
  for (const { name, kind, at } of operandWords(def, first)) {
    const w = code[pc + at], write = name === "d", to = write ? writes : out;
    if (exposed) {
      // Every slot it may touch: the loop's code reads the register file.
      if (kind === "i" || kind === "f") out.push(w >> 1, OTHER);
      else if (kind === "l") out.push(w >> 1, OTHER, (w + 1) >> 1, OTHER);
      else if (kind === "d" || kind === "s" || kind === "r") out.push(w, OTHER);
      else if (kind === "w" || kind === "v") {
        for (let k = 0; k < 4; k++) out.push((w + k) >> 1, OTHER);
      }
      continue;
    }
    switch (kind) {
      case "i":
        to.push(w >> 1, (w & 1) !== 0 ? OTHER : write ? INT_WRITE : INT_READ);
        break;
      case "l": {
        const double = (w & 1) === 0 && asDouble && (def.name === "mov64" ||
          (write ? I64_LOADS.has(def.name) : name === "b" && I64_STORES.has(def.name)));
        if (double) to.push(w >> 1, write ? DBL_WRITE : DBL_READ);
        else to.push(w >> 1, OTHER, (w + 1) >> 1, OTHER);
        break;
      }
      case "d":
        to.push(w, write ? DBL_WRITE : DBL_READ);
        break;
      case "f":
        to.push(w >> 1, OTHER);
        break;
      case "w":
      case "v":
        for (let k = 0; k < 4; k++) out.push((w + k) >> 1, OTHER);
        break;
      case "s":
      case "r":
        out.push(w, OTHER);
        break;
    }
  }
  // Words written through `I32[fp + x]` (`x` an immediate word index).
  if (def.body !== null) {
    for (const m of def.body.matchAll(/\bI32\[fp \+ (\w+)\]/g)) {
      const o = operandWords(def, first).find((x) => x.name === m[1]);
      if (o !== undefined) out.push(code[pc + o.at] >> 1, OTHER);
    }
  }
  out.push(...writes);
}
