import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import type { JitMode } from "../jit/tier.ts";

// i64 add, sub, mul and the shifts are expressions in the IR table
// (ir_defs.ts), with the second operand in a register or an immediate
// (the `_i` ops; a shift by a register is a cold op), and compiled code
// folds a constant: every form against BigInt, in every tier.

const OPS = ["shl", "shr_s", "shr_u", "add", "sub", "mul"] as const;
const COUNTS = [0, 1, 5, 31, 32, 33, 63, 64, 65, 95, 127, -1, -32, 0x7fffffff, 1000000000]
  .map(BigInt).concat([0x123456789abcdefn, -0x7edcba9876543210n, 1n << 32n, -(1n << 63n)]);

/** The reference (a shift's count taken mod 64, as wasm does). */
function reference(op: (typeof OPS)[number], a: bigint, n: bigint): bigint {
  if (op === "add") return BigInt.asIntN(64, a + n);
  if (op === "sub") return BigInt.asIntN(64, a - n);
  if (op === "mul") return BigInt.asIntN(64, a * n);
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
          for (const n of COUNTS) {
            const want = reference(op, a, n);
            assert.equal(e[`c_${op}_${n}`](a), want, `${op}(${a}, const ${n})`);
            assert.equal(e[`v_${op}`](a, n), want, `${op}(${a}, ${n})`);
          }
          const n = rnd64();
          assert.equal(e[`v_${op}`](a, n), reference(op, a, n), `${op}(${a}, ${n})`);
        }
      }
    });
  }
});
