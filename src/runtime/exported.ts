/**
 * Exported function objects: the JS functions that stand for wasm
 * functions (JS API "Exported Function"). One object per function instance,
 * so exporting the same function twice gives the same object; importing it
 * into another instance finds the function instance again (a direct call,
 * no JS in between).
 *
 * @module
 */

import { invoke } from "../interp/invoke.ts";
import type { FuncInst } from "./func.ts";

const funcOf = new WeakMap<object, FuncInst>();

/** The function instance behind an exported function, if `f` is one. */
export function funcInstOf(f: unknown): FuncInst | undefined {
  return typeof f === "function" ? funcOf.get(f) : undefined;
}

/** The exported JS function for `fn` (created on first use). */
export function exportedFunction(fn: FuncInst): (...args: unknown[]) => unknown {
  if (fn.jsFunc !== null) return fn.jsFunc;
  // A plain function would be constructible; a method is not, like the JS API's.
  const f = {
    [String(fn.index)](...args: unknown[]): unknown {
      return invoke(fn, args);
    },
  }[String(fn.index)];
  Object.defineProperty(f, "length", { value: fn.type.params.length });
  funcOf.set(f, fn);
  fn.jsFunc = f;
  return f;
}
