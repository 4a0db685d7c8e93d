/**
 * One instruction (or a fused pair's part) of compiled code: the IR table's
 * body through the shared code generator (`codegen.ts`), in the forms
 * compiled code prefers where they are bit-exact — 8-byte loads, stores and
 * moves of slots that hold doubles as float64 ones (where JS doubles keep
 * NaN payloads: `EXACT_DOUBLES`), and f64 constants as literals.
 *
 * @module
 */

import { operandWords, type RegisterEnv, staticCase } from "../interp/codegen.ts";
import { instrSize, IR, IR_DEFS, type IrDef } from "../interp/ir_defs.ts";
import { F64_CONSTS } from "../interp/f64_consts.ts";
import type { RegisterMap } from "./registers.ts";
import { EXACT_DOUBLES, I64_LOADS, I64_STORES } from "./accesses.ts";
import { sourceBits } from "./signalling.ts";

const MOV64 = IR["mov64"];

/**
 * The JS of `d` (the instruction at `code[cur]`, or one of its parts, its
 * operands from `code[cur + first]`) with registers from `regs` and `env`.
 */
export function instructionPart(
  d: IrDef,
  first: number,
  code: Int32Array,
  cur: number,
  regs: RegisterMap,
  env: RegisterEnv,
): string {
  if (d.name === IR_DEFS[MOV64].name) {
    const to = code[cur + first], from = code[cur + first + 1];
    // Into a float64 satellite always (webs.ts took the move as a float64's
    // write), even where the slot's home is the file (fuzz seed 46409).
    if ((to & 1) === 0 && regs.writesDoubleSatellite(to >> 1)) {
      const bits = `$bd(${regs.bits(from)}, ${regs.bits(from + 1)})`;
      return env.write("d", to >> 1, (from & 1) === 0 ? regs.double(from >> 1) : bits);
    }
    if ((to & 1) === 0 && regs.isDouble(from) && regs.inFile(to) && regs.inFile(to + 1)) {
      return env.write("d", to >> 1, regs.double(from >> 1));
    }
    // Into a float64 local (an f64 moved between locals: mandelbrot's
    // loop); and always between split slots, which split.ts analyses as
    // float64 moves (their int32 local may be stale).
    const split = regs.split.has(to >> 1) || regs.split.has(from >> 1);
    if (
      EXACT_DOUBLES && (to & 1) === 0 && (from & 1) === 0 &&
      (regs.mostlyDouble(to >> 1) || split)
    ) {
      return env.write("d", to >> 1, regs.double(from >> 1));
    }
  }
  const asFloat = EXACT_DOUBLES ? I64_LOADS.get(d.name) : undefined;
  if (asFloat !== undefined) {
    // An 8-byte load into a slot that mostly holds a double loads a
    // float64 (nbody's inner loop), bit-exact where JS doubles keep NaNs.
    const at = operandWords(d, first).find((o) => o.name === "d")!.at;
    const w = code[cur + at];
    // (Always into a float64 satellite: webs.ts took the load as a float64's.)
    if ((w & 1) === 0 && (regs.mostlyDouble(w >> 1) || regs.writesDoubleSatellite(w >> 1))) {
      const one = code.slice(cur, cur + instrSize(code, cur));
      one[at] = w >> 1;
      return staticCase(IR_DEFS[IR[asFloat]], one, 0, env, first);
    }
  }
  // An f64 constant (never a NaN: f64_consts.ts) as a literal V8 can fold.
  const s = staticCase(d, code, cur, env, first).replace(
    /\bFK\[\((\d+)\)\]/g,
    (_, k: string) => f64Literal(F64_CONSTS[Number(k)]),
  );
  if (EXACT_DOUBLES && I64_STORES.has(d.name)) {
    // An i64 store of a slot that mostly holds a double (the translator
    // stores every f64 as i64, for its bits) is one `DV.setFloat64` of the
    // double: bit-exact, since no double of compiled code is a signalling
    // NaN (signalling.ts), the only NaNs V8 changes in a store.
    const w = code[cur + operandWords(d, first).find((o) => o.name === "b")!.at];
    if ((w & 1) === 0 && regs.mostlyDouble(w >> 1) && sourceBits(regs.double(w >> 1)) === null) {
      const low = `DV.setInt32(ea, (${regs.bits(w)}), true);`;
      const high = `DV.setInt32(ea + 4, (${regs.bits(w + 1)}), true);`;
      // (High word first where the DataView bounds-checks the store: codegen.ts.)
      for (const halves of [`${low} ${high}`, `${high} ${low}`]) {
        const at = s.indexOf(halves);
        if (at >= 0 && s.indexOf(halves, at + 1) < 0) {
          return s.replace(halves, `DV.setFloat64(ea, ${regs.double(w >> 1)}, true);`);
        }
      }
      // split.ts read this store as a float64's: its int32 local may be stale.
      if (regs.split.has(w >> 1)) throw new Error(`emit: ${d.name}: unexpected store form`);
    }
  }
  return s;
}

/** JS source for finite or infinite double `x`, exactly (`String` round-trips). */
function f64Literal(x: number): string {
  return Object.is(x, -0) ? "(-0)" : x < 0 ? `(${x})` : String(x);
}

/**
 * Whether JS expression `e` is certainly an int32 already (so storing it
 * in an int32 local needs no `| 0`): `(…) | 0` as a whole, `Math.imul(…)`,
 * or an integer literal in range.
 */
export function isInt32(e: string): boolean {
  if (/^\(?-?\d+\)?$/.test(e)) {
    return Number(e.replace(/[()]/g, "")) === (Number(e.replace(/[()]/g, "")) | 0);
  }
  let head = -1;
  if (e.startsWith("(") && e.endsWith(") | 0")) head = 0;
  else if (e.startsWith("Math.imul(") && e.endsWith(")")) head = 9;
  if (head < 0) return false;
  // The parenthesis opened at `head` must close where the whole expression says.
  let depth = 0;
  for (let i = head; i < e.length; i++) {
    if (e[i] === "(") depth++;
    else if (e[i] === ")" && --depth === 0) {
      return head === 0 ? i === e.length - 5 : i === e.length - 1;
    }
  }
  return false;
}
