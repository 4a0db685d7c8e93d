/**
 * The one place the component layer calls core wasm functions (lifted
 * exports, realloc, post-return, destructors). Keeping it in one function
 * lets the call path move to per-call execution state and suspension
 * (component-model async on JSPI-style stack switching) without touching
 * the ABI.
 *
 * @module
 */

import { invoke } from "../../api/exported.ts";
import type { FuncInst } from "../../runtime/func.ts";

/**
 * Calls core function `fn` with core values (numbers for i32/f32/f64,
 * BigInts for i64); returns undefined, the single result, or an array.
 */
export function callCore(fn: FuncInst, args: readonly unknown[]): unknown {
  return invoke(fn, args);
}
