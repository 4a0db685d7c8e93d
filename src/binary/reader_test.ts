import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Reader } from "./reader.ts";
import { CompileError } from "../errors.ts";

const R = (...b: number[]) => new Reader(new Uint8Array(b));

function fails(fn: () => unknown, text: string, offset?: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CompileError, `expected CompileError, got ${e}`);
    assert.ok(e.message.includes(text), `"${e.message}" should contain "${text}"`);
    if (offset !== undefined) assert.equal(e.offset, offset);
    return true;
  });
}

describe("Reader.u32", () => {
  it("reads minimal and padded encodings", () => {
    assert.equal(R(0x00).u32(), 0);
    assert.equal(R(0x7f).u32(), 127);
    assert.equal(R(0x80, 0x01).u32(), 128);
    assert.equal(R(0x80, 0x80, 0x80, 0x80, 0x00).u32(), 0); // 5-byte zero is allowed
    assert.equal(R(0xff, 0xff, 0xff, 0xff, 0x0f).u32(), 0xffffffff);
    const r = R(0xe5, 0x8e, 0x26, 0x01);
    assert.equal(r.u32(), 624485);
    assert.equal(r.pos, 3);
  });
  it("rejects unused bits in the fifth byte", () => {
    fails(() => R(0xff, 0xff, 0xff, 0xff, 0x1f).u32(), "integer too large", 4);
    fails(() => R(0x80, 0x80, 0x80, 0x80, 0x70).u32(), "integer too large");
  });
  it("rejects a sixth byte", () => {
    fails(() => R(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32(), "integer representation too long");
  });
  it("prefers 'too large' when the fifth byte has both problems", () => {
    fails(() => R(0x80, 0x80, 0x80, 0x80, 0x90, 0x00).u32(), "integer too large");
  });
  it("reports truncation", () => {
    fails(() => R().u32(), "unexpected end", 0);
    fails(() => R(0x80, 0x80).u32(), "unexpected end", 2);
  });
});

describe("Reader.s32 / s33 / s64", () => {
  it("sign-extends", () => {
    assert.equal(R(0x7f).s32(), -1);
    assert.equal(R(0x40).s32(), -64);
    assert.equal(R(0x3f).s32(), 63);
    assert.equal(R(0x80, 0x80, 0x80, 0x80, 0x78).s32(), -0x80000000);
    assert.equal(R(0xff, 0xff, 0xff, 0xff, 0x07).s32(), 0x7fffffff);
    assert.equal(R(0xff, 0xff, 0xff, 0xff, 0x7f).s32(), -1); // padded -1
  });
  it("checks the fifth byte's unused bits against the sign", () => {
    fails(() => R(0xff, 0xff, 0xff, 0xff, 0x0f).s32(), "integer too large"); // 2^32-1
    fails(() => R(0x80, 0x80, 0x80, 0x80, 0x70).s32(), "integer too large");
    fails(() => R(0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).s32(), "integer representation too long");
  });
  it("s33 covers block type indices and value type codes", () => {
    assert.equal(R(0x40).s33(), -64);
    assert.equal(R(0x7f).s33(), -1);
    assert.equal(R(0x05).s33(), 5);
    assert.equal(R(0xff, 0xff, 0xff, 0xff, 0x0f).s33(), 0xffffffff);
    assert.equal(R(0x80, 0x80, 0x80, 0x80, 0x70).s33(), -(2 ** 32));
    fails(() => R(0x80, 0x80, 0x80, 0x80, 0x20).s33(), "integer too large");
  });
  it("s64 reads the extremes and rejects bad tenth bytes", () => {
    const min = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
    const max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
    assert.equal(R(...min).s64(), -(2n ** 63n));
    assert.equal(R(...max).s64(), 2n ** 63n - 1n);
    assert.equal(R(0x7f).s64(), -1n);
    assert.equal(R(0xc0, 0xbb, 0x78).s64(), -123456n);
    fails(() => R(...max.slice(0, 9), 0x01).s64(), "integer too large");
    fails(() => R(...max.slice(0, 9), 0x80, 0x00).s64(), "integer representation too long");
  });
});

describe("Reader.u64 / u64n", () => {
  it("reads 64-bit values", () => {
    const max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    assert.equal(R(...max).u64(), 2n ** 64n - 1n);
    assert.equal(R(0x80, 0x80, 0x80, 0x80, 0x10).u64(), 2n ** 32n);
    assert.equal(R(0x80, 0x80, 0x80, 0x80, 0x10).u64n(), 2 ** 32);
    assert.equal(R(0x05).u64n(), 5);
  });
  it("rejects unused bits and an eleventh byte", () => {
    const nine = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80];
    fails(() => R(...nine, 0x02).u64(), "integer too large");
    fails(() => R(...nine, 0x02).u64n(), "integer too large");
    fails(() => R(...nine, 0x81, 0x00).u64(), "integer representation too long");
  });
});

describe("Reader.len / name / take", () => {
  it("checks lengths against the remaining input", () => {
    fails(() => R(0x05, 1, 2).len(), "length out of bounds", 0);
    assert.equal(R(0x02, 1, 2).len(), 2);
  });
  it("decodes UTF-8 names and rejects malformed ones", () => {
    assert.equal(R(0x03, 0x61, 0x62, 0x63).name(), "abc");
    assert.equal(R(0x03, 0xef, 0xbb, 0xbf).name(), "\ufeff"); // a BOM is kept
    assert.equal(R(0x04, 0xf0, 0x9f, 0x98, 0x80).name(), "\u{1f600}");
    fails(() => R(0x01, 0x80).name(), "malformed UTF-8 encoding", 1);
    fails(() => R(0x02, 0xc0, 0x80).name(), "malformed UTF-8 encoding"); // overlong
    fails(() => R(0x03, 0xed, 0xa0, 0x80).name(), "malformed UTF-8 encoding"); // surrogate
  });
  it("take returns views and fails past the end", () => {
    const r = R(1, 2, 3);
    assert.deepEqual([...r.take(2)], [1, 2]);
    fails(() => r.take(2), "unexpected end");
  });
  it("offsets errors by base", () => {
    const r = R();
    r.base = 100;
    fails(() => r.u8(), "unexpected end", 100);
  });
});
