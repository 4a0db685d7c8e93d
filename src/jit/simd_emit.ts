/**
 * Compiled code's SIMD instructions: the lane templates
 * (`src/simd/lane_templates.ts`, which the interpreter's SIMD loop runs too)
 * expanded for one `simd` IR instruction, every operand a literal, loops
 * unrolled. An op outside the table (or a memory access the templates do not
 * cover inline: another memory than 0, memory64, a high offset word) gives
 * null, and the emitter runs that instruction through the interpreter's
 * SIMD loop instead.
 *
 * @module
 */

import { shuffleWords } from "../simd/lanes.ts";
import { LANE_TEMPLATES, type LaneTemplate, REGISTER_KINDS } from "../simd/lane_templates.ts";
import { registerViews } from "../simd/views.ts";
import { simdOpIndex } from "../interp/simd_fused.ts";

/** What the emitter tells {@link simdSource}. */
export interface SimdEmitContext {
  /**
   * Statements for a failed bounds check (the emitter's fault exit: it
   * must leave the compiled code, not throw).
   */
  fault(): string;
  /** Whether memory `index` of the function's instance is a memory64 one. */
  index64(index: number): boolean;
}

/**
 * Names the source of {@link simdSource} uses besides the emitter's
 * prologue (`fp`, `fd`, `I32`, `F32`, `F64`, `memLen`, `DV`), each with the
 * expression that binds it, in order, from the machine `$m` and the
 * functions of {@link SIMD_DEPS}. Declare them with `let` beside `I32` and
 * re-evaluate them wherever `I32`/`F32`/`F64` are re-read from `$m` (the
 * register file's buffer is replaced when it grows).
 */
export const SIMD_VIEW_NAMES: readonly { readonly name: string; readonly expr: string }[] = [
  // The views object is cached per buffer: one comparison when unchanged.
  { name: "SV", expr: "$simdViews($m.buf)" },
  { name: "I16", expr: "SV.i16" },
];

/** The functions the source calls, by the name the emitter must bind each to. */
export const SIMD_DEPS: Readonly<Record<string, unknown>> = {
  $simdViews: registerViews,
  shuffleWords,
};

/** Template by the `simd` op's index word. */
const BY_INDEX = new Map<number, LaneTemplate>(
  LANE_TEMPLATES.map((t) => [simdOpIndex(t.name), t]),
);

/** Prefix of the templates' locals in compiled code, clear of the emitter's own names. */
const LOCAL = "$t_";

/** `for (let i = 0; i < N; i++) { B }` → N blocks `{ B }` with `i` a literal each. */
function unroll(body: string): string {
  const head = /for \(let (\w+) = 0; \1 < (\d+); \1\+\+\) \{/;
  for (let m = head.exec(body); m !== null; m = head.exec(body)) {
    let depth = 1, end = m.index + m[0].length;
    for (; depth > 0; end++) {
      if (body[end] === "{") depth++;
      else if (body[end] === "}") depth--;
    }
    const inner = body.slice(m.index + m[0].length, end - 1), at = new RegExp(`\\b${m[1]}\\b`, "g");
    const copies = Array.from(
      { length: Number(m[2]) },
      (_, i) => `{${inner.replace(at, String(i))}}`,
    );
    body = body.slice(0, m.index) + copies.join("\n") + body.slice(end);
  }
  if (/\b(for|while|do)\b/.test(body)) {
    throw new Error("simd_emit: a loop not in the unrollable form");
  }
  return body;
}

/** The sum of an offset such as `1`, `4 + 3` (null when not all literals). */
function literalSum(s: string): number | null {
  let n = 0;
  for (const part of s.split("+")) {
    if (!/^\s*\d+\s*$/.test(part)) return null;
    n += Number(part);
  }
  return n;
}

/**
 * JS statements (one block) executing the `simd` IR instruction at `pc`
 * (`code[pc + 1]` the wasm op index or fused id, `code[pc + 2]` the operand
 * word count, operands from `pc + 3`) with every operand a literal, or null
 * when the op has no template (or its memory access is not memory 0's
 * 32-bit fast path). The source reads and writes its registers in the
 * register file (`I32[fp + 12]`, `F64[fd + 6]`, `I16[(fp << 1) + 24]`) and
 * uses the names of {@link SIMD_VIEW_NAMES} and {@link SIMD_DEPS}; `const`
 * locals (prefixed `$t_`) may be hoisted by the emitter.
 */
export function simdSource(code: Int32Array, pc: number, ctx: SimdEmitContext): string | null {
  const t = BY_INDEX.get(code[pc + 1]);
  if (t === undefined || code[pc + 2] !== t.operands.length) return null;
  const w = pc + 3;
  const words = new Map<string, { kind: string; value: number }>();
  for (let k = 0; k < t.operands.length; k++) {
    const { name, kind } = t.operands[k], value = code[w + k];
    if (kind === "m" && (value !== 0 || ctx.index64(0))) return null;
    if ((kind === "h" || kind === "z") && value !== 0) return null;
    words.set(name, { kind, value });
  }
  let body = unroll(t.body);
  const locals = [...body.matchAll(/\b(?:const|let) (\w+) =/g)].map((m) => m[1]);
  if (locals.length > 0) {
    body = body.replace(new RegExp(`(?<![.\\w$])(${locals.join("|")})\\b`, "g"), `${LOCAL}$1`);
  }
  body = body.replace(/(?<![.\w$])(\w+)\b/g, (id: string) => {
    const o = words.get(id);
    return o?.kind === "#" ? String(o.value) : id;
  });
  body = body.replace(
    /\b(I32|F32|I16|F64)\[\s*(\w+)\s*(?:\+([^\]]*))?\]/g,
    (all, view: string, x: string, off: string | undefined) => {
      const o = words.get(x);
      if (o === undefined || !REGISTER_KINDS.has(o.kind)) {
        throw new Error(`simd_emit: ${t.name}: ${all} is not through a register operand`);
      }
      const k = off === undefined ? 0 : literalSum(off);
      if (k === null) throw new Error(`simd_emit: ${t.name}: ${all}: offset not constant`);
      if (view === "I16") return `I16[(fp << 1) + ${2 * o.value + k}]`;
      if (view !== "F64") return `${view}[fp + ${o.value + k}]`;
      if ((o.value & 1) !== 0) throw new Error(`simd_emit: ${t.name}: f64 lanes off a slot`);
      return `F64[fd + ${(o.value >> 1) + k}]`;
    },
  );
  body = body.replace(/(?<![.\w$])(\w+)\b/g, (id: string) => {
    const o = words.get(id);
    return o !== undefined && REGISTER_KINDS.has(o.kind) ? `(fp + ${o.value})` : id;
  });
  // Offsets are immediates: `(16 >>> 0)` folds.
  body = body.replace(/\((\d+) >>> 0\)/g, (_, n: string) => String(Number(n) >>> 0));
  if (/\b(code|pc|memoryFault)\b/.test(body.replace(/if \([^)]*\) memoryFault\(\);/g, ""))) {
    throw new Error(`simd_emit: ${t.name}: the body reads the loop's state`);
  }
  const fault = ctx.fault();
  body = body.replace(
    /if \((\$t_ea) > memLen - (\d+)\) memoryFault\(\);/g,
    (_, ea: string, n: string) => `if (${ea} > memLen - ${n}) { ${fault} }`,
  );
  if (/\bmemoryFault\b/.test(body)) throw new Error(`simd_emit: ${t.name}: bounds check form`);
  return `{\n${body}\n}`;
}

/**
 * The register-file words the `simd` instruction at `pc` reads or writes
 * when compiled inline (its template's register operands: four words per
 * v128), or null for an op without a template.
 */
export function simdRegisterWords(code: Int32Array, pc: number): number[] | null {
  const t = BY_INDEX.get(code[pc + 1]);
  if (t === undefined || code[pc + 2] !== t.operands.length) return null;
  const out: number[] = [];
  t.operands.forEach(({ kind }, k) => {
    if (!REGISTER_KINDS.has(kind)) return;
    const w = code[pc + 3 + k];
    for (let i = 0; i < (kind === "v" ? 4 : 1); i++) out.push(w + i);
  });
  return out;
}
