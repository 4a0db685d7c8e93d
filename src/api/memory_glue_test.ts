/**
 * `Memory.buffer` as real glue uses it across growth, on the host-memory
 * store (exact JS API behaviour) and on the fallback resizable store: each
 * style of re-reading or re-viewing the buffer that emscripten,
 * wasm-bindgen, Go's `wasm_exec.js` and jco emit, with growth from the guest
 * and from JS; and the JS API's `toResizableBuffer`/`toFixedLengthBuffer`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance } from "./instance.ts";
import { Memory } from "./memory.ts";
import { Module } from "./module.ts";
import { parseWat } from "../text/parse_wat.ts";
import { useNativeStores } from "../runtime/memory_store.ts";

const GUEST = new Module(parseWat(`(module
  (import "glue" "grown" (func $grown))
  (memory (export "memory") 1 64)
  ;; grows like an allocator would, tells the glue, writes v into the last word
  (func (export "growAndWrite") (param $pages i32) (param $v i32) (result i32) (local $old i32)
    (local.set $old (memory.grow (local.get $pages)))
    (call $grown)
    (i32.store (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4)) (local.get $v))
    (local.get $old))
  (func (export "writeEnd") (param $v i32)
    (i32.store (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4)) (local.get $v)))
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))`));

interface Guest {
  memory: Memory;
  growAndWrite(pages: number, v: number): number;
  writeEnd(v: number): void;
  peek(addr: number): number;
}

/** One glue style: how it reads and writes memory, and what it does after growth. */
interface Glue {
  grown(): void;
  read(addr: number): number;
  write(addr: number, v: number): void;
  /** Growth started by JS, as the style's runtime does it. */
  jsGrow(pages: number): void;
}

const STYLES: Record<string, (g: () => Guest) => Glue> = {
  // emscripten: HEAP views replaced by updateMemoryViews() after its own
  // grow (emscripten_resize_heap), the heap size read from HEAPU8.length,
  // and GROWABLE_HEAP_*() re-checking the buffer identity.
  emscripten(g) {
    let HEAPU8: Uint8Array, HEAP32: Int32Array;
    const update = () => {
      const b = g().memory.buffer;
      HEAPU8 = new Uint8Array(b);
      HEAP32 = new Int32Array(b);
    };
    const heap32 = () => {
      if (HEAP32 === undefined || HEAP32.buffer !== g().memory.buffer) update();
      return HEAP32;
    };
    return {
      grown: () => update(),
      read: (a) => heap32()[a >> 2],
      write: (a, v) => void (heap32()[a >> 2] = v),
      jsGrow(pages) {
        const oldSize = HEAPU8.length;
        const requested = oldSize + pages * 65536;
        g().memory.grow((requested - HEAPU8.byteLength + 65535) >>> 16);
        update();
        assert.equal(HEAPU8.length, requested);
      },
    };
  },
  // wasm-bindgen: a cached Uint8Array re-made when its byteLength is 0
  // (detached), a cached DataView re-made when its buffer is detached or
  // is no longer memory.buffer.
  "wasm-bindgen"(g) {
    let u8: Uint8Array | null = null;
    let dv: DataView | null = null;
    const bytes = () => {
      if (u8 === null || u8.byteLength === 0) u8 = new Uint8Array(g().memory.buffer);
      return u8;
    };
    const view = () => {
      const b = dv?.buffer as (ArrayBuffer & { detached?: boolean }) | undefined;
      if (
        dv === null || b!.detached === true ||
        (b!.detached === undefined && b !== g().memory.buffer)
      ) dv = new DataView(g().memory.buffer);
      return dv;
    };
    return {
      grown() {},
      read: (a) => view().getInt32(a, true),
      write(a, v) {
        bytes().set(new Uint8Array(new Int32Array([v]).buffer), a);
      },
      jsGrow: (pages) => void g().memory.grow(pages),
    };
  },
  // Go's wasm_exec.js: this.mem = new DataView(mem.buffer), reset by the
  // guest's runtime.resetMemoryDataView after it grew; slices as fresh
  // Uint8Arrays over mem.buffer.
  go(g) {
    let mem: DataView | null = null; // set by run(), once instantiated
    return {
      grown: () => void (mem = new DataView(g().memory.buffer)),
      read: (a) => (mem ??= new DataView(g().memory.buffer)).getInt32(a, true),
      write(a, v) {
        new Uint8Array(g().memory.buffer, a, 4).set(new Uint8Array(new Int32Array([v]).buffer));
      },
      jsGrow(pages) {
        g().memory.grow(pages);
        mem = new DataView(g().memory.buffer);
      },
    };
  },
  // jco: a new DataView over memory0.buffer at every access.
  jco(g) {
    return {
      grown() {},
      read: (a) => new DataView(g().memory.buffer).getInt32(a, true),
      write: (a, v) => new DataView(g().memory.buffer).setInt32(a, v, true),
      jsGrow: (pages) => void g().memory.grow(pages),
    };
  },
};

const hasNative = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";
const STORES: [string, boolean][] = [
  ...(hasNative ? [["host memory store", true]] as [string, boolean][] : []),
  ["fallback resizable store", false],
];

function instantiate(native: boolean, style: (g: () => Guest) => Glue): [Guest, Glue] {
  const was = useNativeStores(native);
  try {
    const ref: { guest?: Guest } = {};
    const glue = style(() => ref.guest!);
    const inst = new Instance(GUEST, { glue: { grown: () => glue.grown() } });
    ref.guest = inst.exports as unknown as Guest;
    return [ref.guest, glue];
  } finally {
    useNativeStores(was);
  }
}

for (const [storeName, native] of STORES) {
  describe(`Memory.buffer across growth as glue uses it (${storeName})`, () => {
    for (const [name, style] of Object.entries(STYLES)) {
      it(`${name}: guest growth, then JS growth; both sides see every write`, () => {
        const [guest, glue] = instantiate(native, style);
        glue.write(16, 5);
        assert.equal(guest.peek(16), 5);
        assert.equal(guest.growAndWrite(2, 77), 1);
        assert.equal(glue.read(3 * 65536 - 4), 77);
        glue.write(3 * 65536 - 8, 78);
        assert.equal(guest.peek(3 * 65536 - 8), 78);
        glue.jsGrow(1);
        guest.writeEnd(79);
        assert.equal(glue.read(4 * 65536 - 4), 79);
        glue.write(4 * 65536 - 8, 80);
        assert.equal(guest.peek(4 * 65536 - 8), 80);
        assert.equal(glue.read(16), 5);
        assert.equal(guest.memory.buffer.byteLength, 4 * 65536);
      });
    }
  });
}

describe("Memory.buffer modes", () => {
  if (hasNative) {
    it("host memory store: fixed-length, detached by growth and grow(0) (the JS API exactly)", () => {
      const m = new Memory({ initial: 1, maximum: 4 });
      const b = m.buffer as ArrayBuffer & { resizable: boolean; detached: boolean };
      assert.equal(b.resizable, false);
      assert.equal(m.buffer, b, "the same object until growth");
      m.grow(1);
      assert.equal(b.detached, true);
      const c = m.buffer;
      assert.equal(c.byteLength, 2 * 65536);
      m.grow(0);
      assert.equal((c as ArrayBuffer & { detached: boolean }).detached, true);
    });
  }

  for (const [storeName, native] of STORES) {
    it(`${storeName}: toResizableBuffer() grows in place, its resize() grows the memory; toFixedLengthBuffer() detaches again`, () => {
      const was = useNativeStores(native);
      const m = new Memory({ initial: 1, maximum: 4 });
      useNativeStores(was);
      const r = m.toResizableBuffer() as ArrayBuffer & {
        resizable: boolean;
        resize(n: number): void;
      };
      assert.equal(r.resizable, true);
      assert.equal(m.buffer, r);
      new Uint8Array(r)[10] = 3;
      assert.equal(m.grow(1), 1);
      assert.equal(m.buffer, r, "growth keeps the resizable buffer");
      assert.equal(r.byteLength, 2 * 65536);
      r.resize(3 * 65536);
      assert.equal(m.grow(0), 3, "resize() grew the memory");
      assert.throws(() => r.resize(2 * 65536), RangeError, "no shrinking");
      const f = m.toFixedLengthBuffer() as ArrayBuffer & { resizable: boolean; detached: boolean };
      assert.equal(f.resizable, false);
      assert.equal(new Uint8Array(f)[10], 3);
      m.grow(1);
      assert.equal(f.detached, true, "exact mode: growth detaches");
      assert.equal(new Uint8Array(m.buffer)[10], 3);
      assert.equal(m.buffer.byteLength, 4 * 65536);
    });
  }

  it("fallback store: buffer is resizable by default and cannot be transferred away", () => {
    const was = useNativeStores(false);
    const m = new Memory({ initial: 1, maximum: 4 });
    useNativeStores(was);
    const b = m.buffer as ArrayBuffer & { resizable: boolean; transfer(): ArrayBuffer };
    assert.equal(b.resizable, true);
    m.grow(1);
    assert.equal(m.buffer, b);
    assert.equal(b.byteLength, 2 * 65536);
    assert.throws(() => b.transfer(), TypeError);
  });
});
