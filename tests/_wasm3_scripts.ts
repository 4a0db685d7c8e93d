/**
 * Which scripts of `../shared/testsuite/core-wasm3/gc-eh-fr/` Gannet runs so
 * far, by the feature they need (SOURCE.md sorts them), with the number of
 * assertions each passes. `tests/spec_wasm3_test.ts` and
 * `tests/run_spec_suites.ts` (CI, also jitless) run them with every
 * feature on.
 *
 * @module
 */

/** Exception handling (`try_table`, `throw`, tags, the legacy instructions). */
export const EH_SCRIPTS: Readonly<Record<string, number>> = {
  "exports.wast": 41,
  "imports.wast": 144,
  "instance.wast": 12,
  "tag.wast": 4,
  "throw.wast": 12,
  "throw_ref.wast": 14,
  "try_table.wast": 60,
  "custom/name_annot.wast": 3,
  "legacy/rethrow.wast": 15,
  "legacy/throw.wast": 10,
  "legacy/try_catch.wast": 39,
  "legacy/try_delegate.wast": 25,
};
