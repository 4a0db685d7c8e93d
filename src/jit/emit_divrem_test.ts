import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, Store } from "../../mod.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { emitFunction } from "./emit.ts";
import { remainders } from "./emit_divrem.ts";
import type { JitMode } from "./tier.ts";

// deno-lint-ignore no-explicit-any
type Exports = Record<string, (...args: any[]) => any>;

/** `q = x / c; r = x - q * m` (m = c: as clang writes `x % c` after `x / c`), returning q ^ r. */
const divRem = (c: bigint, between = "", m = c) =>
  `(module
  (func (export "f") (param $x i64) (result i64)
    (local $q i64)
    (local.set $q (i64.div_u (local.get $x) (i64.const ${c})))
    ${between}
    (i64.xor (local.get $q)
      (i64.sub (local.get $x) (i64.mul (local.get $q) (i64.const ${m}))))))`;

const DIVISORS = [1_000_000_000n, 10n, 7n, 0xffff_ffffn, 0x8000_0000n, 1n];
const VALUES = [
  0n,
  1n,
  999_999_999n,
  1_000_000_000n,
  0xffff_ffffn,
  0x1_0000_0000n,
  0x1234_5678_9abc_def0n,
  0x7fff_ffff_ffff_ffffn,
  -1n,
  -0x8000_0000_0000_0000n,
];

function source(module: Module): string {
  const fn = instanceState(new Instance(module, {})).funcs[0];
  return emitFunction(translateFunction(fn), { frame: fn, index: 0, name: "f0" }).source;
}

function results(module: Module, jit: JitMode): bigint[] {
  const e = new Instance(module, {}, { store: new Store({ jit }) }).exports as Exports;
  return VALUES.map((x) => e.f(x));
}

describe("JIT: remainders from quotients", () => {
  it("takes x - (x / c) * c from the quotient's low word, with the interpreter's results", () => {
    for (const c of DIVISORS) {
      const module = new Module(parseWat(divRem(c)));
      assert.match(source(module), /from the quotient's low word/, `c = ${c}`);
      const off = results(module, "off");
      assert.deepEqual(results(module, "eager"), off, `c = ${c}`);
      const mask = (1n << 64n) - 1n;
      assert.deepEqual(
        off,
        VALUES.map((v) => {
          const x = v & mask, q = x / c;
          return BigInt.asIntN(64, q ^ (x - q * c));
        }),
        `c = ${c}`,
      );
    }
  });

  it("not where the dividend or the quotient changes between, or c is 2^32 or more", () => {
    const changed = [
      divRem(10n, "(local.set $x (i64.add (local.get $x) (i64.const 1)))"),
      divRem(10n, "(local.set $q (i64.const 3))"),
      divRem(0x1_0000_0003n),
      // Not the same constant, though its low word is.
      divRem(0x1_0000_0003n, "", 3n),
    ];
    for (const wat of changed) {
      const module = new Module(parseWat(wat));
      const fn = instanceState(new Instance(module, {})).funcs[0];
      assert.equal(remainders(translateFunction(fn)).size, 0, wat);
      assert.deepEqual(results(module, "eager"), results(module, "off"));
    }
  });
});
