/**
 * The scripts of `../shared/testsuite/core-wasm3/gc-eh-fr/` that need
 * exception handling or typed function references but not GC (SOURCE.md
 * sorts them; the GC ones are in `_gc_suite.ts`), with the number of
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

/** Typed function references (`call_ref`, `br_on_null`, non-null locals, typed `select`/tables…). */
export const FR_SCRIPTS: Readonly<Record<string, number>> = {
  "br_if.wast": 118,
  "br_on_non_null.wast": 9,
  "br_on_null.wast": 7,
  "br_table.wast": 185,
  "call_ref.wast": 31,
  "elem.wast": 72,
  "func.wast": 171,
  "linking.wast": 133,
  "local_init.wast": 8,
  "local_tee.wast": 97,
  "ref.wast": 12,
  "ref_as_non_null.wast": 5,
  "ref_is_null.wast": 18,
  "return_call_ref.wast": 46,
  "select.wast": 154,
  "table-sub.wast": 2,
  "table.wast": 27,
  "unreached-invalid.wast": 121,
  "unreached-valid.wast": 10,
};
