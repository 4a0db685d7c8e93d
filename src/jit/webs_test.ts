import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { emitFunction } from "./emit.ts";
import type { JitMode } from "./tier.ts";

// deno-lint-ignore no-explicit-any
type Exports = Record<string, (...args: any[]) => any>;

/** `run` on a fresh instance of `module` (memory filled by `fill`) in each tier: all equal. */
function sameInEveryTier(
  module: Module,
  fill: (m: ArrayBuffer) => void,
  run: (e: Exports) => unknown,
): unknown {
  const of = (jit: JitMode) => {
    const e = new Instance(module, {}, { store: new Store({ jit }) }).exports;
    fill((e.memory as unknown as { buffer: ArrayBuffer }).buffer);
    return run(e as Exports);
  };
  const off = of("off");
  assert.deepEqual(of("eager"), off);
  assert.deepEqual(of("auto"), off);
  return off;
}

/** The emitted source of `module`'s function `index`. */
function source(module: Module, index: number): string {
  const fn = instanceState(new Instance(module, {})).funcs[index];
  return emitFunction(translateFunction(fn), { frame: fn, index, name: `f${index}` }).source;
}

/** Floats (and a few NaNs) in the first 8 KiB, as f32 lanes. */
function floats(buffer: ArrayBuffer): void {
  const f = new Float32Array(buffer, 0, 2048), i = new Int32Array(buffer, 0, 2048);
  for (let k = 0; k < f.length; k++) f[k] = ((k * 37) % 101) / 64 - 0.75;
  i[77] = 0x7fc00001; // a quiet NaN with a payload
}

describe("JIT: satellites (webs of a word held apart from its home)", () => {
  // One v128 local: an f32x4 accumulator in the first loop, an i32x4 one in
  // the second. Its words are int32 for the function, so without a
  // satellite the first loop converts every lane at every access.
  const wat = `(module
    (memory (export "memory") 1)
    (func (export "mix") (param $n i32) (result i32)
      (local $v v128) (local $i i32) (local $k i32) (local $f i32)
      (local.set $k (local.get $n))
      (loop $l1
        (local.set $v (f32x4.add (local.get $v)
          (f32x4.mul (v128.load (local.get $i)) (v128.load offset=4096 (local.get $i)))))
        (local.set $i (i32.and (i32.add (local.get $i) (i32.const 16)) (i32.const 4095)))
        (br_if $l1 (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      ;; Every lane's bits (read once: its loop's accesses outweigh it).
      (local.set $f (i32.xor
        (i32.xor (i32x4.extract_lane 0 (local.get $v)) (i32.rotl (i32x4.extract_lane 1 (local.get $v)) (i32.const 8)))
        (i32.xor (i32.rotl (i32x4.extract_lane 2 (local.get $v)) (i32.const 16)) (i32.rotl (i32x4.extract_lane 3 (local.get $v)) (i32.const 24)))))
      (local.set $v (v128.const i32x4 0 0 0 0))
      (local.set $k (local.get $n))
      (loop $l2
        (local.set $v (i32x4.add (local.get $v) (i32x4.mul (v128.load (local.get $i)) (local.get $v))))
        (local.set $v (i32x4.add (local.get $v) (v128.load offset=4096 (local.get $i))))
        (local.set $i (i32.and (i32.add (local.get $i) (i32.const 16)) (i32.const 4095)))
        (br_if $l2 (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (i32.xor (local.get $f) (i32x4.extract_lane 2 (local.get $v)))))`;

  it("holds an f32x4 accumulator as float32 locals in its loop, with the interpreter's results", () => {
    const module = new Module(parseWat(wat));
    const src = source(module, 0);
    const sats = new Set([...src.matchAll(/(\$s\d+_\d+) = Math\.fround\(/g)].map((m) => m[1]));
    assert.equal(sats.size, 4, "a float32 satellite per lane, written in the first loop");
    const sat = [...sats];
    // Loaded where a slice starts, as every register is.
    assert.match(src, new RegExp(`\\${sat[0]} = F32\\[fp \\+ \\d+\\];`));
    // Long enough loops that the slice budget runs out inside them many
    // times: each exit stores the accumulator back, each start reloads it.
    sameInEveryTier(module, floats, (e) => [e.mix(1), e.mix(7), e.mix(60_000)]);
  });

  it("keeps a signalling NaN's bits where a web is read as int32 bits too", () => {
    // $v's first web is mostly read as f32 lanes, but extract_lane reads
    // its bits: a float32 local would quiet the loaded signalling NaN.
    const module = new Module(parseWat(`(module
      (memory (export "memory") 1)
      (func (export "bits") (param $p i32) (result i32)
        (local $v v128) (local $w v128) (local $k i32)
        (local.set $k (i32.const 3))
        (loop $l
          (local.set $v (v128.load (local.get $p)))
          (v128.store offset=64 (local.get $p) (f32x4.add (local.get $v) (local.get $v)))
          (v128.store offset=80 (local.get $p) (f32x4.mul (local.get $v) (local.get $v)))
          (v128.store offset=96 (local.get $p) (f32x4.sub (local.get $v) (local.get $v)))
          (local.set $w (f32x4.add (local.get $w) (f32x4.min (local.get $v) (local.get $v))))
          (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
        (i32.xor (i32x4.extract_lane 0 (local.get $v))
          (i32.rotl (i32x4.extract_lane 1 (local.get $v)) (i32.const 7)))))`));
    // (Unoptimized V8 code keeps a signalling NaN through a float32 local,
    // so the results alone would not tell.) $v's words 2 and 3 (lanes 0
    // and 1, the extracted ones) are never float32 satellites, reloaded
    // through F32; words 4 and 5 may be: nothing reads their bits.
    const src = source(module, 0);
    assert.match(src, /\$s[2-5]_\d+ = I32\[fp \+ [2-5]\];/);
    assert.doesNotMatch(src, /\$s[23]_\d+ = F32\[/);
    const signalling = (buffer: ArrayBuffer) => {
      const i = new Int32Array(buffer, 0, 8);
      i.set([0x7f800001, 0x7fa00000, 0x3f800000, 0xff800123 | 0]);
    };
    const got = sameInEveryTier(module, signalling, (e) => e.bits(0));
    assert.equal(got, (0x7f800001 ^ ((0x7fa00000 << 7) | (0x7fa00000 >>> 25))) | 0);
  });
});
