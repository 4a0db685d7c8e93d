import { test } from "node:test";
import assert from "node:assert/strict";
import { primitive, type ValType } from "../component/types.ts";
import { formatValue, parseCall, WaveError } from "./wave.ts";

const p = primitive;
const parse = (text: string, ...types: ValType[]) =>
  parseCall(`f(${text})`, (n) => (n === "f" ? types.map((type) => ({ type })) : null)).args;

const rec: ValType = {
  kind: "record",
  fields: [{ name: "first-name", type: p.string }, {
    name: "age",
    type: { kind: "option", type: p.u8 },
  }],
};
const variant: ValType = {
  kind: "variant",
  cases: [{ name: "none-yet", type: null }, { name: "count", type: p.u32 }],
};
const flags: ValType = { kind: "flags", names: ["read", "write-all"] };
const result: ValType = { kind: "result", ok: p.string, error: null };

test("numbers, bools, chars and strings in jco's JS shapes", () => {
  assert.deepEqual(
    parse(
      'true, -5, 18446744073709551615, 1.5, nan, \'x\', "a\\"b\\u{1F600}"',
      p.bool,
      p.s32,
      p.u64,
      p.f64,
      p.f32,
      p.char,
      p.string,
    ),
    [
      true,
      -5,
      2n ** 64n - 1n,
      1.5,
      NaN,
      "x",
      'a"b😀',
    ],
  );
});

test("records, variants, enums, options, results, flags, tuples, lists", () => {
  const [r, v1, v2, e, o, res, fl, tu, bytes, strs] = parse(
    '{first-name: "Ann"}, none-yet, count(3), b, some(4), ok("y"), {write-all}, (1, "t"), [1, 2], ["p"]',
    rec,
    variant,
    variant,
    { kind: "enum", names: ["a", "b"] },
    { kind: "option", type: p.u8 },
    result,
    flags,
    { kind: "tuple", types: [p.u8, p.string] },
    { kind: "list", element: p.u8, length: null },
    { kind: "list", element: p.string, length: null },
  );
  assert.deepEqual(r, { firstName: "Ann" });
  assert.deepEqual([v1, v2], [{ tag: "none-yet" }, { tag: "count", val: 3 }]);
  assert.equal(e, "b");
  assert.equal(o, 4);
  assert.deepEqual(res, { tag: "ok", val: "y" });
  assert.deepEqual(fl, { read: false, writeAll: true });
  assert.deepEqual(tu, [1, "t"]);
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual([...(bytes as Uint8Array)], [1, 2]);
  assert.deepEqual(strs, ["p"]);
});

test("mistakes say what and where", () => {
  assert.throws(() => parse("256", p.u8), /out of range for u8 at offset/);
  assert.throws(() => parse("1", p.u8, p.u8), /expected ','/);
  assert.throws(() => parse("'ab'", p.char), /one character/);
  assert.throws(() => parse("{age: some(1)}", rec), /missing field first-name/);
  assert.throws(() => parse("other", variant), /no case other/);
  assert.throws(() => parseCall("g()", () => null), WaveError);
  assert.throws(() => parseCall("f() x", () => []), /after the call/);
});

test("values print back as WAVE", () => {
  assert.equal(
    formatValue({ firstName: "A\n", age: 7 }, rec),
    '{first-name: "A\\n", age: some(7)}',
  );
  assert.equal(formatValue({ tag: "count", val: 2 }, variant), "count(2)");
  assert.equal(formatValue({ read: true, writeAll: true }, flags), "{read, write-all}");
  assert.equal(formatValue({ tag: "err" }, result), "err");
  assert.equal(
    formatValue(new Uint8Array([1, 2]), { kind: "list", element: p.u8, length: null }),
    "[1, 2]",
  );
  assert.equal(formatValue(-Infinity, p.f64), "-inf");
  assert.equal(formatValue("'", p.char), "'\\''");
  assert.equal(formatValue(5n, p.s64), "5");
});
