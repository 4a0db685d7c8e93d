/**
 * Memory instances on every byte store: growth keeps the bytes and zeroes
 * the new pages, stops at the maximum and the embedder's limiter, and the
 * views follow; shared sizes are re-read; reservations stay bounded.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MemInst, PAGE } from "./memory.ts";
import { reservedBytes, setReserveBudget } from "./memory_fallback.ts";
import { type MemoryStore, useNativeStores } from "./memory_store.ts";

/** Runs `f` with new memories on the fallback stores (`native` false) or the host's. */
function withStores<T>(native: boolean, f: () => T): T {
  const was = useNativeStores(native);
  try {
    return f();
  } finally {
    useNativeStores(was);
  }
}

const hasNative = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";
const KINDS: [string, boolean, boolean, MemoryStore["kind"]][] = [
  ["resizable ArrayBuffer", false, false, "resizable"],
  ["growable SharedArrayBuffer", false, true, "growable-shared"],
  ...(hasNative
    ? [
      ["host WebAssembly.Memory", true, false, "native"],
      ["host shared WebAssembly.Memory", true, true, "native"],
    ] as [string, boolean, boolean, MemoryStore["kind"]][]
    : []),
];

for (const [name, native, shared, kind] of KINDS) {
  describe(`memory on a ${name}`, () => {
    it("grows in place: old bytes kept, new pages zero, views and sizes follow", () => {
      const m = withStores(native, () => new MemInst(1, 8, false, shared));
      // An unshared memory starts in a plain buffer and moves on its first growth.
      assert.equal(m.store.kind, native && !shared ? "initial" : kind);
      m.u8[PAGE - 1] = 7;
      const first = m.buf;
      assert.equal(m.grow(2), 1);
      assert.equal(m.store.kind, kind);
      if (kind === "native" && !shared) {
        assert.equal(first.byteLength, 0, "the first buffer is detached by growth");
      }
      assert.equal(m.pages, 3);
      assert.equal(m.len, 3 * PAGE);
      assert.equal(m.u8.length, 3 * PAGE);
      assert.equal(m.dv.byteLength, 3 * PAGE);
      assert.equal(m.u8[PAGE - 1], 7);
      assert.ok(m.u8.subarray(PAGE).every((b) => b === 0));
      m.dv.setInt32(3 * PAGE - 4, -5, true);
      assert.equal(new DataView(m.buf).getInt32(3 * PAGE - 4, true), -5);
      assert.equal(m.grow(0), 3);
    });

    it("stops at the maximum and at the limiter (-1, nothing changes)", () => {
      const m = withStores(native, () => new MemInst(1, 4, false, shared));
      assert.equal(m.grow(4), -1);
      assert.equal(m.grow(-1), -1);
      const asked: number[][] = [];
      m.limiter = {
        maxBytes: 3 * PAGE,
        growing(cur, want, max) {
          asked.push([cur, want, max ?? -1]);
          return want !== 2 * PAGE;
        },
      };
      assert.equal(m.grow(1), -1, "the callback denies 1 -> 2 pages");
      assert.equal(m.grow(3), -1, "past maxBytes");
      assert.equal(m.grow(2), 1);
      assert.deepEqual(asked, [[PAGE, 2 * PAGE, 4 * PAGE], [PAGE, 3 * PAGE, 4 * PAGE]]);
      assert.equal(m.pages, 3);
    });

    it("covers() answers a bounds check, re-reading a size grown through another handle", () => {
      const a = withStores(native, () => new MemInst(1, 4, false, shared));
      assert.ok(a.covers(PAGE));
      assert.ok(!a.covers(PAGE + 1));
      if (!shared) return;
      // A second handle on the same bytes (as another thread has).
      const b = new MemInst(1, 4, false, true, a.store);
      assert.equal(b.grow(1), 1);
      assert.equal(a.len, PAGE, "a's cached size is stale until it looks");
      assert.ok(a.covers(2 * PAGE));
      assert.equal(a.u8.length, 2 * PAGE);
      assert.equal(a.pages, 2);
      assert.equal(a.grow(1), 2, "growth through a stale handle starts at the real size");
      assert.equal(b.pages, 3);
    });
  });
}

describe("memory address space", () => {
  it("a resizable memory past the reservation budget reserves less and moves when it outgrows it", () => {
    const was = setReserveBudget(0);
    try {
      const m = withStores(false, () => new MemInst(1, 65536));
      const first = m.buf as ArrayBuffer & { maxByteLength: number };
      assert.ok(first.maxByteLength < 65536 * PAGE, `reserved ${first.maxByteLength}`);
      m.u8[5] = 9;
      const pages = first.maxByteLength / PAGE;
      assert.equal(m.grow(pages), 1, "growth past the reservation still succeeds");
      assert.notEqual(m.buf, first);
      assert.equal(first.byteLength, 0, "the old buffer is detached");
      assert.equal(m.u8[5], 9);
      assert.equal(m.pages, pages + 1);
    } finally {
      setReserveBudget(was);
    }
  });

  it("many memories with a 4 GiB maximum stay within the budget", () => {
    const was = setReserveBudget(64 * 65536 * PAGE); // 16 of them at most
    const before = reservedBytes();
    try {
      const ms = withStores(false, () => Array.from({ length: 40 }, () => new MemInst(1, 65536)));
      assert.ok(reservedBytes() - before <= 64 * 65536 * PAGE + 40 * 64 * 1024 * 1024);
      for (const m of ms) assert.equal(m.grow(1), 1);
    } finally {
      setReserveBudget(was);
    }
  });
});
