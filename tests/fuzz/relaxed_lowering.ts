/**
 * Relaxed SIMD, compared honestly. Each relaxed instruction may return any
 * of a few results; V8 picks per instruction and per CPU (FMA or not,
 * `pshufb` for swizzle, `blendv` for laneselect…), Gannet always picks the
 * spec's deterministic profile (`src/simd/relaxed.ts`). Comparing the two
 * directly would report allowed differences as bugs.
 *
 * So the native engine runs a copy of the module in which every relaxed
 * instruction is a call to a helper computing Gannet's documented choice
 * with ordinary SIMD instructions, while Gannet runs the original. A
 * divergence then means Gannet's relaxed instruction does not do what its
 * table says, or something else is wrong — never that two allowed results
 * differ.
 *
 * @module
 */
const V = "v128";
const l = (i: number) => `(local.get ${i})`;

/** Each relaxed instruction: its operand count and its deterministic-profile body. */
const HELPERS: Readonly<Record<string, { params: number; body: string }>> = {
  "i8x16.relaxed_swizzle": { params: 2, body: `(i8x16.swizzle ${l(0)} ${l(1)})` },
  "i32x4.relaxed_trunc_f32x4_s": { params: 1, body: `(i32x4.trunc_sat_f32x4_s ${l(0)})` },
  "i32x4.relaxed_trunc_f32x4_u": { params: 1, body: `(i32x4.trunc_sat_f32x4_u ${l(0)})` },
  "i32x4.relaxed_trunc_f64x2_s_zero": {
    params: 1,
    body: `(i32x4.trunc_sat_f64x2_s_zero ${l(0)})`,
  },
  "i32x4.relaxed_trunc_f64x2_u_zero": {
    params: 1,
    body: `(i32x4.trunc_sat_f64x2_u_zero ${l(0)})`,
  },
  "f32x4.relaxed_madd": { params: 3, body: `(f32x4.add (f32x4.mul ${l(0)} ${l(1)}) ${l(2)})` },
  "f32x4.relaxed_nmadd": {
    params: 3,
    body: `(f32x4.add (f32x4.neg (f32x4.mul ${l(0)} ${l(1)})) ${l(2)})`,
  },
  "f64x2.relaxed_madd": { params: 3, body: `(f64x2.add (f64x2.mul ${l(0)} ${l(1)}) ${l(2)})` },
  "f64x2.relaxed_nmadd": {
    params: 3,
    body: `(f64x2.add (f64x2.neg (f64x2.mul ${l(0)} ${l(1)})) ${l(2)})`,
  },
  "i8x16.relaxed_laneselect": { params: 3, body: `(v128.bitselect ${l(0)} ${l(1)} ${l(2)})` },
  "i16x8.relaxed_laneselect": { params: 3, body: `(v128.bitselect ${l(0)} ${l(1)} ${l(2)})` },
  "i32x4.relaxed_laneselect": { params: 3, body: `(v128.bitselect ${l(0)} ${l(1)} ${l(2)})` },
  "i64x2.relaxed_laneselect": { params: 3, body: `(v128.bitselect ${l(0)} ${l(1)} ${l(2)})` },
  "f32x4.relaxed_min": { params: 2, body: `(f32x4.min ${l(0)} ${l(1)})` },
  "f32x4.relaxed_max": { params: 2, body: `(f32x4.max ${l(0)} ${l(1)})` },
  "f64x2.relaxed_min": { params: 2, body: `(f64x2.min ${l(0)} ${l(1)})` },
  "f64x2.relaxed_max": { params: 2, body: `(f64x2.max ${l(0)} ${l(1)})` },
  "i16x8.relaxed_q15mulr_s": { params: 2, body: `(i16x8.q15mulr_sat_s ${l(0)} ${l(1)})` },
  // Signed products (each fits in i16), pairwise sums saturated to i16.
  "i16x8.relaxed_dot_i8x16_i7x16_s": { params: 2, body: dot16(l(0), l(1)) },
  "i32x4.relaxed_dot_i8x16_i7x16_add_s": {
    params: 3,
    body: `(i32x4.add (i32x4.extadd_pairwise_i16x8_s ${dot16(l(0), l(1))}) ${l(2)})`,
  },
};

function dot16(a: string, b: string): string {
  const lo = `(i16x8.extmul_low_i8x16_s ${a} ${b})`;
  const hi = `(i16x8.extmul_high_i8x16_s ${a} ${b})`;
  const even = "0 1 4 5 8 9 12 13 16 17 20 21 24 25 28 29";
  const odd = "2 3 6 7 10 11 14 15 18 19 22 23 26 27 30 31";
  return `(i16x8.add_sat_s (i8x16.shuffle ${even} ${lo} ${hi}) (i8x16.shuffle ${odd} ${lo} ${hi}))`;
}

const PATTERN = new RegExp(
  `\\((${Object.keys(HELPERS).map((k) => k.replace(".", "\\.")).join("|")})(?=[\\s)])`,
  "g",
);

const helperName = (op: string) => `$__fuzz_deterministic_${op.replace(".", "_")}`;

/**
 * Binaryen text with every relaxed SIMD instruction replaced by a call to a
 * helper computing Gannet's deterministic choice (the same text when there
 * is none).
 */
export function lowerRelaxedSimd(wat: string): string {
  const used = new Set<string>();
  const lowered = wat.replace(PATTERN, (_m, op: string) => {
    used.add(op);
    return `(call ${helperName(op)}`;
  });
  if (used.size === 0) return wat;
  const helpers = [...used].map((op) => {
    const h = HELPERS[op];
    const params = Array.from({ length: h.params }, () => V).join(" ");
    return ` (func ${helperName(op)} (param ${params}) (result ${V}) ${h.body})\n`;
  });
  const end = lowered.lastIndexOf(")");
  return `${lowered.slice(0, end)}${helpers.join("")})`;
}
