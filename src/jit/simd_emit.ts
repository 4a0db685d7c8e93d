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
import { D, F, I, IW, X } from "./accesses.ts";

/**
 * Where compiled code holds registers (the register map's accessors):
 * expressions reading and statements writing word `w` as int32 bits or a
 * float32, slot `s` as a float64.
 */
export interface SimdRegisters {
  /** An int32 expression for the bits of word `w`. */
  bits(w: number): string;
  /** A statement storing `v` as word `w`'s bits (`int32`: `v` is an int32 already). */
  setBits(w: number, v: string, int32: boolean): string;
  /** A number expression for word `w` read as a float32. */
  float(w: number): string;
  /** A statement storing `v` to word `w` as a float32. */
  setFloat(w: number, v: string): string;
  /** A number expression for slot `s` read as a float64. */
  double(s: number): string;
  /** A statement storing `v` to slot `s` as a float64. */
  setDouble(s: number, v: string): string;
}

/** Every register in the register file (`I32[fp + w]`, …): the default. */
export const FILE_REGISTERS: SimdRegisters = {
  bits: (w) => `I32[fp + ${w}]`,
  setBits: (w, v) => `I32[fp + ${w}] = ${v};`,
  float: (w) => `F32[fp + ${w}]`,
  setFloat: (w, v) => `F32[fp + ${w}] = ${v};`,
  double: (s) => `F64[fd + ${s}]`,
  setDouble: (s, v) => `F64[fd + ${s}] = ${v};`,
};

/** What the emitter tells {@link simdSource}. */
export interface SimdEmitContext {
  /**
   * Statements for a failed bounds check (the emitter's fault exit: it
   * must leave the compiled code, not throw).
   */
  fault(): string;
  /** Whether memory `index` of the function's instance is a memory64 one. */
  index64(index: number): boolean;
  /** Where the registers are (default {@link FILE_REGISTERS}). */
  regs?: SimdRegisters;
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

/**
 * `i8x16.shuffle` with its four mask words known: each result word read
 * from the input words it takes bytes of (a whole word when the four
 * indices are one aligned word: horizontal sums), as a template body.
 * The register file's helper (`shuffleWords`) would need the registers
 * in the file; this keeps them wherever the register map put them.
 */
function shuffleBody(masks: readonly number[]): string {
  const src = (q: number) => `s${q}`;
  const used = new Set<number>(), out: string[] = [];
  masks.forEach((m, k) => {
    const bytes = [0, 1, 2, 3].map((i) => (m >>> (8 * i)) & 0x1f);
    const q = bytes[0] >> 2;
    if (bytes.every((b, i) => b === 4 * q + i)) {
      used.add(q);
      out.push(`I32[d + ${k}] = ${src(q)};`);
      return;
    }
    const parts = bytes.map((b, i) => {
      used.add(b >> 2);
      const shifted = (b & 3) === 0 ? src(b >> 2) : `(${src(b >> 2)} >>> ${8 * (b & 3)})`;
      return i === 3 ? `(${shifted} << 24)` : `((${shifted} & 0xff) << ${8 * i})`;
    });
    out.push(`I32[d + ${k}] = ${parts.join(" | ")};`);
  });
  const reads = [...used].sort((x, y) => x - y).map((q) =>
    `const ${src(q)} = I32[${q < 4 ? "a" : "b"} + ${q & 3}];`
  );
  return [...reads, ...out].join("\n");
}

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
 * 32-bit fast path). Registers are read and written through `ctx.regs`
 * (JS locals or the register file: `I32[fp + 12]`, `F64[fd + 6]`); an i16
 * lane is read out of its word. The source uses the names of
 * {@link SIMD_VIEW_NAMES} and {@link SIMD_DEPS}; `const` locals (prefixed
 * `$t_`) may be hoisted by the emitter.
 */
export function simdSource(code: Int32Array, pc: number, ctx: SimdEmitContext): string | null {
  return expand(code, pc, ctx, () => {});
}

/**
 * The register-file accesses of the `simd` instruction at `pc` when
 * compiled inline, in order, as `[word, class]` with the classes of
 * `accesses.ts` (`I`, `IW`, `F`, `D`; `X` for a register the source
 * names by its index), or null for an op without a template.
 */
export function simdAccesses(
  code: Int32Array,
  pc: number,
  index64: (index: number) => boolean,
): [number, number][] | null {
  const out: [number, number][] = [];
  // A write keeps its value's text, so that the reads in it are recorded too.
  const regs: SimdRegisters = {
    bits: (w) => (out.push([w, I]), "0"),
    setBits: (w, v) => (out.push([w, IW]), `${v};`),
    float: (w) => (out.push([w, F]), "0"),
    setFloat: (w, v) => (out.push([w, F]), `${v};`),
    double: (s) => (out.push([2 * s, D], [2 * s + 1, D]), "0"),
    setDouble: (s, v) => (out.push([2 * s, D], [2 * s + 1, D]), `${v};`),
  };
  const src = expand(code, pc, { fault: () => "", index64, regs }, (w, n) => {
    for (let k = 0; k < n; k++) out.push([w + k, X]);
  });
  return src === null ? null : out;
}

/** {@link simdSource}, telling `bare` of each register named by its index (and its words). */
function expand(
  code: Int32Array,
  pc: number,
  ctx: SimdEmitContext,
  bare: (w: number, words: number) => void,
): string | null {
  const t = BY_INDEX.get(code[pc + 1]);
  if (t === undefined || code[pc + 2] !== t.operands.length) return null;
  const regs = ctx.regs ?? FILE_REGISTERS;
  const w = pc + 3;
  const words = new Map<string, { kind: string; value: number }>();
  for (let k = 0; k < t.operands.length; k++) {
    const { name, kind } = t.operands[k], value = code[w + k];
    if (kind === "m" && (value !== 0 || ctx.index64(0))) return null;
    if ((kind === "h" || kind === "z") && value !== 0) return null;
    words.set(name, { kind, value });
  }
  // A shuffle's masks are literals here: its words move as values.
  const template = t.name === "i8x16.shuffle"
    ? shuffleBody(["m0", "m1", "m2", "m3"].map((m) => words.get(m)!.value))
    : t.body;
  let body = unroll(template);
  const locals = [...body.matchAll(/\b(?:const|let) (\w+) =/g)].map((m) => m[1]);
  if (locals.length > 0) {
    body = body.replace(new RegExp(`(?<![.\\w$])(${locals.join("|")})\\b`, "g"), `${LOCAL}$1`);
  }
  body = body.replace(/(?<![.\w$])(\w+)\b/g, (id: string) => {
    const o = words.get(id);
    return o?.kind === "#" ? String(o.value) : id;
  });
  // Register accesses become tokens ⟪VIEW:index⟫ (index: the word; the
  // halfword for I16, the slot for F64), resolved through `regs` below.
  body = body.replace(
    /\b(I32|F32|I16|F64)\[\s*(\w+)\s*(?:\+([^\]]*))?\]/g,
    (all, view: string, x: string, off: string | undefined) => {
      const o = words.get(x);
      if (o === undefined || !REGISTER_KINDS.has(o.kind)) {
        throw new Error(`simd_emit: ${t.name}: ${all} is not through a register operand`);
      }
      const k = off === undefined ? 0 : literalSum(off);
      if (k === null) throw new Error(`simd_emit: ${t.name}: ${all}: offset not constant`);
      if (view === "I16") return `⟪I16:${2 * o.value + k}⟫`;
      if (view !== "F64") return `⟪${view}:${o.value + k}⟫`;
      if ((o.value & 1) !== 0) throw new Error(`simd_emit: ${t.name}: f64 lanes off a slot`);
      return `⟪F64:${(o.value >> 1) + k}⟫`;
    },
  );
  body = body.replace(/(?<![.\w$])(\w+)\b/g, (id: string) => {
    const o = words.get(id);
    if (o === undefined || !REGISTER_KINDS.has(o.kind)) return id;
    bare(o.value, o.kind === "v" ? 4 : 1);
    return `(fp + ${o.value})`;
  });
  // Writes (a template writes a register only as a whole statement), then reads.
  body = body.replace(/⟪(\w+):(\d+)⟫ = ([^;]+);/g, (_, view: string, n: string, v: string) => {
    const at = Number(n);
    if (view === "I32") return regs.setBits(at, v, false);
    if (view === "F32") return regs.setFloat(at, v);
    if (view === "F64") return regs.setDouble(at, v);
    throw new Error(
      `simd_emit: ${t.name}: writes an i16 lane (a narrow store the next read stalls on)`,
    );
  });
  body = body.replace(/⟪(\w+):(\d+)⟫/g, (_, view: string, n: string) => {
    const at = Number(n);
    if (view === "I32") return regs.bits(at);
    if (view === "F32") return regs.float(at);
    if (view === "F64") return regs.double(at);
    // An i16 lane: the low or high half of its word, sign-extended.
    const bits = regs.bits(at >> 1);
    return (at & 1) === 0 ? `((${bits} << 16) >> 16)` : `(${bits} >> 16)`;
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
