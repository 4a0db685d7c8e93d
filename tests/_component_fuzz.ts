/**
 * Fuzz cases for the component model (issue 12's "component decoder and
 * canonical ABI" targets), written against no harness so that the suite
 * test (`component_fuzz_test.ts`) and the fuzz harness (`tests/fuzz`, a
 * target per case kind) can both run them. An outcome has the harness's
 * `CaseOutcome` shape.
 *
 * - {@link runComponentCase}: a (mutated) component is decoded, validated,
 *   instantiated with generated host imports in a metered store, and its
 *   exported functions called with random arguments.
 * - {@link runAbiCase}: a random value type; random memory and flat values
 *   lifted through a lifted function and a lowered import, what lifts is
 *   stored and loaded back unchanged, and random JS values lowered.
 *
 * Either way, the only acceptable failures are `CompileError`, `LinkError`,
 * `RuntimeError` (traps), `TypeError` from a value check (not an engine bug
 * such as "cannot read properties of undefined"), a `result` error thrown
 * as `ComponentError`, and the store's limit refusal (`RangeError: store
 * limit exceeded`, the limits being the fuzzer's own). Anything else is a
 * finding; a hang is bounded by the store's fuel and deadline.
 *
 * @module
 */
import { deepStrictEqual } from "node:assert/strict";
import { memOf } from "../src/api/_internals.ts";
import { funcInstOf } from "../src/api/exported.ts";
import { Instance } from "../src/api/instance.ts";
import { Module } from "../src/api/module.ts";
import { Store } from "../src/api/store.ts";
import { randomType, randomValue, Rng } from "../src/component/abi/_random.ts";
import { funcType } from "../src/component/abi/_test_env.ts";
import { ComponentFunc, liftFunction, lowerFunction } from "../src/component/abi/call.ts";
import { codecOf } from "../src/component/abi/codec.ts";
import {
  type CanonOptions,
  Context,
  type Encoding,
  LATIN1_UTF16,
  UTF16,
  UTF8,
} from "../src/component/abi/context.ts";
import { ComponentState } from "../src/component/abi/instance_state.ts";
import { F32, F64, I32, I64, layoutOf, MAX_FLAT_RESULTS } from "../src/component/abi/layout.ts";
import { Component, instantiateComponentSync } from "../src/component/component.ts";
import { camelCase, upperCamelCase } from "../src/component/js_names.ts";
import type { ExternDecl, FuncType, ValType } from "../src/component/types.ts";
import { CompileError, LinkError, RuntimeError } from "../src/errors.ts";
import { parseWat } from "../src/text/parse_wat.ts";
import { componentSeeds as seedsOf } from "./_component_suite.ts";

/** How one case ended (the fuzz harness's `CaseOutcome` shape). */
export interface FuzzOutcome {
  /** `pass`: only acceptable errors; `fail`: a finding. */
  status: "pass" | "fail";
  /** For a failure: what was thrown. */
  detail?: string;
  /** Labels for the summary (how far the case got). */
  tags?: string[];
  /** For a failure: the input that reproduces it. */
  input?: Uint8Array;
  /** For a failure: a short stable description. */
  signature?: string;
}

/** Messages of TypeErrors the JS engine throws for a bug (never a value check). */
const ENGINE_BUG =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|Cannot destructure|Reduce of empty|is not an object/;

/** Whether `e` is one of the errors a bad component or bad value may cause. */
export function isAcceptable(e: unknown): boolean {
  if (e instanceof CompileError || e instanceof LinkError || e instanceof RuntimeError) return true;
  if (e instanceof TypeError) return !ENGINE_BUG.test(e.message);
  if (e instanceof RangeError) return e.message.startsWith("store limit exceeded");
  return e instanceof Error && e.name === "ComponentError";
}

function finding(what: string, e: unknown, input?: Uint8Array): FuzzOutcome {
  const err = e as Error;
  return {
    status: "fail",
    detail: `${what}: ${err?.stack ?? e}`,
    input,
    signature: `${what}: ${err?.constructor?.name}: ${String(err?.message ?? e)}`
      .replace(/\d+/g, "N").slice(0, 100),
  };
}

// --- mutated components ------------------------------------------------------

/** Valid components to mutate: the in-scope suite's and the smaller shared ones. */
export function componentSeeds(): Uint8Array[] {
  return seedsOf((bytes) => {
    new Component(bytes);
    return true;
  });
}

/** Byte flips, insertions, deletions, truncations and duplicated runs (the header kept). */
export function mutate(b: Uint8Array, r: Rng): Uint8Array {
  const a = [...b];
  const edits = 1 + r.int(4);
  for (let k = 0; k < edits; k++) {
    const at = 8 + r.int(Math.max(1, a.length - 8));
    switch (r.int(6)) {
      case 0:
        a[at] = r.int(256);
        break;
      case 1:
        a[at] ^= 1 << r.int(8);
        break;
      case 2:
        a.splice(at, 0, r.int(256));
        break;
      case 3:
        a.splice(at, 1 + r.int(4));
        break;
      case 4:
        a.length = Math.max(8, at);
        break;
      default: {
        const len = 1 + r.int(16);
        a.splice(at, 0, ...a.slice(at, at + len));
      }
    }
  }
  return Uint8Array.from(a);
}

/**
 * The input of case `seed`: one of `seeds`, mutated four times in five
 * (the unmutated fifth instantiates, so its calls get random arguments).
 */
export function componentInput(seeds: readonly Uint8Array[], seed: number): Uint8Array {
  const r = new Rng(seed ^ 0x9e3779b9);
  const bytes = r.pick(seeds);
  return r.int(5) === 0 ? bytes : mutate(bytes, r);
}

/** A random value of `t`, or undefined where none can be made (resources, streams). */
function valueOf(r: Rng, t: ValType | null): unknown {
  if (t === null) return undefined;
  try {
    return randomValue(r, t);
  } catch {
    return undefined;
  }
}

/** A host function of type `t` answering random values of its result type. */
function hostStub(r: Rng, t: FuncType): (...args: unknown[]) => unknown {
  return () => {
    const v = valueOf(r, t.result);
    if (t.result?.kind !== "result") return v;
    const { tag, val } = v as { tag: string; val: unknown };
    if (tag === "err") throw Object.assign(new Error("host err"), { payload: val });
    return val;
  };
}

/** The host side of one import: functions as stubs, instances as objects, resources as classes. */
function hostImport(r: Rng, d: ExternDecl): unknown {
  const t = d.type;
  if (t.kind === "func") return hostStub(r, t);
  if (t.kind !== "instance") return undefined;
  const o: Record<string, unknown> = {};
  for (const e of t.exports) {
    if (e.type.kind === "func") o[camelCase(e.name)] = hostStub(r, e.type);
    else if (e.type.kind === "resource") o[upperCamelCase(e.name)] = class {};
  }
  return o;
}

/** The exported functions of an instance's exports (jco's shape), with their types. */
function exportedFuncs(
  decls: readonly ExternDecl[],
  exports: Record<string, unknown>,
): [(...a: unknown[]) => unknown, FuncType][] {
  const out: [(...a: unknown[]) => unknown, FuncType][] = [];
  for (const d of decls) {
    const v = exports[camelCase(d.name)] ?? exports[d.name];
    if (d.type.kind === "func" && typeof v === "function") {
      out.push([v as (...a: unknown[]) => unknown, d.type]);
    } else if (d.type.kind === "instance" && typeof v === "object" && v !== null) {
      out.push(...exportedFuncs(d.type.exports, v as Record<string, unknown>));
    }
  }
  return out;
}

/** Fuel and limits of each case's store (the deadline is a backstop for hosts that loop). */
function caseStore(): Store {
  return new Store({
    fuel: 200_000,
    timeout: 5_000,
    limits: { memoryBytes: 1 << 24, storeMemoryBytes: 1 << 26, tableElements: 100_000 },
  });
}

/**
 * Decodes, validates, instantiates and calls component `bytes`; `seed`
 * drives the host's answers and the arguments.
 */
export function runComponentCase(bytes: Uint8Array, seed: number): FuzzOutcome {
  const r = new Rng(seed);
  let c: Component;
  try {
    c = new Component(bytes);
  } catch (e) {
    return isAcceptable(e)
      ? { status: "pass", tags: ["rejected"] }
      : finding("new Component", e, bytes);
  }
  let exports: Record<string, unknown>;
  try {
    const imports: Record<string, unknown> = {};
    for (const d of c.imports) imports[d.name] = hostImport(r, d);
    exports = instantiateComponentSync(c, imports, { store: caseStore() });
  } catch (e) {
    return isAcceptable(e)
      ? { status: "pass", tags: ["not instantiated"] }
      : finding("instantiate", e, bytes);
  }
  const funcs = exportedFuncs(c.exports, exports);
  let calls = 0;
  for (let i = 0; i < Math.min(24, funcs.length * 3); i++) {
    const [f, t] = r.pick(funcs);
    try {
      calls++;
      f(...t.params.map((p) => valueOf(r, p.type)));
    } catch (e) {
      if (!isAcceptable(e)) return finding("call", e, bytes);
    }
  }
  return { status: "pass", tags: [calls > 0 ? "called" : "instantiated"] };
}

// --- random lifted values ----------------------------------------------------

const CORE = `(module
  (memory (export "mem") 1)
  (global $next (export "next") (mut i32) (i32.const 4096))
  (func (export "realloc") (param i32 i32 i32 i32) (result i32)
    (local $r i32)
    (local.set $r (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $next (i32.add (local.get $r) (local.get 3)))
    (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.add (i32.shr_u (local.get 3) (i32.const 16)) (i32.const 1))))))
    (local.get $r))
  (func (export "ptr") (result i32) (i32.load (i32.const 0)))
  (func (export "i32") (result i32) (i32.load (i32.const 8)))
  (func (export "i64") (result i64) (i64.load (i32.const 8)))
  (func (export "f32") (result f32) (f32.load (i32.const 8)))
  (func (export "f64") (result f64) (f64.load (i32.const 8))))`;

let coreModule: Module | null = null;
const FLAT_EXPORT: Record<number, string> = {
  [I32]: "i32",
  [I64]: "i64",
  [F32]: "f32",
  [F64]: "f64",
};
const ENCODINGS: Encoding[] = [UTF8, UTF16, LATIN1_UTF16];

/** Fills `[0, 4096)` with bytes a lift may take for pointers, lengths, discriminants or text. */
function fillMemory(u8: Uint8Array, r: Rng): void {
  const view = new DataView(u8.buffer, u8.byteOffset, 4096);
  for (let i = 0; i < 4096; i += 4) {
    const k = r.int(8);
    const v = k < 3 ? r.int(4) : k < 5
      ? 16 + 4 * r.int(1000) // an aligned pointer inside the area
      : k < 6
      ? r.int(2 ** 32)
      : r.int(0x80) | (r.int(0x80) << 8) | (r.int(0x80) << 16) | (r.int(0x80) << 24); // ASCII
    view.setUint32(i, v >>> 0, true);
  }
}

/** A random core value of flat type `t`. */
function flatValue(r: Rng, t: number): unknown {
  const small = r.next() < 0.5;
  switch (t) {
    case I64:
      return small ? BigInt(r.int(8)) : BigInt.asIntN(64, BigInt(r.int(2 ** 32)) << 32n);
    case F32:
    case F64:
      return small ? r.int(4) : (r.next() - 0.5) * 2 ** r.int(70);
    default:
      return small ? r.int(4) : r.next() < 0.5 ? 16 + 4 * r.int(1000) : r.int(2 ** 32) | 0;
  }
}

/**
 * One canonical-ABI case: a random type (nested up to 3 deep); random
 * memory lifted as its value through a lifted function, stored and loaded
 * back unchanged; random flat values lifted as a lowered import's
 * argument; a random value of another type lowered as this one.
 */
export function runAbiCase(seed: number): FuzzOutcome {
  const r = new Rng(seed);
  const t = randomType(r, 3, 32);
  coreModule ??= new Module(parseWat(CORE));
  const exports = new Instance(coreModule, {}).exports;
  const fn = (name: string) => funcInstOf(exports[name])!;
  const mem = memOf.get(exports.mem as object)!;
  const opts: CanonOptions = {
    memory: mem,
    realloc: fn("realloc"),
    postReturn: null,
    encoding: r.pick(ENCODINGS),
  };
  fillMemory(mem.u8, r);
  const codec = codecOf(t);
  const flat = layoutOf(t).flat;
  // 1. Lift the value the guest "returns" from random bits.
  const core = flat.length > MAX_FLAT_RESULTS ? fn("ptr") : fn(FLAT_EXPORT[flat[0]]);
  const getter = liftFunction(core, funcType([], t), opts, new ComponentState());
  let value: unknown;
  let lifted = false;
  try {
    const v = getter.call!(null, []);
    value = v;
    lifted = true;
  } catch (e) {
    if (!isAcceptable(e)) return finding("lift", e);
  }
  // 2. What lifted stores and loads back unchanged.
  if (lifted) {
    try {
      const cx = new Context(opts, new ComponentState(), true);
      const ptr = cx.allocate(codec.align, codec.size, "pointer");
      codec.store(cx, value, ptr);
      deepStrictEqual(codec.load(cx, ptr), value);
    } catch (e) {
      return finding("round trip", e);
    }
  }
  // 3. Random flat values lifted as a lowered import's argument.
  const sink = ComponentFunc.host(funcType([t]), () => undefined);
  const lowered = lowerFunction(sink, opts, new ComponentState());
  const args = flat.length > 16 ? [flatValue(r, I32)] : flat.map((f) => flatValue(r, f));
  try {
    lowered(...args);
  } catch (e) {
    if (!isAcceptable(e)) return finding("lift argument", e);
  }
  // 4. A value of another random type lowered as this one.
  const wrong = valueOf(r, randomType(r, 2, 32));
  try {
    codec.lower(new Context(opts, new ComponentState(), true), wrong, []);
  } catch (e) {
    if (!isAcceptable(e)) return finding("lower", e);
  }
  return { status: "pass", tags: [lifted ? "lifted" : "trapped"] };
}
