/**
 * The proposals the differential fuzzer asks binaryen to use, and how each
 * is detected on both sides: a feature is fuzzed when a small probe module
 * using it compiles, instantiates and runs on Gannet and on the native
 * engine (validating is not enough: a proposal's front end may land before
 * its execution). GC and exception handling are listed already: they switch
 * on by themselves once Gannet
 * validates their probes (and can be forced off with `--features -gc`).
 *
 * @module
 */
import { watToWasm } from "./binaryen.ts";

/** One fuzzable proposal. */
export interface FuzzFeature {
  /** The name used on the command line and in reports. */
  name: string;
  /** Binaryen's `--enable-…` names for it. */
  binaryen: readonly string[];
  /** A module using the feature, with a `run` export that executes it (binaryen text). */
  probe: string;
}

/** Every proposal the fuzzer knows, in binaryen's terms. */
export const FUZZ_FEATURES: readonly FuzzFeature[] = [
  feature("sign-ext", ["sign-ext"], "(result i32) (i32.extend8_s (i32.const 255))"),
  feature(
    "mutable-globals",
    ["mutable-globals"],
    "(result i32) (global.get $g)",
    '(global $g (mut i32) (i32.const 1)) (export "g" (global $g))',
  ),
  feature(
    "nontrapping-float-to-int",
    ["nontrapping-float-to-int"],
    "(result i32) (i32.trunc_sat_f32_s (f32.const 1e10))",
  ),
  feature(
    "bulk-memory",
    ["bulk-memory", "bulk-memory-opt", "call-indirect-overlong"],
    "(memory.fill (i32.const 0) (i32.const 1) (i32.const 8))",
    "(memory 1)",
  ),
  feature(
    "reference-types",
    ["reference-types"],
    "(result i32) (ref.is_null (table.get (i32.const 0)))",
    "(table 1 externref)",
  ),
  feature(
    "multivalue",
    ["multivalue"],
    "(result i32 i32) (tuple.make 2 (i32.const 1) (i32.const 2))",
  ),
  feature("simd", ["simd"], "(result i32) (i32x4.extract_lane 1 (v128.const i32x4 1 2 3 4))"),
  feature(
    "relaxed-simd",
    ["relaxed-simd"],
    "(result i32) (i8x16.extract_lane_u 0 (i8x16.relaxed_swizzle " +
      "(v128.const i32x4 1 2 3 4) (v128.const i32x4 0 0 0 0)))",
  ),
  feature(
    "tail-call",
    ["tail-call"],
    "(result i32) (return_call $one)",
    "(func $one (result i32) (i32.const 1))",
  ),
  feature(
    "memory64",
    ["memory64"],
    "(result i32) (i32.load (i64.const 8))",
    "(memory i64 1)",
  ),
  feature(
    "multi-memory",
    ["multimemory"],
    "(result i32) (i32.load $b (i32.const 0))",
    "(memory $a 1) (memory $b 1)",
  ),
  feature(
    "extended-const",
    ["extended-const"],
    "(result i32) (global.get $g)",
    "(global $g i32 (i32.add (i32.const 1) (i32.const 2)))",
  ),
  feature(
    "threads",
    ["threads"],
    "(result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1))",
    "(memory 1 1 shared)",
  ),
  // No binaryen flag of its own: binaryen emits `ref.as_non_null` with
  // reference types alone (see `wasm_case.ts`).
  feature(
    "function-references",
    [],
    "(result i32) (call_ref $f (ref.as_non_null (ref.func $one)))",
    "(type $f (func (result i32))) (func $one (type $f) (i32.const 1)) (elem declare func $one)",
  ),
  feature(
    "exception-handling",
    ["exception-handling"],
    "(result i32) (block $h (result i32) " +
      "(try_table (catch $t $h) (throw $t (i32.const 3))) (i32.const 0))",
    "(tag $t (param i32))",
  ),
  // Binaryen's GC modules use typed function references too (`call_ref`,
  // `br_on_null`…), so the probe needs both.
  feature(
    "gc",
    ["gc"],
    "(result i32) (i32.add (struct.get $s 0 (struct.new $s (i32.const 7))) " +
      "(call_ref $f (ref.as_non_null (ref.func $one))))",
    "(type $s (struct (field i32))) (type $f (func (result i32))) " +
      "(func $one (type $f) (i32.const 1)) (elem declare func $one)",
  ),
];

function feature(name: string, flags: string[], run: string, fields = ""): FuzzFeature {
  return { name, binaryen: flags, probe: `(module ${fields} (func (export "run") ${run}))` };
}

/** Binaryen's flags for exactly `names` (everything else off). */
export function binaryenFlags(names: readonly string[]): string[] {
  const flags = ["--mvp-features"];
  for (const f of FUZZ_FEATURES) {
    if (names.includes(f.name)) { for (const b of f.binaryen) flags.push(`--enable-${b}`); }
  }
  // GC's types need reference types and more; binaryen checks the rest.
  return flags;
}

/** A side's probe check: true when it accepts the bytes (runs them, or only validates). */
export type Prober = (bytes: Uint8Array) => boolean;

/** Which of {@link FUZZ_FEATURES} every prober accepts. */
export async function supportedFeatures(probers: readonly Prober[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of FUZZ_FEATURES) {
    const bytes = await watToWasm(f.probe, ["-all"]);
    if (bytes === null) throw new Error(`binaryen rejected the ${f.name} probe`);
    if (probers.every((p) => p(bytes))) out.push(f.name);
  }
  return out;
}

/**
 * Applies a `--features` list (`all`, `-all`, `NAME`, `-NAME`, left to
 * right) over `base`; unknown names are an error.
 */
export function applyFeatureList(base: readonly string[], list: string): string[] {
  const on = new Set(base);
  for (const item of list.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const off = item.startsWith("-");
    const name = off ? item.slice(1) : item;
    const names = name === "all" ? FUZZ_FEATURES.map((f) => f.name) : [name];
    for (const n of names) {
      if (!FUZZ_FEATURES.some((f) => f.name === n)) throw new Error(`unknown feature "${n}"`);
      if (off) on.delete(n);
      else on.add(n);
    }
  }
  return FUZZ_FEATURES.map((f) => f.name).filter((n) => on.has(n));
}
