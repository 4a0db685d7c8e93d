import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { emitFunction } from "./emit.ts";
import type { JitMode } from "./tier.ts";
import {
  AS_DOUBLE,
  AS_FLOAT,
  AS_INT,
  CANON_INT,
  CANON_MEM,
  READ,
  SAFE_BITS,
  Satellites,
  WRITE,
} from "./webs.ts";

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
    const sats = new Set([...src.matchAll(/(\$s\d+f) = Math\.fround\(/g)].map((m) => m[1]));
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
          (local.set $w (f32x4.add (local.get $w) (f32x4.sub (local.get $v) (local.get $w))))
          (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
        (i32.xor (i32x4.extract_lane 0 (local.get $v))
          (i32.rotl (i32x4.extract_lane 1 (local.get $v)) (i32.const 7)))))`));
    // (Unoptimized V8 code keeps a signalling NaN through a float32 local,
    // so the results alone would not tell.) $v's words 2 and 3 (lanes 0
    // and 1, the extracted ones) are never float32 satellites, reloaded
    // through F32; words 4 and 5 may be: nothing reads their bits.
    const src = source(module, 0);
    assert.match(src, /\$s[2-5]i = I32\[fp \+ [2-5]\];/);
    assert.doesNotMatch(src, /\$s[23]f = F32\[/);
    const signalling = (buffer: ArrayBuffer) => {
      const i = new Int32Array(buffer, 0, 8);
      i.set([0x7f800001, 0x7fa00000, 0x3f800000, 0xff800123 | 0]);
    };
    const got = sameInEveryTier(module, signalling, (e) => e.bits(0));
    assert.equal(got, (0x7f800001 ^ ((0x7fa00000 << 7) | (0x7fa00000 >>> 25))) | 0);
  });
});

describe("JIT: satellites, found by fuzzing", () => {
  it("moves an f64 into a float64 satellite as a float64 (seed 41306, reduced)", () => {
    // The local's f64 is moved (mov64) into a stack slot whose other values
    // are i32s: the move is that web's float64 write.
    const module = new Module(parseWat(`(module
      (func (export "f")
        (local $0 f64)
        (block $block
          (drop (i64.extend_i32_s (f64.lt (local.get $0)
            (block (result f64)
              (drop (ref.as_non_null (ref.null none)))
              (select (local.get $0) (f64.const 0)
                (try_table (result i32) (catch_all $block) (unreachable))))))))))`));
    const outcome = (jit: JitMode) => {
      const e = new Instance(module, {}, { store: new Store({ jit }) }).exports as Exports;
      return [0, 1].map(() => {
        try {
          return e.f();
        } catch (x) {
          return String(x);
        }
      });
    };
    assert.deepEqual(outcome("eager"), outcome("off"));
    assert.match(String(outcome("off")[0]), /RuntimeError: null reference/);
  });
  it("moves an f64 into a float64 satellite even where the slot's home is the file (seed 46409, reduced)", () => {
    // The stack slot holds the if's i32 condition, then the f64 the then
    // arm moves into it (mov64 from the parameter's float64 local), which
    // f64.div reads from its satellite: the move must write the satellite.
    const module = new Module(parseWat(`(module
      (func (export "f") (param $0 f64) (result f64)
        (call $id (f64.div
          (if (result f64) (i32.eqz (i32.const 0))
            (then (local.tee $0 (f64.const 2147483647.15)))
            (else (unreachable)))
          (local.get $0))))
      (func $id (param f64) (result f64) (local.get 0)))`));
    for (const jit of ["off", "eager"] as const) {
      const e = new Instance(module, {}, { store: new Store({ jit }) }).exports as Exports;
      assert.equal(e.f(0), 1, `jit ${jit}`);
    }
  });
  it("reads what a fused pair's first part wrote from that web (seed 42008, reduced)", () => {
    // i32.load+br_if: the address is one web of its stack slot (a
    // satellite), the loaded value another (home: ref.func takes the slot
    // next); br_if must read the loaded value, not the address.
    const module = new Module(parseWat(`(module
  (import "m" "logf" (func $logf (param f64)))
  (import "m" "logi" (func $logi (param i32)))
  (global $g (mut i32) (i32.const 100))
  (memory 1)
  (data (i32.const 4) "\\01")
  (elem declare func $f)
  (func $f (export "f") (result i32)
    (local $5 f64)
    (if (i32.eqz (global.get $g)) (then (unreachable)))
    (global.set $g (i32.sub (global.get $g) (i32.const 1)))
    (call $logi (global.get $g))
    (if (i32.eqz (i32.load offset=4 (i32.and (i32.const -2147483648) (i32.const 15))))
      (then (drop (ref.func $f)) (return (i32.const 1))))
    (drop (try_table (result f64) (call $logf (local.get $5)) (f64.const 9223372036854775808)))
    (unreachable)))`));
    const outcome = (jit: JitMode) => {
      const log: string[] = [];
      const m = {
        logf: (x: number) => log.push(`f ${x}`),
        logi: (x: number) => log.push(`i ${x}`),
      };
      const e = new Instance(module, { m }, { store: new Store({ jit }) }).exports as Exports;
      for (let k = 0; k < 2; k++) {
        try {
          e.f();
        } catch (x) {
          log.push(String(x));
        }
      }
      return log;
    };
    assert.deepEqual(outcome("eager"), outcome("off"));
    assert.deepEqual(outcome("off"), [
      "i 99",
      "f 0",
      "RuntimeError: unreachable",
      "i 98",
      "f 0",
      "RuntimeError: unreachable",
    ]);
  });
  it("stores what an exception handler reads at a call that may throw (seed 42844, reduced)", () => {
    // The index, copied to a stack slot before the call, is read after the
    // catch: an edge the code does not show. No satellite where handlers are.
    const module = new Module(parseWat(`(module
  (type $a (array (mut i32)))
  (import "m" "throw" (func $throw (param i32)))
  (func (export "f") (param $0 i32)
    (array.fill $a
      (array.new $a (i32.const 7) (i32.const 94))
      (local.get $0)
      (block (result i32)
        (block $block
          (try_table (catch_all $block) (call $throw (i32.const 0)))
          (unreachable))
        (array.get $a (array.new $a (i32.const 3) (i32.const 92)) (i32.const 0)))
      (i32.const 0))))`));
    const outcome = (jit: JitMode) => {
      const m = {
        throw: () => {
          throw new Error("thrown by the host");
        },
      };
      const e = new Instance(module, { m }, { store: new Store({ jit }) }).exports as Exports;
      return [137, 1, 137].map((p) => {
        try {
          return e.f(p);
        } catch (x) {
          return String(x);
        }
      });
    };
    assert.deepEqual(outcome("eager"), outcome("off"));
    assert.match(String(outcome("off")[0]), /out of bounds array access/);
  });
});

describe("JIT: satellites' rules, on accesses given directly", () => {
  // Four instructions in a row, each of word 0: a write of constant bits,
  // a float32 update (read, then write), a float32 read, an int32 read.
  const line = (access: number[][], clobber = [-1, -1, -1, -1], args = [null, null, null, null]) =>
    new Satellites(
      {
        succ: [[1], [2], [3], []],
        access,
        moves: [[], [], [], []],
        clobber: Int32Array.from(clobber),
        args,
        ordered: Uint8Array.of(1, 1, 1, 1),
        words: new Map([[0, CANON_INT]]),
        paramWords: 0,
      },
      2,
      Int32Array.of(0, 1, 2, 3),
    );
  const update = [0, READ | AS_FLOAT, 0, WRITE | AS_FLOAT];

  it("splits a word's values into webs, and holds a mostly float32 one as a float32 local", () => {
    const s = line([[0, WRITE | AS_INT | SAFE_BITS], update, [0, READ | AS_FLOAT], [
      0,
      READ | AS_INT,
    ]]);
    // The constant and the update's read are one web (int32 home), the
    // update's write and the reads after it another (float32 satellite).
    assert.equal(s.at(0, 0, true), undefined);
    assert.equal(s.at(1, 0, false), undefined);
    const sat = s.at(1, 0, true)!;
    assert.equal(sat.kind, "f");
    assert.equal(s.at(2, 0, false), sat);
    assert.equal(s.at(3, 0, false), sat);
    // It holds the value where the code resumes after the update, not before.
    assert.deepEqual([0, 1, 2, 3].map((pc) => s.liveAt(pc).includes(sat)), [
      false,
      false,
      true,
      true,
    ]);
  });

  it("keeps a web home where something out of sight writes it, or bits it cannot hold are read", () => {
    const clobbered = line(
      [[0, WRITE | AS_INT | SAFE_BITS], update, [0, READ | AS_FLOAT], [0, READ | AS_INT]],
      [-1, -1, 0, -1],
    );
    assert.equal(clobbered.locals.length, 0, "a call between the write and the reads");
    // A loaded value (any bits) read as int32 after float32 reads: never a float32 local.
    const loaded = line([[0, WRITE | AS_INT], [0, READ | AS_FLOAT], [0, READ | AS_FLOAT], [
      0,
      READ | AS_INT,
    ]]);
    assert.equal(loaded.locals.length, 0);
    // Not read as int32: it may be (a float32 read quiets the same NaN either way).
    const floats = line([[0, WRITE | AS_INT], [0, READ | AS_FLOAT], [0, READ | AS_FLOAT], []]);
    assert.equal(floats.at(0, 0, true)?.kind, "f");
  });

  it("gives a slot's float64 web one local for both words, only in the register file's home", () => {
    const d = [0, WRITE | AS_DOUBLE, 1, WRITE | AS_DOUBLE];
    const access = [[0, WRITE | AS_INT], [0, READ | AS_INT, ...d], [
      0,
      READ | AS_DOUBLE,
      1,
      READ | AS_DOUBLE,
    ], []];
    const make = (canon: number) =>
      new Satellites(
        {
          succ: [[1], [2], [3], []],
          access,
          moves: [[], [], [], []],
          clobber: Int32Array.of(-1, -1, -1, -1),
          args: [null, null, null, null],
          ordered: Uint8Array.of(1, 1, 1, 1),
          words: new Map([[0, canon], [1, canon]]),
          paramWords: 0,
        },
        2,
        Int32Array.of(0, 1, 2, 3),
      );
    const s = make(CANON_MEM), sat = s.at(1, 0, true)!;
    assert.equal(sat.kind, "d");
    assert.equal(s.at(1, 1, true), sat);
    assert.equal(s.at(2, 1, false), sat);
    // The conversion's int32 read stays home: another web.
    assert.notEqual(s.at(1, 0, false), sat);
    assert.equal(make(CANON_INT).locals.some((x) => x.kind === "d"), false);
  });
});
