/**
 * The spec's SIMD scripts (`core/simd_*.wast` and the relaxed-SIMD files of
 * `core-wasm3/in-scope`) run against these lane semantics alone, before the
 * interpreter exists: a tiny stack evaluator runs every exported function
 * whose body is straight-line SIMD code (locals, constants, SIMD and SIMD
 * memory instructions), and the `assert_return`/`assert_trap` commands that
 * call one are checked. Functions using anything else are skipped and
 * counted; validation and parsing asserts belong to other tests.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { corpus } from "../../tests/_shared.ts";
import { Imm, opByCode, type OpInfo } from "../binary/opcodes.ts";
import { decodeModule } from "../binary/decode.ts";
import { ALL_FEATURES } from "../binary/features.ts";
import type { Expr, ModuleStruct } from "../binary/types.ts";
import { parseWast, wastModuleBytes } from "../text/wast.ts";
import type { WastResult, WastValue } from "../text/wast.ts";
import { SIMD_MEM_OPS_BY_INDEX, SIMD_OPS_BY_INDEX } from "./table.ts";
import { simdViews } from "./views.ts";

/** One decoded instruction of a straight-line body. */
type Step =
  | { k: "get" | "set" | "tee"; i: number }
  | { k: "const"; bytes: Uint8Array }
  | { k: "drop" }
  | { k: "simd"; op: OpInfo; pool: Uint8Array | null; lane: number; offset: number };

interface Func {
  nparams: number;
  nlocals: number;
  results: number;
  steps: Step[];
}

const POOL_SLOTS = 32;

/** Straight-line bodies only; null when any other instruction appears. */
function compile(m: ModuleStruct, index: number): Func | null {
  const nimp = m.imports.filter((i) => i.desc.kind === 0).length;
  if (index < nimp) return null;
  const code = m.codes[index - nimp];
  const type = m.types[m.funcs[index - nimp]];
  const nparams = type.params.length;
  const nlocals = nparams + code.locals.reduce((n, l) => n + l.count, 0);
  const steps = straightLine(code.body);
  return steps && { nparams, nlocals, results: type.results.length, steps };
}

function constExpr(e: Expr): Func {
  const steps = straightLine(e);
  if (!steps) throw new Error("unsupported constant expression");
  return { nparams: 0, nlocals: 0, results: 1, steps };
}

function straightLine(e: Expr): Step[] | null {
  const b = e.bytes;
  let p = 0;
  const leb = (): number => {
    let x = 0, shift = 0, byte;
    do {
      byte = b[p++];
      x += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return x;
  };
  const sleb = (): bigint => {
    let x = 0n, shift = 0n, byte;
    do {
      byte = b[p++];
      x |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    return byte & 0x40 ? x - (1n << shift) : x;
  };
  const take = (n: number) => b.slice(p, p += n);
  const steps: Step[] = [];
  for (;;) {
    const opcode = b[p++];
    if (opcode === 0x0b) break;
    if (opcode >= 0x20 && opcode <= 0x22) {
      steps.push({ k: (["get", "set", "tee"] as const)[opcode - 0x20], i: leb() });
    } else if (opcode === 0x1a) steps.push({ k: "drop" });
    else if (opcode === 0x41 || opcode === 0x42) {
      const v = sleb(), bytes = new Uint8Array(16);
      new DataView(bytes.buffer).setBigInt64(0, BigInt.asIntN(64, v), true);
      steps.push({ k: "const", bytes });
    } else if (opcode === 0x43 || opcode === 0x44) {
      const bytes = new Uint8Array(16);
      bytes.set(take(opcode === 0x43 ? 4 : 8));
      steps.push({ k: "const", bytes });
    } else if (opcode === 0xfd) {
      const op = opByCode(0xfd, leb());
      if (op === undefined) return null;
      let pool: Uint8Array | null = null, lane = 0, offset = 0;
      if (op.align >= 0) {
        if (leb() & 0x40) return null; // an explicit memory index
        offset = leb();
      }
      if (op.imm === Imm.V128 || op.imm === Imm.Shuffle) pool = take(16);
      if (op.imm === Imm.Lane || op.imm === Imm.MemArgLane) lane = b[p++];
      steps.push({ k: "simd", op, pool, lane, offset });
    } else return null;
  }
  return steps;
}

class Trap extends Error {}

function accessSize(op: OpInfo): number {
  const m = /(\d+)(x\d+)?_(lane|splat|zero|[su])$/.exec(op.name);
  if (!m) return 16;
  return m[2] ? 8 : Number(m[1]) / 8;
}

/** Runs `f` with `args` (16-byte slots); returns the result slots. */
function run(f: Func, args: Uint8Array[], mem: Uint8Array): Uint8Array[] {
  const slots = f.nlocals + f.steps.length + POOL_SLOTS;
  const regs = new Uint8Array(slots * 16);
  const r = simdViews(regs.buffer);
  args.forEach((a, i) => regs.set(a, i * 16));
  let sp = f.nlocals; // next free slot
  const pool = (slots - 1) * 16;
  for (const s of f.steps) {
    if (s.k === "get") regs.copyWithin(sp++ * 16, s.i * 16, s.i * 16 + 16);
    else if (s.k === "set") regs.copyWithin(s.i * 16, --sp * 16, sp * 16 + 16);
    else if (s.k === "tee") regs.copyWithin(s.i * 16, (sp - 1) * 16, sp * 16);
    else if (s.k === "drop") sp--;
    else if (s.k === "const") regs.set(s.bytes, sp++ * 16);
    else if (s.k === "simd") {
      const { op } = s;
      const [params, result] = op.sig!.split(":");
      sp -= params.length;
      const at = (k: number) => (sp + k) * 16;
      if (s.pool) regs.set(s.pool, pool);
      if (op.align >= 0) {
        const addr = r.u32[at(0) >> 2] + s.offset;
        if (addr + accessSize(op) > mem.length) throw new Trap("out of bounds memory access");
        // Loads replace the address slot; stores read the vector above it.
        const v = result === "" ? at(1) : at(0);
        SIMD_MEM_OPS_BY_INDEX[op.index]!(r, v, mem, addr, s.lane, at(1));
      } else if (op.name === "v128.const") {
        SIMD_OPS_BY_INDEX[op.index]!(r, at(0), pool, 0, 0);
      } else {
        const c = op.imm === Imm.Lane ? s.lane : op.imm === Imm.Shuffle ? pool : at(2);
        SIMD_OPS_BY_INDEX[op.index]!(r, at(0), at(0), at(1), c);
      }
      if (result !== "") sp++;
    }
  }
  return Array.from(
    { length: f.results },
    (_, k) => regs.slice((sp - f.results + k) * 16, (sp - f.results + k + 1) * 16),
  );
}

function argBytes(v: WastValue): Uint8Array {
  const out = new Uint8Array(16), dv = new DataView(out.buffer);
  if (v.type === "i32") dv.setInt32(0, v.value, true);
  else if (v.type === "i64") dv.setBigInt64(0, v.value, true);
  else if (v.type === "f32") dv.setUint32(0, v.bits, true);
  else if (v.type === "f64") dv.setBigUint64(0, v.bits, true);
  else if (v.type === "v128") out.set(v.bytes);
  else throw new Error(`unsupported argument ${v.type}`);
  return out;
}

function nanOk(
  bytes: Uint8Array,
  at: number,
  w: number,
  kind: "canonical" | "arithmetic",
): boolean {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at);
  if (w === 4) {
    const x = dv.getUint32(0, true);
    if ((x & 0x7f800000) !== 0x7f800000) return false;
    return kind === "canonical" ? (x & 0x7fffff) === 0x400000 : (x & 0x400000) !== 0;
  }
  const x = dv.getBigUint64(0, true);
  if ((x & 0x7ff0000000000000n) !== 0x7ff0000000000000n) return false;
  const m = x & 0xfffffffffffffn;
  return kind === "canonical" ? m === 0x8000000000000n : (m & 0x8000000000000n) !== 0n;
}

function matches(got: Uint8Array, want: WastResult): boolean {
  if (want.type === "either") return want.options.some((o) => matches(got, o));
  if ("nan" in want) return nanOk(got, 0, want.type === "f32" ? 4 : 8, want.nan);
  if (want.type === "v128" && "lanes" in want) {
    const w = want.shape === "f32x4" ? 4 : 8;
    return want.lanes.every((l, k) =>
      "nan" in l ? nanOk(got, k * w, w, l.nan) : matches(got.subarray(k * w, k * w + w), l)
    );
  }
  const exp = argBytes(want as WastValue);
  const n = want.type === "i32" || want.type === "f32" ? 4 : want.type === "v128" ? 16 : 8;
  return got.subarray(0, n).every((x, i) => x === exp[i]);
}

function hex(u8: Uint8Array): string {
  return [...u8].map((x) => x.toString(16).padStart(2, "0")).join("");
}

interface Tally {
  passed: number;
  skipped: number;
  failures: string[];
}

function runScript(path: string): Tally {
  const t: Tally = { passed: 0, skipped: 0, failures: [] };
  let funcs = new Map<string, Func | null>();
  let mem = new Uint8Array(0);
  for (const cmd of parseWast(readFileSync(path, "utf8"), path)) {
    if (cmd.type === "module" && !cmd.definition) {
      const m = decodeModule(wastModuleBytes(cmd.module), ALL_FEATURES);
      funcs = new Map();
      for (const e of m.exports) if (e.kind === 0) funcs.set(e.name, compile(m, e.index));
      mem = new Uint8Array(m.memories.length ? Number(m.memories[0].limits.min) * 65536 : 0);
      for (const d of m.datas) {
        if (d.mode !== "active") continue;
        // Data offsets in these scripts are all `i32.const N`: run them as a body.
        const at = run(constExpr(d.offset!), [], mem)[0];
        mem.set(d.bytes, new DataView(at.buffer).getUint32(0, true));
      }
      continue;
    }
    if (cmd.type !== "assert_return" && cmd.type !== "assert_trap") continue;
    if (cmd.action.type !== "invoke" || cmd.action.module !== null) {
      t.skipped++;
      continue;
    }
    const f = funcs.get(cmd.action.field);
    if (!f) {
      t.skipped++;
      continue;
    }
    const where = `${path.split("/").pop()}:${cmd.line}`;
    try {
      const got = run(f, cmd.action.args.map(argBytes), mem);
      if (cmd.type === "assert_trap") t.failures.push(`${where}: expected trap "${cmd.text}"`);
      else if (cmd.expected.every((e, k) => matches(got[k], e))) t.passed++;
      else t.failures.push(`${where}: got ${got.map(hex).join(" ")}`);
    } catch (e) {
      if (!(e instanceof Trap)) throw e;
      if (cmd.type === "assert_trap" && cmd.text.startsWith(e.message)) t.passed++;
      else t.failures.push(`${where}: unexpected trap ${e.message}`);
    }
  }
  return t;
}

describe("spec SIMD scripts against the lane semantics", () => {
  const sets: [string, (f: string) => boolean][] = [
    ["testsuite/core", (f) => f.startsWith("simd_")],
    ["testsuite/core-wasm3/in-scope", (f) => f.includes("relaxed")],
  ];
  let total = 0, skipped = 0;
  for (const [rel, pick] of sets) {
    const dir = corpus(rel);
    if (dir === null) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".wast") && pick(f)).sort()) {
      it(file, () => {
        const t = runScript(join(dir, file));
        total += t.passed;
        skipped += t.skipped;
        assert.deepEqual(t.failures.slice(0, 10), [], `${t.failures.length} failed`);
      });
    }
  }
  it("summary", () => {
    console.log(`spec SIMD asserts: ${total} passed on lane semantics alone, ${skipped} skipped`);
    assert.ok(total > 0);
  });
});
