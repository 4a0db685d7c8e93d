import { test } from "node:test";
import assert from "node:assert/strict";
import { primitive, type ValType } from "../types.ts";
import { codecOf } from "./codec.ts";
import { LATIN1_UTF16, UTF16, UTF8 } from "./context.ts";
import { I32, I64 } from "./layout.ts";
import { randomType, randomValue, Rng } from "./_random.ts";
import { testEnv } from "./_test_env.ts";

/** Flat values as a core call gives them: i32 signed numbers, i64 signed BigInts. */
function asCore(flat: number[], vals: unknown[]): unknown[] {
  return vals.map((v, i) =>
    flat[i] === I32 ? (v as number) | 0 : flat[i] === I64 ? BigInt.asIntN(64, v as bigint) : v
  );
}

test("random values of random types survive lower→lift (flat) and store→load (memory)", () => {
  const env = testEnv();
  env.cx().allocate(1, 65000, "list"); // so that the allocations below grow the memory
  const r = new Rng(1234);
  for (let n = 0; n < 400; n++) {
    const t = randomType(r, 3);
    const c = codecOf(t);
    for (const enc of [UTF8, UTF16, LATIN1_UTF16] as const) {
      const v = randomValue(r, t);
      const cx = env.cx(enc);
      const out: unknown[] = [];
      c.lower(cx, v, out);
      assert.equal(out.length, c.flat.length);
      cx.pos = 0;
      assert.deepStrictEqual(
        c.lift(cx, asCore(c.flat as number[], out)),
        v,
        `flat ${JSON.stringify(t)}`,
      );
      const ptr = cx.allocate(c.align, c.size, "pointer");
      c.store(cx, v, ptr);
      assert.deepStrictEqual(c.load(cx, ptr), v, `memory ${JSON.stringify(t)}`);
    }
  }
  // The allocator grew the memory on the way: views were refreshed.
  assert.ok(env.mem.pages > 1);
});

test("strings are encoded as the string-encoding option says", () => {
  const env = testEnv();
  const c = codecOf(primitive.string);
  const flat = (enc: 0 | 1 | 2, s: string) => {
    const out: number[] = [];
    c.lower(env.cx(enc), s, out as unknown[]);
    return out;
  };
  const bytes = (p: number, n: number) => [...env.mem.u8.subarray(p, p + n)];
  let [p, n] = flat(UTF8, "hö☃🍰");
  assert.equal(n, 10);
  assert.deepEqual(bytes(p, n), [0x68, 0xc3, 0xb6, 0xe2, 0x98, 0x83, 0xf0, 0x9f, 0x8d, 0xb0]);
  [p, n] = flat(UTF16, "hö");
  assert.equal(n, 2);
  assert.deepEqual(bytes(p, 4), [0x68, 0, 0xf6, 0]);
  [p, n] = flat(LATIN1_UTF16, "hö");
  assert.equal(n, 2, "all code points below 256: latin1");
  assert.deepEqual(bytes(p, 2), [0x68, 0xf6]);
  [p, n] = flat(LATIN1_UTF16, "h☃");
  assert.equal(n >>> 0, (2 | 0x80000000) >>> 0, "utf16, tagged");
  assert.deepEqual(bytes(p, 4), [0x68, 0, 0x03, 0x26]);
});

test("jco's JS shapes: option, nested option, result, variant, enum, flags, typed lists", () => {
  const env = testEnv();
  const roundtrip = (t: ValType, v: unknown) => {
    const c = codecOf(t);
    const cx = env.cx();
    const out: unknown[] = [];
    c.lower(cx, v, out);
    cx.pos = 0;
    return c.lift(cx, out);
  };
  const { u8, u32, string, f64 } = primitive;
  assert.equal(roundtrip({ kind: "option", type: u32 }, null), undefined);
  assert.equal(roundtrip({ kind: "option", type: u32 }, 7), 7);
  const oo: ValType = { kind: "option", type: { kind: "option", type: u32 } };
  assert.deepEqual(roundtrip(oo, undefined), { tag: "none" });
  assert.deepEqual(roundtrip(oo, { tag: "some", val: undefined }), { tag: "some", val: undefined });
  assert.deepEqual(roundtrip(oo, 5), { tag: "some", val: 5 }, "a bare value is some(value)");
  const res: ValType = { kind: "result", ok: string, error: null };
  assert.deepEqual(roundtrip(res, "x"), { tag: "ok", val: "x" }, "a bare value is ok(value)");
  assert.deepEqual(roundtrip(res, { tag: "err", val: 1 }), { tag: "err", val: undefined });
  const v: ValType = {
    kind: "variant",
    cases: [{ name: "a-b", type: f64 }, { name: "c", type: null }],
  };
  assert.deepEqual(roundtrip(v, { tag: "c" }), { tag: "c" });
  assert.deepEqual(roundtrip(v, { tag: "a-b", val: 1.5 }), { tag: "a-b", val: 1.5 });
  assert.throws(() => roundtrip(v, { tag: "d" }), TypeError);
  assert.equal(roundtrip({ kind: "enum", names: ["x-y", "z"] }, "z"), "z");
  assert.throws(() => roundtrip({ kind: "enum", names: ["x-y", "z"] }, "w"), TypeError);
  // Found by the ABI fuzzer: a non-integer for a 64-bit integer was a RangeError.
  assert.equal(roundtrip(primitive.u64, 7), 7n);
  assert.throws(() => roundtrip(primitive.s64, -6.97), TypeError);
  assert.deepEqual(roundtrip({ kind: "flags", names: ["read-only", "exec"] }, { readOnly: 1 }), {
    readOnly: true,
    exec: false,
  });
  const bytes = roundtrip({ kind: "list", element: u8, length: null }, [1, 2, 300]);
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual([...(bytes as Uint8Array)], [1, 2, 44]);
  assert.ok(roundtrip({ kind: "list", element: f64, length: null }, [0.5]) instanceof Float64Array);
  assert.deepEqual(
    roundtrip({ kind: "record", fields: [{ name: "max-len", type: u8 }] }, { maxLen: 3 }),
    {
      maxLen: 3,
    },
  );
});

test("variant payloads share joined flat slots (i32/f32 → i32, else i64)", () => {
  const env = testEnv();
  const { f32, f64, u32, s64 } = primitive;
  const t: ValType = {
    kind: "variant",
    cases: [{ name: "a", type: f32 }, { name: "b", type: u32 }, { name: "c", type: f64 }, {
      name: "d",
      type: s64,
    }],
  };
  const c = codecOf(t);
  assert.deepEqual(c.flat, [I32, I64]);
  for (
    const v of [{ tag: "a", val: -1.5 }, { tag: "b", val: 0xffffffff }, { tag: "c", val: NaN }, {
      tag: "d",
      val: -5n,
    }]
  ) {
    const cx = env.cx();
    const out: unknown[] = [];
    c.lower(cx, v, out);
    assert.equal(typeof out[1], "bigint");
    cx.pos = 0;
    assert.deepStrictEqual(c.lift(cx, out), v);
  }
});
