/**
 * The atomics executor single-threaded: every load/store/rmw/cmpxchg of the
 * table against the host's native WebAssembly (when it has one) on random
 * operands, aligned, unaligned and at the memory's end, on shared and
 * unshared memories; then wait/notify results, traps and memory64
 * addresses, which need no oracle.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { OPCODES } from "../binary/opcodes.ts";
import { Instance } from "../api/instance.ts";
import { Module } from "../api/module.ts";
import { RuntimeError } from "../errors.ts";
import { parseWat } from "../text/parse_wat.ts";
import { setStopCell, STOP, STOP_CELL_WORDS, WAITING } from "./wait_hook.ts";

type Fn = (...a: (number | bigint)[]) => number | bigint | undefined;

const native = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;

const ACCESS = OPCODES.filter((op) =>
  op.feature === "threads" && op.align >= 0 && !op.name.startsWith("memory.")
);
const OFFSETS = [0, 8];

function moduleText(shared: boolean): string {
  const fns: string[] = [];
  for (const op of ACCESS) {
    const [params, results] = op.sig!.split(":");
    const ps = [...params].map((c) => c === "a" || c === "i" ? "i32" : "i64");
    for (const off of OFFSETS) {
      fns.push(
        `(func (export "${op.name}/${off}") ${ps.map((p) => `(param ${p})`).join(" ")}` +
          (results ? ` (result ${results === "i" ? "i32" : "i64"})` : "") +
          ` (${op.name} offset=${off} ${ps.map((_, i) => `(local.get ${i})`).join(" ")}))`,
      );
    }
  }
  return `(module (memory (export "mem") 1 1${shared ? " shared" : ""}) ${fns.join("\n")})`;
}

/** A deterministic generator (xorshift), so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

function call(f: Fn, args: (number | bigint)[]): string {
  try {
    const r = f(...args);
    return `= ${String(r)}`;
  } catch (e) {
    // V8's and Gannet's trap messages differ; that it trapped must not.
    return e instanceof Error && /RuntimeError/.test(e.constructor.name + e.name)
      ? "trap"
      : `error ${String(e)}`;
  }
}

describe("atomics executor", () => {
  for (const shared of [false, true]) {
    it(`matches native WebAssembly on every access op (${shared ? "shared" : "unshared"})`, {
      skip: native === undefined,
    }, () => {
      const bytes = parseWat(moduleText(shared));
      const g = new Instance(new Module(bytes), {});
      const n = new native!.Instance(new native!.Module(bytes as Uint8Array<ArrayBuffer>), {});
      const gMem = new Uint8Array((g.exports.mem as { buffer: ArrayBuffer }).buffer);
      const nMem = new Uint8Array((n.exports.mem as WebAssembly.Memory).buffer);
      const next = rng(shared ? 7 : 3);
      let compared = 0;
      for (let round = 0; round < 40; round++) {
        // Same random bytes in both memories' first and last 64 bytes.
        for (const base of [0, 65536 - 64]) {
          for (let i = 0; i < 64; i++) gMem[base + i] = nMem[base + i] = next() & 0xff;
        }
        for (const op of ACCESS) {
          const params = op.sig!.split(":")[0];
          for (const off of OFFSETS) {
            const name = `${op.name}/${off}`;
            const pick = next() % 4;
            const width = 1 << op.align;
            const addr = pick === 0
              ? (next() % 8) * width // aligned, low
              : pick === 1
              ? 65536 - off - width * (1 + (next() % 3)) // aligned, at the end (some out)
              : pick === 2
              ? 65536 - off - width + width * (next() % 2) // last slot or just past it
              : next() % 64; // anything, often unaligned
            const args: (number | bigint)[] = [addr >>> 0];
            for (const c of params.slice(1)) {
              args.push(
                c === "i"
                  ? next() | 0
                  : BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next())),
              );
            }
            const want = call(n.exports[name] as Fn, args);
            const got = call(g.exports[name] as Fn, args);
            assert.equal(got, want, `${name}(${args.join(", ")})`);
            compared++;
          }
        }
        assert.deepEqual(gMem.subarray(0, 64), nMem.subarray(0, 64));
        assert.deepEqual(gMem.subarray(65536 - 64), nMem.subarray(65536 - 64));
      }
      assert.equal(compared, 40 * ACCESS.length * OFFSETS.length);
    });
  }

  it("wait/notify: not-equal, timed-out, unshared traps, notify counts", () => {
    const mk = (shared: boolean) =>
      new Instance(
        new Module(parseWat(`(module (memory (export "mem") 1 1${shared ? " shared" : ""})
        (func (export "w32") (param i32 i32 i64) (result i32)
          (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
        (func (export "w64") (param i32 i64 i64) (result i32)
          (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
        (func (export "notify") (param i32 i32) (result i32)
          (memory.atomic.notify (local.get 0) (local.get 1))))`)),
        {},
      ).exports as Record<string, Fn>;
    const s = mk(true);
    new DataView((s.mem as unknown as { buffer: ArrayBuffer }).buffer).setInt32(8, 5, true);
    assert.equal(s.w32(8, 4, 0n), 1, "not-equal");
    assert.equal(s.w64(8, 4n, 0n), 1, "not-equal (64)");
    const t0 = performance.now();
    assert.equal(s.w32(8, 5, 20_000_000n), 2, "timed-out");
    assert.ok(performance.now() - t0 >= 15, "waited about 20 ms");
    assert.equal(s.w64(8, 5n, 0n), 2, "timed-out (64)");
    assert.equal(s.notify(8, 10), 0, "nobody waits");
    assert.throws(() => s.w32(6, 0, 0n), /unaligned atomic/);
    assert.throws(() => s.w64(4, 0n, 0n), /unaligned atomic/);
    assert.throws(() => s.notify(65536, 1), /out of bounds memory access/);
    const u = mk(false);
    assert.throws(() => u.w32(0, 0, 0n), (e) =>
      e instanceof RuntimeError &&
      /expected shared memory/.test(e.message));
    assert.equal(u.notify(0, 1), 0);
  });

  it("a host that forbids Atomics.wait on this thread (a browser's main thread) makes wait trap", () => {
    const e = new Instance(
      new Module(parseWat(`(module (memory 1 1 shared)
        (func (export "w") (result i32)
          (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0))))`)),
      {},
    ).exports as Record<string, Fn>;
    const real = Atomics.wait;
    // What a browser's main thread does.
    Atomics.wait = () => {
      throw new TypeError("Atomics.wait cannot be called in this context");
    };
    try {
      assert.throws(() => e.w(), (err) =>
        err instanceof RuntimeError &&
        /memory\.atomic\.wait is not allowed on this thread/.test(err.message));
    } finally {
      Atomics.wait = real;
    }
    assert.equal(e.w(), 2, "timed-out once the host allows it");
  });

  it("a stop cell: a stopped thread's wait traps (interrupt) instead of blocking", () => {
    const e = new Instance(
      new Module(parseWat(`(module (memory 1 1 shared)
        (func (export "w") (result i32)
          (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1))))`)),
      {},
    ).exports as Record<string, Fn>;
    const cell = new Int32Array(new SharedArrayBuffer(4 * STOP_CELL_WORDS));
    cell[STOP] = 1;
    setStopCell(cell);
    try {
      assert.throws(
        () => e.w(),
        (err) => err instanceof RuntimeError && err.message === "interrupt",
      );
      assert.equal(cell[WAITING], 0, "no wait left registered");
    } finally {
      setStopCell(null);
    }
  });

  it("memory64: exact i64 addresses (2^53 and beyond are out of bounds, not rounded)", () => {
    const e = new Instance(
      new Module(parseWat(`(module (memory i64 1 1 shared)
      (func (export "add") (param i64 i32) (result i32)
        (i32.atomic.rmw.add (local.get 0) (local.get 1)))
      (func (export "xchg") (param i64 i64) (result i64)
        (i64.atomic.rmw.xchg offset=8 (local.get 0) (local.get 1))))`)),
      {},
    ).exports as Record<string, Fn>;
    assert.equal(e.add(65532n, 3), 0);
    assert.equal(e.add(65532n, 4), 3);
    assert.equal(e.xchg(65512n, -2n), 0n);
    assert.equal(e.xchg(65512n, 1n), -2n);
    for (const a of [65536n, 1n << 53n, (1n << 53n) + 4n, (1n << 64n) - 4n]) {
      assert.throws(() => e.add(BigInt.asIntN(64, a), 1), /out of bounds memory access/, `${a}`);
    }
    assert.throws(() => e.add(2n, 1), /unaligned atomic/);
  });
});
