/**
 * Differential test: every SIMD and relaxed-SIMD row of the instruction
 * table runs on random and edge-case inputs both here and in the host's
 * native WebAssembly (a tiny module per op, assembled by wasm-tools), and
 * the results must agree bit for bit, except where the spec lets NaN
 * results vary: there the lane must be a NaN of the kind the spec's `nans`
 * rule requires (canonical if every NaN input was, else quiet).
 *
 * Relaxed ops are compared with the deterministic result Gannet documents
 * (`relaxed.ts`), computed natively from the non-relaxed instructions.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { Imm, OPCODES, type OpInfo } from "../binary/opcodes.ts";
import { SIMD_MEM_OPS, SIMD_MISSING, SIMD_OPS } from "./table.ts";
import { simdViews } from "./views.ts";
import { fillVector, Rng } from "./_edge_values.ts";

const ROWS = OPCODES.filter((op) => op.feature === "simd" || op.feature === "relaxed-simd");
const TRIALS = 1000;
const IN = [16, 32, 48];
const POOL = 64;

const LOAD: Record<string, string> = {
  v: "v128.load",
  i: "i32.load",
  l: "i64.load",
  f: "f32.load",
  d: "f64.load",
};
const SIZE: Record<string, number> = { v: 16, i: 4, l: 8, f: 4, d: 8 };

/** Lanes of the shape that prefixes a mnemonic. */
function laneCount(name: string): number {
  return 16 / ({ i8x16: 1, i16x8: 2, i32x4: 4, f32x4: 4, i64x2: 8, f64x2: 8 }[
    name.split(".")[0]
  ] ?? 16);
}

/** Natively computable reference for each relaxed op: Gannet's documented choice. */
const RELAXED_REF: Record<string, (x: string[]) => string> = {
  "i8x16.relaxed_swizzle": (x) => `(i8x16.swizzle ${x[0]} ${x[1]})`,
  "i32x4.relaxed_trunc_f32x4_s": (x) => `(i32x4.trunc_sat_f32x4_s ${x[0]})`,
  "i32x4.relaxed_trunc_f32x4_u": (x) => `(i32x4.trunc_sat_f32x4_u ${x[0]})`,
  "i32x4.relaxed_trunc_f64x2_s_zero": (x) => `(i32x4.trunc_sat_f64x2_s_zero ${x[0]})`,
  "i32x4.relaxed_trunc_f64x2_u_zero": (x) => `(i32x4.trunc_sat_f64x2_u_zero ${x[0]})`,
  "f32x4.relaxed_madd": (x) => `(f32x4.add (f32x4.mul ${x[0]} ${x[1]}) ${x[2]})`,
  "f32x4.relaxed_nmadd": (x) => `(f32x4.add (f32x4.mul (f32x4.neg ${x[0]}) ${x[1]}) ${x[2]})`,
  "f64x2.relaxed_madd": (x) => `(f64x2.add (f64x2.mul ${x[0]} ${x[1]}) ${x[2]})`,
  "f64x2.relaxed_nmadd": (x) => `(f64x2.add (f64x2.mul (f64x2.neg ${x[0]}) ${x[1]}) ${x[2]})`,
  "i8x16.relaxed_laneselect": (x) => `(v128.bitselect ${x[0]} ${x[1]} ${x[2]})`,
  "i16x8.relaxed_laneselect": (x) => `(v128.bitselect ${x[0]} ${x[1]} ${x[2]})`,
  "i32x4.relaxed_laneselect": (x) => `(v128.bitselect ${x[0]} ${x[1]} ${x[2]})`,
  "i64x2.relaxed_laneselect": (x) => `(v128.bitselect ${x[0]} ${x[1]} ${x[2]})`,
  "f32x4.relaxed_min": (x) => `(f32x4.min ${x[0]} ${x[1]})`,
  "f32x4.relaxed_max": (x) => `(f32x4.max ${x[0]} ${x[1]})`,
  "f64x2.relaxed_min": (x) => `(f64x2.min ${x[0]} ${x[1]})`,
  "f64x2.relaxed_max": (x) => `(f64x2.max ${x[0]} ${x[1]})`,
  "i16x8.relaxed_q15mulr_s": (x) => `(i16x8.q15mulr_sat_s ${x[0]} ${x[1]})`,
  "i16x8.relaxed_dot_i8x16_i7x16_s": (x) => dot16(x[0], x[1]),
  "i32x4.relaxed_dot_i8x16_i7x16_add_s": (x) =>
    `(i32x4.add (i32x4.extadd_pairwise_i16x8_s ${dot16(x[0], x[1])}) ${x[2]})`,
};

function dot16(a: string, b: string): string {
  const half = (h: string) =>
    `(i32x4.extadd_pairwise_i16x8_s (i16x8.extmul_${h}_i8x16_s ${a} ${b}))`;
  return `(i16x8.narrow_i32x4_s ${half("low")} ${half("high")})`;
}

/** Ops whose NaN results may be any NaN allowed by `nans`: [output, input] float widths. */
function nanWidths(name: string): [number, number] | null {
  if (name === "f32x4.demote_f64x2_zero") return [4, 8];
  if (name === "f64x2.promote_low_f32x4") return [8, 4];
  const m = /^f(32|64)x\d\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|relaxed_\w+)$/
    .exec(name);
  if (!m) return null;
  const w = m[1] === "32" ? 4 : 8;
  return [w, w];
}

/** One exported function per immediate variant; returns WAT and the immediates. */
function registerModule(op: OpInfo, rng: Rng): { wat: string; imms: Uint8Array[] | number[] } {
  const [params, result] = op.sig!.split(":");
  const args = [...params].map((t, k) => `(${LOAD[t]} (i32.const ${IN[k]}))`);
  const store = (e: string) =>
    result === "v" || result === ""
      ? `(v128.store (i32.const 0) ${e})`
      : `(${LOAD[result].replace("load", "store")} (i32.const 0) ${e})`;
  const funcs: string[] = [];
  let imms: Uint8Array[] | number[] = [0];
  if (op.imm === Imm.Lane) {
    imms = [...Array(laneCount(op.name)).keys()];
    for (const l of imms) funcs.push(store(`(${op.name} ${l} ${args.join(" ")})`));
  } else if (op.imm === Imm.Shuffle || op.imm === Imm.V128) {
    const limit = op.imm === Imm.Shuffle ? 32 : 256;
    // Identity and reversal, whole-word moves (a fast path), then random masks.
    const words = [[2, 3, 0, 1], [5, 0, 7, 2], [rng.below(8), rng.below(8), rng.below(8), 6]];
    imms = [...Array(10)].map((_, k) =>
      Uint8Array.from(
        { length: 16 },
        (_, i) =>
          k === 0
            ? i
            : k === 1
            ? 31 - i
            : k < 5 && op.imm === Imm.Shuffle
            ? words[k - 2][i >> 2] * 4 + (i & 3)
            : rng.below(limit),
      )
    );
    for (const m of imms) {
      const imm = op.imm === Imm.Shuffle ? m.join(" ") : `i8x16 ${m.join(" ")}`;
      funcs.push(store(`(${op.name} ${imm} ${args.join(" ")})`));
    }
  } else {
    const ref = RELAXED_REF[op.name];
    funcs.push(store(ref ? ref(args) : `(${op.name} ${args.join(" ")})`));
  }
  const body = funcs.map((f, k) => `(func (export "f${k}") ${f})`).join("\n");
  return { wat: `(module (memory (export "m") 1)\n${body})`, imms };
}

async function instantiate(wat: string): Promise<WebAssembly.Instance> {
  return new WebAssembly.Instance(
    new WebAssembly.Module((await parse(wat)) as Uint8Array<ArrayBuffer>),
    {},
  );
}

function isNaNBits(u8: Uint8Array, at: number, w: number): boolean {
  const dv = new DataView(u8.buffer, u8.byteOffset + at, w);
  return w === 4 ? Number.isNaN(dv.getFloat32(0, true)) : Number.isNaN(dv.getFloat64(0, true));
}

/** A canonical NaN has only the quiet bit set in its payload (either sign). */
function nanKind(u8: Uint8Array, at: number, w: number): "canonical" | "quiet" | "signalling" {
  const dv = new DataView(u8.buffer, u8.byteOffset + at, w);
  if (w === 4) {
    const p = dv.getUint32(0, true) & 0x7fffff;
    return p === 0x400000 ? "canonical" : p & 0x400000 ? "quiet" : "signalling";
  }
  const hi = dv.getUint32(4, true) & 0xfffff, lo = dv.getUint32(0, true);
  return hi === 0x80000 && lo === 0 ? "canonical" : hi & 0x80000 ? "quiet" : "signalling";
}

function hex(u8: Uint8Array, at: number, n: number): string {
  return [...u8.subarray(at, at + n)].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** Compares my result with native's; returns an error message or null. */
function compare(op: OpInfo, mine: Uint8Array, nat: Uint8Array, n: number): string | null {
  const nw = nanWidths(op.name);
  if (nw === null) return hex(mine, 0, n) === hex(nat, 0, n) ? null : "bits differ";
  const [w, win] = nw;
  for (let lane = 0; lane * w < n; lane++) {
    const at = lane * w;
    if (!isNaNBits(nat, at, w)) {
      if (hex(mine, at, w) !== hex(nat, at, w)) return `lane ${lane} differs`;
      continue;
    }
    if (!isNaNBits(mine, at, w)) return `lane ${lane}: native NaN, mine not`;
    const kind = nanKind(mine, at, w);
    if (kind === "signalling") return `lane ${lane}: signalling NaN result`;
    const inputsCanonical = IN.every((base) =>
      !isNaNBits(nat, base + lane * win, win) ||
      nanKind(nat, base + lane * win, win) === "canonical"
    );
    if (inputsCanonical && kind !== "canonical") return `lane ${lane}: NaN must be canonical`;
  }
  return null;
}

describe("SIMD lane semantics vs native WebAssembly", () => {
  it("every SIMD row has an implementation", () => {
    assert.deepEqual(SIMD_MISSING, []);
    assert.equal(SIMD_OPS.size + SIMD_MEM_OPS.size, ROWS.length);
  });

  for (const op of ROWS.filter((o) => o.align < 0)) {
    it(op.name, async () => {
      const rng = new Rng(op.index * 7919 + 1);
      const { wat, imms } = registerModule(op, rng);
      const inst = await instantiate(wat);
      const mem = new Uint8Array((inst.exports.m as WebAssembly.Memory).buffer);
      const regs = new Uint8Array(128);
      const r = simdViews(regs.buffer);
      const impl = SIMD_OPS.get(op.name)!;
      const n = SIZE[op.sig!.split(":")[1] || "v"];
      for (let k = 0; k < imms.length; k++) {
        const f = inst.exports[`f${k}`] as () => void;
        const imm = imms[k];
        for (let t = 0; t < TRIALS; t++) {
          for (const base of IN) fillVector(rng, mem, base);
          mem.fill(0, 0, 16);
          regs.set(mem.subarray(0, POOL));
          let c = 0, a = IN[0];
          if (typeof imm === "number") c = imm;
          else if (op.imm === Imm.Shuffle) (regs.set(imm, POOL), c = POOL);
          else (regs.set(imm, POOL), a = POOL);
          impl(r, 0, a, IN[1], op.sig!.startsWith("vvv") ? IN[2] : c);
          f();
          const err = compare(op, regs, mem, n);
          if (err !== null) {
            const ins = IN.map((b) => hex(mem, b, 16)).join(" ");
            assert.fail(
              `${op.name}: ${err} (imm ${String(imm)}; in ${ins}; ` +
                `native ${hex(mem, 0, n)}, mine ${hex(regs, 0, n)})`,
            );
          }
        }
      }
    });
  }
});
