import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as N from "./numeric.ts";
import { RuntimeError } from "../errors.ts";

// Deterministic pseudo-random i64 values of varied magnitudes.
let seed = 0x2545f491;
function rnd32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed | 0;
}
function rnd64(): bigint {
  const bits = [1, 8, 20, 31, 33, 52, 53, 63, 64][(rnd32() >>> 0) % 9];
  let v = (BigInt(rnd32() >>> 0) << 32n) | BigInt(rnd32() >>> 0);
  v &= (1n << BigInt(bits)) - 1n;
  return BigInt.asIntN(64, rnd32() & 1 ? -v : v);
}
const lo = (v: bigint) => Number(BigInt.asIntN(32, v));
const hi = (v: bigint) => Number(BigInt.asIntN(32, v >> 32n));
const r = new Int32Array(2);
const got = () => N.toBigInt64(r[0], r[1]);

type Op64 = (r: Int32Array, d: number, al: number, ah: number, bl: number, bh: number) => void;

describe("i64 on halves agrees with BigInt", () => {
  const binops: [string, Op64, (a: bigint, b: bigint) => bigint][] = [
    ["div_s", N.divS64, (a, b) => a / b],
    ["rem_s", N.remS64, (a, b) => a % b],
    [
      "div_u",
      N.divU64,
      (a, b) => BigInt.asUintN(64, a) / BigInt.asUintN(64, b),
    ],
    [
      "rem_u",
      N.remU64,
      (a, b) => BigInt.asUintN(64, a) % BigInt.asUintN(64, b),
    ],
  ];
  for (const [name, f, ref] of binops) {
    it(name, () => {
      for (let i = 0; i < 3000; i++) {
        const a = rnd64(), b = rnd64();
        if (b === 0n) continue;
        if (name === "div_s" && a === -(1n << 63n) && b === -1n) continue;
        f(r, 0, lo(a), hi(a), lo(b), hi(b));
        assert.equal(got(), BigInt.asIntN(64, ref(a, b)), `${name}(${a}, ${b})`);
      }
    });
  }
  it("rotates (shifts: the IR's own bodies, src/interp/i64_shift_test.ts)", () => {
    for (let i = 0; i < 3000; i++) {
      const a = rnd64(), n = rnd32() & 127;
      const k = BigInt(n & 63), u = BigInt.asUintN(64, a);
      N.rotl64(r, 0, lo(a), hi(a), n);
      assert.equal(got(), BigInt.asIntN(64, (u << k) | (u >> ((64n - k) % 64n))));
      N.rotr64(r, 0, lo(a), hi(a), n);
      assert.equal(got(), BigInt.asIntN(64, (u >> k) | (u << ((64n - k) % 64n))));
    }
  });
  it("div/rem by 32-bit divisors (the long-division path) for large dividends", () => {
    for (let i = 0; i < 3000; i++) {
      const a = rnd64(), b = BigInt(rnd32() >>> (rnd32() & 31)) * (rnd32() & 1 ? 1n : -1n) || 7n;
      const ua = BigInt.asUintN(64, a), ub = BigInt.asUintN(64, b);
      N.divU64(r, 0, lo(a), hi(a), lo(b), hi(b));
      assert.equal(got(), BigInt.asIntN(64, ua / ub), `div_u ${ua} / ${ub}`);
      N.remU64(r, 0, lo(a), hi(a), lo(b), hi(b));
      assert.equal(got(), BigInt.asIntN(64, ua % ub), `rem_u ${ua} % ${ub}`);
      if (!(a === -(1n << 63n) && b === -1n)) {
        N.divS64(r, 0, lo(a), hi(a), lo(b), hi(b));
        assert.equal(got(), a / b, `div_s ${a} / ${b}`);
      }
      N.remS64(r, 0, lo(a), hi(a), lo(b), hi(b));
      assert.equal(got(), a % b, `rem_s ${a} % ${b}`);
    }
    N.divU64(r, 0, -1, 0x3b9ac9ff, 1000000000, 0);
    assert.equal(BigInt.asUintN(64, got()), 0x3b9ac9ffffffffffn / 1000000000n);
  });
  it("mul and div/rem by divisors up to 2^30 at their edges (the one-division path)", () => {
    const edges = [
      0n,
      1n,
      2n,
      0x7fffffffn,
      0x80000000n,
      0xffffffffn,
      0x100000000n,
      (1n << 62n) - 1n,
    ];
    edges.push((1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, 0x3b9ac9ffffffffffn);
    const divisors = [1n, 3n, 10n, 1000000000n, (1n << 30n) - 1n, 1n << 30n, (1n << 30n) + 1n];
    for (let i = 0; i < 2000; i++) edges.push(BigInt.asUintN(64, rnd64()));
    for (const ua of edges) {
      const a = BigInt.asIntN(64, ua);
      for (const ub of divisors) {
        N.divU64(r, 0, lo(a), hi(a), lo(ub), hi(ub));
        assert.equal(got(), BigInt.asIntN(64, ua / ub), `div_u ${ua} / ${ub}`);
        N.remU64(r, 0, lo(a), hi(a), lo(ub), hi(ub));
        assert.equal(got(), BigInt.asIntN(64, ua % ub), `rem_u ${ua} % ${ub}`);
      }
    }
  });
  it("div/rem trap on zero and overflow", () => {
    assert.throws(() => N.divS64(r, 0, 1, 0, 0, 0), { message: "integer divide by zero" });
    assert.throws(() => N.remU64(r, 0, 1, 0, 0, 0), RuntimeError);
    assert.throws(() => N.divS64(r, 0, 0, -2147483648, -1, -1), { message: "integer overflow" });
    N.remS64(r, 0, 0, -2147483648, -1, -1);
    assert.equal(got(), 0n);
  });
});

/** Correctly rounded (ties to even) f32 of an integer, by exact arithmetic. */
function refF32(v: bigint): number {
  const neg = v < 0n;
  let m = neg ? -v : v;
  if (m === 0n) return 0;
  const bits = m.toString(2).length;
  let e = 0;
  if (bits > 24) {
    const drop = BigInt(bits - 24);
    const rest = m & ((1n << drop) - 1n), half = 1n << (drop - 1n);
    m >>= drop;
    e = Number(drop);
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
  }
  const x = Number(m) * 2 ** e;
  return neg ? -x : x;
}

describe("conversions", () => {
  it("i64 → f32 is correctly rounded (no double rounding)", () => {
    const cases = [
      0x1000_0010_0000_0001n,
      0x7fff_ff40_0000_0001n,
      -0x1000_0010_0000_0001n,
      (1n << 63n) - 1n,
      -(1n << 63n),
      0x0020_0000_2000_0001n,
    ];
    for (let i = 0; i < 3000; i++) cases.push(rnd64());
    for (const v of cases) {
      assert.equal(N.convertS64F32(lo(v), hi(v)), refF32(v), `s ${v}`);
      const u = BigInt.asUintN(64, v);
      assert.equal(N.convertU64F32(lo(v), hi(v)), refF32(u), `u ${u}`);
    }
  });
  it("trunc traps and saturates at the exact bounds", () => {
    assert.equal(N.truncS32(-2147483648.9), -2147483648);
    assert.throws(() => N.truncS32(-2147483649), { message: "integer overflow" });
    assert.throws(() => N.truncS32(2147483648), { message: "integer overflow" });
    assert.throws(() => N.truncU32(NaN), { message: "invalid conversion to integer" });
    assert.equal(N.truncU32(4294967295.5), -1);
    assert.throws(() => N.truncU32(-1), RuntimeError);
    assert.equal(N.truncU32(-0.9), 0);
    assert.equal(N.truncSatS32(1e10), 2147483647);
    assert.equal(N.truncSatU32(-5), 0);
    N.truncS64(r, 0, -9223372036854775808);
    assert.equal(got(), -(1n << 63n));
    assert.throws(() => N.truncS64(r, 0, 9223372036854775808), RuntimeError);
    N.truncU64(r, 0, 18446744073709549568);
    assert.equal(BigInt.asUintN(64, got()), 18446744073709549568n);
    N.truncSatU64(r, 0, Infinity);
    assert.equal(got(), -1n);
    N.truncSatS64(r, 0, -Infinity);
    assert.equal(got(), -(1n << 63n));
  });
  it("nearest rounds half to even and keeps -0", () => {
    assert.equal(N.nearest(2.5), 2);
    assert.equal(N.nearest(3.5), 4);
    assert.equal(N.nearest(-2.5), -2);
    assert.ok(Object.is(N.nearest(-0.5), -0));
    assert.ok(Object.is(N.nearest(-0.2), -0));
    assert.equal(N.nearest(4503599627370497), 4503599627370497);
  });
  it("min/max order -0 below +0 and return NaN for any NaN operand", () => {
    assert.ok(Object.is(N.fmin(0, -0), -0));
    assert.ok(Object.is(N.fmin(-0, 0), -0));
    assert.ok(Object.is(N.fmax(-0, 0), 0));
    assert.ok(Object.is(N.fmax(0, -0), 0));
    assert.equal(N.fmin(3, -1), -1);
    assert.equal(N.fmax(3, -1), 3);
    assert.ok(Number.isNaN(N.fmin(NaN, 1)));
    assert.ok(Number.isNaN(N.fmax(1, NaN)));
  });
  it("ceil/floor/trunc keep the sign of zero and pass NaN", () => {
    assert.ok(Object.is(N.ceil(-0.5), -0));
    assert.equal(N.floor(-0.5), -1);
    assert.ok(Object.is(N.trunc(-0.7), -0));
    assert.equal(N.ceil(1.2), 2);
    assert.ok(Number.isNaN(N.floor(NaN)));
    assert.equal(N.trunc(-Infinity), -Infinity);
  });
  it("bit casts keep f64 payloads", () => {
    N.f64ToBits(r, 0, N.bitsToF64(1, 0x7ff00000));
    // A signalling NaN read as a number may be quieted; only assert no crash and NaN.
    assert.ok(Number.isNaN(N.bitsToF64(r[0], r[1])));
    assert.equal(N.f32ToBits(1.5), 0x3fc00000);
    assert.equal(N.copysign32(0x3f800000, -2147483648), 0xbf800000 | 0);
  });
  it("i32 helpers", () => {
    assert.equal(N.ctz32(0), 32);
    assert.equal(N.ctz32(0x80000000 | 0), 31);
    assert.equal(N.popcnt32(-1), 32);
    assert.equal(N.rotl32(0x80000001 | 0, 1), 3);
    assert.equal(N.rotr32(1, 1), 0x80000000 | 0);
    assert.throws(() => N.divS32(-2147483648, -1), { message: "integer overflow" });
    assert.equal(N.remS32(-2147483648, -1), 0);
    assert.equal(N.divU32(-1, 2), 0x7fffffff);
    assert.equal(N.clz64(0, 1), 31);
    assert.equal(N.ctz64(0, 1), 32);
    assert.equal(N.popcnt64(-1, -1), 64);
  });
});
