/**
 * The proposals the differential fuzzer asks binaryen to use, and how each
 * is detected on both sides: a feature is fuzzed when a small probe module
 * using it validates on Gannet and on the native engine. GC and exception
 * handling are listed already: they switch on by themselves once Gannet
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
  /** A module that only validates with the feature (binaryen text). */
  probe: string;
}

/** Every proposal the fuzzer knows, in binaryen's terms. */
export const FUZZ_FEATURES: readonly FuzzFeature[] = [
  {
    name: "sign-ext",
    binaryen: ["sign-ext"],
    probe: "(module (func (result i32) (i32.extend8_s (i32.const 1))))",
  },
  {
    name: "mutable-globals",
    binaryen: ["mutable-globals"],
    probe: '(module (import "a" "b" (global (mut i32))))',
  },
  {
    name: "nontrapping-float-to-int",
    binaryen: ["nontrapping-float-to-int"],
    probe: "(module (func (result i32) (i32.trunc_sat_f32_s (f32.const 1))))",
  },
  {
    name: "bulk-memory",
    binaryen: ["bulk-memory", "bulk-memory-opt", "call-indirect-overlong"],
    probe: "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))",
  },
  {
    name: "reference-types",
    binaryen: ["reference-types"],
    probe: "(module (table 1 externref) (func (result externref) (table.get (i32.const 0))))",
  },
  {
    name: "multivalue",
    binaryen: ["multivalue"],
    probe: "(module (func (result i32 i32) (tuple.make 2 (i32.const 1) (i32.const 2))))",
  },
  {
    name: "simd",
    binaryen: ["simd"],
    probe: "(module (func (result v128) (v128.const i32x4 1 2 3 4)))",
  },
  {
    name: "relaxed-simd",
    binaryen: ["relaxed-simd"],
    probe: "(module (func (param v128) (result v128) " +
      "(i8x16.relaxed_swizzle (local.get 0) (local.get 0))))",
  },
  {
    name: "tail-call",
    binaryen: ["tail-call"],
    probe: "(module (func $f (return_call $f)))",
  },
  {
    name: "memory64",
    binaryen: ["memory64"],
    probe: "(module (memory i64 1) (func (result i32) (i32.load (i64.const 0))))",
  },
  {
    name: "multi-memory",
    binaryen: ["multimemory"],
    probe: "(module (memory $a 1) (memory $b 1) " +
      "(func (result i32) (i32.load $b (i32.const 0))))",
  },
  {
    name: "extended-const",
    binaryen: ["extended-const"],
    probe: "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))",
  },
  {
    name: "threads",
    binaryen: ["threads"],
    probe: "(module (memory 1 1 shared) " +
      "(func (result i32) (i32.atomic.load (i32.const 0))))",
  },
  {
    // No binaryen flag of its own: binaryen emits `ref.as_non_null` with
    // reference types alone (see `wasm_case.ts`).
    name: "function-references",
    binaryen: [],
    probe: "(module (func (param funcref) (result funcref) (ref.as_non_null (local.get 0))))",
  },
  {
    name: "exception-handling",
    binaryen: ["exception-handling"],
    probe: "(module (tag $t (param i32)) (func (throw $t (i32.const 1))))",
  },
  {
    name: "gc",
    binaryen: ["gc"],
    probe: "(module (type $s (struct (field i32))) " +
      "(func (result anyref) (struct.new $s (i32.const 1))))",
  },
];

/** Binaryen's flags for exactly `names` (everything else off). */
export function binaryenFlags(names: readonly string[]): string[] {
  const flags = ["--mvp-features"];
  for (const f of FUZZ_FEATURES) {
    if (names.includes(f.name)) { for (const b of f.binaryen) flags.push(`--enable-${b}`); }
  }
  // GC's types need reference types and more; binaryen checks the rest.
  return flags;
}

/** A side's validator: true when it accepts the bytes. */
export type Validator = (bytes: Uint8Array) => boolean;

/** Which of {@link FUZZ_FEATURES} every validator accepts. */
export async function supportedFeatures(validators: readonly Validator[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of FUZZ_FEATURES) {
    const bytes = await watToWasm(f.probe, ["-all"]);
    if (bytes === null) throw new Error(`binaryen rejected the ${f.name} probe`);
    if (validators.every((v) => v(bytes))) out.push(f.name);
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
