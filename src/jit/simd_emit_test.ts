import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, RuntimeError, Store } from "../../mod.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { instrSize, IR } from "../interp/ir_defs.ts";
import { simdRun } from "../interp/simd_run.ts";
import { simdOpIndex } from "../interp/simd_fused.ts";
import { simdExecute } from "../simd/executor.ts";
import { LANE_TEMPLATES, type LaneTemplate } from "../simd/lane_templates.ts";
import type { Machine } from "../runtime/machine.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { simdInline, type SimdRegisters, simdSource } from "./simd_emit.ts";
import { F, I, IW } from "./accesses.ts";

// ---- one instruction of each template, as the translator emits it ----

const SHUFFLES = [
  "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
  "8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7",
  "16 17 18 19 4 5 6 7 28 29 30 31 0 1 2 3",
  "31 0 17 5 9 22 3 3 12 28 1 16 7 30 14 2",
];
const OFFSETS = [0, 16, 65520];
const KS = [32, -16];

/** Functions (WAT) whose body is one instance of template `t`. */
function funcs(t: LaneTemplate): string[] {
  const n = t.name, spec = t.operands.map((o) => o.kind).join("");
  const fn = (params: string, result: string, body: string) =>
    `(func (param ${params})${result === "" ? "" : ` (result ${result})`} ${body})`;
  const ld = (off: number, k: number | null, at: string) =>
    `(v128.load offset=${off} ${k === null ? at : `(i32.add ${at} (i32.const ${k}))`})`;
  const each = <T>(xs: T[], f: (x: T) => string[]) => xs.flatMap(f);
  const arith = (op: string) => (n.startsWith("F32") ? "f32x4." : "i32x4.") + op;
  switch (n) {
    case "v128.load":
      return OFFSETS.map((o) => fn("i32", "v128", ld(o, null, "(local.get 0)")));
    case "v128.store":
      return OFFSETS.map((o) =>
        fn("i32 v128", "", `(v128.store offset=${o} (local.get 0) (local.get 1))`)
      );
    case "LOAD_D":
      return each(OFFSETS, (o) => KS.map((k) => fn("i32", "v128", ld(o, k, "(local.get 0)"))));
    case "F32_LOAD_MUL":
    case "I32_LOAD_MUL":
      return each(
        OFFSETS,
        (o) =>
          KS.map((k) =>
            fn("v128 i32", "v128", `(${arith("mul")} (local.get 0) ${ld(o, k, "(local.get 1)")})`)
          ),
      );
    case "F32_LOAD_MUL_ADD":
    case "I32_LOAD_MUL_ADD":
      return each(OFFSETS, (o) =>
        KS.map((k) =>
          fn(
            "v128 i32 v128",
            "v128",
            `(${arith("add")} (local.get 2) (${arith("mul")} (local.get 0) ${
              ld(o, k, "(local.get 1)")
            }))`,
          )
        ));
    case "F32_MUL_ADD":
    case "I32_MUL_ADD":
      return [fn(
        "v128 v128 v128",
        "v128",
        `(${arith("add")} (local.get 2) (${arith("mul")} (local.get 0) (local.get 1)))`,
      )];
    case "EXT_LOW_ADD":
    case "EXT_HIGH_ADD": {
      const ext = `i32x4.extend_${n === "EXT_LOW_ADD" ? "low" : "high"}_i16x8_s`;
      return [fn("v128 v128", "v128", `(i32x4.add (local.get 1) (${ext} (local.get 0)))`)];
    }
    case "i8x16.shuffle":
      return SHUFFLES.map((s) =>
        fn("v128 v128", "v128", `(${n} ${s} (local.get 0) (local.get 1))`)
      );
  }
  if (spec === "v#" || spec === "fv#" || spec === "iv#") {
    const r = n.startsWith("f32") ? "f32" : "i32";
    return [0, 1, 2, 3].map((l) => fn("v128", r, `(${n} ${l} (local.get 0))`));
  }
  const params: Record<string, string> = {
    vv: "v128",
    vvv: "v128 v128",
    vvvv: "v128 v128 v128",
    vi: "i32",
    vf: "f32",
    vvi: "v128 i32",
  };
  const p = params[spec];
  if (p === undefined) throw new Error(`no test function for ${n}`);
  const args = p.split(" ").map((_, i) => `(local.get ${i})`).join(" ");
  return [fn(p, "v128", `(${n} ${args})`)];
}

/** The `simd` instruction (sliced out, then `return`) of each function of `wat`. */
function instructions(wat: string[], index: number): { code: Int32Array; st: InstanceState }[] {
  const mod = `(module (memory 1) ${wat.join("\n")})`;
  const inst = new Instance(new Module(parseWat(mod)), {}, { store: new Store({ jit: "off" }) });
  const st = instanceState(inst);
  return wat.map((_, f) => {
    const code = translateFunction(st.funcs[f]);
    for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
      if (code[pc] === IR["simd"] && code[pc + 1] === index) {
        return {
          code: Int32Array.of(...code.subarray(pc, pc + 3 + code[pc + 2]), IR["return"]),
          st,
        };
      }
    }
    throw new Error(`${wat[f]} translates without op ${index}`);
  });
}

// ---- inputs ----

let seed = 0x2545f491;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
// NaNs (quiet, signalling, payloads), infinities, -0, denormals, int overflow edges.
const WORDS = [0, -1, 1, 0x7fffffff, 0x80000000, 0x7fc00000, 0x7fa00001, 0xffc00000, 0x7f800000]
  .concat([0xff800000, 1, 0x7f7fffff, 0x3f800000, 0x7fff7fff, 0x80008000, 0x8000, 0xffff0000]);
const HIGH_WORDS = [0x7ff80000, 0x7ff00000, 0xfff00000, 0x80000000, 0x3ff00000, 0x7ff00001];
const f32 = new Float32Array(1), f32bits = new Int32Array(f32.buffer);

/** A register file (`words` int32 words) of random bits and special values. */
function randomFile(words: number): Int32Array {
  const r = new Int32Array(words);
  for (let i = 0; i < words; i += 2) {
    const c = rand() % 4;
    if (c === 0) [r[i], r[i + 1]] = [rand() % 3 === 0 ? 1 : 0, HIGH_WORDS[rand() % 6]];
    else if (c === 1) [r[i], r[i + 1]] = [WORDS[rand() % 17], WORDS[rand() % 17]];
    else if (c === 2) {
      for (const j of [i, i + 1]) {
        f32[0] = ((rand() % 2000) - 1000) / 7;
        r[j] = f32bits[0];
      }
    } else [r[i], r[i + 1]] = [rand(), rand()];
  }
  return r;
}

// ---- the three executions ----

const FP = 32, COMPARED = FP + 128, FILE_WORDS = 512;
/** Scratch words (frame-relative) of the fused ops' reference sequences. */
const T = 200, S = 204;

function machine(file: Int32Array): Machine {
  return { buf: file.buffer } as unknown as Machine;
}

function step(m: Machine, st: InstanceState, name: string, words: number[]): void {
  const code = Int32Array.of(IR["simd"], simdOpIndex(name), words.length, ...words, IR["return"]);
  simdExecute(m, st, FP, code, 0);
}

/** The reference: the executor's lane library, fused ops as their separate wasm ops. */
function reference(t: LaneTemplate, code: Int32Array, m: Machine, st: InstanceState): void {
  const w = [...code.subarray(3, 3 + code[2])];
  const I32 = new Int32Array(m.buf);
  const f = t.name.startsWith("F32") ? "f32x4." : "i32x4.";
  // The load of the fused ops (words x, p, mem, offset, 0, k from 1): into T.
  const load = () => {
    I32[FP + S] = (I32[FP + w[2]] + w[6]) | 0;
    step(m, st, "v128.load", [T, S, w[3], w[4], 0]);
  };
  switch (t.name) {
    case "LOAD_D": // d, p, mem, offset, 0, k
      I32[FP + S] = (I32[FP + w[1]] + w[5]) | 0;
      return step(m, st, "v128.load", [w[0], S, w[2], w[3], 0]);
    case "F32_MUL_ADD": // d, a, b, c
    case "I32_MUL_ADD":
      step(m, st, `${f}mul`, [T, w[1], w[2]]);
      return step(m, st, `${f}add`, [w[0], w[3], T]);
    case "F32_LOAD_MUL":
    case "I32_LOAD_MUL":
      load();
      return step(m, st, `${f}mul`, [w[0], w[1], T]);
    case "F32_LOAD_MUL_ADD": // …, c
    case "I32_LOAD_MUL_ADD":
      load();
      step(m, st, `${f}mul`, [T, w[1], T]);
      return step(m, st, `${f}add`, [w[0], w[7], T]);
    case "EXT_LOW_ADD": // d, a, c
    case "EXT_HIGH_ADD":
      step(m, st, `i32x4.extend_${t.name === "EXT_LOW_ADD" ? "low" : "high"}_i16x8_s`, [T, w[1]]);
      return step(m, st, "i32x4.add", [w[0], w[2], T]);
  }
  simdExecute(m, st, FP, code, 0);
}

type Compiled = (
  m: Machine,
  I32: Int32Array,
  F32: Float32Array,
  F64: Float64Array,
  DV: DataView,
  memLen: number,
) => string;

/**
 * Registers in JS locals `$L<word>` (int32 bits), as the register map keeps
 * them: float32 and float64 accesses convert through a small buffer.
 */
const LOCALS: SimdRegisters = {
  bits: (w) => `$L${w}`,
  setBits: (w, v) => `$L${w} = (${v}) | 0;`,
  float: (w) => `$bf($L${w})`,
  setFloat: (w, v) => `$L${w} = $fb(${v});`,
  double: (s) => `$bd($L${2 * s}, $L${2 * s + 1})`,
  setDouble: (s, v) => `$db(${v}); $L${2 * s} = $cvI[0]; $L${2 * s + 1} = $cvI[1];`,
};

/**
 * Source using {@link LOCALS}, wrapped so that it runs on the register
 * file: every local loaded before and stored after.
 */
function inLocals(src: string): string {
  const words = [...new Set([...src.matchAll(/\$L(\d+)\b/g)].map((m) => Number(m[1])))];
  const cv = `const $cv = new ArrayBuffer(8), $cvI = new Int32Array($cv), ` +
    `$cvF = new Float32Array($cv), $cvD = new Float64Array($cv);
const $bf = (b) => { $cvI[0] = b; return $cvF[0]; };
const $fb = (f) => { $cvF[0] = f; return $cvI[0]; };
const $bd = (lo, hi) => { $cvI[0] = lo; $cvI[1] = hi; return $cvD[0]; };
const $db = (d) => { $cvD[0] = d; };`;
  const load = words.map((w) => `let $L${w} = I32[fp + ${w}];`).join("\n");
  const store = words.map((w) => `I32[fp + ${w}] = $L${w};`).join("\n");
  // A fault leaves before the stores, as the emitter's exit does after spilling.
  return `${cv}\n${load}\n${
    src.replaceAll('return "fault";', `${store} return "fault";`)
  }\n${store}`;
}

/** `simdSource`'s output bound as the emitter binds it; `hoist`: its consts hoisted as the emitter does. */
function compile(src: string, hoist: boolean): Compiled {
  const names = new Set<string>();
  if (hoist) {
    src = src.replace(/\bconst (\$?\w+) =/g, (_, v: string) => (names.add(v), `${v} =`));
  }
  const decl = names.size === 0 ? "" : `let ${[...names].map((v) => `${v} = 0`).join(", ")};`;
  return new Function(
    `"use strict";\nconst QNAN = new Float64Array([NaN]);\n` +
      `return ($m, I32, F32, F64, DV, memLen) => {\n` +
      `const fd = ${FP / 2}, fp = fd << 1;\n${decl}\n${src}\nreturn "ok";\n};`,
  )() as Compiled;
}

function outcome(run: () => unknown): string {
  try {
    return run() === "fault" ? "trap" : "ok";
  } catch (e) {
    if (e instanceof RuntimeError) return "trap";
    throw e;
  }
}

const isNaN32 = (x: number) => (x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0;
const isNaN64 = (lo: number, hi: number) =>
  (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0);

/** Equal words, except that NaN lanes of float results may differ in their bits. */
function sameLanes(name: string, a: Int32Array, b: Int32Array, what: string): void {
  const floats = /^(f32x4\.(add|sub|mul|div)|F32_)/.test(name) ? 32 : /^f64x2/.test(name) ? 64 : 0;
  for (let i = 0; i < COMPARED; i++) {
    if (a[i] === b[i]) continue;
    const j = i & ~1;
    if (floats === 32 && isNaN32(a[i]) && isNaN32(b[i])) continue;
    if (floats === 64 && isNaN64(a[j], a[j + 1]) && isNaN64(b[j], b[j + 1])) continue;
    assert.fail(`${name}: ${what}: word ${i - FP} is ${b[i]}, interpreter ${a[i]}`);
  }
}

/** The immediate operand `name` of the instruction (0 if it has none). */
function imm(t: LaneTemplate, code: Int32Array, name: string): number {
  const k = t.operands.findIndex((o) => o.name === name);
  return k < 0 ? 0 : code[3 + k];
}

/** Runs interpreter, compiled source (as is and hoisted) and reference on the same inputs. */
function differential(t: LaneTemplate, code: Int32Array, st: InstanceState, trials: number): void {
  const mem = st.memories[0];
  const src = simdSource(code, 0, { fault: () => `return "fault";`, index64: () => false });
  assert.ok(src !== null, t.name);
  const local = simdSource(code, 0, {
    fault: () => `return "fault";`,
    index64: () => false,
    regs: LOCALS,
  })!;
  assert.doesNotMatch(
    local,
    /\b(I32|F32|F64|I16)\[/,
    `${t.name}: a register in the file:\n${local}`,
  );
  assert.doesNotMatch(src, /\bcode\b|\bpc\b|\bfor\b|\blet\b|memoryFault/, `${t.name}:\n${src}`);
  const jit = (f: Compiled) => (file: Int32Array) =>
    f(
      machine(file),
      file,
      new Float32Array(file.buffer),
      new Float64Array(file.buffer),
      mem.dv,
      mem.len,
    );
  const runs: [string, (file: Int32Array) => unknown][] = [
    [
      "interpreter",
      (file) => assert.equal(simdRun(machine(file), st, FP, code, 0, 1 << 15), code.length - 1),
    ],
    ["compiled", jit(compile(src, false))],
    ["compiled, hoisted", jit(compile(src, true))],
    ["compiled, registers in locals", jit(compile(inLocals(local), false))],
    ["reference", (file) => reference(t, code, machine(file), st)],
  ];
  const p = t.operands.findIndex((o) => o.name === "p");
  const displacement = imm(t, code, "o") + imm(t, code, "k");
  const before = mem.u8.slice(), words = new Int32Array(mem.u8.buffer, 0, mem.len >> 2);
  for (let trial = 0; trial < trials; trial++) {
    const input = randomFile(FILE_WORDS);
    if (p >= 0) {
      // Effective addresses in bounds, at the edge, past it, wrapping.
      const edges = [mem.len - 16, mem.len - 15, mem.len, 0xfffffff8, 0];
      const ea = trial < edges.length || rand() % 4 === 0
        ? edges[trial % edges.length]
        : rand() % (mem.len - 15);
      input[FP + code[3 + p]] = ea - displacement;
    }
    const out = runs.map(([what, run]) => {
      mem.u8.set(before);
      const file = input.slice();
      const result = outcome(() => run(file));
      return { what, result, file, memory: t.name === "v128.store" ? words.slice() : null };
    });
    for (const o of out.slice(1)) {
      assert.equal(o.result, out[0].result, `${t.name}: ${o.what}`);
      sameLanes(t.name, out[0].file, o.file, o.what);
      if (o.memory !== null && o.memory.some((x, i) => x !== out[0].memory![i])) {
        assert.fail(`${t.name}: ${o.what}: stored bytes differ`);
      }
    }
  }
  mem.u8.set(before);
}

function fillMemory(st: InstanceState): void {
  const u8 = st.memories[0].u8;
  for (let i = 0; i < u8.length; i += 4) {
    const x = rand() % 3 === 0 ? WORDS[rand() % WORDS.length] : rand();
    u8[i] = x;
    u8[i + 1] = x >>> 8;
    u8[i + 2] = x >>> 16;
    u8[i + 3] = x >>> 24;
  }
}

describe("SIMD lane templates in compiled code (simdSource)", () => {
  it("agree with the interpreter's SIMD loop and the executor on every template op", () => {
    for (const t of LANE_TEMPLATES) {
      for (const { code, st } of instructions(funcs(t), simdOpIndex(t.name))) {
        fillMemory(st);
        differential(t, code, st, 100);
        // The destination may be any source register.
        if (t.operands[0].name !== "d" || t.operands[0].kind !== "v") continue;
        t.operands.forEach((o, j) => {
          if (j === 0 || o.kind !== "v") return;
          const aliased = code.slice();
          aliased[3] = code[3 + j];
          differential(t, aliased, st, 30);
        });
      }
    }
  });

  it("has a table with locals apart from operands and every op a distinct index", () => {
    const seen = new Set<number>();
    for (const t of LANE_TEMPLATES) {
      const index = simdOpIndex(t.name);
      assert.ok(!seen.has(index), t.name);
      seen.add(index);
      const operands = new Set(t.operands.map((o) => o.name));
      for (const [, local] of t.body.matchAll(/\b(?:const|let) (\w+) =/g)) {
        assert.ok(!operands.has(local), `${t.name}: local ${local} shadows an operand`);
      }
    }
  });

  it("gives null outside the table and off memory 0's 32-bit fast path", () => {
    const ctx = { fault: () => "return 1;", index64: () => false };
    const wat = [
      "(func (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))",
      "(func (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))",
    ];
    for (const [i, name] of ["f32x4.min", "i8x16.swizzle"].entries()) {
      const [{ code }] = instructions([wat[i]], simdOpIndex(name));
      assert.equal(simdSource(code, 0, ctx), null, name);
    }
    const load = LANE_TEMPLATES.find((t) => t.name === "v128.load")!;
    const [{ code }] = instructions(funcs(load), simdOpIndex("v128.load"));
    assert.notEqual(simdSource(code, 0, ctx), null);
    assert.equal(simdSource(code, 0, { ...ctx, index64: () => true }), null, "memory64");
    const other = code.slice(), high = code.slice(), short = code.slice();
    other[5] = 1;
    high[7] = 1;
    short[2] = 4;
    assert.equal(simdSource(other, 0, ctx), null, "memory 1");
    assert.equal(simdSource(high, 0, ctx), null, "offset high word");
    assert.equal(simdSource(short, 0, ctx), null, "operand count");
  });

  it("lists every register access of an instruction, reads inside a write's value included", () => {
    const add = Int32Array.of(IR["simd"], simdOpIndex("i32x4.add"), 3, 4, 8, 12);
    const ctx = { fault: () => "", index64: () => false };
    const acc = simdInline(add, 0, ctx)!.accesses;
    for (let k = 0; k < 4; k++) {
      assert.ok(acc.some(([w, c]) => w === 8 + k && c === I), `read of word ${8 + k}`);
      assert.ok(acc.some(([w, c]) => w === 12 + k && c === I), `read of word ${12 + k}`);
      assert.ok(acc.some(([w, c]) => w === 4 + k && c === IW), `write of word ${4 + k}`);
    }
    const mac = Int32Array.of(IR["simd"], simdOpIndex("F32_MUL_ADD"), 4, 4, 8, 12, 16);
    const floats = simdInline(mac, 0, ctx)!.accesses.filter(([, c]) => c === F).map(([w]) => w);
    for (const w of [4, 8, 12, 16]) assert.ok(floats.includes(w), `float access of word ${w}`);
    assert.equal(simdInline(Int32Array.of(IR["simd"], -1, 0), 0, ctx), null);
  });

  it("folds operands into literals and leaves through the context's fault", () => {
    const code = Int32Array.of(IR["simd"], simdOpIndex("LOAD_D"), 6, 4, 10, 0, 16, 0, -32, 0);
    const src = simdSource(code, 0, { fault: () => "FAULT();", index64: () => false })!;
    assert.match(src, /const \$t_ea = \(\(I32\[fp \+ 10\] \+ -32\) >>> 0\) \+ 16;/);
    assert.match(src, /if \(\$t_ea > memLen - 16\) \{ FAULT\(\); \}/);
    assert.match(src, /I32\[fp \+ 7\] = DV\.getInt32\(\$t_ea \+ 12, true\);/);
    const f64 = Int32Array.of(IR["simd"], simdOpIndex("f64x2.add"), 3, 4, 8, 12, 0);
    assert.match(simdSource(f64, 0, ctx0)!, /\$t_r1 = F64\[fd \+ 5\] \+ F64\[fd \+ 7\];/);
    assert.match(
      simdSource(f64, 0, ctx0)!,
      /F64\[fd \+ 3\] = \$t_r1 === \$t_r1 \? \$t_r1 : QNAN\[0\];/,
    );
    // An i16 lane: a half of its word.
    const ext = Int32Array.of(IR["simd"], simdOpIndex("i32x4.extend_high_i16x8_s"), 2, 4, 8);
    assert.match(simdSource(ext, 0, ctx0)!, /\$t_r3 = \(I32\[fp \+ 11\] >> 16\);/);
    assert.match(simdSource(ext, 0, ctx0)!, /\$t_r2 = \(\(I32\[fp \+ 11\] << 16\) >> 16\);/);
  });
});

const ctx0 = { fault: () => "return 1;", index64: () => false };
