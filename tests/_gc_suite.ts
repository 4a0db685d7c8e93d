/**
 * The GC scripts of the wasm 3.0 suite (`core-wasm3/gc-eh-fr/`, the files
 * `../shared/testsuite/SOURCE.md` lists as needing GC) and the assertions
 * among them still expected to fail, each with its reason. Shared by
 * `tests/run_spec_suites.ts` (CI, jitless too) and `tests/spec_proposals_test.ts`.
 *
 * @module
 */

/** The GC scripts, relative to `core-wasm3/gc-eh-fr/`. */
export const GC_SCRIPTS: readonly string[] = [
  "array.wast",
  "array_copy.wast",
  "array_fill.wast",
  "array_init_data.wast",
  "array_init_elem.wast",
  "array_new_data.wast",
  "array_new_elem.wast",
  "binary-gc.wast",
  "br_on_cast.wast",
  "br_on_cast_fail.wast",
  "extern.wast",
  "i31.wast",
  "ref_cast.wast",
  "ref_eq.wast",
  "ref_null.wast",
  "ref_test.wast",
  "struct.wast",
  "table_init.wast",
  "table_init64.wast",
  "type-canon.wast",
  "type-equivalence.wast",
  "type-rec.wast",
  "type-subtyping.wast",
];

/**
 * `file:line` of the GC scripts' assertions that fail for a reason outside
 * GC, mapped to the reason: each must still fail (the suite reports a
 * known failure that passes, so this list shrinks as the rest of wasm 3.0
 * lands).
 */
export const GC_KNOWN: Readonly<Record<string, string>> = {};
