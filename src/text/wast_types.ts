/**
 * The commands of a WAST spec script, as {@link parseWast} returns them.
 * Modules inside commands stay as text or bytes: the harness hands them to
 * `parseWat` (see `wastModuleBytes`) so that a malformed module is reported
 * by the command that expects it, not by the script parser.
 *
 * @module
 */

/**
 * Where a script's module comes from. `component` is set for `(component
 * …)` forms (the text then goes to `parseComponentWat`, the bytes to the
 * component decoder).
 */
export type WastModuleSource =
  & (
    /** `source` is the exact `(module …)` text, to be given to `parseWat`. */
    | { kind: "text"; source: string }
    /** `(module binary "…")`: the concatenated string bytes. */
    | { kind: "binary"; bytes: Uint8Array }
    /** `(module quote "…")`: the concatenated strings, the body of a module. */
    | { kind: "quote"; source: string }
  )
  & { component?: boolean };

/**
 * A component-level value of a script (`(u32.const 1)`, `(str.const "a")`,
 * `(list.const …)`, …). Floats are raw bit patterns (or NaN patterns, in
 * expected results); `char` holds one code point.
 */
export type ComponentValue =
  | { type: "bool"; value: boolean }
  | { type: "s8" | "u8" | "s16" | "u16" | "s32" | "u32"; value: number }
  | { type: "s64" | "u64"; value: bigint }
  | { type: "f32"; bits: number }
  | { type: "f64"; bits: bigint }
  | NanPattern
  | { type: "char"; value: string }
  | { type: "string"; value: string }
  | { type: "list" | "tuple"; values: ComponentValue[] }
  | { type: "record"; fields: { name: string; value: ComponentValue }[] }
  | { type: "variant"; case: string; value: ComponentValue | null }
  | { type: "enum"; case: string }
  | { type: "option"; value: ComponentValue | null }
  | { type: "result"; ok: boolean; value: ComponentValue | null }
  | { type: "flags"; names: string[] };

/**
 * A constant argument or expected result. `i32` values are the signed 32-bit
 * interpretation and `i64` values the signed 64-bit one (as the JS API gives
 * them); floats are raw bit patterns so that NaN payloads survive.
 */
export type WastValue =
  | { type: "i32"; value: number }
  | { type: "i64"; value: bigint }
  | { type: "f32"; bits: number }
  | { type: "f64"; bits: bigint }
  | { type: "v128"; bytes: Uint8Array }
  | { type: "ref.null"; ref: "func" | "extern" }
  | { type: "ref.extern"; value: number }
  /**
   * A reference of a proposal outside Gannet's scope (GC, exception
   * handling: `(ref.i31)`, `(ref.null any)`, `(ref.host 1)`, …), kept so
   * that such scripts still parse. `name` is the heap type or the part after
   * `ref.`; `null` tells `(ref.null …)` from `(ref.…)`; `value` is the
   * number, if one was given.
   */
  | { type: "ref.other"; name: string; null: boolean; value?: number }
  /** A component-level value (component scripts). */
  | { type: "component"; value: ComponentValue };

/** A NaN pattern: any canonical NaN, or any arithmetic NaN. */
export type NanPattern = { type: "f32" | "f64"; nan: "canonical" | "arithmetic" };

/** One lane of a v128 result pattern. */
export type LanePattern = WastValue | NanPattern;

/** The v128 lane shapes. */
export type V128Shape = "i8x16" | "i16x8" | "i32x4" | "i64x2" | "f32x4" | "f64x2";

/** An expected result of `assert_return`. */
export type WastResult =
  | WastValue
  | NanPattern
  /** A v128 compared lane by lane (lanes may be NaN patterns). */
  | { type: "v128"; shape: V128Shape; lanes: LanePattern[] }
  /** Any null reference (wasm 3.0 scripts write `(ref.null)`). */
  | { type: "ref.null"; ref: null }
  /** Any non-null funcref. */
  | { type: "ref.func" }
  /** Any non-null externref. */
  | { type: "ref.extern" }
  /** Any one of `options` is acceptable. */
  | { type: "either"; options: WastResult[] };

/** An action: call an export, or read an exported global. */
export type WastAction =
  | { type: "invoke"; module: string | null; field: string; args: WastValue[] }
  | { type: "get"; module: string | null; field: string };

/** One script command. `line` is the 1-based line of its opening parenthesis. */
export type WastCommand =
  & { line: number }
  & (
    | { type: "module"; name: string | null; module: WastModuleSource; definition: boolean }
    | {
      type: "module_instance";
      instance: string | null;
      module: string | null;
      /** `(component instance …)`. */
      component?: boolean;
    }
    | { type: "register"; as: string; module: string | null }
    | { type: "action"; action: WastAction }
    | { type: "assert_return"; action: WastAction; expected: WastResult[] }
    | { type: "assert_trap"; action: WastAction; text: string }
    /** A module whose instantiation traps (e.g. an out-of-bounds segment). */
    | { type: "assert_trap_module"; module: WastModuleSource; text: string }
    | { type: "assert_exhaustion"; action: WastAction; text: string }
    | {
      type: "assert_invalid" | "assert_malformed" | "assert_unlinkable";
      module: WastModuleSource;
      text: string;
    }
    | {
      type: "assert_invalid_custom" | "assert_malformed_custom";
      module: WastModuleSource;
      text: string;
    }
    | { type: "assert_exception"; action: WastAction }
    /** `(thread $T (shared (module $M))… commands…)`: runs in parallel. */
    | { type: "thread"; name: string; shared: string[]; commands: WastCommand[] }
    | { type: "wait"; thread: string }
  );
