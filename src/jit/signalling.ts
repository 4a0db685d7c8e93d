/**
 * Keeping signalling NaNs out of JS doubles in compiled code.
 *
 * V8's Maglev tier silences a NaN (sets its quiet bit) in every float64
 * store into a typed array or a DataView: it converts the value to its
 * "holey" float64 representation first, where two signalling NaNs stand
 * for the hole and `undefined` (`ChangeFloat64ToHoleyFloat64` before
 * `StoreDoubleDataViewElement` and `StoreDoubleConstantTypedArrayElement`,
 * Deno 2.9 / V8 15.0). TurboFan and the interpreter keep the bits, and a
 * quiet NaN's payload is kept by all of them. So a signalling NaN that
 * compiled code holds in a JS double comes out quiet, now and then, from
 * the stores that wasm needs bit-exact (`f64.store` of a loaded value,
 * a spill into the register file).
 *
 * Compiled code therefore never holds one: where it makes a double from
 * bits — an 8-byte load into a slot held as a double, a reload from the
 * register file, int32 words taken as a float64 — it tests a
 * NaN's quiet bit in the bits it read, and a signalling NaN leaves to the
 * interpreter, which moves int32 words. Every other double is computed
 * (arithmetic canonicalizes its NaNs) or moved from such a double; no
 * int32 write goes into a slot held as a double (homes.ts gives none that
 * has one a double home, and a split slot's high word is never written).
 *
 * @module
 */

/** The quiet bit of a float64 NaN, in its high int32 word. */
export const QUIET_BIT = 0x80000;

/**
 * The int32 words (low, high: JS expressions) of the bits that double
 * expression `value` reads, where it reads a float64 from bits: a load
 * from memory at `ea`, a register-file slot, int32 words (`$bd`, valid
 * right after it ran). Null where the value is computed, a constant (never
 * a NaN: f64_consts.ts) or already a JS double.
 */
export function sourceBits(value: string): { lo: string; hi: string } | null {
  if (value === "DV.getFloat64(ea, true)") {
    return { lo: "DV.getInt32(ea, true)", hi: "DV.getInt32(ea + 4, true)" };
  }
  const m = /^F64\[fd \+ (\d+)\]$/.exec(value);
  if (m !== null) {
    const w = 2 * Number(m[1]);
    return { lo: `I32[fp + ${w}]`, hi: `I32[fp + ${w + 1}]` };
  }
  if (value.startsWith("$bd(") && closes(value, 3)) return { lo: "$cvI[0]", hi: "$cvI[1]" };
  return null;
}

/** JS condition: double `d`, read from bits whose high word is `hi`, is a signalling NaN. */
export function signalling(d: string, hi: string): string {
  return `${d} !== ${d} && ((${hi}) & ${QUIET_BIT}) === 0`;
}

/**
 * JS condition: one of the doubles `slots` (local name, register-file
 * slot), just loaded from the register file, is a signalling NaN there
 * ("" for none).
 */
export function anySignalling(slots: readonly { name: string; slot: number }[]): string {
  return slots.map(({ name, slot }) => `(${signalling(name, `I32[fp + ${2 * slot + 1}]`)})`)
    .join(" || ");
}

/** Whether the parenthesis at `open` in `e` closes at its end (`e` is one call). */
function closes(e: string, open: number): boolean {
  let depth = 0;
  for (let i = open; i < e.length; i++) {
    if (e[i] === "(") depth++;
    else if (e[i] === ")" && --depth === 0) return i === e.length - 1;
  }
  return false;
}
