/**
 * The hot SIMD lane operations, written once as templates over named
 * operands: the interpreter's SIMD loop (`src/interp/simd_run.ts`, whose
 * inline cases `src/interp/gen_simd_run.ts` generates from this table) and
 * compiled code (`src/jit/simd_emit.ts`, which expands one instruction with
 * its operands as literals) both run these bodies. Everything not in the
 * table goes through the SIMD executor (`executor.ts`) in both tiers.
 *
 * A template's operands are the words after `simd index count` of the
 * `simd` IR instruction, in code order, as `name:kind`:
 * - `v` a v128 register, `i` an i32 register, `f` an f32 register: the
 *   operand is the register's word in the frame;
 * - `#` an int32 immediate (offset, lane, shuffle word, fused displacement);
 * - `m` a memory index (at most one per template);
 * - `h` a memarg's high offset word: a memory64 memory or a non-zero
 *   value leaves the op to the executor (the plain memory ops);
 * - `z` the same word where the translator guarantees 0 and a 32-bit
 *   memory (the fused ops of `src/interp/simd_fused.ts`).
 *
 * What a body may say, so that both expansions stay exact:
 * - `VIEW[x]` or `VIEW[x + e]` for a register operand `x`, VIEW one of
 *   `I32`, `F32` (index: the word), `I16` (twice the word), `F64` (half the
 *   word: v128 registers are slot-aligned): lane `e` of that view at `x`.
 *   `I16` lanes are read only (compiled code reads one as a half of its
 *   word, which may be a JS local; and a 16-bit store read back as 32 bits
 *   misses the CPU's store forwarding): i16 results are written as words;
 * - a register write only as a whole statement `VIEW[x…] = E;`;
 * - a register operand elsewhere is its word index in the register file
 *   (`x << 2` is its byte offset, for helpers over `SV`; compiled code then
 *   runs the op through the SIMD loop, except the shuffle, which it expands
 *   into word moves from its literal masks);
 * - an immediate operand is its value;
 * - `SV`: the register file's `SimdViews` (`views.ts`), for helpers such as
 *   `shuffleWords`; `QNAN` (`numeric.ts`'s canonical NaN);
 * - memory: `memLen` (its byte length), `DV` (its DataView), and the bounds
 *   check exactly as `if (ea > memLen - N) memoryFault();`, before any
 *   access (`N` the bytes the op touches from `ea`);
 * - locals: one `const`/`let` per statement (compiled code hoists them);
 *   loops only as `for (let i = 0; i < N; i++) { … }` (compiled code
 *   unrolls them);
 * - every input lane is read before an output lane that may alias it is
 *   written (the destination may be any source).
 *
 * Fused ops are named as the constants of `src/interp/simd_fused.ts`
 * (`LOAD_D`, …), wasm ops by their wasm names.
 *
 * @module
 */

/** One operand word of a template. */
export interface LaneOperand {
  /** The name the body uses. */
  readonly name: string;
  /** `v`, `i`, `f` (registers), `#` (immediate), `m` (memory), `h`/`z` (offset high word). */
  readonly kind: string;
}

/** One hot SIMD operation. */
export interface LaneTemplate {
  /** Wasm instruction name, or fused op name (`LOAD_D`, …). */
  readonly name: string;
  /** Operand words in code order. */
  readonly operands: readonly LaneOperand[];
  /** JS statements (see the module documentation for what they may say). */
  readonly body: string;
  /**
   * For an op on i16 lanes that each depend only on the same lane of the
   * operands: the result lane as an expression of the operands' lanes `A`,
   * `B`, `C` (the operand of that name in capitals, each a sign-extended
   * 16-bit value) and an i32 operand's value `S`, giving a sign-extended
   * 16-bit value — or, for a {@link modular} op, any integer whose low 16
   * bits are the lane's. Compiled code keeps a run of such ops' values as
   * lanes (`src/jit/simd_lanes.ts`); the other expansions run `body`.
   */
  readonly lane?: string;
  /**
   * The low 16 bits of a `lane` result depend only on the low 16 bits of
   * its operands' lanes, which may then be any integers (below 2^24 in
   * magnitude): `arith` (add, sub, neg: the result needs sign-extending),
   * `bitwise` (exact on any lane width; compiled code takes the lane form
   * only where every operand's i16 lanes are at hand).
   */
  readonly modular?: "arith" | "bitwise";
  /** Each `lane` result is 0 or -1 (a compare's): a lane mask, as {@link maskLane} takes. */
  readonly mask?: true;
  /**
   * The `lane` form where operand `C`'s lanes are masks: a select, which
   * costs a compare and a conditional move where the bitwise form takes
   * four operations (simd_dot's compare-and-select: −12% of its time).
   */
  readonly maskLane?: string;
}

/** Register operand kinds: the operand is a word index into the frame. */
export const REGISTER_KINDS: ReadonlySet<string> = new Set(["v", "i", "f"]);

const table: LaneTemplate[] = [];

function def(
  name: string,
  spec: string,
  body: string,
  lane?: string,
  modular?: "arith" | "bitwise",
  masks?: { readonly mask?: true; readonly maskLane?: string },
): void {
  const operands = spec.split(" ").map((s) => {
    const [n, kind] = s.split(":");
    return { name: n, kind };
  });
  const t: LaneTemplate = { name, operands, body: body.trim() };
  table.push(
    lane === undefined
      ? t
      : { ...t, lane, ...(modular === undefined ? {} : { modular }), ...masks },
  );
}

/**
 * The body of a binary i16 lane op given by its lane expression (`A`,
 * `B`; a sign-extended 16-bit result): both lanes of each word computed
 * from the words, stored as one word.
 */
function pairs16(lane: string): string {
  const at = (x: string, y: string) => lane.replace(/\bA\b/g, x).replace(/\bB\b/g, y);
  return `for (let i = 0; i < 4; i++) {
  const x = I32[a + i];
  const y = I32[b + i];
  const lo = ${at("((x << 16) >> 16)", "((y << 16) >> 16)")};
  const hi = ${at("(x >> 16)", "(y >> 16)")};
  I32[d + i] = (lo & 0xffff) | (hi << 16);
}`;
}

/**
 * Four statements, one per 32-bit lane `k`: in `line`, `$` becomes the lane
 * offset (` + k`, empty for lane 0), `@` the byte offset (` + 4k`) and `#`
 * the lane number.
 */
function x4(line: string): string {
  return [0, 1, 2, 3].map((k) =>
    line.replaceAll("$", k === 0 ? "" : ` + ${k}`).replaceAll("@", k === 0 ? "" : ` + ${4 * k}`)
      .replaceAll("#", String(k))
  ).join("\n");
}

/**
 * The four lanes of `expr` computed into `r0`…`r3`, then stored as `stored`
 * says (d may alias a source).
 */
function x4Late(view: string, expr: string, stored = "r#"): string {
  return `${x4(`const r# = ${expr};`)}\n${x4(`${view}[d$] = ${stored};`)}`;
}

/**
 * The four f32 lanes of `expr`, a NaN stored as the canonical one
 * (`numeric.ts`'s `canonNaN`: hosts differ on the payload a NaN operand
 * passes on, and the tiers must see the same bits).
 */
function x4Canonical(expr: string): string {
  return x4Late("F32", expr, "r# === r# ? r# : QNAN[0]");
}

/** The effective address of a plain memarg (32-bit memory, offset high word 0), checked. */
const EA = "const ea = (I32[p] >>> 0) + (o >>> 0);\nif (ea > memLen - 16) memoryFault();";
/** The same for the fused loads: `(p + k) mod 2^32 + offset`. */
const EA_K = "const ea = ((I32[p] + k) >>> 0) + (o >>> 0);\nif (ea > memLen - 16) memoryFault();";

// ---- memory ----
def("v128.load", "d:v p:i mi:m o:# oh:h", `${EA}\n${x4("I32[d$] = DV.getInt32(ea@, true);")}`);
def("v128.store", "p:i v:v mi:m o:# oh:h", `${EA}\n${x4("DV.setInt32(ea@, I32[v$], true);")}`);

// ---- whole-word arithmetic ----
def("f32x4.add", "d:v a:v b:v", x4Canonical("F32[a$] + F32[b$]"));
def("f32x4.mul", "d:v a:v b:v", x4Canonical("F32[a$] * F32[b$]"));
def("f32x4.sub", "d:v a:v b:v", x4Canonical("F32[a$] - F32[b$]"));
def("i32x4.add", "d:v a:v b:v", x4("I32[d$] = (I32[a$] + I32[b$]) | 0;"));
def("i32x4.mul", "d:v a:v b:v", x4("I32[d$] = Math.imul(I32[a$], I32[b$]);"));
def("i32x4.sub", "d:v a:v b:v", x4("I32[d$] = (I32[a$] - I32[b$]) | 0;"));

// ---- moves ----
def(
  "i8x16.shuffle",
  "d:v a:v b:v m0:# m1:# m2:# m3:#",
  "shuffleWords(SV, d << 2, a << 2, b << 2, m0, m1, m2, m3);",
);
// A bit-exact move of one 32-bit lane (NaN payloads kept).
def("f32x4.extract_lane", "d:f a:v lane:#", "I32[d] = I32[a + lane];");
def("i32x4.extract_lane", "d:i a:v lane:#", "I32[d] = I32[a + lane];");
def("i32x4.splat", "d:v a:i", `const v = I32[a];\n${x4("I32[d$] = v;")}`);
def("f32x4.splat", "d:v a:f", `const v = I32[a];\n${x4("I32[d$] = v;")}`);
def(
  "i16x8.splat",
  "d:v a:i",
  `const x = I32[a] & 0xffff;\nconst v = x | (x << 16);\n${x4("I32[d$] = v;")}`,
);

// ---- i16x8 ----
// Lanes that produce i16 results work on whole 32-bit words (two lanes
// each): a 16-bit store followed by a 32-bit load of the same word (the
// next op reading it as I32) misses the CPU's store forwarding and stalls
// (simd_dot's i16 kernel: half its time). Branch-free clamps (lanes
// saturate unpredictably).
const ADD_SAT_S = "Math.max(-32768, Math.min(32767, A + B))";
def("i16x8.add_sat_s", "d:v a:v b:v", pairs16(ADD_SAT_S), ADD_SAT_S);
// add/sub/neg two lanes per 32-bit word (SWAR: the low 15 bits of each lane
// add without crossing; the top bits are xor-ed in).
def(
  "i16x8.add",
  "d:v a:v b:v",
  `for (let i = 0; i < 4; i++) {
  const x = I32[a + i];
  const y = I32[b + i];
  I32[d + i] = ((x & 0x7fff7fff) + (y & 0x7fff7fff)) ^ ((x ^ y) & 0x80008000);
}`,
  "A + B",
  "arith",
);
def(
  "i16x8.sub",
  "d:v a:v b:v",
  `for (let i = 0; i < 4; i++) {
  const x = I32[a + i];
  const y = I32[b + i];
  I32[d + i] = ((x | 0x80008000) - (y & 0x7fff7fff)) ^ ((x ^ ~y) & 0x80008000);
}`,
  "A - B",
  "arith",
);
def(
  "i16x8.neg",
  "d:v a:v",
  `for (let i = 0; i < 4; i++) {
  const y = I32[a + i];
  I32[d + i] = (0x80008000 - (y & 0x7fff7fff)) ^ (~y & 0x80008000);
}`,
  "-A",
  "arith",
);
// b - a < 0 exactly when a > b (no overflow in a double): -1 or 0, no branch.
const GT_S = "(B - A) >> 31";
def("i16x8.gt_s", "d:v a:v b:v", pairs16(GT_S), GT_S, undefined, { mask: true });
def(
  "v128.bitselect",
  "d:v a:v b:v c:v",
  x4("I32[d$] = (I32[a$] & I32[c$]) | (I32[b$] & ~I32[c$]);"),
  "(A & C) | (B & ~C)",
  "bitwise",
  { maskLane: "C !== 0 ? A : B" },
);
def(
  "i16x8.shr_s",
  "d:v a:v s:i",
  `const n = I32[s] & 15;
for (let i = 0; i < 4; i++) {
  const x = I32[a + i];
  I32[d + i] = (((x << 16) >> (n + 16)) & 0xffff) | ((x >> n) & -65536);
}`,
  "A >> (S & 15)",
);
def("i32x4.extend_low_i16x8_s", "d:v a:v", x4Late("I32", "I16[a$]"));
def(
  "i32x4.extend_high_i16x8_s",
  "d:v a:v",
  `const r0 = I16[a + 4];
const r1 = I16[a + 5];
const r2 = I16[a + 6];
const r3 = I16[a + 7];
${x4("I32[d$] = r#;")}`,
);

// ---- bitwise, division, f64x2 ----
def("v128.and", "d:v a:v b:v", x4("I32[d$] = I32[a$] & I32[b$];"), "A & B", "bitwise");
def("v128.or", "d:v a:v b:v", x4("I32[d$] = I32[a$] | I32[b$];"), "A | B", "bitwise");
def("v128.xor", "d:v a:v b:v", x4("I32[d$] = I32[a$] ^ I32[b$];"), "A ^ B", "bitwise");
def("f32x4.div", "d:v a:v b:v", x4Canonical("F32[a$] / F32[b$]"));
const f64x2 = (op: string) =>
  `const r0 = F64[a] ${op} F64[b];\nconst r1 = F64[a + 1] ${op} F64[b + 1];\n` +
  "F64[d] = r0 === r0 ? r0 : QNAN[0];\nF64[d + 1] = r1 === r1 ? r1 : QNAN[0];";
def("f64x2.add", "d:v a:v b:v", f64x2("+"));
def("f64x2.mul", "d:v a:v b:v", f64x2("*"));

// ---- fused (src/interp/simd_fused.ts) ----
def("LOAD_D", "d:v p:i mi:m o:# oh:z k:#", `${EA_K}\n${x4("I32[d$] = DV.getInt32(ea@, true);")}`);
// The product is rounded to f32 first, as wasm's separate mul does.
def("F32_MUL_ADD", "d:v a:v b:v c:v", x4Canonical("Math.fround(F32[a$] * F32[b$]) + F32[c$]"));
def("I32_MUL_ADD", "d:v a:v b:v c:v", x4Late("I32", "(Math.imul(I32[a$], I32[b$]) + I32[c$]) | 0"));
const LOAD_MUL = "d:v x:v p:i mi:m o:# oh:z k:#";
def(
  "F32_LOAD_MUL",
  LOAD_MUL,
  `${EA_K}\n${x4Canonical("Math.fround(F32[x$] * DV.getFloat32(ea@, true))")}`,
);
def(
  "I32_LOAD_MUL",
  LOAD_MUL,
  `${EA_K}\n${x4Late("I32", "Math.imul(I32[x$], DV.getInt32(ea@, true))")}`,
);
def(
  "F32_LOAD_MUL_ADD",
  `${LOAD_MUL} c:v`,
  `${EA_K}\n${x4Canonical("Math.fround(F32[x$] * DV.getFloat32(ea@, true)) + F32[c$]")}`,
);
def(
  "I32_LOAD_MUL_ADD",
  `${LOAD_MUL} c:v`,
  `${EA_K}\n${x4Late("I32", "(Math.imul(I32[x$], DV.getInt32(ea@, true)) + I32[c$]) | 0")}`,
);
// c + the low or high four i16 lanes of a, widened.
def("EXT_LOW_ADD", "d:v a:v c:v", x4Late("I32", "(I32[c$] + I16[a$]) | 0"));
def(
  "EXT_HIGH_ADD",
  "d:v a:v c:v",
  `const r0 = (I32[c] + I16[a + 4]) | 0;
const r1 = (I32[c + 1] + I16[a + 5]) | 0;
const r2 = (I32[c + 2] + I16[a + 6]) | 0;
const r3 = (I32[c + 3] + I16[a + 7]) | 0;
${x4("I32[d$] = r#;")}`,
);

/** The hot SIMD ops, in the interpreter's case order (case `i + 1` is entry `i`). */
export const LANE_TEMPLATES: readonly LaneTemplate[] = table;
