import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseF32, parseF64, parseI32, parseI64, parseUnsigned, RangeProblem } from "./numbers.ts";

const f32 = (t: string) => parseF32(t)?.toString(16).padStart(8, "0");
const f64 = (t: string) => parseF64(t)?.toString(16).padStart(16, "0");

describe("integer literals", () => {
  it("parses decimal, hex, signs and underscores", () => {
    assert.equal(parseI32("0"), 0);
    assert.equal(parseI32("-1"), -1);
    assert.equal(parseI32("+7"), 7);
    assert.equal(parseI32("0xffffffff"), -1);
    assert.equal(parseI32("4294967295"), -1);
    assert.equal(parseI32("-0x80000000"), -2147483648);
    assert.equal(parseI32("1_000_000"), 1000000);
    assert.equal(parseI32("0xdead_BEEF"), 0xdeadbeef | 0);
    assert.equal(parseI64("0xffffffffffffffff"), -1n);
    assert.equal(parseI64("-9223372036854775808"), -9223372036854775808n);
    assert.equal(parseI64("18446744073709551615"), -1n);
  });
  it("rejects out-of-range values", () => {
    for (const t of ["4294967296", "0x100000000", "-2147483649", "+2147483648", "-0x80000001"]) {
      assert.throws(() => parseI32(t), RangeProblem, t);
    }
    for (const t of ["18446744073709551616", "-9223372036854775809", "+0x8000000000000000"]) {
      assert.throws(() => parseI64(t), RangeProblem, t);
    }
    assert.throws(() => parseUnsigned("256", 8), /i8 constant out of range/);
  });
  it("returns null for non-integers", () => {
    for (const t of ["1.0", "0x1p3", "inf", "nan", "1e3", "_1", "1__0", "0x"]) {
      assert.equal(parseI32(t), null, t);
    }
    assert.equal(parseUnsigned("-1", 32), null);
  });
});

describe("float literals", () => {
  it("handles the spec's edge cases", () => {
    assert.equal(f32("0x1p-149"), "00000001"); // smallest subnormal
    assert.equal(f32("-0x0p+0"), "80000000");
    assert.equal(f32("nan:0x200000"), "7fa00000");
    assert.equal(f32("-nan"), "ffc00000");
    assert.equal(f32("+inf"), "7f800000");
    assert.equal(f32("-inf"), "ff800000");
    assert.equal(f64("0x1p-1074"), "0000000000000001");
    assert.equal(f64("-0x0p+0"), "8000000000000000");
    assert.equal(f64("nan:0x4000000000000"), "7ff4000000000000");
    assert.equal(f64("nan"), "7ff8000000000000");
    assert.equal(f32("0x1.8p1"), "40400000");
    assert.equal(f32("1_000.5"), "447a2000");
    assert.equal(f32("1e10"), "501502f9");
    assert.equal(f64("0.1"), "3fb999999999999a");
  });
  it("rejects NaN payloads of zero or too wide", () => {
    assert.throws(() => parseF32("nan:0x0"), RangeProblem);
    assert.throws(() => parseF32("nan:0x800000"), RangeProblem);
    assert.throws(() => parseF64("nan:0x10000000000000"), RangeProblem);
    assert.equal(f32("nan:0x7fffff"), "7fffffff");
  });
  it("rounds f32 from decimal once, not through f64", () => {
    // Just above the midpoint 1 + 2^-24: through f64 this becomes the exact
    // midpoint and then rounds to even (1.0); correctly rounded it is 1 + 2^-23.
    assert.equal(f32("1.00000005960464477539062500000001"), "3f800001");
    assert.equal(f32("1.000000059604644775390625"), "3f800000"); // exact tie → even
    assert.equal(f32("1.00000017881393432617187499"), "3f800001"); // just below 1+3·2^-24
    assert.equal(f32("1.000000178813934326171875"), "3f800002"); // tie → even
  });
  it("rounds long hex literals exactly", () => {
    assert.equal(f32("0x1.000001p0"), "3f800000"); // tie → even
    assert.equal(f32("0x1.0000010000000000001p0"), "3f800001"); // above tie
    assert.equal(f32("0x1.000003p0"), "3f800002"); // tie → even (up)
    assert.equal(f64("0x1.00000000000008p0"), "3ff0000000000000");
    assert.equal(f64("0x1.00000000000018p0"), "3ff0000000000002");
  });
  it("rounds into and out of the subnormal range", () => {
    assert.equal(f32("0x1p-150"), "00000000"); // half the smallest subnormal: tie → 0
    assert.equal(f32("0x1.000002p-150"), "00000001");
    assert.equal(f32("0x1.8p-149"), "00000002"); // 1.5 ulp → tie → even (2)
    assert.equal(f32("1.4e-45"), "00000001");
    assert.equal(f32("7e-46"), "00000000"); // below half of 1.4013e-45
    assert.equal(f32("7.1e-46"), "00000001");
    assert.equal(f32("1.1754942e-38"), "007fffff"); // largest subnormal
    assert.equal(f32("0x1.fffffep-127"), "00800000"); // rounds up to the smallest normal
    assert.equal(f64("4.9406564584124654e-324"), "0000000000000001");
    assert.equal(f64("2.4703282292062327e-324"), "0000000000000000"); // below half
    assert.equal(f64("2.4703282292062328e-324"), "0000000000000001"); // above half
  });
  it("rejects literals that round to infinity, accepts the largest finite", () => {
    assert.equal(f32("0x1.fffffep127"), "7f7fffff");
    assert.equal(f32("0x1.fffffefffffffffp127"), "7f7fffff");
    assert.throws(() => parseF32("0x1.ffffffp127"), RangeProblem); // tie → even = 2^128
    assert.throws(() => parseF32("0x1p128"), RangeProblem);
    assert.equal(f32("340282356779733661637539395458142568447"), "7f7fffff"); // 2^128-2^103-1
    assert.throws(() => parseF32("340282356779733661637539395458142568448"), RangeProblem); // tie
    assert.equal(f32("3.4028234663852886e38"), "7f7fffff");
    assert.throws(() => parseF32("1e39"), RangeProblem);
    assert.equal(f64("1.7976931348623157e308"), "7fefffffffffffff");
    assert.throws(() => parseF64("1.7976931348623159e308"), RangeProblem);
    assert.throws(() => parseF64("0x1p1024"), RangeProblem);
    assert.equal(f64("1e-400"), "0000000000000000");
  });
  it("accepts integers and rejects malformed text", () => {
    assert.equal(f32("1"), "3f800000");
    assert.equal(f32("-0"), "80000000");
    assert.equal(f32("16777217"), "4b800000"); // tie → even
    assert.equal(f32("0x1_0000_01"), "4b800000");
    for (const t of [".5", "1.e", "0x.1", "1e", "0x1p", "nan:1", "infinity", "1__0"]) {
      assert.equal(parseF32(t), null, t);
    }
  });
});
