/**
 * Feature flags: which proposals beyond the wasm 2.0 baseline the decoder,
 * validator and runtime accept. The baseline (MVP, sign-extension,
 * saturating float-to-int, multi-value, mutable globals, bulk memory,
 * reference types, 128-bit SIMD) is always on.
 *
 * Defaults, modelled on wasmtime (whose `Config` turns on every proposal
 * that is standardized, or shipping in browsers, once its implementation is
 * complete, and which runs each spec-test directory with the features that
 * directory is written for):
 *
 * - The public API (`Module`, `validate`, `compile`, `instantiate`,
 *   `Instance`) and `gannet run`: {@link ALL_FEATURES}. memory64,
 *   multi-memory, extended-const, tail calls and relaxed SIMD are wasm 3.0;
 *   threads ship in every browser. A module built for wasmtime or V8 loads
 *   unchanged, and nothing that was valid becomes invalid by turning them
 *   on. `parseWat` accepts all their syntax too.
 * - `gannet wast`: {@link WASM2_FEATURES}. The `core/` scripts are the wasm
 *   2.0 suite and assert that, for example, a second memory is invalid or a
 *   64-bit memarg offset is malformed, so proposals are switched on per
 *   script folder with `--features` (see `../shared/testsuite/SOURCE.md`).
 *
 * `--features LIST` (both commands) applies a comma list, left to right,
 * over the command's default: `name` switches a proposal on, `-name` off,
 * `all`/`-all` every one (`gannet run --features -all,tail-call` is wasm
 * 2.0 plus tail calls).
 *
 * @module
 */

/**
 * Proposals that can be switched on beyond wasm 2.0.
 *
 * @example
 * ```ts
 * import { CompileError, type Features, Module, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * // Every proposal is on by default; switch some off for strict wasm 2.0 hosts.
 * const features: Partial<Features> = { tailCall: false, memory64: false };
 * const bytes = parseWat(`(module (func $f (return_call $f)))`);
 * new Module(bytes);
 * assert.throws(() => new Module(bytes, { features }), CompileError);
 * ```
 */
export interface Features {
  /** Relaxed SIMD (wasm 3.0). */
  relaxedSimd: boolean;
  /** Shared memories and atomic instructions. */
  threads: boolean;
  /** 64-bit memory and table indices (wasm 3.0). */
  memory64: boolean;
  /** More than one memory (wasm 3.0). */
  multiMemory: boolean;
  /** `i32/i64.add/sub/mul` in constant expressions (wasm 3.0). */
  extendedConst: boolean;
  /** `return_call`, `return_call_indirect` (wasm 3.0). */
  tailCall: boolean;
  /** Exception handling: tags, `throw`, `throw_ref`, `try_table`, `exnref` (wasm 3.0). */
  exceptions: boolean;
  /**
   * The legacy exception instructions (`try`, `catch`, `catch_all`,
   * `delegate`, `rethrow`) that emscripten and Pyodide still emit. Not part
   * of wasm 3.0, but every browser runs them. The tag section, tag
   * imports/exports and `exnref` are on when either exception flag is.
   */
  legacyExceptions: boolean;
  /** Typed function references: `(ref $t)`, `call_ref`, `br_on_null`, … (wasm 3.0). */
  functionReferences: boolean;
  /** Garbage collection: structs, arrays, `i31`, casts, recursive types (wasm 3.0; implies typed references). */
  gc: boolean;
  /**
   * Components (the component model: component binaries, the component
   * text format, `(component …)` in scripts). Not a core proposal: it is on
   * in {@link WASM2_FEATURES} too, and `all`/`-all` leave it alone
   * (`-component-model` switches it off).
   */
  componentModel: boolean;
}

/** Text names of the features, as `--features` takes them. */
export const FEATURE_NAMES: Readonly<Record<string, keyof Features>> = {
  "relaxed-simd": "relaxedSimd",
  "threads": "threads",
  "memory64": "memory64",
  "multi-memory": "multiMemory",
  "extended-const": "extendedConst",
  "tail-call": "tailCall",
  "exceptions": "exceptions",
  "legacy-exceptions": "legacyExceptions",
  "function-references": "functionReferences",
  "gc": "gc",
  "component-model": "componentModel",
};

/** The wasm 2.0 baseline: every core proposal off (components stay on). */
export const WASM2_FEATURES: Readonly<Features> = Object.freeze({
  relaxedSimd: false,
  threads: false,
  memory64: false,
  multiMemory: false,
  extendedConst: false,
  tailCall: false,
  exceptions: false,
  legacyExceptions: false,
  functionReferences: false,
  gc: false,
  componentModel: true,
});

/** Every proposal Gannet implements, on. */
export const ALL_FEATURES: Readonly<Features> = Object.freeze({
  relaxedSimd: true,
  threads: true,
  memory64: true,
  multiMemory: true,
  extendedConst: true,
  tailCall: true,
  exceptions: true,
  legacyExceptions: true,
  functionReferences: true,
  gc: true,
  componentModel: true,
});

/**
 * Parses a comma-separated `--features` list over `base`: `name` turns a
 * proposal on, `-name` turns it off, `all` / `-all` every proposal. Items
 * apply left to right. TypeError for an unknown name.
 */
export function parseFeatureList(
  list: string,
  base: Readonly<Features> = WASM2_FEATURES,
): Features {
  const out: Features = { ...base };
  for (const raw of list.split(",")) {
    let name = raw.trim();
    if (name === "") continue;
    const on = !name.startsWith("-");
    if (!on) name = name.slice(1);
    if (name === "all") {
      for (const k of Object.values(FEATURE_NAMES)) if (k !== "componentModel") out[k] = on;
      continue;
    }
    const key = FEATURE_NAMES[name];
    if (key === undefined) {
      throw new TypeError(
        `unknown feature "${name}" (known: ${
          Object.keys(FEATURE_NAMES).join(", ")
        }, all; prefix "-" to switch one off)`,
      );
    }
    out[key] = on;
  }
  return out;
}
