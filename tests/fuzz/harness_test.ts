/**
 * The differential harness's own parts: trace comparison, state exposure,
 * export signatures, and the relaxed-SIMD lowering (which must compute
 * exactly what Gannet's relaxed instructions compute).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, Module, parseWat, validate } from "../../mod.ts";
import { exposeState } from "./augment.ts";
import { wasmToWat, watToWasm } from "./binaryen.ts";
import { compareTraces, sameLine } from "./compare.ts";
import { gannetApi, storeTakesJit } from "./engines.ts";
import { runModule, type Trace } from "./execute.ts";
import { binaryenFlags, FUZZ_FEATURES } from "./features.ts";
import { lowerRelaxedSimd } from "./relaxed_lowering.ts";
import { Rng } from "./rng.ts";
import { exportParams } from "./signatures.ts";
import { prepare } from "./wasm_case.ts";

const trace = (lines: string[], memories: Record<string, Uint8Array> = {}): Trace => ({
  engine: "v8",
  lines,
  memories,
});

describe("compare", () => {
  it("maps V8's trap messages to the spec's", () => {
    const g = "exception RuntimeError: integer divide by zero";
    assert.ok(sameLine(g, "exception RuntimeError: divide by zero", "v8"));
    assert.ok(sameLine(g, "exception RuntimeError: remainder by zero", "v8"));
    assert.ok(!sameLine(g, "exception RuntimeError: unreachable", "v8"));
    assert.ok(
      sameLine(
        "exception RuntimeError: undefined element 81",
        "exception RuntimeError: table index is out of bounds",
        "v8",
      ),
    );
    assert.ok(
      !sameLine(
        "exception RuntimeError: undefined elements",
        "exception RuntimeError: table index is out of bounds",
        "v8",
      ),
    );
    assert.ok(
      sameLine(
        "exception RuntimeError: out of bounds memory access",
        "exception RuntimeError: Out of bounds memory access (evaluating 'f()')",
        "jsc",
      ),
    );
  });

  it("maps JSC's (Bun's) GC and exception-handling traps, and its exnref global quirk", () => {
    const jsc = (m: string) => `exception RuntimeError: ${m} (evaluating 'f(...args)')`;
    const g = (m: string) => `exception RuntimeError: ${m}`;
    assert.ok(sameLine(g("null reference"), jsc("ref.as_non_null to a null reference"), "jsc"));
    assert.ok(sameLine(g("null exception reference"), jsc("throw_ref on a null reference"), "jsc"));
    assert.ok(
      sameLine(
        g("cast failure"),
        jsc("ref.cast failed to cast reference to target heap type"),
        "jsc",
      ),
    );
    assert.ok(sameLine(g("null structure reference"), jsc("access to a null reference"), "jsc"));
    assert.ok(sameLine(g("out of bounds array access"), jsc("Out of bounds array.get"), "jsc"));
    // JSC reports a null reaching a non-nullable ref.cast as a null access.
    assert.ok(sameLine(g("cast failure"), jsc("access to a null reference"), "jsc"));
    assert.ok(!sameLine(g("unreachable"), jsc("access to a null reference"), "jsc"));
    assert.ok(
      sameLine(
        "global g exception TypeError: cannot pass a exnref value between JS and wasm",
        "global g exception RuntimeError: Cannot get value of exnref global (evaluating 'value.value')",
        "jsc",
      ),
    );
  });

  it("compares the class of TypeErrors, the message of thrown Errors", () => {
    assert.ok(sameLine("exception TypeError: a", "exception TypeError: b", "v8"));
    assert.ok(!sameLine("exception TypeError: a", "exception RuntimeError: a", "v8"));
    assert.ok(
      !sameLine("exception Error: js exception 0", "exception Error: js exception 1", "v8"),
    );
    assert.ok(!sameLine("log 1", "log 2", "v8"));
  });

  it("accepts JSC's null for a nullexnref global, on Bun only", () => {
    const g = "global g exception TypeError: cannot pass a noexnref value between JS and wasm";
    assert.ok(sameLine(g, "global g null", "jsc"));
    assert.ok(!sameLine(g, "global g null", "v8"));
    assert.ok(!sameLine(g, "global h null", "jsc"));
    assert.ok(
      !sameLine("global g exception TypeError: cannot pass a v128 value", "global g null", "jsc"),
    );
  });

  it("counts JSC's known validation gap as limited by the host, on Bun only", () => {
    const jscTrace = (lines: string[]): Trace => ({ engine: "jsc", lines, memories: {} });
    const rejected = "instantiate exception CompileError: WebAssembly.Module doesn't parse at " +
      "byte 918: br / br_if's target 6 exceeds control stack size 6, in function at index 1";
    assert.deepEqual(compareTraces(trace(["global g 1"]), jscTrace([rejected])), {
      divergence: null,
      limited: true,
    });
    const uninit = "instantiate exception CompileError: uninitialized local in function 110";
    // Any other disagreement about validity is still a divergence, and V8 gets no pass.
    const other = "instantiate exception CompileError: type mismatch";
    assert.notEqual(compareTraces(trace([other]), jscTrace(["global g 1"])).divergence, null);
    assert.notEqual(compareTraces(trace([uninit]), jscTrace(["global g 1"])).divergence, null);
    assert.notEqual(compareTraces(trace([uninit]), trace(["global g 1"])).divergence, null);
  });

  it("gives both sides binaryen's re-encoding when it lowers relaxed SIMD for the native one", async () => {
    // Dead code that binaryen's -ttf writer can leave (here a local.get of an
    // unset non-defaultable local after a branch: invalid) is gone once the
    // module is written again; Gannet must not be judged on the older bytes
    // while the native engine gets the newer (Bun wasm seeds 354, 2745, 4436).
    const bytes = parseWat(`(module
      (func (export "f") (local (ref func))
        (block (br 0) (if (i32.const 0) (then (drop (local.get 0))))))
      (func (export "g") (param v128 v128 v128) (result v128)
        (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))`);
    assert.equal(validate(bytes), false);
    const c = await prepare(bytes, FUZZ_FEATURES.map((f) => f.name), { functionReferences: false });
    assert.ok(!("skipped" in c));
    assert.deepEqual(c.adapted, ["relaxed SIMD made deterministic on the native side"]);
    assert.equal(validate(c.gannet), true);
    assert.equal(validate(c.native), true);
  });

  it("stops at a host limit, and finds memory differences", () => {
    const limited = compareTraces(
      trace(["call f", "log 1", "exception RuntimeError: call stack exhausted", "call g"]),
      trace(["call f", "log 1", "exception RangeError: Maximum call stack size exceeded"]),
    );
    assert.deepEqual(limited, { divergence: null, limited: true });
    const mem = compareTraces(
      trace(["call f"], { m: Uint8Array.of(1, 2, 3) }),
      trace(["call f"], { m: Uint8Array.of(1, 2, 4) }),
    );
    assert.equal(mem.divergence?.kind, "memory");
    assert.match(mem.divergence!.detail, /m\[2\]/);
    const length = compareTraces(trace(["call f", "log 1"]), trace(["call f"]));
    assert.equal(length.divergence?.kind, "length");
  });
});

describe("state exposure and signatures", () => {
  const bytes = parseWat(`(module
    (import "env" "g" (global i64))
    (import "env" "t" (table 1 funcref))
    (import "env" "f" (func (param i64 f32)))
    (memory 1)
    (global (mut i32) (i32.const 7))
    (func (export "h") (param i32 v128) (result i32) (local.get 0))
    (export "f2" (func 0)))`);

  it("exports every memory, table and global, keeping existing exports first", () => {
    const out = exposeState(bytes);
    assert.ok(validate(out));
    const names = Module.exports(new Module(out)).map((e) => `${e.name}:${e.kind}`);
    assert.deepEqual(names, [
      "h:function",
      "f2:function",
      "__fuzz_state_memory0:memory",
      "__fuzz_state_table0:table",
      "__fuzz_state_global0:global",
      "__fuzz_state_global1:global",
    ]);
  });

  it("reads exported functions' parameter types, imports included", () => {
    const params = exportParams(exposeState(bytes));
    assert.deepEqual(Object.fromEntries(params), { h: ["i32", "v128"], f2: ["i64", "f32"] });
  });

  it("traces exports called with typed arguments and the final state", () => {
    const m = parseWat(`(module
      (memory (export "memory") 1)
      (global $g (mut i64) (i64.const 0))
      (func (export "set") (param i64) (global.set $g (local.get 0))
        (i64.store (i32.const 8) (local.get 0))))`);
    const t = runModule(gannetApi(), exposeState(m), false);
    // Export 1's first i64 argument comes from the pool: -2^63.
    assert.deepEqual(t.lines, ["call set", "global __fuzz_state_global0 -9223372036854775808n"]);
    const memory = t.memories["__fuzz_state_memory0"];
    assert.equal(memory.length, 65536);
    assert.deepEqual([...memory.subarray(8, 16)], [0, 0, 0, 0, 0, 0, 0, 0x80]);
  });
});

describe("tier selection (--jit)", () => {
  const m = parseWat(`(module
    (memory (export "memory") 1)
    (func (export "fill") (param i32) (local i32)
      (loop $l
        (i32.store (i32.shl (local.get 1) (i32.const 2)) (i32.mul (local.get 1) (local.get 0)))
        (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1)))
                            (i32.const 100))))))`);

  it("refuses an unknown mode", () => {
    assert.throws(() => gannetApi("fast"), /--jit=fast: expected one of auto, off, eager/);
  });

  it("runs each mode the build has, with the interpreter's trace", () => {
    const plain = runModule(gannetApi(), exposeState(m), false);
    assert.deepEqual(plain.lines, ["call fill"]);
    for (const mode of ["off", "auto", "eager"]) {
      if (!storeTakesJit()) {
        // Until the JIT lands (issue 18), a tier run must not silently fuzz the interpreter.
        assert.throws(() => gannetApi(mode), /no JIT tier yet/);
        continue;
      }
      const api = gannetApi(mode);
      assert.equal(api.name, `gannet(jit=${mode})`);
      const t = runModule(api, exposeState(m), false);
      assert.equal(compareTraces(t, plain).divergence, null, mode);
    }
  });
});

/** Equal results, where NaN lanes of float results may differ in sign and payload (spec). */
function sameResult(op: string, x: Uint8Array, y: Uint8Array): boolean {
  const float = op.startsWith("f32x4") ? 4 : op.startsWith("f64x2") ? 8 : 0;
  if (float === 0) return x.every((v, i) => v === y[i]);
  const vx = new DataView(x.buffer), vy = new DataView(y.buffer);
  for (let i = 0; i < 16; i += float) {
    const a = float === 4 ? vx.getFloat32(i, true) : vx.getFloat64(i, true);
    const b = float === 4 ? vy.getFloat32(i, true) : vy.getFloat64(i, true);
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (!x.subarray(i, i + float).every((v, k) => v === y[i + k])) return false;
  }
  return true;
}

describe("relaxed SIMD lowering", () => {
  it("computes Gannet's deterministic choice for every relaxed instruction", async () => {
    const ops: [string, number][] = [
      ["i8x16.relaxed_swizzle", 2],
      ["i32x4.relaxed_trunc_f32x4_s", 1],
      ["i32x4.relaxed_trunc_f32x4_u", 1],
      ["i32x4.relaxed_trunc_f64x2_s_zero", 1],
      ["i32x4.relaxed_trunc_f64x2_u_zero", 1],
      ["f32x4.relaxed_madd", 3],
      ["f32x4.relaxed_nmadd", 3],
      ["f64x2.relaxed_madd", 3],
      ["f64x2.relaxed_nmadd", 3],
      ["i8x16.relaxed_laneselect", 3],
      ["i16x8.relaxed_laneselect", 3],
      ["i32x4.relaxed_laneselect", 3],
      ["i64x2.relaxed_laneselect", 3],
      ["f32x4.relaxed_min", 2],
      ["f32x4.relaxed_max", 2],
      ["f64x2.relaxed_min", 2],
      ["f64x2.relaxed_max", 2],
      ["i16x8.relaxed_q15mulr_s", 2],
      ["i16x8.relaxed_dot_i8x16_i7x16_s", 2],
      ["i32x4.relaxed_dot_i8x16_i7x16_add_s", 3],
    ];
    // Each op reads its operands from memory at 0/16/32 and stores its result at 48.
    const funcs = ops.map(([op, n], k) => {
      const args = Array.from({ length: n }, (_, i) => `(v128.load (i32.const ${16 * i}))`);
      return `(func (export "f${k}") (v128.store (i32.const 48) (${op} ${args.join(" ")})))`;
    });
    const wat = `(module (memory (export "memory") 1) ${funcs.join(" ")})`;
    const flags = binaryenFlags(["simd", "relaxed-simd"]);
    const original = await watToWasm(wat, flags);
    const printed = await wasmToWat(original!, flags);
    const lowered = await watToWasm(lowerRelaxedSimd(printed!), flags);
    assert.ok(original !== null && lowered !== null);
    assert.ok(!(await wasmToWat(lowered, flags))!.includes("relaxed_"));
    const a = new Instance(new Module(original)).exports;
    const b = new Instance(new Module(lowered)).exports;
    const memA = new Uint8Array((a.memory as { buffer: ArrayBuffer }).buffer);
    const memB = new Uint8Array((b.memory as { buffer: ArrayBuffer }).buffer);
    const rng = new Rng(12);
    const special = [0, 0x7fc00000, 0x7f800000, 0xff800000, 0x80000000, 0x4f000000, 0xcf000001];
    for (let round = 0; round < 300; round++) {
      const input = rng.bytes(48);
      const words = new DataView(input.buffer);
      // Mix in NaNs, infinities, ±0 and out-of-range floats (the relaxed cases).
      for (let w = 0; w < 12; w++) {
        if (rng.oneIn(3)) words.setUint32(4 * w, rng.pick(special), true);
      }
      for (let k = 0; k < ops.length; k++) {
        memA.set(input);
        memB.set(input);
        (a[`f${k}`] as () => void)();
        (b[`f${k}`] as () => void)();
        const [x, y] = [memA.slice(48, 64), memB.slice(48, 64)];
        assert.ok(sameResult(ops[k][0], x, y), `${ops[k][0]} round ${round}: ${x} vs ${y}`);
      }
    }
  });
});
