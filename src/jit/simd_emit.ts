/**
 * Compiled code's SIMD instructions: the lane templates
 * (`src/simd/lane_templates.ts`, which the interpreter's SIMD loop runs too)
 * expanded for one `simd` IR instruction, every operand a literal, loops
 * unrolled, its registers wherever the register map keeps them. An op
 * outside the table (or a memory access the templates do not cover inline:
 * another memory than 0, memory64, a high offset word; or a template that
 * names a register by its index) gives null, and the emitter runs that
 * instruction through the interpreter's SIMD loop instead.
 *
 * @module
 */

import { LANE_TEMPLATES, type LaneTemplate, REGISTER_KINDS } from "../simd/lane_templates.ts";
import { simdOpIndex } from "../interp/simd_fused.ts";
import { D, F, I, IW, WRITTEN } from "./accesses.ts";
import { laneWithoutBoundsCheck } from "../interp/bounds_check.ts";

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
  /**
   * Whether memory 0's DataView traps out-of-bounds accesses itself, so
   * that an expansion may go without its check (`interp/bounds_check.ts`).
   */
  boundsTrap?: boolean;
}

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
 * One inline SIMD instruction with its registers not placed yet: `body` has
 * every register access as a token `⟪VIEW:index⟫` (the word; the halfword
 * for I16, the slot for F64), which {@link simdResolve} turns into the
 * register map's reads and writes; `accesses` lists them as `[word,
 * class]` with the classes of `accesses.ts` (`I`, `IW`, `F`, `D`), for
 * choosing the homes first.
 */
export interface SimdInline {
  /** The statements, with register tokens. */
  readonly body: string;
  /** The register accesses, in source order (`[word, class, WRITTEN or 0]`). */
  readonly accesses: readonly (readonly [number, number, number])[];
}

/** A register access token, and whether it is a whole statement's target. */
const TOKEN = /⟪(\w+):(\d+)⟫( = )?/g;

/**
 * The `simd` IR instruction at `pc` (`code[pc + 1]` the wasm op index or
 * fused id, `code[pc + 2]` the operand word count, operands from `pc + 3`)
 * expanded from its template with every operand a literal, or null when
 * the op has no template, its memory access is not memory 0's 32-bit fast
 * path, or its template names a register by its index (a helper over the
 * register file's views: such an op runs through the interpreter's SIMD
 * loop; a shuffle does not, its masks being literals here). `const` locals
 * (prefixed `$t_`) may be hoisted by the emitter.
 */
export function simdInline(
  code: Int32Array,
  pc: number,
  ctx: SimdEmitContext,
): SimdInline | null {
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
  // A register named by its index: the op stays in the register file's loop.
  for (const m of body.matchAll(/(?<![.\w$])(\w+)\b/g)) {
    const o = words.get(m[1]);
    if (o !== undefined && REGISTER_KINDS.has(o.kind)) return null;
  }
  // Offsets are immediates: `(16 >>> 0)` folds.
  body = body.replace(/\((\d+) >>> 0\)/g, (_, n: string) => String(Number(n) >>> 0));
  if (/\b(code|pc|memoryFault)\b/.test(body.replace(/if \([^)]*\) memoryFault\(\);/g, ""))) {
    throw new Error(`simd_emit: ${t.name}: the body reads the loop's state`);
  }
  if (ctx.boundsTrap === true) body = laneWithoutBoundsCheck(body);
  const fault = ctx.fault();
  body = body.replace(
    /if \((\$t_ea) > memLen - (\d+)\) memoryFault\(\);/g,
    (_, ea: string, n: string) => `if (${ea} > memLen - ${n}) { ${fault} }`,
  );
  if (/\bmemoryFault\b/.test(body)) throw new Error(`simd_emit: ${t.name}: bounds check form`);
  const accesses: [number, number, number][] = [];
  for (const [, view, n, write] of body.matchAll(TOKEN)) {
    const at = Number(n);
    if (view === "I16") {
      // Read only (a narrow store the next 32-bit read would stall on).
      if (write !== undefined) throw new Error(`simd_emit: ${t.name}: writes an i16 lane`);
      accesses.push([at >> 1, I, 0]);
      continue;
    }
    const how = write !== undefined ? WRITTEN : 0;
    if (view === "F64") accesses.push([2 * at, D, how], [2 * at + 1, D, how]);
    else accesses.push([at, view === "F32" ? F : write !== undefined ? IW : I, how]);
  }
  return { body, accesses };
}

/** An i16 lane op's operands, for computing it lane by lane (`LaneTemplate.lane`). */
export interface LaneOp {
  /** The result lane from the operands' lanes `A`, `B`, `C` and the i32 `S`. */
  readonly lane: string;
  /** The destination register's first word. */
  readonly d: number;
  /** Each capital the expression names → its register's first word (`S`: the i32's word). */
  readonly operands: ReadonlyMap<string, number>;
  /** Whether lanes of any width may go in (`LaneTemplate.modular`), and what comes out. */
  readonly modular: "arith" | "bitwise" | null;
  /** Whether each result lane is 0 or -1 (`LaneTemplate.mask`). */
  readonly mask: boolean;
  /** The lane form where `C`'s lanes are masks (`LaneTemplate.maskLane`), or null. */
  readonly maskLane: string | null;
}

/** The `simd` instruction at `pc` as a {@link LaneOp}, or null (no lane form). */
export function laneOp(code: Int32Array, pc: number): LaneOp | null {
  const t = BY_INDEX.get(code[pc + 1]);
  if (t?.lane === undefined || code[pc + 2] !== t.operands.length) return null;
  const operands = new Map<string, number>();
  let d = -1;
  t.operands.forEach(({ name, kind }, k) => {
    if (name === "d") d = code[pc + 3 + k];
    else if (kind === "v" || kind === "i") operands.set(name.toUpperCase(), code[pc + 3 + k]);
  });
  return {
    lane: t.lane,
    d,
    operands,
    modular: t.modular ?? null,
    mask: t.mask === true,
    maskLane: t.maskLane ?? null,
  };
}

/**
 * JS statements (one block) executing an instruction {@link simdInline}
 * expanded, its registers read and written through `regs` (JS locals or
 * the register file: `I32[fp + 12]`, `F64[fd + 6]`); an i16 lane is read
 * out of its word.
 */
export function simdResolve(inline: SimdInline, regs: SimdRegisters): string {
  // Writes (a template writes a register only as a whole statement), then reads.
  let body = inline.body.replace(
    /⟪(\w+):(\d+)⟫ = ([^;]+);/g,
    (_, view: string, n: string, v: string) => {
      const at = Number(n);
      if (view === "I32") return regs.setBits(at, v, false);
      return view === "F32" ? regs.setFloat(at, v) : regs.setDouble(at, v);
    },
  );
  body = body.replace(/⟪(\w+):(\d+)⟫/g, (_, view: string, n: string) => {
    const at = Number(n);
    if (view === "I32") return regs.bits(at);
    if (view === "F32") return regs.float(at);
    if (view === "F64") return regs.double(at);
    // An i16 lane: the low or high half of its word, sign-extended.
    const bits = regs.bits(at >> 1);
    return (at & 1) === 0 ? `((${bits} << 16) >> 16)` : `(${bits} >> 16)`;
  });
  return `{\n${body}\n}`;
}

/**
 * {@link simdInline} then {@link simdResolve} with `ctx.regs` (default
 * {@link FILE_REGISTERS}): the instruction's statements, or null.
 */
export function simdSource(code: Int32Array, pc: number, ctx: SimdEmitContext): string | null {
  const inline = simdInline(code, pc, ctx);
  return inline === null ? null : simdResolve(inline, ctx.regs ?? FILE_REGISTERS);
}
