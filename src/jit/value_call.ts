/**
 * How a direct JS call between compiled functions passes its arguments and
 * result: as JS values where the signature allows, so that neither side
 * goes through the register file (fib_rec: the caller's stores, the
 * callee's loads and its result's round trip were a fifth of the run).
 * Caller and callee derive the same shape from the callee's type alone,
 * so they always agree.
 *
 * A value argument or result is one int32 word: an i32, an f32's bits,
 * each half of an i64. An f64 goes through the register file: a double
 * crossing a JS call may be boxed, and V8 quiets a signalling NaN on some
 * of those paths (its first runs, before optimizing, changed a NaN's
 * payload); as int32 words it would cost more conversions than the file's
 * store and load. A signature with a v128 or reference parameter, or more
 * than {@link MAX_VALUE_ARGS} values, passes every argument through the
 * register file, as the interpreter does. A single i32 or f32 result is
 * the call's JS return value; other results are at the callee's frame
 * base, as in the interpreter.
 *
 * @module
 */

import { F32, F64, I32, I64 } from "../binary/valtype.ts";

/** More arguments than this go through the register file. */
export const MAX_VALUE_ARGS = 8;

/** One JS argument: an int32 word of the callee's frame. */
export interface ValueArg {
  /** Its word in the callee's frame. */
  at: number;
}

/** How a direct call to a function of some signature passes values. */
export interface ValueShape {
  /** The JS arguments after the fixed four, or null: all through the register file. */
  args: readonly ValueArg[] | null;
  /** Parameter slots that go through the register file even so (f64s). */
  fileSlots: readonly number[];
  /** The JS return value: word 0's bits (`"i"`), or null: the frame base. */
  result: "i" | null;
}

/** Everything through the register file (a function the JIT knows nothing of). */
export const FILE_SHAPE: ValueShape = { args: null, fileSlots: [], result: null };

/** The value shape of calls to a function with these parameter and result types. */
export function valueShape(params: readonly number[], results: readonly number[]): ValueShape {
  let args: ValueArg[] | null = [];
  const fileSlots: number[] = [];
  for (let k = 0; k < params.length && args !== null; k++) {
    const t = params[k];
    if (t === I32 || t === F32) args.push({ at: 2 * k });
    else if (t === I64) args.push({ at: 2 * k }, { at: 2 * k + 1 });
    else if (t === F64) fileSlots.push(k);
    else args = null;
  }
  if (args !== null && args.length > MAX_VALUE_ARGS) args = null;
  const r = results.length === 1 ? results[0] : 0;
  return {
    args,
    fileSlots: args === null ? [] : fileSlots,
    result: r === I32 || r === F32 ? "i" : null,
  };
}

/** The JS parameter names of a function of shape `shape` after the fixed four. */
export function argNames(shape: ValueShape): string[] {
  return (shape.args ?? []).map((_, k) => `$a${k}`);
}
