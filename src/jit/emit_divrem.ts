/**
 * Remainders from quotients: `x - (x / c) * c` with `x / c` an unsigned
 * i64 division by a constant below 2^32 computed earlier in the same
 * straight line (bigint's conversion to decimal: `cur / 1e9`, then
 * `cur % 1e9`, which clang writes as that multiply and subtract). The
 * remainder is below `c`, so it is its low word, and the low word of
 * `x - q * c` needs only the low words: one `Math.imul` and a subtraction
 * instead of a full 64-bit multiply (whose high word costs a float
 * product and a rounding) and subtraction.
 *
 * The fused `i64.mul_i+i64.sub` still writes both of its results: the
 * product `q * c` is exactly `x - r`.
 *
 * @module
 */

import { instrSize, IR, IR_DEFS } from "../interp/ir_defs.ts";
import type { RegisterMap } from "./registers.ts";
import { targets } from "./split.ts";
import { writtenWords } from "./accesses.ts";

const DIV_U_I = IR["i64.div_u_i"], MUL_SUB = IR["i64.mul_i+i64.sub"];
/** Fused ops whose first part is the division (its operands first). */
const DIV_FIRST: ReadonlySet<number> = new Set(
  IR_DEFS.filter((d) => d.parts?.[0].name === "i64.div_u_i").map((d) => IR[d.name]),
);

/** A multiply-and-subtract that takes its remainder from a quotient. */
export interface Remainder {
  /** The dividend's first word. */
  readonly x: number;
  /** The divisor (below 2^32, as int32 bits). */
  readonly c: number;
}

/**
 * The `i64.mul_i+i64.sub` instructions of `code` (by pc) that compute
 * `x - q * c` right after `q = x / c` (unsigned, `c` a constant below
 * 2^32), with neither `x` nor `q` written between and no branch into the
 * straight line between them.
 */
export function remainders(code: Int32Array): Map<number, Remainder> {
  const found = new Map<number, Remainder>(), joins = new Set<number>();
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    for (const t of targets(code, pc)) joins.add(t);
  }
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    const op = code[pc];
    if (op !== DIV_U_I && !DIV_FIRST.has(op)) continue;
    // d:l a:l b:L (the division's own operands come first in a fused op).
    const q = code[pc + 1], x = code[pc + 2], cl = code[pc + 3], ch = code[pc + 4];
    if (ch !== 0 || cl === 0) continue;
    const kept = [q, q + 1, x, x + 1];
    for (let at = pc + instrSize(code, pc); at < code.length; at += instrSize(code, at)) {
      if (joins.has(at)) break;
      if (code[at] === MUL_SUB) {
        // d:l a:l b:L d2:l a2:l b2:l
        const m = code[at + 1];
        if (
          code[at + 2] === q && code[at + 3] === cl && code[at + 4] === 0 &&
          code[at + 6] === x && code[at + 7] === m
        ) {
          found.set(at, { x, c: cl });
          break;
        }
      }
      const written = writes(code, at);
      if (written === null || written.some((w) => kept.includes(w))) break;
    }
  }
  return found;
}

/** The words the instruction at `pc` writes, or null where it may do more (or branch). */
function writes(code: Int32Array, pc: number): number[] | null {
  const def = IR_DEFS[code[pc]];
  if (def.body === null && def.parts === undefined) return null;
  if (targets(code, pc).length > 0) return null;
  const out: number[] = [];
  const parts = def.parts ?? [def];
  let first = 1;
  for (const part of parts) {
    const kinds = part.operands.map((o) => o.kind);
    if (kinds.some((k) => k === "w" || k === "v" || k === "s" || k === "r")) return null;
    // Bodies that write through an index operand.
    if (part.body !== null && /\bI32\[fp \+/.test(part.body)) return null;
    out.push(...writtenWords(part, code, pc, first));
    first = part.size;
  }
  return out;
}

/**
 * The statements of the `i64.mul_i+i64.sub` at `pc` computing `r = x - q * c`
 * from the low words (`m = q * c` too, as `x - r`).
 */
export function remainderSource(
  code: Int32Array,
  pc: number,
  one: Remainder,
  regs: RegisterMap,
): string {
  const m = code[pc + 1], q = code[pc + 2], r = code[pc + 5], { x, c } = one;
  // All reads before any write (the results may overwrite the operands).
  // (`const`s: the emitter hoists them to function-level variables.)
  return [
    `// x - (x / ${c >>> 0}) * ${c >>> 0} from the quotient's low word`,
    `const $xl = ${regs.bits(x)}; const $xh = ${regs.bits(x + 1)};`,
    `const $ml = Math.imul(${regs.bits(q)}, ${c}); const $rl = ($xl - $ml) | 0;`,
    `const $mh = ($xh - (($xl >>> 0) < ($rl >>> 0) ? 1 : 0)) | 0;`,
    regs.setBits(m, "$ml", true),
    regs.setBits(m + 1, "$mh", true),
    regs.setBits(r, "$rl", true),
    regs.setBits(r + 1, "0", true),
  ].join("\n");
}
