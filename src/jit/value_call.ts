/**
 * How a direct JS call between compiled functions passes its arguments and
 * result: as JS values where the signature allows, so that neither side
 * goes through the register file (fib_rec: the caller's stores, the
 * callee's loads and its result's round trip were a fifth of the run).
 * Caller and callee derive the same shape from the callee's type alone,
 * so they always agree.
 *
 * A value argument is one int32 word (an i32, an f32's bits, each half of
 * an i64) or one float64 slot (an f64, as the double it is: a JS call
 * moves a double's bits unchanged). A signature with a v128 or reference
 * parameter, or more than {@link MAX_VALUE_ARGS} values, passes every
 * argument through the register file, as the interpreter does. A single
 * i32, f32 or f64 result is the call's JS return value; other results are
 * at the callee's frame base, as in the interpreter.
 *
 * @module
 */

/** Value types as the binary format numbers them. */
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;

/** More arguments than this go through the register file. */
export const MAX_VALUE_ARGS = 8;

/** One JS argument: an int32 word (`"i"`) or a float64 slot (`"d"`) of the callee's frame. */
export interface ValueArg {
  /** How it is held. */
  kind: "i" | "d";
  /** Its word (`"i"`) or slot (`"d"`) in the callee's frame. */
  at: number;
}

/** How a direct call to a function of some signature passes values. */
export interface ValueShape {
  /** The JS arguments after the fixed four, or null: through the register file. */
  args: readonly ValueArg[] | null;
  /** The JS return value: word 0's bits, slot 0's double, or null: the frame base. */
  result: "i" | "d" | null;
}

/** Everything through the register file (a function the JIT knows nothing of). */
export const FILE_SHAPE: ValueShape = { args: null, result: null };

/** The value shape of calls to a function with these parameter and result types. */
export function valueShape(params: readonly number[], results: readonly number[]): ValueShape {
  let args: ValueArg[] | null = [];
  for (let k = 0; k < params.length && args !== null; k++) {
    const t = params[k];
    if (t === I32 || t === F32) args.push({ kind: "i", at: 2 * k });
    else if (t === I64) args.push({ kind: "i", at: 2 * k }, { kind: "i", at: 2 * k + 1 });
    else if (t === F64) args.push({ kind: "d", at: k });
    else args = null;
  }
  if (args !== null && args.length > MAX_VALUE_ARGS) args = null;
  const r = results.length === 1 ? results[0] : 0;
  const result = r === I32 || r === F32 ? "i" : r === F64 ? "d" : null;
  return { args, result };
}

/** The JS parameter names of a function of shape `shape` after the fixed four. */
export function argNames(shape: ValueShape): string[] {
  return (shape.args ?? []).map((_, k) => `$a${k}`);
}
