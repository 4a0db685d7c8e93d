import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, RuntimeError, Store } from "../../mod.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { IR } from "../interp/ir_defs.ts";
import { simdOpIndex } from "../interp/simd_fused.ts";
import { simdExecute } from "../simd/executor.ts";
import { LANE_TEMPLATES } from "../simd/lane_templates.ts";
import { Rng } from "../simd/_edge_values.ts";
import type { Machine } from "../runtime/machine.ts";
import type { JitMode } from "./tier.ts";
import { emitFunction } from "./emit.ts";

type Exports = Record<string, (...a: unknown[]) => unknown>;

// Lane edges: the i16 extremes, around zero, and values whose sums and
// differences overflow.
const EDGES = [0, 1, -1, 2, 32767, -32768, 32766, -32767, 16384, -16384, 255, -256];

const rng = new Rng(0x6d2b79f5);
const lane16 =
  () => (rng.below(3) === 0 ? EDGES[rng.below(EDGES.length)] : (rng.u32() << 16) >> 16);

describe("i16 lanes held in compiled code (simd_lanes.ts)", () => {
  it("have lane expressions that agree with the executor on every op that has one", () => {
    const st = instanceState(new Instance(new Module(parseWat("(module (memory 1))")), {}));
    const file = new Int32Array(256), m = { buf: file.buffer } as unknown as Machine;
    const halves = new Int16Array(file.buffer);
    const withLanes = LANE_TEMPLATES.filter((t) => t.lane !== undefined);
    assert.ok(withLanes.length >= 9, "the i16 ops and the bitwise ones");
    for (const t of withLanes) {
      const names = t.operands.map((o) => o.name.toUpperCase());
      const lane = new Function(...names, `return ${t.lane};`) as (...x: number[]) => number;
      // Operand k's register at word 16 + 8k (the i32 one's word holds a shift count).
      const words = t.operands.map((_, k) => 16 + 8 * k);
      for (let round = 0; round < 300; round++) {
        for (let h = 32; h < 2 * (16 + 8 * t.operands.length); h++) halves[h] = lane16();
        t.operands.forEach((o, k) => {
          if (o.kind === "i") file[words[k]] = rng.below(40) - 3;
        });
        const inputs = new Int16Array(halves);
        const code = Int32Array.of(IR["simd"], simdOpIndex(t.name), words.length, ...words);
        simdExecute(m, st, 0, code, 0);
        for (let j = 0; j < 8; j++) {
          // A modular op's lanes may come in wide (any high bits below 2^24).
          const high = () => t.modular === undefined ? 0 : (rng.below(256) - 128) * 65536;
          const args = t.operands.map((o, k) =>
            o.kind === "i" ? file[words[k]] : inputs[2 * words[k] + j] + high()
          );
          let got = lane(...args);
          assert.ok(Number.isInteger(got) && Math.abs(got) < 2 ** 25, `${t.name}: ${got}`);
          if (t.modular !== undefined) got = (got << 16) >> 16;
          assert.equal((got << 16) >> 16, got, `${t.name}: lane ${j} not a sign-extended i16`);
          assert.equal(got, halves[2 * words[0] + j], `${t.name} lane ${j} of ${args}`);
          if (t.mask) assert.ok(got === 0 || got === -1, `${t.name}: ${got} is not a mask`);
        }
      }
    }
  });

  it("have select forms that agree with the executor where the selector is a mask", () => {
    const st = instanceState(new Instance(new Module(parseWat("(module (memory 1))")), {}));
    const file = new Int32Array(256), m = { buf: file.buffer } as unknown as Machine;
    const halves = new Int16Array(file.buffer);
    const selects = LANE_TEMPLATES.filter((t) => t.maskLane !== undefined);
    assert.ok(selects.some((t) => t.name === "v128.bitselect"));
    for (const t of selects) {
      const names = t.operands.map((o) => o.name.toUpperCase());
      const lane = new Function(...names, `return ${t.maskLane};`) as (...x: number[]) => number;
      const words = t.operands.map((_, k) => 16 + 8 * k), c = names.indexOf("C");
      for (let round = 0; round < 300; round++) {
        for (let h = 32; h < 2 * (16 + 8 * t.operands.length); h++) halves[h] = lane16();
        for (let h = 2 * words[c]; h < 2 * words[c] + 8; h++) halves[h] = -rng.below(2);
        const inputs = new Int16Array(halves);
        const code = Int32Array.of(IR["simd"], simdOpIndex(t.name), words.length, ...words);
        simdExecute(m, st, 0, code, 0);
        for (let j = 0; j < 8; j++) {
          const high = () => (rng.below(256) - 128) * 65536;
          const args = words.map((w, k) => inputs[2 * w + j] + (k === c ? 0 : high()));
          const got = (lane(...args) << 16) >> 16;
          assert.equal(got, halves[2 * words[0] + j], `${t.name} lane ${j} of ${args}`);
        }
      }
    }
  });

  // simd_dot's i16 kernel, and around it the places where lanes held apart
  // from their words must be packed: a word op reading them (extract_lane),
  // a call's argument, a result, a trap, fuel running out in the loop.
  // 40 doublings in a row (past 2^53 unless narrowed): lanes wider than a
  // modular op takes get narrowed.
  const DOUBLINGS = Array.from(
    { length: 40 },
    () => "(local.set $x (i16x8.sub (i16x8.add (local.get $x) (local.get $x)) (local.get $y)))",
  ).join("\n");
  const WAT = `(module (memory 1)
    (func (export "double") (param $a i32) (param $b i32)
      (local $x v128) (local $y v128)
      (local.set $x (i16x8.splat (local.get $a)))
      (local.set $y (i16x8.neg (i16x8.splat (local.get $b))))
      ${DOUBLINGS}
      (v128.store (i32.const 2064) (i16x8.gt_s (local.get $x) (local.get $y)))
      (v128.store (i32.const 2080) (local.get $x)))
    (func $sum (param v128) (result i32)
      (i32.add (i32x4.extract_lane 0 (i32x4.extend_low_i16x8_s (local.get 0)))
               (i32x4.extract_lane 3 (i32x4.extend_high_i16x8_s (local.get 0)))))
    (func (export "kernel") (param $n i32) (param $bias i32) (result i32)
      (local $i i32) (local $x v128) (local $acc v128) (local $b v128)
      (local.set $b (i16x8.splat (local.get $bias)))
      (loop $l
        (local.set $x (i16x8.add_sat_s (v128.load (local.get $i))
          (v128.load offset=1024 (local.get $i))))
        (local.set $x (v128.bitselect (i16x8.sub (local.get $x) (local.get $b))
          (i16x8.neg (local.get $x)) (i16x8.gt_s (local.get $x) (local.get $b))))
        (v128.store (local.get $i) (i16x8.shr_s (local.get $x) (i32.const 1)))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.extend_low_i16x8_s (local.get $x))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.extend_high_i16x8_s (local.get $x))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16)))
          (local.get $n))))
      (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))
        (i32.add (i32x4.extract_lane 2 (local.get $x)) (call $sum (local.get $x)))))
    (func (export "chain") (param $a i32) (param $b i32)
      (local $x v128) (local $y v128)
      (v128.store (i32.const 2048)
      (local.set $x (i16x8.add (i16x8.splat (local.get $a)) (i16x8.splat (local.get $b))))
      (local.set $y (v128.xor (i16x8.sub (local.get $x) (i16x8.splat (local.get $b)))
        (i16x8.neg (local.get $x))))
      (v128.bitselect (v128.and (v128.or (local.get $y) (local.get $x))
        (i16x8.shr_s (local.get $y) (local.get $b))) (local.get $x) (local.get $y))))
    (func (export "masks") (param $a i32) (param $b i32)
      (local $x v128) (local $y v128) (local $m v128)
      (local.set $x (i16x8.add (i16x8.splat (local.get $a)) (v128.load (i32.const 0))))
      (local.set $y (i16x8.sub (v128.load (i32.const 16)) (i16x8.splat (local.get $b))))
      (local.set $m (v128.xor (i16x8.gt_s (local.get $x) (local.get $y))
        (v128.and (i16x8.gt_s (local.get $y) (local.get $x))
          (i16x8.gt_s (local.get $x) (i16x8.splat (local.get $a))))))
      (v128.store (i32.const 2096) (v128.bitselect (local.get $x) (local.get $y) (local.get $m)))
      (v128.store (i32.const 2112)
        (v128.bitselect (local.get $x) (local.get $y) (i16x8.add (local.get $m) (local.get $x))))
      (v128.store (i32.const 2128) (v128.bitselect (local.get $x) (local.get $y)
        (v128.bitselect (local.get $m) (i16x8.gt_s (local.get $y) (local.get $x))
          (i16x8.add (local.get $m) (local.get $x))))))
    (func (export "fill") (param $s i32)
      (local $i i32)
      (loop $l
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1664525)) (i32.const 1013904223)))
        (i32.store (local.get $i) (local.get $s))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 65536))))))`;

  type Peek = (at: number) => number[];
  function run(
    jit: JitMode,
    fuel: number | undefined,
    calls: (e: Exports, peek: Peek) => unknown[],
  ): string {
    const store = new Store({ jit, fuel });
    const inst = new Instance(new Module(parseWat(WAT)), {}, { store });
    const e = inst.exports as Exports;
    const words = () => new Int32Array(instanceState(inst).mem0!.u8.buffer, 0, 1024);
    const out = calls(e, (at) => Array.from(words().subarray(at >> 2, (at >> 2) + 4)));
    const mem = words();
    let hash = 0;
    for (const w of mem) hash = (Math.imul(hash, 31) + w) | 0;
    return JSON.stringify([out, hash, store.fuel], (_, v) => typeof v === "bigint" ? `${v}n` : v);
  }

  const attempt = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (err) {
      assert.ok(err instanceof RuntimeError, String(err));
      return { trap: err.message };
    }
  };

  it("give the interpreter's results, memory, traps and fuel", () => {
    const calls = (e: Exports, peek: Peek) => {
      const out: unknown[] = [attempt(() => e.fill(7))];
      for (const bias of [0, 3, 7, -5, 32767]) out.push(attempt(() => e.kernel(1024, bias)));
      // Past the memory's end mid-loop: the load traps after stores and lanes.
      out.push(attempt(() => e.kernel(70000, 2)));
      for (const [a, b] of [[1, 2], [32767, 1], [-32768, -1], [0x12345, 3], [-7, 17]]) {
        out.push(attempt(() => e.chain(a, b)), peek(2048));
        out.push(attempt(() => e.double(a, b)), peek(2064), peek(2080));
        out.push(attempt(() => e.masks(a, b)), peek(2096), peek(2112), peek(2128));
      }
      return out;
    };
    const off = run("off", undefined, calls);
    assert.equal(run("eager", undefined, calls), off);
    assert.equal(run("auto", undefined, calls), off);
    for (const fuel of [0, 50, 333, 2000, 40_000]) {
      const interp = run("off", fuel, calls);
      assert.equal(run("eager", fuel, calls), interp, `fuel ${fuel}`);
    }
  });

  it("pack into its word only a lane result something reads as a word", () => {
    const st = instanceState(new Instance(new Module(parseWat(WAT)), {}));
    // chain: x, the sub, the neg and y are read as lanes only; the
    // result, returned, is the one value packed.
    const { source } = emitFunction(translateFunction(st.funcs[3]), { name: "chain" });
    assert.match(source, /\$l\d+ = /, "no lanes held");
    const packed = new Set(
      [...source.matchAll(/= \(\$l(\d+) & 0xffff\) \| \(\$l(\d+) << 16\)/g)].map((m) => {
        assert.equal(Number(m[2]), Number(m[1]) + 1);
        return Number(m[1]) >> 1;
      }),
    );
    assert.equal(packed.size, 4, `packed words ${[...packed]}`);
    const first = Math.min(...packed);
    assert.deepEqual([...packed].sort((a, b) => a - b), [first, first + 1, first + 2, first + 3]);
    // Doublings: lanes grow a bit per op and are narrowed before passing 24.
    const doubled = emitFunction(translateFunction(st.funcs[0]), { name: "double" }).source;
    const narrowings = doubled.match(/= \(\$l(\d+) << 16\) >> 16;/g) ?? [];
    assert.ok(narrowings.length >= 64, `${narrowings.length} narrowings`);
  });

  it("select lanes by a mask where the selector is one, bitwise elsewhere", () => {
    const st = instanceState(new Instance(new Module(parseWat(WAT)), {}));
    const count = (index: number, name: string) => {
      const { source } = emitFunction(translateFunction(st.funcs[index]), { name });
      return {
        selects: (source.match(/= \$l\d+ !== 0 \? \$l\d+ : \$l\d+;/g) ?? []).length,
        bitwise: (source.match(/= \(\$l\d+ & \$l\d+\) \| \(\$l\d+ & ~\$l\d+\);/g) ?? []).length,
      };
    };
    // (Each once per emitted variant of the function: 8 lanes each.)
    // kernel: its bitselect's selector is a compare.
    const kernel = count(2, "kernel");
    assert.ok(
      kernel.selects > 0 && kernel.selects % 8 === 0 && kernel.bitwise === 0,
      JSON.stringify(kernel),
    );
    // chain: a selector that is a plain value.
    const chain = count(3, "chain");
    assert.ok(chain.selects === 0 && chain.bitwise > 0, JSON.stringify(chain));
    // masks: xor/and of compares is a mask; a mask plus a value is not,
    // nor a bitwise select between masks by one.
    const masks = count(4, "masks");
    assert.ok(masks.selects > 0 && masks.bitwise === 3 * masks.selects, JSON.stringify(masks));
  });
});
