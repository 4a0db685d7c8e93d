/**
 * Differential fuzzing: random (seeded) functions mixing i32/i64/f64
 * arithmetic, locals, loads/stores, loops, ifs and early exits run on
 * Gannet and on the host's native WebAssembly; results (a hash of every
 * local, NaN-insensitive) and memory contents must agree. This exercises
 * the translator's virtual operands, destination rewriting, fused pairs,
 * bundles and branch fusion on shapes no hand-written test has. Gannet runs
 * each module twice, interpreted and compiled (`jit: "eager"`), so the JIT
 * tier is checked against native wasm on the same shapes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWat } from "../src/text/parse_wat.ts";
import { Module } from "../src/api/module.ts";
import { Instance } from "../src/api/instance.ts";
import { Store } from "../src/api/store.ts";
import process from "node:process";

/** More seeds: GANNET_FUZZ_SEEDS=500 deno test -A tests/differential_fuzz_test.ts */
const SEEDS = Number(process.env.GANNET_FUZZ_SEEDS ?? 12);

// deno-lint-ignore no-explicit-any
const native: any = (globalThis as { WebAssembly?: unknown }).WebAssembly;

class Rng {
  s: number;
  constructor(seed: number) {
    this.s = seed | 0 || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x;
    return x >>> 0;
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

const I32_BIN = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_u", "shr_s", "rotl", "rotr"];
const I32_CMP = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
const I64_BIN = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_u", "shr_s", "rotl"];
const F64_BIN = ["add", "sub", "mul", "div", "min", "max"];
const F64_CMP = ["eq", "ne", "lt", "gt", "le", "ge"];
const I32_K = ["0", "1", "-1", "3", "8", "16", "31", "255", "0x7fffffff", "-2147483648", "12345"];

/** Random expressions and statements over a fixed set of locals. */
class Gen {
  r: Rng;
  constructor(r: Rng) {
    this.r = r;
  }
  addr(): string {
    // Aligned, in bounds most of the time; sometimes out of bounds (a trap).
    const base = `(i32.and ${this.i32(1)} (i32.const ${this.r.int(20) === 0 ? 0x1fff8 : 0xff8}))`;
    return this.r.int(2) ? base : `(i32.add ${base} (i32.const ${this.r.pick([8, 16, 24])}))`;
  }
  i32(d: number): string {
    const r = this.r;
    if (d <= 0 || r.int(4) === 0) {
      return r.int(3) ? `(local.get $i${r.int(4)})` : `(i32.const ${r.pick(I32_K)})`;
    }
    switch (r.int(9)) {
      case 0:
      case 1:
      case 2:
        return `(i32.${r.pick(I32_BIN)} ${this.i32(d - 1)} ${this.i32(d - 1)})`;
      case 3:
        return `(i32.${r.pick(I32_CMP)} ${this.i32(d - 1)} ${this.i32(d - 1)})`;
      case 4:
        return `(i32.${r.pick(["load", "load8_u", "load16_s"])} ${this.addr()})`;
      case 5:
        return `(i32.wrap_i64 ${this.i64(d - 1)})`;
      case 6:
        return `(i32.trunc_sat_f64_s ${this.f64(d - 1)})`;
      case 7:
        return `(select ${this.i32(d - 1)} ${this.i32(d - 1)} ${this.i32(d - 1)})`;
      default:
        return `(f64.${r.pick(F64_CMP)} ${this.f64(d - 1)} ${this.f64(d - 1)})`;
    }
  }
  i64(d: number): string {
    const r = this.r;
    if (d <= 0 || r.int(4) === 0) {
      return r.int(3) ? `(local.get $l${r.int(2)})` : `(i64.const ${r.pick(I32_K)})`;
    }
    switch (r.int(5)) {
      case 0:
      case 1:
        return `(i64.${r.pick(I64_BIN)} ${this.i64(d - 1)} ${this.i64(d - 1)})`;
      case 2:
        return `(i64.extend_i32_${r.pick(["s", "u"])} ${this.i32(d - 1)})`;
      case 3:
        return `(i64.load ${this.addr()})`;
      default:
        return `(i64.mul ${this.i64(d - 1)} (i64.const ${r.pick(I32_K)}))`;
    }
  }
  f64(d: number): string {
    const r = this.r;
    if (d <= 0 || r.int(4) === 0) {
      return r.int(3)
        ? `(local.get $f${r.int(2)})`
        : `(f64.const ${r.pick(["0", "-0", "1.5", "-2.25", "1e10", "0.1", "inf"])})`;
    }
    switch (r.int(6)) {
      case 0:
      case 1:
      case 2:
        return `(f64.${r.pick(F64_BIN)} ${this.f64(d - 1)} ${this.f64(d - 1)})`;
      case 3:
        return `(f64.convert_i32_s ${this.i32(d - 1)})`;
      case 4:
        return `(f64.load ${this.addr()})`;
      default:
        return `(f64.${r.pick(["sqrt", "neg", "abs", "floor", "nearest"])} ${this.f64(d - 1)})`;
    }
  }
  stmt(d: number): string {
    const r = this.r;
    switch (r.int(8)) {
      case 0:
      case 1:
        return `(local.set $i${r.int(4)} ${this.i32(d)})`;
      case 2:
        return `(local.set $l${r.int(2)} ${this.i64(d)})`;
      case 3:
        return `(local.set $f${r.int(2)} ${this.f64(d)})`;
      case 4: {
        const t = r.pick(["i32", "i64", "f64"]);
        // NaN bit patterns are nondeterministic (sign, payload): never let one
        // reach memory, where an integer load would observe it.
        const v = t === "i32"
          ? this.i32(d)
          : t === "i64"
          ? this.i64(d)
          : `(call $nonan ${this.f64(d)})`;
        return `(${t}.store ${this.addr()} ${v})`;
      }
      case 5:
        return `(if ${this.i32(d)} (then ${this.stmt(d - 1)}) (else ${this.stmt(d - 1)}))`;
      case 6:
        return `(br_if $exit (i32.${r.pick(I32_CMP)} ${this.i32(d)} (i32.const ${r.pick(I32_K)})))`;
      default:
        return `(local.set $i${r.int(4)} (local.tee $i${r.int(4)} ${this.i32(d)}))`;
    }
  }
  func(name: string): string {
    const body: string[] = [];
    for (let k = 0; k < 3 + this.r.int(6); k++) body.push(this.stmt(2));
    // NaN payloads may legitimately differ between engines: hash NaNs as one value.
    const fbits = (f: string) =>
      `(select (i64.const 0x7ff8000000000000) (i64.reinterpret_f64 (local.get ${f})) (f64.ne (local.get ${f}) (local.get ${f})))`;
    return `(func (export "${name}") (param $a i32) (param $b i32) (param $c i64) (param $x f64) (result i64)
      (local $i0 i32) (local $i1 i32) (local $i2 i32) (local $i3 i32)
      (local $l0 i64) (local $l1 i64) (local $f0 f64) (local $f1 f64) (local $n i32)
      (local.set $i0 (local.get $a)) (local.set $i1 (local.get $b))
      (local.set $l0 (local.get $c)) (local.set $f0 (local.get $x))
      (local.set $n (i32.and (local.get $a) (i32.const 7)))
      (block $exit (loop $top
        ${body.join("\n        ")}
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $top (i32.ge_s (local.get $n) (i32.const 0)))))
      (i64.xor (i64.xor (i64.xor (i64.extend_i32_u (local.get $i0)) (i64.shl (i64.extend_i32_u (local.get $i1)) (i64.const 7)))
        (i64.xor (i64.extend_i32_s (local.get $i2)) (i64.rotl (i64.extend_i32_u (local.get $i3)) (i64.const 21))))
        (i64.xor (i64.xor (local.get $l0) (i64.rotl (local.get $l1) (i64.const 3)))
          (i64.xor ${fbits("$f0")} (i64.rotl ${fbits("$f1")} (i64.const 11))))))`;
  }
}

const stats = [0, 0];

function call(f: (...a: unknown[]) => unknown, args: unknown[]): unknown {
  try {
    return f(...args);
  } catch (e) {
    return `trap:${(e as Error).name}`;
  }
}

describe("differential fuzzing: random functions on Gannet and native", {
  skip: native === undefined,
}, () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`seed ${seed}`, () => {
      const r = new Rng(seed * 7919);
      const g = new Gen(r);
      const funcs: string[] = [];
      for (let k = 0; k < 12; k++) funcs.push(g.func(`f${k}`));
      const wat = `(module (memory (export "mem") 2)
        (func $nonan (param f64) (result f64)
          (select (f64.const 0) (local.get 0) (f64.ne (local.get 0) (local.get 0))))
        ${funcs.join("\n")})`;
      const bytes = parseWat(wat);
      type Exports = Record<string, (...a: unknown[]) => unknown>;
      const tier = (jit: "off" | "eager") =>
        new Instance(new Module(bytes), {}, { store: new Store({ jit }) }).exports as Exports;
      const gi = tier("off"), ji = tier("eager");
      const ni = new native.Instance(new native.Module(bytes)).exports;
      for (let k = 0; k < 12; k++) {
        for (let t = 0; t < 8; t++) {
          const args = [
            r.next() | 0,
            r.next() | 0,
            BigInt.asIntN(64, BigInt(r.next()) << 20n),
            (r.next() | 0) / 977,
          ];
          const a = call(gi[`f${k}`], args), b = call(ni[`f${k}`], args);
          assert.equal(a, b, `seed ${seed} f${k}(${args.join(", ")})\n${funcs[k]}`);
          const c = call(ji[`f${k}`], args);
          assert.equal(c, b, `JIT: seed ${seed} f${k}(${args.join(", ")})\n${funcs[k]}`);
          stats[typeof a === "string" ? 1 : 0]++;
        }
      }
      const nm = new Uint8Array(ni.mem.buffer);
      for (const [name, x] of [["interpreter", gi], ["JIT", ji]] as const) {
        const gm = new Uint8Array((x.mem as unknown as { buffer: ArrayBuffer }).buffer);
        const same = gm.length === nm.length && gm.every((b, i) => b === nm[i]);
        assert.ok(same, `seed ${seed}: memory differs (${name})`);
      }
    });
  }
  it("ran mostly to completion (not just traps)", () => {
    assert.ok(stats[0] > 2 * stats[1], `values ${stats[0]}, traps ${stats[1]}`);
  });
});
