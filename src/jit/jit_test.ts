import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, RuntimeError, Store } from "../../mod.ts";
import { instrSize } from "../interp/ir_defs.ts";
import { targets } from "./split.ts";
import { leaders } from "./emit.ts";
import { RegisterMap } from "./registers.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import { jitStats } from "./compile.ts";
import { OVERRUN } from "../interp/slice.ts";
import type { JitMode } from "./tier.ts";
import { spawnSync } from "node:child_process";
import process from "node:process";

const WAT = `(module
  (memory 1 4)
  (global $g (mut i64) (i64.const 5))
  (table 2 funcref)
  (elem (i32.const 0) $sq $fib)
  (type $t (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "mix") (param i32) (result i64) (local i64 f64)
    (block $out (loop $top
      (local.set 1 (i64.add (local.get 1)
        (i64.mul (i64.extend_i32_u (local.get 0)) (global.get $g))))
      (local.set 2 (f64.add (local.get 2) (f64.sqrt (f64.convert_i32_u (local.get 0)))))
      (i64.store (i32.and (i32.mul (local.get 0) (i32.const 8)) (i32.const 4095)) (local.get 1))
      (br_if $out (i32.eqz (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $top)))
    (i64.add (i64.load (i32.const 8)) (i64.trunc_f64_s (local.get 2))))
  (func (export "switch") (param i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (local.get 0)))
      (return (i32.const 10)))
      (return (call_indirect (type $t) (i32.const 7) (i32.const 0))))
    (call_indirect (type $t) (i32.const 9) (local.get 0)))
  (func (export "oob") (param i32) (result i32) (i32.load (local.get 0)))
  (func $deep (export "deep") (param i32) (result i32) (call $deep (i32.add (local.get 0) (i32.const 1))))
  (func (export "grow") (result i32) (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 70000) (i32.const 42)) (i32.load (i32.const 70000)))
  (func (export "spin") (param i32) (result i32)
    (loop $l (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br $l)) (local.get 0))
)`;

type Exports = Record<string, (...a: unknown[]) => unknown>;

function instance(jit: JitMode, fuel?: number): { e: Exports; store: Store } {
  const store = new Store({ jit, fuel });
  const inst = new Instance(new Module(parseWat(WAT)), {}, { store });
  return { e: inst.exports as Exports, store };
}

/** What a call did: its result, or its trap's message and wasm frames. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    assert.ok(e instanceof RuntimeError, String(e));
    const frames = (e as { wasmStack?: { funcIndex: number }[] }).wasmStack ?? [];
    return { trap: e.message, frames: frames.slice(0, 5).map((x) => x.funcIndex) };
  }
}

describe("JIT: compiled code behaves as the interpreter", () => {
  // First: it needs a machine whose register file has not grown yet (machines are pooled).
  it("a caller continuing after a direct call sees the register file and memory the callee grew", () => {
    const locals = Array.from({ length: 300 }, () => "f64").join(" ");
    const wat = `(module (memory 1)
      (func $deep (param i32) (result i32) (local ${locals})
        (if (local.get 0) (then (return (i32.add
          (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 2)))))
        (i32.const 0))
      (func $grow (result i32)
        (drop (memory.grow (i32.const 2)))
        (i32.store (i32.const 150000) (i32.const 99))
        (i32.const 1))
      (func (export "outer") (param i32) (result i32) (local i32)
        (local.set 1 (i32.const 7))
        (i32.add (call $deep (local.get 0)) (local.get 1)))
      (func (export "grown") (result i32)
        (i32.add (call $grow) (i32.load (i32.const 150000)))))`;
    for (const jit of ["eager", "off"] as const) {
      const e = new Instance(new Module(parseWat(wat)), {}, { store: new Store({ jit }) })
        .exports as Exports;
      assert.equal(e.outer(25), 57, jit);
      assert.equal(e.outer(3000), 6007, jit);
      assert.equal(e.grown(), 100, jit);
    }
  });

  it("memory 0 grown by a direct callee: the callers go on with its new views", () => {
    // The first growth moves the memory into a growable buffer and detaches
    // the old one: a caller still holding a view of it would fail on any
    // access, inside the old size too.
    const wat = `(module (memory (export "mem") 1)
      (func $grow (param i32) (result i32) (memory.grow (local.get 0)))
      (func $mid (param i32) (result i32)
        (i32.store (i32.const 16) (i32.add (call $grow (local.get 0)) (i32.const 5)))
        (i32.load (i32.const 16)))
      (func (export "run") (param i32) (result i32)
        (i32.store (i32.const 8) (call $mid (local.get 0)))
        (i32.add (i32.load (i32.const 8)) (i32.mul (memory.size) (i32.const 100)))))`;
    for (const jit of ["eager", "auto", "off"] as const) {
      const e = new Instance(new Module(parseWat(wat)), {}, { store: new Store({ jit }) })
        .exports as Exports & { mem: { buffer: ArrayBuffer } };
      assert.equal(e.run(1), 206, jit);
      assert.equal(e.run(0), 207, jit);
      assert.equal(e.run(3), 507, jit);
      assert.equal(new DataView(e.mem.buffer).getInt32(8, true), 7, jit);
    }
  });

  it("direct calls that leave without returning put every frame back (host calls, traps, growth)", () => {
    // $down keeps a local live across its call (below the call's frame);
    // its big frame makes the register file grow partway down a chain of
    // direct calls; at the bottom it calls the host (the chain leaves for
    // the driver and comes back) or traps (the backtrace names every frame).
    const locals = Array.from({ length: 200 }, () => "f64").join(" ");
    const body = (next: string) =>
      `(param i32 i32) (result i32) (local i32) (local ${locals})
        (local.set 2 (i32.mul (local.get 0) (i32.const 3)))
        (if (result i32) (local.get 0)
          (then (i32.add (local.get 2)
            (call ${next} (i32.sub (local.get 0) (i32.const 1)) (local.get 1))))
          (else (if (result i32) (local.get 1)
            (then (call $host (i32.const 5)))
            (else (unreachable)))))`;
    const wat = `(module
      (import "h" "f" (func $host (param i32) (result i32)))
      (func $a ${body("$b")})
      (func $b ${body("$a")})
      ;; Recursion through call_indirect: every frame's record is written.
      (type $ct (func (param i32) (result i32)))
      (table 1 funcref)
      (elem (i32.const 0) $c)
      (func $c (export "poison") (param i32) (result i32)
        (if (result i32) (local.get 0)
          (then (call_indirect (type $ct) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))
          (else (i32.const 0))))
      (func (export "run") (param i32 i32) (result i32) (local i32)
        (local.set 2 (i32.const 1000))
        (i32.add (local.get 2) (call $a (local.get 0) (local.get 1)))))`;
    const make = (jit: JitMode) =>
      new Instance(new Module(parseWat(wat)), { h: { f: (x: number) => x * 7 } }, {
        store: new Store({ jit }),
      }).exports as Exports;
    const seen = (["off", "eager", "auto"] as const).map((jit) => {
      const e = make(jit), out: unknown[] = [];
      for (let rep = 0; rep < 3; rep++) {
        for (const n of [1, 5, 31, 32, 33, 70, 300]) {
          out.push(outcome(() => e.run(n, 1)));
          out.push(outcome(() => e.run(n, 0)));
        }
      }
      return out;
    });
    assert.deepEqual(seen[0][0], { value: 1038 }); // 1000 + 3 + 35
    assert.deepEqual(seen[1], seen[0], "eager");
    assert.deepEqual(seen[2], seen[0], "auto");
    // Whole backtraces: $a/$b n + 1 times, then run ($a and $b alternate).
    const eager = make("eager");
    for (const n of [41, 40]) {
      // Frame records of another function at every depth the trap unwinds.
      eager.poison(100);
      let frames: number[] = [];
      try {
        eager.run(n, 0);
      } catch (err) {
        assert.equal((err as Error).message, "unreachable");
        frames = (err as { wasmStack: { funcIndex: number }[] }).wasmStack.map((f) => f.funcIndex);
      }
      const want = Array.from({ length: n + 1 }, (_, k) => (n - k) % 2 === 0 ? 1 : 2); // k: the argument
      assert.deepEqual(frames, [...want, 4], `n=${n}`); // innermost (argument 0) first
    }
  });

  it("a slot holding an i32 in one place and an f64 in another leaves the right value at every exit", () => {
    // Slot 5 is an f64 temporary (the product), then the host call's i32
    // argument and result; slot 0 the i32 parameter, then the f64 result.
    // Slices end in the middle of the loop and at every host call, so the
    // register file must hold the local written last, of either type.
    const wat = `(module
      (import "h" "f" (func $host (param i32 f64) (result i32)))
      (func (export "f") (param $n i32) (result f64) (local $i i32) (local $j i32) (local $acc f64)
        (loop $l
          (local.set $acc (f64.add (local.get $acc)
            (f64.mul (f64.convert_i32_s (local.get $i)) (f64.const 0.5))))
          (local.set $j (i32.add (i32.mul (local.get $i) (i32.const 3)) (local.get $j)))
          (if (i32.eqz (i32.and (local.get $i) (i32.const 1023)))
            (then (local.set $j (i32.add (local.get $j) (call $host (local.get $i) (local.get $acc))))))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (f64.add (local.get $acc) (f64.convert_i32_s (local.get $j)))))`;
    const code = translateFunction(
      instanceState(new Instance(new Module(parseWat(wat)), { h: { f: () => 0 } })).funcs[1],
    );
    assert.deepEqual(
      new RegisterMap(code, new Set(), { leaders: new Set(leaders(code)), results: 1 }).split.slots,
      [
        0,
        5,
      ],
    );
    const seen = (["off", "eager", "auto"] as const).map((jit) => {
      const calls: number[] = [];
      const host = (i: number, acc: number) => {
        calls.push(i, acc);
        return (i ^ Math.trunc(acc)) & 0xff;
      };
      const e = new Instance(new Module(parseWat(wat)), { h: { f: host } }, {
        store: new Store({ jit }),
      }).exports as Exports;
      return [e.f(1), e.f(300_000), e.f(5000), calls];
    });
    assert.equal(seen[0][0], 0);
    assert.equal((seen[0][3] as number[]).length, 2 * (1 + 293 + 5));
    assert.deepEqual(seen[1], seen[0], "eager");
    assert.deepEqual(seen[2], seen[0], "auto");
  });

  it("a directly called function starts with zeroed locals and null reference locals", () => {
    // $f's locals are read before written (zero, null). $h, called at the
    // same frame base, leaves junk there: its locals are written back to the
    // register file when it calls the host.
    const wat = `(module
      (import "h" "f" (func $host (param i32) (result i32)))
      (elem declare func $h)
      (func $h (param i32) (result i32) (local i32 i64 f64 funcref)
        (local.set 1 (i32.const 77))
        (local.set 2 (i64.const 0x123456789))
        (local.set 3 (f64.const 2.5))
        (local.set 4 (ref.func $h))
        (call $host (i32.add (local.get 0) (local.get 1))))
      (func $f (param i32) (result i32) (local i32 i64 f64 funcref externref)
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 2 (i64.add (local.get 2) (i64.extend_i32_u (local.get 0))))
        (local.set 3 (f64.add (local.get 3) (f64.convert_i32_u (local.get 0))))
        (i32.add (i32.add (local.get 1) (i32.wrap_i64 (local.get 2)))
          (i32.add (i32.trunc_f64_u (local.get 3))
            (i32.add (ref.is_null (local.get 4)) (ref.is_null (local.get 5))))))
      (func (export "g") (param i32) (result i32) (local i32)
        (loop $l
          (drop (call $h (local.get 0)))
          (local.set 1 (i32.add (call $f (local.get 0)) (local.get 1)))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get 1)))`;
    for (const jit of ["off", "eager", "auto"] as const) {
      const e = new Instance(new Module(parseWat(wat)), { h: { f: (x: number) => x } }, {
        store: new Store({ jit }),
      }).exports as Exports;
      // Σ (3k + 2) for k = 1…1000.
      assert.equal(e.g(1000), 3 * 500500 + 2000, jit);
    }
  });

  it("an i64 move out of a split slot reads the local written last (fuzz seed 4159)", () => {
    // The stack slot of `global.get` (an i32) then carries local 7 (an i64
    // moved as a float64): the move out of it must not read its int32 local.
    const wat = `(module (global (mut i32) (i32.const 126))
      (func $f (param f32) (result i64) (local f64 i32 i32 i32 i64 i64 i64)
        (global.set 0 (global.get 0))
        (try_table (result i64) (local.get 7))
        (local.tee 5))
      (func (export "g") (param f32) (result i32) (i32.wrap_i64 (call $f (local.get 0)))))`;
    for (const jit of ["off", "eager"] as const) {
      const e = new Instance(new Module(parseWat(wat)), {}, { store: new Store({ jit }) })
        .exports as Exports;
      assert.deepEqual([e.g(1.5), e.g(2.5)], [0, 0], jit);
    }
  });

  it("gives the same results, traps and backtraces with the JIT off and eager", () => {
    const before = jitStats.compiled;
    const off = instance("off").e, eager = instance("eager").e;
    const calls: [string, unknown[]][] = [
      ["fib", [20]],
      ["mix", [5000]],
      ["switch", [0]],
      ["switch", [1]],
      ["switch", [2]],
      ["switch", [1000]],
      ["oob", [65535]],
      ["oob", [-1]],
      ["deep", [0]],
      ["grow", []],
    ];
    for (const [name, args] of calls) {
      assert.deepEqual(
        outcome(() => eager[name](...args)),
        outcome(() => off[name](...args)),
        `${name}(${args})`,
      );
    }
    assert.equal(eager.fib(20), 6765);
    assert.ok(jitStats.compiled > before, "eager mode compiled nothing");
  });

  it("stops on fuel at the same point in every tier", () => {
    // Past OVERRUN (slice.ts), compiled code runs the first part untested
    // on forward branches and the interpreter the last.
    for (const fuel of [0, 1, 7, 1000, 12345, OVERRUN + 1, 150_001]) {
      const seen = (["off", "eager", "auto"] as const).map((jit) => {
        const { e, store } = instance(jit, fuel);
        const r = outcome(() => e.fib(25));
        const { e: e2, store: s2 } = instance(jit, fuel);
        const r2 = outcome(() => e2.mix(100000));
        return JSON.stringify(
          [r, store.fuel, r2, s2.fuel],
          (_, v) => typeof v === "bigint" ? `${v}n` : v,
        );
      });
      assert.equal(seen[1], seen[0], `fuel ${fuel}: eager`);
      assert.equal(seen[2], seen[0], `fuel ${fuel}: auto`);
    }
  });

  it("runs SIMD inline, stopping on fuel and returning the same lanes as the interpreter", () => {
    // A vector loop (templates inline: v128.load, f32x4.mul/add, i32x4.add)
    // with an op the templates lack (f32x4.sqrt: the SIMD loop runs it,
    // and on through the latch, a compare with a constant), n times.
    const wat = `(module (memory 1)
      (func (export "f") (param $n i32) (result i32) (local $i i32) (local $acc v128) (local $s v128)
        (loop $outer
          (local.set $s (f32x4.splat (f32.const 1.5)))
          (local.set $i (i32.const 0))
          (loop $l
            (v128.store (i32.const 0) (f32x4.add (v128.load (i32.const 0))
              (f32x4.mul (local.get $s) (f32x4.splat (f32.convert_i32_s (local.get $i))))))
            (local.set $acc (i32x4.add (local.get $acc) (i32x4.splat (local.get $i))))
            (local.set $s (f32x4.sqrt (local.get $s)))
            (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))
          (br_if $outer (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (i32.add (i32x4.extract_lane 1 (local.get $acc))
          (i32.trunc_f32_s (f32x4.extract_lane 2 (v128.load (i32.const 0)))))))`;
    const run = (jit: JitMode, fuel: number | undefined, n: number) => {
      const store = new Store({ jit, fuel });
      const e = new Instance(new Module(parseWat(wat)), {}, { store }).exports as Exports;
      return JSON.stringify([outcome(() => e.f(n)), store.fuel]);
    };
    // 0+1+…+99, plus the stored sum of 1.5^(1/2^i)·i (4950.9…, truncated).
    assert.deepEqual(JSON.parse(run("off", undefined, 1))[0], { value: 4950 + 4950 });
    // Fuel: the taken branches (99 per inner loop, 1 outer) and nothing per SIMD instruction.
    assert.equal(JSON.parse(run("off", 1000, 2))[1], 1000 - 199);
    for (const fuel of [undefined, 0, 1, 5, 77, 1000, 250_000]) {
      const n = fuel === 250_000 ? 3000 : 2;
      const off = run("off", fuel, n);
      assert.equal(run("eager", fuel, n), off, `fuel ${fuel}: eager`);
      assert.equal(run("auto", fuel, n), off, `fuel ${fuel}: auto`);
    }
  });

  it("forward branches jump inside compiled code; a slice that starts at one of their targets starts interpreted", () => {
    // Forward branches (if/else, br_table) inside a loop: their targets are
    // not entries of the compiled code. Slices end on them (every 32,768
    // transfers, or when the fuel runs out), and the next slice starts
    // there: in the interpreter until it reaches an entry.
    const wat = `(module
      (func (export "f") (param $n i32) (result i32) (local $i i32) (local $a i32)
        (loop $l
          (block $c (block $b (block $x
            (br_table $x $b $c (i32.rem_u (local.get $i) (i32.const 3))))
            (local.set $a (i32.add (local.get $a) (i32.const 7)))
            (br $c))
            (if (i32.and (local.get $i) (i32.const 4))
              (then (local.set $a (i32.xor (local.get $a) (local.get $i))))
              (else (local.set $a (i32.sub (local.get $a) (i32.const 1))))))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (local.get $a)))`;
    const run = (jit: JitMode, fuel: number | undefined, n: number) => {
      const store = new Store({ jit, fuel });
      const e = new Instance(new Module(parseWat(wat)), {}, { store }).exports as Exports;
      return JSON.stringify([outcome(() => e.f(n)), store.fuel]);
    };
    const code = translateFunction(
      instanceState(new Instance(new Module(parseWat(wat)), {})).funcs[0],
    );
    const entries = leaders(code);
    const forward: number[] = [];
    for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
      for (const t of targets(code, pc)) if (t > pc) forward.push(t);
    }
    assert.ok(forward.some((t) => !entries.includes(t)), "every forward target is an entry");
    assert.equal(run("off", undefined, 300_000), run("eager", undefined, 300_000));
    assert.equal(run("off", undefined, 300_000), run("auto", undefined, 300_000));
    for (let fuel = 0; fuel < 60; fuel++) {
      assert.equal(run("eager", fuel, 20), run("off", fuel, 20), `fuel ${fuel}`);
    }
    for (const fuel of [40_000, 100_001, 250_000, 5_000_000]) {
      assert.equal(run("eager", fuel, 300_000), run("off", fuel, 300_000), `fuel ${fuel}`);
    }
  });

  it("compiles a loop that never returns (entered at its header) in auto mode", () => {
    const before = jitStats.compiled;
    const { e } = instance("auto", 2_000_000);
    assert.deepEqual(outcome(() => e.spin(0)), {
      trap: "all fuel consumed by WebAssembly",
      frames: [7],
    });
    assert.ok(jitStats.compiled > before, "the spinning function was not compiled");
  });

  it("stays in the interpreter where code generation is disallowed (Deno: V8 flag)", {
    skip: (process.versions as Record<string, string | undefined>).deno === undefined,
  }, () => {
    const here = new URL(".", import.meta.url).pathname;
    const script = `import { Instance, Module, parseWat, Store } from "${here}../../mod.ts";
      import { codegenAllowed, jitStats } from "${here}compile.ts";
      const m = new Module(parseWat('(module (func (export "f") (param i32) (result i32) ' +
        '(i32.mul (local.get 0) (i32.const 3))))'));
      const e = new Instance(m, {}, { store: new Store({ jit: "eager" }) }).exports;
      console.log(e.f(14), codegenAllowed(), jitStats.compiled);`;
    const r = spawnSync(process.execPath, [
      "eval",
      "--v8-flags=--disallow-code-generation-from-strings",
      script,
    ], { encoding: "utf8" });
    assert.equal(r.stdout.trim(), "42 false 0", r.stderr);
  });

  it("validates the option", () => {
    assert.throws(() => new Store({ jit: "fast" as JitMode }), TypeError);
  });
});
