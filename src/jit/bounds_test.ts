import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Instance, type Memory, Module, parseWat, RuntimeError, Store } from "../../mod.ts";
import { instanceState } from "../api/instance.ts";
import { translateFunction } from "../interp/translate.ts";
import type { JitMode } from "./tier.ts";
import { emitFunction } from "./emit.ts";
import { isDataViewFault } from "./runtime.ts";

type Exports = Record<string, (...a: number[]) => unknown>;

// Every width of load and store, each at an address its caller passes;
// `deep` reaches the store through two direct calls (the backtrace names
// them); `copy` loads and stores in a loop that runs past the end.
const ACCESSES = `
  (func (export "ld32") (param $a i32) (result i32) (i32.load offset=1 (local.get $a)))
  (func (export "ld8s") (param $a i32) (result i32) (i32.load8_s (local.get $a)))
  (func (export "ld8u") (param $a i32) (result i32) (i32.load8_u offset=3 (local.get $a)))
  (func (export "ld16") (param $a i32) (result i32) (i32.load16_s (local.get $a)))
  (func (export "ld64") (param $a i32) (result i64) (i64.load (local.get $a)))
  (func (export "ldf64") (param $a i32) (result f64) (f64.load (local.get $a)))
  (func (export "st8") (param $a i32) (i32.store8 (local.get $a) (i32.const 0xab)))
  (func (export "st16") (param $a i32) (i32.store16 (local.get $a) (i32.const 0xabcd)))
  (func (export "st32") (param $a i32) (i32.store (local.get $a) (i32.const -1)))
  (func (export "st64") (param $a i32) (i64.store (local.get $a) (i64.const -2)))
  (func (export "st64k") (param $a i32) (i64.store offset=2 (local.get $a) (i64.const 0x0102030405060708)))
  (func (export "stf64") (param $a i32) (f64.store (local.get $a) (f64.const -0.5)))
  (func (export "ldv") (param $a i32) (result i32)
    (i32x4.extract_lane 3 (v128.load offset=1 (local.get $a))))
  (func (export "stv") (param $a i32) (v128.store (local.get $a) (v128.const i32x4 1 2 3 4)))
  (func $inner (param $a i32) (i64.store (local.get $a) (i64.const 7)))
  (func $middle (param $a i32) (call $inner (local.get $a)) (call $inner (i32.const 8)))
  (func (export "deep") (param $a i32) (call $middle (local.get $a)))
  (func (export "copy") (param $from i32) (param $to i32) (param $n i32)
    (loop $l
      (i32.store8 (local.get $to) (i32.add (i32.load8_u (local.get $from)) (i32.const 1)))
      (local.set $from (i32.add (local.get $from) (i32.const 1)))
      (local.set $to (i32.add (local.get $to) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))`;

const PAGE = 65536;
/** Addresses around the end of a one-page memory, and far beyond it. */
const ADDRESSES = [
  0,
  100,
  PAGE - 17,
  PAGE - 16,
  PAGE - 15,
  PAGE - 12,
  PAGE - 9,
  PAGE - 8,
  PAGE - 7,
  PAGE - 4,
  PAGE - 3,
  PAGE - 2,
  PAGE - 1,
  PAGE,
  PAGE + 5,
  0x7fffffff,
  -1,
];

/** Everything a program sees of each access at each address: values, traps, backtraces, memory. */
function observe(jit: JitMode, shared: boolean): string {
  const memory = shared ? '(memory (export "mem") 1 1 shared)' : '(memory (export "mem") 1)';
  const store = new Store({ jit });
  const inst = new Instance(new Module(parseWat(`(module ${memory} ${ACCESSES})`)), {}, { store });
  const e = inst.exports as Exports;
  const bytes = new Uint8Array((inst.exports.mem as Memory).buffer);
  const out: unknown[] = [];
  const attempt = (name: string, ...args: number[]) => {
    try {
      const v = e[name](...args);
      out.push([name, args, typeof v === "bigint" ? `${v}n` : v]);
    } catch (err) {
      assert.ok(err instanceof RuntimeError, `${name}(${args}): ${err}`);
      const frames = (err as { wasmStack?: { funcIndex: number }[] }).wasmStack ?? [];
      out.push([name, args, err.message, frames.map((f) => f.funcIndex)]);
    }
    // The memory's end after every access: a store that traps writes nothing.
    out.push(bytes.subarray(PAGE - 24).join(","));
  };
  // Compiled code first (eager: on the first call; auto: after these).
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < bytes.length; i += 97) bytes[i] = (i * 7 + round) & 0xff;
    const plain = Object.keys(e).filter((n) => typeof e[n] === "function" && !/copy|deep/.test(n));
    for (const name of plain) {
      for (const a of ADDRESSES) attempt(name, a);
    }
    for (const a of [0, PAGE - 16, PAGE - 8, PAGE - 7, PAGE]) attempt("deep", a);
    attempt("copy", PAGE - 300, PAGE - 100, 200);
    attempt("copy", 100, PAGE - 50, 200);
    let hash = 0;
    for (const b of bytes) hash = (Math.imul(hash, 31) + b) | 0;
    out.push(hash, Array.from(bytes.subarray(PAGE - 20)));
  }
  return JSON.stringify(out);
}

describe("JIT: memory accesses the DataView bounds-checks", () => {
  it("trap, write and read as the interpreter does, at every width and address", () => {
    for (const shared of [false, true]) {
      const off = observe("off", shared);
      assert.equal(observe("eager", shared), off, `eager, shared ${shared}`);
      assert.equal(observe("auto", shared), off, `auto, shared ${shared}`);
    }
  });

  it("leave their inline check out only on an unshared memory", () => {
    const checks = (shared: boolean, name: string) => {
      const memory = shared ? "(memory 1 1 shared)" : "(memory 1)";
      const st = instanceState(
        new Instance(new Module(parseWat(`(module ${memory} ${ACCESSES})`)), {}),
      );
      // Function indices in the order ACCESSES defines them.
      const index = [...ACCESSES.matchAll(/\(func (?:\$\w+ )?(?:\(export "(\w+)"\))?/g)]
        .findIndex((m) => m[1] === name);
      const { source } = emitFunction(translateFunction(st.funcs[index]), {
        name,
        dataViewTraps: !shared,
      });
      return { checks: (source.match(/memLen - \d+/g) ?? []).length, source };
    };
    for (const name of ["ld32", "ld8u", "st8", "st64", "stf64", "ldv", "stv"]) {
      assert.equal(checks(true, name).checks > 0, true, `${name} on a shared memory`);
      assert.equal(checks(false, name).checks, 0, `${name} on an unshared memory`);
    }
    // A byte read tests for the undefined past the end; an i64's high word is stored first.
    assert.match(checks(false, "ld8u").source, /\(M8\[ea\] \?\? \$oob\(\)\)/);
    assert.match(checks(false, "st64").source, /DV\.setInt32\(ea \+ 4, .*\); DV\.setInt32\(ea, /);
    // A v128 store's last word first.
    assert.match(checks(false, "stv").source, /\$t_ea = [^\n]*\nDV\.setInt32\(\$t_ea \+ 12, /);
  });

  it("recognize the host's DataView range errors, and only them", () => {
    const dv = new DataView(new ArrayBuffer(4));
    assert.throws(() => dv.getInt32(1), (e) => isDataViewFault(e));
    assert.throws(() => dv.setFloat64(0, 1), (e) => isDataViewFault(e));
    assert.throws(() => dv.getUint8(2 ** 40), (e) => isDataViewFault(e));
    const deep = (n: number): number => n === 0 ? 0 : deep(n - 1) + 1;
    let overflow: unknown = null;
    try {
      deep(1e7);
    } catch (e) {
      overflow = e;
    }
    assert.ok(overflow instanceof RangeError && !isDataViewFault(overflow));
    assert.ok(!isDataViewFault(new RangeError("x")) && !isDataViewFault(new TypeError("y")));
  });
});
