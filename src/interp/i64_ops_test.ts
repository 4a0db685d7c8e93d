import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import type { JitMode } from "../jit/tier.ts";

// i64 add, sub, mul, the shifts and unsigned division by at most 2^30 are
// expressions in the IR table (ir_defs.ts), with the second operand in a
// register or an immediate (the `_i` ops; some are cold ops), and compiled
// code folds a constant: every form against BigInt, in every tier.

const OPS = ["shl", "shr_s", "shr_u", "add", "sub", "mul", "div_u", "rem_u"] as const;
const COUNTS = [0, 1, 5, 31, 32, 33, 63, 64, 65, 95, 127, -1, -32, 0x7fffffff, 1000000000]
  .map(BigInt).concat([0x123456789abcdefn, -0x7edcba9876543210n, 1n << 32n, -(1n << 63n)])
  // Divisors at the edges of the short division path (at most 2^30).
  .concat([3n, 7n, (1n << 30n) - 1n, 1n << 30n, (1n << 30n) + 1n, 0xffffffffn]);

/** The reference (a shift's count taken mod 64, as wasm does). */
function reference(op: (typeof OPS)[number], a: bigint, n: bigint): bigint {
  if (op === "add") return BigInt.asIntN(64, a + n);
  if (op === "sub") return BigInt.asIntN(64, a - n);
  if (op === "mul") return BigInt.asIntN(64, a * n);
  if (op === "div_u") return BigInt.asIntN(64, BigInt.asUintN(64, a) / BigInt.asUintN(64, n));
  if (op === "rem_u") return BigInt.asIntN(64, BigInt.asUintN(64, a) % BigInt.asUintN(64, n));
  const k = BigInt.asUintN(64, n) & 63n, u = BigInt.asUintN(64, a);
  if (op === "shl") return BigInt.asIntN(64, a << k);
  if (op === "shr_s") return a >> k;
  return BigInt.asIntN(64, u >> k);
}

/** `v_OP` shifts by its second argument; `c_OP_N` by the constant N. */
function wat(): string {
  const fns: string[] = [];
  for (const op of OPS) {
    fns.push(`(func (export "v_${op}") (param i64 i64) (result i64)
      (i64.${op} (local.get 0) (local.get 1)))`);
    for (const n of COUNTS) {
      fns.push(`(func (export "c_${op}_${n}") (param i64) (result i64)
        (i64.${op} (local.get 0) (i64.const ${n})))`);
    }
  }
  return `(module ${fns.join("\n")})`;
}

let seed = 0x5eed;
function rnd64(): bigint {
  const word = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    return BigInt(seed >>> 0);
  };
  const edge = [0n, 1n, -1n, 1n << 31n, 1n << 32n, -(1n << 63n), (1n << 63n) - 1n];
  return (seed & 7) === 0
    ? edge[(seed >>> 3) % edge.length]
    : BigInt.asIntN(64, (word() << 32n) | word());
}

describe("i64 arithmetic and shifts", () => {
  for (const jit of ["off", "eager"] as JitMode[]) {
    it(`agree with BigInt with the operand in a register and as a constant (jit ${jit})`, () => {
      const e = new Instance(new Module(parseWat(wat())), {}, { store: new Store({ jit }) })
        .exports as Record<string, (...a: bigint[]) => bigint>;
      for (let i = 0; i < 400; i++) {
        const a = rnd64();
        for (const op of OPS) {
          const divides = op === "div_u" || op === "rem_u";
          for (const n of COUNTS) {
            if (divides && n === 0n) {
              assert.throws(() => e[`c_${op}_${n}`](a), /integer divide by zero/);
              assert.throws(() => e[`v_${op}`](a, n), /integer divide by zero/);
              continue;
            }
            const want = reference(op, a, n);
            assert.equal(e[`c_${op}_${n}`](a), want, `${op}(${a}, const ${n})`);
            assert.equal(e[`v_${op}`](a, n), want, `${op}(${a}, ${n})`);
          }
          if (divides) {
            // Multiples of a divisor, and next to them: where the double
            // estimate of the quotient is one off and the correction decides.
            for (const n of COUNTS) {
              if (n <= 0n || n > 0xffffffffn) continue;
              const k = BigInt.asUintN(64, a) / n;
              for (const j of [0n, 1n, n - 1n]) {
                const x = BigInt.asIntN(64, k * n + j > (1n << 64n) - 1n ? k * n : k * n + j);
                const want = reference(op, x, n);
                assert.equal(e[`c_${op}_${n}`](x), want, `${op}(${x}, const ${n})`);
                assert.equal(e[`v_${op}`](x, n), want, `${op}(${x}, ${n})`);
              }
              // The high word a multiple of the divisor (its own quotient exact).
              const hk = (BigInt.asUintN(32, a) % (0xffffffffn / n + 1n)) * n;
              if (hk <= 0xffffffffn) {
                const x = BigInt.asIntN(64, (hk << 32n) | (BigInt.asUintN(64, a) & 0xffffffffn));
                assert.equal(e[`c_${op}_${n}`](x), reference(op, x, n), `${op}(${x}, const ${n})`);
              }
            }
          }
          // A random operand; a small divisor half the time.
          const n = divides && (i & 1) === 0 ? (rnd64() & 0x7fffffffn) + 1n : rnd64();
          if (n === 0n) continue;
          assert.equal(e[`v_${op}`](a, n), reference(op, a, n), `${op}(${a}, ${n})`);
        }
      }
    });
  }
});
