/**
 * SIMD memory operations vs native WebAssembly: every load/store form at
 * unaligned and aligned addresses, every lane of the lane forms; the loaded
 * register and the whole memory image must match bit for bit.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { OPCODES, type OpInfo } from "../binary/opcodes.ts";
import { SIMD_MEM_OPS } from "./table.ts";
import { simdViews } from "./views.ts";
import { fillVector, Rng } from "./_edge_values.ts";

const ROWS = OPCODES.filter((op) => op.feature === "simd" && op.align >= 0);
const TRIALS = 200;
const SRC = 16; // input vector of stores and lane loads (register and memory alike)
const DATA = 64; // memory data region [DATA, DATA + 256)
const SIZE = 512;

function lanes(op: OpInfo): number {
  return op.name.includes("_lane") ? 16 >> op.align : 1;
}

function moduleFor(op: OpInfo): string {
  const src = `(v128.load (i32.const ${SRC}))`;
  const funcs: string[] = [];
  for (let l = 0; l < lanes(op); l++) {
    const lane = op.name.includes("_lane") ? ` ${l}` : "";
    const ins = `${op.name} align=1${lane} (local.get 0)`;
    const body = op.sig === "av:"
      ? `(${ins} ${src})`
      : `(v128.store (i32.const 0) (${ins}${op.sig === "av:v" ? " " + src : ""}))`;
    funcs.push(`(func (export "f${l}") (param i32) ${body})`);
  }
  return `(module (memory (export "m") 1) ${funcs.join(" ")})`;
}

function hex(u8: Uint8Array, from: number, to: number): string {
  return [...u8.subarray(from, to)].map((x) => x.toString(16).padStart(2, "0")).join("");
}

describe("SIMD memory operations vs native WebAssembly", () => {
  for (const op of ROWS) {
    it(op.name, async () => {
      const bytes = await parse(moduleFor(op));
      const inst = new WebAssembly.Instance(
        new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>),
        {},
      );
      const native = new Uint8Array((inst.exports.m as WebAssembly.Memory).buffer, 0, SIZE);
      const mem = new Uint8Array(SIZE);
      const regs = new Uint8Array(64);
      const r = simdViews(regs.buffer);
      const impl = SIMD_MEM_OPS.get(op.name)!;
      const rng = new Rng(op.index + 17);
      for (let lane = 0; lane < lanes(op); lane++) {
        const f = inst.exports[`f${lane}`] as (addr: number) => void;
        for (let t = 0; t < TRIALS; t++) {
          native.fill(0, 0, 16);
          for (let p = SRC; p < DATA + 256; p += 16) fillVector(rng, native, p);
          mem.set(native);
          regs.fill(0);
          regs.set(native.subarray(SRC, SRC + 16), SRC);
          const addr = DATA + (t < 16 ? t : rng.below(256 - 16));
          const isStore = op.sig === "av:";
          impl(r, isStore ? SRC : 0, mem, addr, lane, SRC);
          f(addr);
          if (!isStore) {
            assert.equal(hex(regs, 0, 16), hex(native, 0, 16), `${op.name} lane ${lane} @${addr}`);
          }
          // Below SRC, native holds the loaded vector that it stored for us to read.
          assert.equal(hex(mem, SRC, SIZE), hex(native, SRC, SIZE), `${op.name} memory @${addr}`);
          assert.equal(hex(regs, SRC, SRC + 16), hex(native, SRC, SRC + 16), "input intact");
        }
      }
    });
  }

  it("load lane into its own input register", () => {
    const regs = new Uint8Array(32), mem = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    for (let i = 0; i < 16; i++) regs[i] = i;
    SIMD_MEM_OPS.get("v128.load32_lane")!(simdViews(regs.buffer), 0, mem, 4, 2, 0);
    assert.deepEqual([...regs.subarray(0, 16)], [
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      0xa4,
      0xa5,
      0xa6,
      0xa7,
      12,
      13,
      14,
      15,
    ]);
  });
});
