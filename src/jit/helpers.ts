/**
 * The functions a table body may call — wasm's scalar semantics
 * (`numeric/numeric.ts`) and the loop's memory and table helpers
 * (`interp/exec_helpers.ts`) — by name, for compiled code: the same
 * functions the dispatch loop calls, so their meaning exists once.
 *
 * @module
 */

import * as numeric from "../numeric/numeric.ts";
import * as execHelpers from "../interp/exec_helpers.ts";

/** Every exported function of the two modules (and the canonical NaN's cell), by name. */
export const HELPERS: Readonly<Record<string, unknown>> = Object.fromEntries(
  [...Object.entries(numeric), ...Object.entries(execHelpers)].filter(([k, v]) =>
    typeof v === "function" || k === "QNAN"
  ),
);
