/**
 * Memory accesses that compiled code leaves to the DataView to bounds-check
 * (codegen.ts's `RegisterEnv.boundsTrap`): where memory 0 is unshared,
 * its DataView spans exactly its bytes, so an access past the end throws a
 * RangeError there, which compiled code's handler turns into the
 * out-of-bounds trap (`jit/runtime.ts`), and the inline check is only a
 * second test of the same thing. Measured (`gannet run`, CPU, interleaved
 * runs): quicksort −10%, sieve −11%, matmul −12%, bigint −8%, sha256
 * −5%, nbody −6%.
 *
 * A body drops its check only where nothing a program can see changes:
 * its byte reads through the Uint8Array test for the `undefined` an index
 * past the end gives (free in optimized code, which deoptimizes there
 * rather than read out of bounds), its byte stores go through the
 * DataView, an i64 store writes its high word first (if either word is out
 * of bounds the high one is, and nothing is written), and its other
 * accesses are all through the DataView with at most one store.
 *
 * @module
 */

/** A table body's inline bounds check. */
const CHECK = /if \(ea > memLen - \d+\) memoryFault\(\);/;
/** An i64 store's two words, low first. */
const WORD_PAIR = /DV\.setInt32\(ea, (\w+), true\); DV\.setInt32\(ea \+ 4, (\w+), true\);/;
/** The same, high first: if either word is out of bounds, the high one is, and nothing is written. */
const HIGH_FIRST = "DV.setInt32(ea + 4, $2, true); DV.setInt32(ea, $1, true);";

/**
 * A body's accesses made to trap themselves where the DataView does (see
 * codegen.ts's `RegisterEnv.boundsTrap`): byte accesses, an i64 store's words.
 */
function trappingAccesses(body: string, trap: string): string {
  return body.replace(/\bM8\[ea\] = ([^;]+);/g, "DV.setUint8(ea, $1);")
    .replace(/\bM8\[ea\]/g, `(M8[ea] ?? ${trap})`)
    .replace(WORD_PAIR, HIGH_FIRST);
}

/** Whether `body` (its accesses made trapping) may go without its inline bounds check. */
function checkedByDataView(body: string, trap: string): boolean {
  const rest = body.replace(CHECK, "")
    .replaceAll(`(M8[ea] ?? ${trap})`, "")
    .replace(/DV\.setInt32\(ea \+ 4, \w+, true\); DV\.setInt32\(ea, \w+, true\);/, "DV.set;");
  return !/\b(M8|memLen|memoryFault)\b/.test(rest) && (rest.match(/\bDV\.set/g) ?? []).length <= 1;
}

/**
 * `body` (a table body with an inline bounds check) without its check,
 * where the DataView may stand for it; else `body` as it was. `trap`: an
 * expression that throws the out-of-bounds trap.
 */
export function withoutBoundsCheck(body: string, trap: string): string {
  if (!/\bmemoryFault\(\)/.test(body)) return body;
  const trapping = trappingAccesses(body, trap);
  return checkedByDataView(trapping, trap) ? trapping.replace(CHECK, "") : body;
}

/** A SIMD expansion's bounds check (`simd_emit.ts`: its `ea` renamed). */
const LANE_CHECK = /if \(\$t_ea > memLen - (\d+)\) memoryFault\(\);\n?/;
/** A 4-byte DataView store of a SIMD expansion, by its offset from `$t_ea`. */
const LANE_STORE = /^DV\.set(?:Int32|Float32)\(\$t_ea(?: \+ (\d+))?, [^\n]*\);$/;

/**
 * A SIMD expansion (`src/jit/simd_emit.ts`, its locals prefixed `$t_`)
 * without its bounds check, where the DataView may stand for it: every
 * access through the DataView, and its 4-byte stores (one per line) put
 * highest first, so that the first store covers the last byte the check
 * tested (nothing is written unless all of it is in bounds). Else `body`
 * as it was.
 */
export function laneWithoutBoundsCheck(body: string): string {
  const check = LANE_CHECK.exec(body);
  const unchecked = body.replace(LANE_CHECK, "");
  if (check === null || /\b(M8|memoryFault)\b/.test(unchecked)) return body;
  const lines = unchecked.split("\n");
  const stores = lines.map((l, i) => [i, LANE_STORE.exec(l)] as const).filter(([, m]) =>
    m !== null
  );
  if (lines.filter((l) => /\bDV\.set/.test(l)).length !== stores.length) return body;
  if (stores.length > 0) {
    const offsets = stores.map(([, m]) => Number(m![1] ?? 0));
    const top = Math.max(...offsets);
    if (top + 4 !== Number(check[1])) return body;
    // The store at the top offset goes where the first store was.
    const first = stores[0][0], last = stores[offsets.indexOf(top)][0];
    [lines[first], lines[last]] = [lines[last], lines[first]];
  }
  return lines.join("\n");
}
