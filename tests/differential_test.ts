/**
 * Differential tests: the same modules run on Gannet and on the host's
 * native WebAssembly with the same imports and the same generated inputs
 * must give the same results, the same traps (trap or not) and the same
 * memory contents. Skipped where the host has no native WebAssembly.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { OPCODES } from "../src/binary/opcodes.ts";
import { parseWat } from "../src/text/parse_wat.ts";
import { Module } from "../src/api/module.ts";
import { Instance } from "../src/api/instance.ts";

type Exports = Record<string, unknown>;
// deno-lint-ignore no-explicit-any
const native: any = (globalThis as { WebAssembly?: unknown }).WebAssembly;

let seed = 12345;
function rnd(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  return seed;
}
const pick = <T>(xs: T[]): T => xs[(rnd() >>> 0) % xs.length];

const I32S = [0, 1, -1, 2, 7, 31, 32, 33, 63, 64, 255, 256, 65535, 0x7fffffff, -0x80000000, -2];
const I64S = [
  0n,
  1n,
  -1n,
  2n,
  63n,
  64n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  (1n << 63n) - 1n,
  -(1n << 63n),
  1n << 52n,
  1n << 53n,
  -(1n << 53n) - 1n,
  1000000007n,
];
const FLOATS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  3.5,
  1e-40,
  1e30,
  -1e30,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  2 ** 63,
  -(2 ** 63),
  2 ** 64,
  4294967295.5,
  Infinity,
  -Infinity,
  NaN,
  0.1,
  123456.789,
  2 ** 53 + 1,
  16777217,
];

function gen(t: string): unknown {
  switch (t) {
    case "i":
      return rnd() & 1 ? pick(I32S) : rnd() >> ((rnd() >>> 0) % 32);
    case "l":
      return rnd() & 1
        ? pick(I64S)
        : BigInt.asIntN(64, (BigInt(rnd()) << 32n) ^ BigInt(rnd() >>> 0)) >> BigInt(rnd() & 63);
    case "f":
      return Math.fround(rnd() & 1 ? pick(FLOATS) : rnd() / ((rnd() & 0xffff) + 1));
    default:
      return rnd() & 1 ? pick(FLOATS) : (rnd() / ((rnd() & 0xffff) + 1)) * 2 ** (rnd() % 80);
  }
}

const TYPES: Record<string, string> = { i: "i32", l: "i64", f: "f32", d: "f64" };

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  return a === b;
}

/** Calls `name` on both with `args`; both must trap, or agree. */
function compare(g: Exports, n: Exports, name: string, args: unknown[]): void {
  let gr: unknown, nr: unknown, gt = false, nt = false;
  try {
    gr = (g[name] as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    gt = true;
    gr = (e as Error).name;
  }
  try {
    nr = (n[name] as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    nt = true;
    nr = (e as Error).name;
  }
  const show = (v: unknown) => typeof v === "bigint" ? `${v}n` : String(v);
  const where = `${name}(${args.map(show).join(", ")}): gannet ${show(gr)}, native ${show(nr)}`;
  assert.equal(gt, nt, where);
  if (!gt) assert.ok(same(gr, nr), where);
  else assert.equal(gr, "RuntimeError", where);
}

function both(wat: string, imports: (side: string) => object = () => ({})): [Exports, Exports] {
  const bytes = parseWat(wat);
  const g = new Instance(new Module(bytes), imports("gannet")).exports;
  const n = new native.Instance(new native.Module(bytes), imports("native")).exports;
  return [g, n];
}

const numeric = OPCODES.filter((o) =>
  o.imm === 0 && o.sig !== null && o.sig !== ":" &&
  ["mvp", "sign-ext", "sat-float-to-int"].includes(o.feature) && o.prefix !== 0xfd
);

describe("differential: Gannet vs native WebAssembly", { skip: native === undefined }, () => {
  it("every numeric instruction, on registers and with constant operands", () => {
    const funcs: string[] = [];
    const cases: [string, string[]][] = [];
    for (const op of numeric) {
      const [params, result] = op.sig!.split(":");
      const ps = params.split("").map((t) => `(param ${TYPES[t]})`).join(" ");
      const gets = params.split("").map((_, i) => `(local.get ${i})`).join(" ");
      const name = op.name;
      funcs.push(`(func (export "${name}") ${ps} (result ${TYPES[result]}) ${gets} ${name})`);
      cases.push([name, params.split("")]);
      if (params.length === 2 && (params[0] === "i" || params[0] === "l")) {
        // Constant right and left operands exercise the immediate forms.
        for (const c of ["0", "1", "-1", "31", "63", "-2147483648", "12345"]) {
          const k = `(${TYPES[params[1]]}.const ${c})`;
          const t1 = `${name}_r${c}`, t2 = `${name}_l${c}`;
          funcs.push(`(func (export "${t1}") (param ${TYPES[params[0]]}) (result ${TYPES[result]})
            (local.get 0) ${k} ${name})`);
          funcs.push(`(func (export "${t2}") (param ${TYPES[params[1]]}) (result ${TYPES[result]})
            ${k.replace(TYPES[params[1]], TYPES[params[0]])} (local.get 0) ${name})`);
          cases.push([t1, [params[0]]], [t2, [params[1]]]);
        }
      }
    }
    const [g, n] = both(`(module ${funcs.join("\n")})`);
    for (const [name, ps] of cases) {
      for (let k = 0; k < 60; k++) compare(g, n, name, ps.map(gen));
    }
  });

  it("compare-and-branch fusion (br_if, if, with and without constants)", () => {
    const cmps = numeric.filter((o) =>
      /\.(eq|ne|[lg][te](_[su])?)$/.test(o.name) || /eqz/.test(o.name)
    );
    const funcs: string[] = [];
    const cases: [string, string[]][] = [];
    for (const op of cmps) {
      const [params] = op.sig!.split(":");
      const ps = params.split("").map((t) => `(param ${TYPES[t]})`).join(" ");
      const gets = params.split("").map((_, i) => `(local.get ${i})`).join(" ");
      const name = op.name;
      funcs.push(`(func (export "if_${name}") ${ps} (result i32)
        (if (result i32) (${name} ${gets}) (then (i32.const 11)) (else (i32.const 22))))`);
      funcs.push(`(func (export "br_${name}") ${ps} (result i32)
        (block (result i32) (drop (br_if 0 (i32.const 5) (${name} ${gets}))) (i32.const 6)))`);
      funcs.push(`(func (export "loop_${name}") ${ps} (result i32) (local $n i32)
        (loop $l (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br_if $l (i32.and (i32.lt_u (local.get $n) (i32.const 3)) (${name} ${gets}))))
        (local.get $n))`);
      cases.push([`if_${name}`, params.split("")], [`br_${name}`, params.split("")]);
      cases.push([`loop_${name}`, params.split("")]);
      if (params === "ii" || params === "ll") {
        const t = TYPES[params[0]];
        funcs.push(`(func (export "ifk_${name}") (param ${t}) (result i32)
          (if (result i32) (${name} (local.get 0) (${t}.const 7)) (then (i32.const 1)) (else (i32.const 0))))`);
        cases.push([`ifk_${name}`, [params[0]]]);
      }
    }
    const [g, n] = both(`(module ${funcs.join("\n")})`);
    for (const [name, ps] of cases) {
      for (let k = 0; k < 40; k++) compare(g, n, name, ps.map(gen));
    }
  });

  it("loads and stores of every width: results, traps and memory contents", () => {
    const mem = OPCODES.filter((o) => o.imm === 12 && o.feature === "mvp");
    const funcs: string[] = [];
    for (const op of mem) {
      const [params, result] = op.sig!.split(":");
      for (const off of [0, 1, 7, 65535]) {
        const name = `${op.name}_${off}`;
        if (result !== "") {
          funcs.push(`(func (export "${name}") (param i32) (result ${TYPES[result]})
            (${op.name} offset=${off} (local.get 0)))`);
        } else {
          funcs.push(`(func (export "${name}") (param i32 ${TYPES[params[1]]})
            (${op.name} offset=${off} (local.get 0) (local.get 1)))`);
        }
      }
    }
    for (const op of ["add", "sub", "mul"]) {
      // f64 arithmetic stored at once (fused into one instruction by the translator).
      funcs.push(`(func (export "fst_${op}") (param i32 f64 f64)
        (f64.store offset=8 (local.get 0) (f64.${op} (local.get 1) (local.get 2))))`);
    }
    const wat = `(module (memory (export "mem") 1 2) ${funcs.join("\n")}
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;
    const [g, n] = both(wat);
    const addrs = () =>
      pick([0, 1, 3, 8, 100, 65528, 65532, 65535, 65536, 131064, -1, rnd() & 0x1ffff]);
    for (let round = 0; round < 2; round++) {
      for (const op of mem) {
        const [params] = op.sig!.split(":");
        for (const off of [0, 1, 7, 65535]) {
          for (let k = 0; k < 15; k++) {
            const args = params.length === 1 ? [addrs()] : [addrs(), gen(params[1])];
            // NaN payloads of floats passed from JS are host-specific; store integers' bits only.
            if (
              args.length === 2 && (params[1] === "f" || params[1] === "d") && Number.isNaN(args[1])
            ) continue;
            compare(g, n, `${op.name}_${off}`, args);
          }
        }
      }
      for (const op of ["add", "sub", "mul"]) {
        for (let k = 0; k < 30; k++) {
          const x = gen("d") as number, y = gen("d") as number;
          // NaN results' bits are nondeterministic; keep results finite or infinite.
          if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || !Number.isFinite(y)) {
            continue;
          }
          compare(g, n, `fst_${op}`, [addrs(), x, y]);
        }
      }
      const gm = new Uint8Array((g.mem as { buffer: ArrayBuffer }).buffer);
      const nm = new Uint8Array((n.mem as { buffer: ArrayBuffer }).buffer);
      assert.equal(gm.length, nm.length);
      assert.ok(gm.every((b, i) => b === nm[i]), "memory contents differ");
      compare(g, n, "grow", [1]);
    }
  });

  it("control flow, calls, tables and multi-value", () => {
    const wat = `(module
      (type $bin (func (param i32 i32) (result i32)))
      (table 4 funcref)
      (elem (i32.const 0) $add $sub $mul)
      (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
      (func $sub (type $bin) (i32.sub (local.get 0) (local.get 1)))
      (func $mul (type $bin) (i32.mul (local.get 0) (local.get 1)))
      (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
      (func (export "dispatch") (param i32 i32 i32) (result i32)
        (call_indirect (type $bin) (local.get 1) (local.get 2) (local.get 0)))
      (func (export "table") (param i32) (result i32)
        (block $d (block $c (block $b (block $a
          (br_table $a $b $c $d (local.get 0)))
          (return (i32.const 10))) (return (i32.const 20))) (return (i32.const 30)))
        (i32.const 40))
      (func (export "tablev") (param i32 i64) (result i64)
        (block $x (result i64) (block $y (result i64)
          (br_table $x $y $x (local.get 1) (local.get 0)))
          (i64.const 100) (i64.add))
        (i64.const 1) (i64.add))
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "sel") (param i32 i64 i64 f64 f64) (result i64 f64)
        (select (local.get 1) (local.get 2) (local.get 0))
        (select (local.get 3) (local.get 4) (i32.eqz (local.get 0))))
      (func (export "swaploop") (param i32 i32 i32) (result i32 i32)
        (local.get 0) (local.get 1)
        (loop $l (param i32 i32) (result i32 i32)
          (local.set 0) (local.set 1) (local.get 0) (local.get 1)
          (local.set 2 (i32.sub (local.get 2) (i32.const 1)))
          (br_if $l (i32.gt_s (local.get 2) (i32.const 0)))))
      (func (export "tee") (param i32) (result i32) (local i32)
        (i32.add (local.get 0) (local.tee 0 (i32.mul (local.get 0) (i32.const 3))))))`;
    const [g, n] = both(wat);
    for (let k = 0; k < 200; k++) {
      compare(g, n, "dispatch", [(rnd() >>> 0) % 6, gen("i"), gen("i")]);
      compare(g, n, "table", [(rnd() >>> 0) % 6 - 1]);
      compare(g, n, "tablev", [(rnd() >>> 0) % 5 - 1, gen("l")]);
      compare(g, n, "sel", [rnd() & 1, gen("l"), gen("l"), gen("d"), gen("d")]);
      compare(g, n, "swaploop", [gen("i"), gen("i"), (rnd() >>> 0) % 7]);
      compare(g, n, "tee", [gen("i")]);
    }
    for (let k = 0; k < 20; k++) compare(g, n, "fib", [k]);
  });

  it("host imports see the same calls and values", () => {
    const log: Record<string, unknown[]> = { gannet: [], native: [] };
    const imports = (side: string) => ({
      env: {
        f: (a: number, b: bigint, c: number) => {
          log[side].push(a, b, c);
          return [a + 1, b * 2n];
        },
      },
    });
    const [g, n] = both(
      `(module
      (import "env" "f" (func $f (param i32 i64 f64) (result i32 i64)))
      (func (export "go") (param i32 i64 f64) (result i64) (local $t i64)
        (call $f (local.get 0) (local.get 1) (local.get 2))
        (local.set $t) (i64.extend_i32_s) (local.get $t) (i64.add)))`,
      imports,
    );
    for (let k = 0; k < 50; k++) compare(g, n, "go", [gen("i"), gen("l"), gen("d")]);
    assert.ok(same(log.gannet, log.native));
  });
});
