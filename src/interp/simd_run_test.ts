import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../text/parse_wat.ts";
import { Module } from "../api/module.ts";
import { Instance, instanceState } from "../api/instance.ts";
import { RuntimeError } from "../errors.ts";
import { translateFunction } from "./translate.ts";
import { disassemble } from "./disasm.ts";

// Dot products in the shape compilers emit (address add, load, mul, add), an
// i16x8 kernel with a store, and loads whose displacement wraps.
const WAT = `(module (memory (export "mem") 1)
  (func (export "dotf") (param $p i32) (param $q i32) (param $n i32) (result f32)
    (local $acc v128) (local $s v128) (local $i i32)
    (loop $l
      (local.set $acc (f32x4.add (local.get $acc)
        (f32x4.mul (v128.load (i32.add (local.get $p) (i32.const 16)))
                   (v128.load (i32.add (local.get $q) (i32.const 0))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.set $s (f32x4.add (local.get $acc) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
      (local.get $acc) (local.get $acc))))
    (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s))))
  (func (export "doti") (param $p i32) (param $q i32) (param $n i32) (result i32)
    (local $acc v128) (local $i i32)
    (loop $l
      (local.set $acc (i32x4.add
        (i32x4.mul (v128.load (local.get $q)) (v128.load offset=16 (i32.sub (local.get $p) (i32.const 16))))
        (local.get $acc)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
  (func (export "mix") (param $p i32) (param $q i32) (param $n i32)
    (local $x v128) (local $m v128) (local $i i32)
    (loop $l
      (local.set $x (i16x8.add_sat_s (v128.load (local.get $p)) (v128.load (local.get $q))))
      (local.set $m (i16x8.gt_s (local.get $x) (i16x8.splat (i32.const 3))))
      (local.set $x (v128.bitselect (i16x8.sub (local.get $x) (i16x8.splat (i32.const 3)))
        (i16x8.neg (local.get $x)) (local.get $m)))
      (v128.store (local.get $p) (i16x8.shr_s (local.get $x) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
  (func (export "widen") (param $p i32) (param $n i32) (result i32)
    (local $acc v128) (local $x v128) (local $i i32)
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (local.set $acc (i32x4.add (local.get $acc) (i32x4.extend_low_i16x8_s (local.get $x))))
      (local.set $acc (i32x4.add (i32x4.extend_high_i16x8_s (local.get $x)) (local.get $acc)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.xor (i32.xor (i32x4.extract_lane 0 (local.get $acc)) (i32.rotl (i32x4.extract_lane 1 (local.get $acc)) (i32.const 8)))
      (i32.xor (i32.rotl (i32x4.extract_lane 2 (local.get $acc)) (i32.const 16))
        (i32.rotl (i32x4.extract_lane 3 (local.get $acc)) (i32.const 24)))))
  (func (export "wrap") (param $a i32) (result i32)
    (i32x4.extract_lane 1 (v128.load offset=4 (i32.add (local.get $a) (i32.const 32))))))`;

type Exports = {
  mem: { buffer: ArrayBuffer };
  dotf(p: number, q: number, n: number): number;
  doti(p: number, q: number, n: number): number;
  mix(p: number, q: number, n: number): void;
  widen(p: number, n: number): number;
  wrap(a: number): number;
};

function setup(func = 0): { e: Exports; listing: string } {
  const inst = new Instance(new Module(parseWat(WAT)));
  const listing = disassemble(translateFunction(instanceState(inst).funcs[func]));
  return { e: inst.exports as unknown as Exports, listing };
}

describe("SIMD dispatch loop and fused SIMD ops", () => {
  it("f32x4 dot product: fused load/mul/add, same rounding as separate ops", () => {
    const { e, listing } = setup();
    const f = new Float32Array(e.mem.buffer);
    for (let i = 0; i < 256; i++) f[i] = Math.fround(Math.sin(i) * 1000);
    // The loop's five SIMD/address ops are two (load with displacement;
    // load*mul+add), then shuffle, add and two extracts: 6 in all (8 unfused).
    assert.equal(listing.split("\n").filter((l) => l.includes(" simd ")).length, 6);
    const lanes = [0, 0, 0, 0];
    const n = 20, p = 0, q = 512;
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < 4; l++) {
        const prod = Math.fround(f[(p + 16 + 16 * i) / 4 + l] * f[(q + 16 * i) / 4 + l]);
        lanes[l] = Math.fround(lanes[l] + prod);
      }
    }
    const s0 = Math.fround(lanes[0] + lanes[2]), s1 = Math.fround(lanes[1] + lanes[3]);
    assert.equal(e.dotf(p, q, n), Math.fround(s0 + s1));
  });

  it("i32x4 dot product wraps like i32 arithmetic", () => {
    const { e } = setup();
    const w = new Int32Array(e.mem.buffer);
    for (let i = 0; i < 256; i++) w[i] = (i * 0x9e3779b1) | 0;
    let acc = 0;
    const n = 24, p = 64, q = 512;
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < 4; l++) {
        acc = (acc + Math.imul(w[(q + 16 * i) / 4 + l], w[(p + 16 * i) / 4 + l])) | 0;
      }
    }
    assert.equal(e.doti(p, q, n), acc);
  });

  it("i16x8 saturating add, compare, select, shift and store", () => {
    const { e } = setup();
    const h = new Int16Array(e.mem.buffer);
    const vals = [32767, -32768, 1, -1, 0, 3, 4, 20000, -20000, 12345];
    for (let i = 0; i < 64; i++) h[i] = vals[i % vals.length], h[256 + i] = vals[(i * 7) % 10];
    const want = Array.from(h.slice(0, 64), (a, i) => {
      const s = Math.max(-32768, Math.min(32767, a + h[256 + i]));
      const x = s > 3 ? ((s - 3) << 16) >> 16 : ((-s) << 16) >> 16;
      return x >> 1;
    });
    e.mix(0, 512, 8);
    assert.deepEqual(Array.from(h.slice(0, 64)), want);
  });

  it("i16x8 lanes widened and accumulated (extend + add fused), low and high halves", () => {
    const { e, listing } = setup(3);
    // load, two extend+add, four extracts (9 unfused).
    assert.equal(listing.split("\n").filter((l) => l.includes(" simd ")).length, 7);
    const h = new Int16Array(e.mem.buffer);
    for (let i = 0; i < 80; i++) h[i] = ((i * 7919) % 65536) - 32768;
    const acc = [0, 0, 0, 0];
    for (let k = 0; k < 10; k++) {
      for (let l = 0; l < 4; l++) acc[l] = (acc[l] + h[8 * k + l] + h[8 * k + 4 + l]) | 0;
    }
    const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
    assert.equal(e.widen(0, 10), acc[0] ^ rotl(acc[1], 8) ^ rotl(acc[2], 16) ^ rotl(acc[3], 24));
  });

  it("a fused displacement wraps at 2^32 before the offset; out of bounds traps", () => {
    const { e } = setup();
    const w = new Int32Array(e.mem.buffer);
    for (let i = 0; i < 16; i++) w[i] = 1000 + i;
    // The vector at (-16 + 32) mod 2^32 + 4 = byte 20: its lane 1 is bytes 24..27.
    assert.equal(e.wrap(-16), w[6]);
    assert.equal(e.wrap(-32), w[2]);
    assert.throws(() => e.wrap(65536 - 40), (err) => err instanceof RuntimeError);
    assert.throws(() => e.dotf(65536 - 16, 0, 1), /out of bounds/);
    assert.throws(() => e.doti(0, 65536 - 8, 1), /out of bounds/);
  });
});
