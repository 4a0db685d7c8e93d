/**
 * The register IR's fused ops and bundle list. A fused op executes a chain
 * of wasm instructions whose intermediate results are temporaries read once
 * (formed by `translate_numeric.ts`, `translate_mem.ts` and
 * `translate_post.ts`); a bundle executes two adjacent IR instructions
 * (merged by `translate_post.ts`). Both cut dispatches in hot loops;
 * `ir_defs.ts` adds them to the table after the numeric families.
 *
 * @module
 */

import { ea, eaDisp } from "./ir_memory.ts";
import { F_BIN, I32_BIN } from "./ir_numeric.ts";

// ---- fused pairs: the first op's result (a temporary used once) feeds the second ----

/** i32 first ops of a fused pair (the `_i` ones take an immediate). */
const FUSE_I32_FIRST = ["add", "xor", "and", "mul", "shl_i", "shr_u_i", "rotl_i", "and_i"];
/** i32 second ops (commutative, so the temporary may be either operand). */
const FUSE_I32_SECOND = ["add", "xor", "and", "or"];
/** f64 second ops; `_r` puts the temporary on the right. */
const F64_SECOND: Record<string, string> = {
  add: "t + c",
  sub: "t - c",
  sub_r: "c - t",
  mul: "t * c",
};

/**
 * Adds the fused ops through `def`, in a fixed order (it fixes their IR
 * opcode numbers).
 */
export function defineFused(def: (name: string, spec: string, body: string) => void): void {
  for (const first of FUSE_I32_FIRST) {
    const imm = first.endsWith("_i");
    const e1 = I32_BIN[imm ? first.slice(0, -2) : first];
    for (const second of FUSE_I32_SECOND) {
      const e2 = I32_BIN[second].replace(/\ba\b/g, "t").replace(/\bb\b/g, "c");
      def(
        `i32.${first}>i32.${second}`,
        `d:i a:i b:${imm ? "#" : "i"} c:i`,
        `const t = ${e1}; I32[d] = ${e2};`,
      );
    }
  }
  for (const first of ["add", "sub", "mul"]) {
    for (const [second, e2] of Object.entries(F64_SECOND)) {
      def(
        `f64.${first}>f64.${second}`,
        "d:d a:d b:d c:d",
        `const t = ${F_BIN[first]}; F64[d] = ${e2};`,
      );
    }
  }
  for (const [load, addr] of [["f64.load", ea(8)], ["f64.load_d", eaDisp(8)]] as const) {
    const k = load.endsWith("_d") ? "k" : "o";
    for (const [second, e2] of Object.entries(F64_SECOND)) {
      def(
        `${load}>f64.${second}`,
        `d:d a:i ${k}:# c:d`,
        `${addr} const t = DV.getFloat64(ea, true); F64[d] = ${e2};`,
      );
    }
  }

  // f64 arithmetic whose result is stored right away (as a value: any NaN an
  // arithmetic op may produce is fine to store canonicalised).
  for (const first of ["add", "sub", "mul"]) {
    def(
      `f64.${first}>f64.store`,
      "a:i o:# x:d y:d",
      `${ea(8)} DV.setFloat64(ea, ${
        F_BIN[first].replace(/\ba\b/g, "x").replace(/\bb\b/g, "y")
      }, true);`,
    );
  }

  // `mem[a + o] += c` (the load and the store at one address, the sum a
  // temporary used only by the store: `translate_mem.ts`), and the same with
  // `c = x * y * z` computed into register d first (a `f64.mul>f64.mul` into
  // the addend, merged by `translate_post.ts`; two padding words keep the
  // pair's length): nbody's velocity updates, three dispatches (with the
  // address's `i32.sub_i`) → one.
  def(
    "f64.load>f64.add>f64.store",
    "a:i o:# c:d",
    `${ea(8)} DV.setFloat64(ea, DV.getFloat64(ea, true) + c, true);`,
  );
  def(
    "f64.mul>f64.mul>f64.load>f64.add>f64.store",
    "d:d x:d y:d z:d a:i o:# p1:# p2:#",
    // The address is read first (so the loop inlines its load rather than
    // adding a scratch variable); the translator keeps it apart from d.
    `const t = x * y * z; ${ea(8)} F64[d] = t; ` +
      "DV.setFloat64(ea, DV.getFloat64(ea, true) + t, true);",
  );

  // `mem[a + o] ± x * y * z` (the load, then the product, then the add or
  // sub, each result a temporary read once: `translate_numeric.ts`), and the
  // same stored back to the address (`translate_mem.ts`): nbody's position
  // and velocity updates. The product is computed as `f64.mul>f64.mul` does
  // (unrounded NaNs pass to the sum, which is canonicalised as `f64.add` does;
  // the store form stores it as `f64.add>f64.store` does).
  for (const [stem, sign] of [["madd", "+"], ["msub", "-"]]) {
    const sum = `DV.getFloat64(ea, true) ${sign} x * y * z`;
    def(
      `f64.load>f64.${stem}`,
      "d:d a:i o:# x:d y:d z:d",
      `${ea(8)} const r = ${sum}; F64[d] = r === r ? r : QNAN[0];`,
    );
    def(
      `f64.load>f64.${stem}>f64.store`,
      "a:i o:# x:d y:d z:d",
      `${ea(8)} DV.setFloat64(ea, ${sum}, true);`,
    );
  }

  // ---- rotate/shift–xor chains (the Σ/σ functions of SHA-2 and similar hashes) ----
  // `x = rot(a, b1); y = rot(a, b2) ^ x; d = rot(a, b3) ^ y` in one dispatch
  // instead of three (`translate_post.ts` rewrites the three fused ops in
  // place; x and y are still written, so their later readers are unaffected;
  // the padding keeps the length of the three). Measured on sha256 --mid (gannet
  // CPU time, alternating runs): 7540/7510 ms → 6770/6470 ms.
  {
    const rot = (k: string) => `((a << (${k} & 31)) | (a >>> ((32 - ${k}) & 31)))`;
    const shr = (k: string) => `(a >>> (${k} & 31))`;
    const pads = " p1:# p2:# p3:# p4:# p5:# p6:#";
    for (const [name, third] of [["i32.xrot3", rot("b3")], ["i32.xrot2shr", shr("b3")]]) {
      def(
        name,
        "d:i a:i b1:# b2:# b3:# x:# y:#" + pads,
        `const t = ${rot("b1")}; I32[fp + x] = t; const u = ${rot("b2")} ^ t; ` +
          `I32[fp + y] = u; I32[d] = ${third} ^ u;`,
      );
    }
  }
}

// ---- bundles: adjacent pairs that compiled loops execute back to back ----

/**
 * The bundled pairs, by op name. Chosen from dynamic pair counts over
 * ../shared/bench (pointer bumps, loop latches, register shuffles, hash
 * steps, load+compare); the first never branches, the second may.
 */
export const BUNDLES: readonly [string, string][] = [
  ["i32.add_i", "i32.add_i"],
  ["i32.add", "i32.add"],
  ["mov32", "mov32"],
  ["mov64", "mov64"],
  ["i32.add_i", "br_if.i32.ne"],
  ["i32.add_i", "br_if.i32.ne_i"],
  ["i32.add_i", "br_if.i32.lt_s"],
  ["i32.add_i", "br_if.i32.lt_u"],
  ["i32.add_i", "br_if.i32.lt_s_i"],
  ["i32.add_i", "br_if.i32.lt_u_i"],
  ["i32.add_i", "br_if.i32.gt_u_i"],
  ["i32.add_i", "br_if.i32.gt_s_i"],
  ["i32.add", "br_if.i32.le_u"],
  ["i32.add", "br_if.i32.lt_u"],
  ["i32.add", "br_if.i32.ne"],
  ["i32.sub_i", "br_if.i32.gt_u_i"],
  ["i32.sub_i", "br_if.i32.ne_i"],
  ["i32.sub_i", "br_if.i32.gt_s_i"],
  ["i32.load", "br_if.i32.lt_s"],
  ["i32.add_i", "i32.load"],
  ["i32.sub_i", "i32.load"],
  ["i32.add", "i32.load"],
  ["i32.add", "i32.load8_u"],
  ["i32.load8_u_d", "i32.load8_u_d"],
  ["i32.xor", "i32.mul_i"],
  ["i32.mul_i", "i32.xor"],
  ["i32.store8_k", "i32.add"],
  ["i64.store", "i32.add_i"],
  ["i64.add", "i64.store32"],
  ["i64.load32_u", "i64.mul"],
  ["i64.shr_u_i", "i64.add"],
  // CoreMark: list walks, bit fields, state machines.
  ["i32.add", "i32.add_i"],
  ["i32.add_i", "i32.add"],
  ["mov32", "br_if"],
  ["i32.add_i", "br_if"],
  ["i32.load", "br_if"],
  ["i32.shr_u_i", "i32.and_i"],
  ["mov32", "i32.load"],
  ["i32.load", "i32.store"],
  ["i32.store", "mov32"],
  ["i32.add_i", "br_if.i32.eq_i"],
  ["i32.load16_s", "i32.load16_s"],
  ["i32.load", "i32.add_i"],
  // CoreMark, second round (dynamic pair counts over 300 iterations, each
  // 1–2.4% of executed instructions).
  ["i32.load", "i32.load8_u"],
  ["i32.and_i", "select32"],
  ["const32", "select32"],
  ["const32", "i32.add_i"],
  ["i32.add_i", "i32.and_i"],
  ["i32.xor_i", "i32.shr_u_i>i32.xor"],
  ["i32.load16_u", "i32.and_i"],
  ["i32.load", "i32.load16_u"],
  ["i32.load16_u", "i32.mul"],
  ["i32.and_i", "br_if.i32.eq"],
  ["i32.load8_u", "i32.and_i>i32.xor"],
  ["i32.and_i>i32.xor", "br_unless"],
  ["i32.gt_s", "const32"],
  ["i32.and_i", "br_if.i32.le_u_i"],
  // nbody, bigint, sha256 (dynamic pair counts, each 3–6% of executed instructions).
  ["constf64", "f64.mul"],
  ["f64.load_abs", "f64.add"],
  ["f64.mul", "f64.load_d>f64.sub_r"],
  ["i64.store32", "i32.add_i"],
  ["i64.mul_i", "i64.sub"],
  ["i64.div_u_i", "i64.store32"],
  ["i64.shl_i", "i64.or"],
  ["i32.sub_i", "i32.sub_i"],
  ["i32.xrot3", "i32.add>i32.add"],
  ["i32.load_d", "i32.xrot2shr"],
  ["i32.load_d", "i32.and"],
  ["i32.add", "br_if.i32.eq_i"],
  ["i32.xor_i", "i32.and>i32.add"],
  ["i32.xor>i32.and", "i32.and>i32.xor"],
  // nbody, second round (2.6–3.6% of its executed instructions each).
  ["i64.store_abs", "f64.load_abs"],
  ["i64.load_d", "i64.load_d"],
  ["f64.add", "f64.sqrt"],
  ["constf64", "f64.div"],
  ["i32.sub_i", "br_if"],
  // Third round (issue 16): the inner loops of mandelbrot (11 dispatches an
  // iteration before, 6 after), quicksort's partition scan and sieve's count.
  ["f64.add", "mov32"],
  ["f64.sub>f64.add", "mov64"],
  ["f64.mul", "f64.mul>f64.add"],
  ["f64.mul", "f64.add"],
  ["constf64", "br_if.f64.le"],
  ["i32.sub_i", "br_if.i32.lt_s"],
  ["i32.add", "i32.load8_u_d"],
  // matmul_f64's dot products: both operands value-loaded.
  ["f64.load_d", "f64.load_d>f64.mul"],
  ["f64.load", "f64.load>f64.mul"],
  ["f64.load", "i64.load"],
  ["i32.sub_i", "f64.mul>f64.mul>f64.load>f64.add>f64.store"],
];
