/**
 * The decoder/validator target: valid modules (a hand-written one touching
 * every section, corpus binaries, and binaryen translate-to-fuzz modules
 * with every feature) with bits flipped, bytes replaced, inserted, deleted,
 * truncated or spliced. `validate` must return a boolean, `new Module` must
 * succeed or throw a `CompileError`, and the two must agree — with every
 * proposal on and with the wasm 2.0 baseline. Where the host has a native
 * engine, a module Gannet accepts and native rejects is a finding too
 * (Gannet too permissive); the reverse is counted, not failed, since native
 * engines accept proposals Gannet has not landed.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { Module, validate } from "../../src/api/module.ts";
import { WASM2_FEATURES } from "../../src/binary/features.ts";
import { CompileError } from "../../src/errors.ts";
import { parseWat } from "../../src/text/parse_wat.ts";
import { corpus } from "../_shared.ts";
import { nativeApi, nativeValidate as hostValidate, validators } from "./engines.ts";
import { supportedFeatures } from "./features.ts";
import { Rng } from "./rng.ts";
import type { CaseOutcome, FuzzTarget } from "./target.ts";
import { generate } from "./wasm_case.ts";

/** A module with every section and many instruction families. */
export const RICH_WAT = `(module
  (type $bin (func (param i32 i32) (result i32)))
  (type $multi (func (param i64) (result i64 i32)))
  (import "env" "f" (func $imp (type $bin)))
  (import "env" "g" (global $gi i32))
  (memory $m 1 2 shared)
  (memory $m2 i64 1)
  (table $t 4 funcref)
  (table $e 2 externref)
  (global $mut (mut i64) (i64.const -5))
  (global $c i32 (i32.add (global.get $gi) (i32.const 3)))
  (elem (table $t) (i32.const 0) func $a $b)
  (elem $p funcref (ref.func $a) (ref.null func))
  (elem declare func $b)
  (data (memory $m) (i32.const 8) "hello")
  (data $d "passive")
  (func $a (type $bin)
    (local $x f64) (local v128)
    (block $out (result i32)
      (loop $l
        (br_if $out (local.get 0) (i32.eqz (local.get 1)))
        (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
        (br_table $l $l (i32.and (local.get 1) (i32.const 1))))
      (i32.const 0))
    (drop)
    (i32.atomic.rmw.add $m (i32.const 0) (i32.const 1))
    (drop)
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
    (memory.copy $m $m (i32.const 0) (i32.const 1) (i32.const 2))
    (i64.store $m2 (i64.const 16) (global.get $mut))
    (table.set $e (i32.const 0) (ref.null extern))
    (local.set 2 (f64x2.extract_lane 1 (f64x2.splat (f64.const 2.5))))
    (v128.store (i32.const 32) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
      (v128.load (i32.const 0)) (v128.const i32x4 1 2 3 4)))
    (if (result i32) (local.get 0)
      (then (call $imp (local.get 0) (local.get 1)))
      (else (call_indirect (type $bin) (local.get 0) (local.get 1) (i32.const 1)))))
  (func $b (type $multi)
    (local.get 0) (i32.wrap_i64 (local.get 0))
    (return_call $c2 (i64.const 1)))
  (func $c2 (param i64) (result i64 i32)
    (select (local.get 0) (i64.const 2) (i32.const 1)) (i32.const 0))
  (export "a" (func $a))
  (export "mem" (memory $m))
  (start $s)
  (func $s (drop (ref.func $b)) (elem.drop $p) (data.drop $d))
)`;

const CORPUS_BINARIES = [
  "wasi-testsuite/tests/assemblyscript/testsuite/wasm32-wasip1/fd_write-to-stdout.wasm",
  "bench/wasm/simd_dot.wasm",
  "wasi-testsuite/tests/proposals/wasi-threads/thread_spawn-simple.wasm",
];

let seeds: Uint8Array[] = [];
let nativeValidate: ((b: Uint8Array) => boolean) | null = null;

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const tail = b.subarray(Math.min(b.length, at + remove));
  const out = new Uint8Array(at + insert.length + tail.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(tail, at + insert.length);
  return out;
}

/** 1–3 random byte-level edits of a module. */
export function mutateBinary(src: Uint8Array, rng: Rng): Uint8Array {
  let b: Uint8Array = src.slice();
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const pos = b.length === 0 ? 0 : rng.int(b.length);
    switch (rng.int(6)) {
      case 0:
        if (b.length > 0) b[pos] ^= 1 << rng.int(8);
        break;
      case 1:
        if (b.length > 0) b[pos] = rng.next() & 0xff;
        break;
      case 2:
        b = b.slice(0, pos);
        break;
      case 3:
        b = splice(b, pos, 0, rng.bytes(1 + rng.int(4)));
        break;
      case 4:
        b = splice(b, pos, 1 + rng.int(4), new Uint8Array(0));
        break;
      default: {
        const from = rng.int(Math.max(1, b.length));
        b = splice(b, pos, 0, b.slice(from, from + 1 + rng.int(16)));
      }
    }
  }
  return b;
}

function check(bytes: Uint8Array, baseline: boolean): CaseOutcome {
  const options = baseline ? { features: WASM2_FEATURES } : undefined;
  const fail = (detail: string, signature: string): CaseOutcome => ({
    status: "fail",
    detail,
    signature,
    input: Uint8Array.of(baseline ? 1 : 0, ...bytes),
  });
  let ok: boolean;
  try {
    ok = validate(bytes, options);
  } catch (e) {
    return fail(`validate threw ${e}`, "validate threw");
  }
  if (typeof ok !== "boolean") return fail(`validate returned ${ok}`, "not a boolean");
  let accepted = true;
  try {
    new Module(bytes, options);
  } catch (e) {
    if (!(e instanceof CompileError)) {
      return fail(
        `new Module threw ${(e as Error)?.stack ?? e}`,
        `Module threw ${(e as Error)?.name}`,
      );
    }
    accepted = false;
  }
  if (accepted !== ok) return fail(`validate says ${ok}, Module ${accepted}`, "validate ≠ Module");
  const tag = accepted ? "accepted" : "rejected";
  if (baseline || nativeValidate === null) return { status: "pass", tags: [tag] };
  const native = nativeValidate(bytes);
  if (accepted && !native) {
    const why = nativeRejection(bytes);
    // V8 refuses a module mixing legacy and new exception handling; the spec does not.
    if (/mix of legacy and new exception handling/.test(why)) {
      return { status: "pass", tags: [tag, "native rejects a legacy/new EH mix"] };
    }
    // A proposal the native engine lacks (JavaScriptCore: memory64) proves nothing.
    if (/is not enabled|enable with|experimental-wasm/i.test(why)) {
      return { status: "pass", tags: [tag, "native lacks a proposal the module uses"] };
    }
    return fail(`Gannet accepts what the native engine rejects: ${why}`, "too permissive");
  }
  const tags = !accepted && native ? [tag, "native accepts, Gannet rejects"] : [tag];
  return { status: "pass", tags };
}

/** The native engine's CompileError message for bytes it rejects. */
function nativeRejection(bytes: Uint8Array): string {
  try {
    new (nativeApi()!.Module)(bytes);
    return "";
  } catch (e) {
    return String((e as Error)?.message ?? e);
  }
}

/** The target. */
export const target: FuzzTarget = {
  name: "decode",
  summary: "mutated binaries: validate() a boolean, Module a CompileError, agreement with native",
  async init(): Promise<string> {
    seeds = [parseWat(RICH_WAT)];
    for (const rel of CORPUS_BINARIES) {
      const path = corpus(rel);
      if (path !== null) seeds.push(new Uint8Array(readFileSync(path)));
    }
    const native = nativeApi();
    nativeValidate = hostValidate();
    // Seeds use every proposal both sides decode and validate (executing is not needed here).
    const features = (await supportedFeatures(validators(native))).filter((f) =>
      f !== "function-references"
    );
    for (let s = 1; s <= 16; s++) {
      const m = await generate(0x5eed0000 + s, features);
      if (m !== null) seeds.push(m);
    }
    const bad = seeds.findIndex((s) => !validate(s));
    if (bad >= 0) throw new Error(`seed module ${bad} does not validate`);
    return `${seeds.length} seed modules (ttf features: ${features.join(",")}), native: ${
      native?.name ?? "none"
    }`;
  },
  runSeed(seed: number): Promise<CaseOutcome> {
    const rng = new Rng(seed);
    return Promise.resolve(check(mutateBinary(rng.pick(seeds), rng), rng.oneIn(2)));
  },
  runInput(input: Uint8Array): Promise<CaseOutcome> {
    return Promise.resolve(check(input.subarray(1), input[0] === 1));
  },
  async *shrink(input: Uint8Array): AsyncGenerator<Uint8Array> {
    for (let size = (input.length - 1) >> 1; size >= 1; size >>= 1) {
      for (let at = 1; at < input.length; at += size) {
        yield splice(input, at, size, new Uint8Array(0));
      }
    }
  },
};
