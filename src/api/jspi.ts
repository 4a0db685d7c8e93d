/**
 * JSPI (JavaScript Promise Integration) on every host: `Suspending` marks a
 * JS import whose calls suspend the guest until the Promise it returns
 * settles; `promising` turns an exported wasm function into one that
 * returns a Promise of its results. A suspended call keeps its own
 * execution state (`OwnedCall`), so any number can be in flight at once,
 * and other calls run meanwhile. Semantics follow the JS API of the
 * js-promise-integration proposal: every call of a `Suspending` import
 * awaits (a non-promise result too), and one reached outside a `promising`
 * call, or with a JS frame between the two, throws `SuspendError`.
 *
 * @module
 */

import { OwnedCall } from "../interp/call.ts";
import { awaited, DONE, SUSPENDABLE, SUSPENDED } from "../interp/execute.ts";
import { type FuncInst, scratchRegisters, slotSize } from "../runtime/func.ts";
import { toJsException } from "./exception.ts";
import { funcInstOf, invoke, readResults } from "./exported.ts";
import type { JsHost } from "./host.ts";
import { toWasm, writeSlot } from "./values.ts";

const wrappedFunction = new WeakMap<object, (...args: unknown[]) => unknown>();

/**
 * Marks a JS function as a suspending import: when wasm calls it (inside a
 * {@link promising} call), the guest waits for the Promise it returns and
 * continues with the value it resolves to.
 *
 * @example
 * ```ts
 * import { instantiate, parseWat, promising, Suspending } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const { instance } = await instantiate(parseWat(`(module
 *   (import "env" "fetchNumber" (func $fetch (param i32) (result i32)))
 *   (func (export "sum") (param i32) (result i32)
 *     (i32.add (call $fetch (local.get 0)) (call $fetch (i32.const 100)))))`), {
 *   env: {
 *     fetchNumber: new Suspending(async (x: number) => {
 *       await new Promise((r) => setTimeout(r, 1));
 *       return x * 2;
 *     }),
 *   },
 * });
 * const sum = promising(instance.exports.sum as (x: number) => number);
 * assert.equal(await sum(5), 210);
 * ```
 */
export class Suspending {
  /** Wraps `jsFun` (TypeError unless callable). */
  constructor(jsFun: (...args: never[]) => unknown) {
    if (typeof jsFun !== "function") {
      throw new TypeError("WebAssembly.Suspending: Argument 0 must be a function");
    }
    wrappedFunction.set(this, jsFun as (...args: unknown[]) => unknown);
  }
}

Object.defineProperty(Suspending.prototype, Symbol.toStringTag, {
  value: "WebAssembly.Suspending",
  configurable: true,
});

/** The function a {@link Suspending} wraps, if `v` is one. */
export function suspendingFunction(v: unknown): ((...args: unknown[]) => unknown) | undefined {
  return typeof v === "object" && v !== null ? wrappedFunction.get(v) : undefined;
}

/**
 * Wraps an exported wasm function so that calling it returns a Promise of
 * its results; while it runs, its `Suspending` imports may suspend it.
 * Traps and exceptions reject the Promise.
 *
 * @example
 * ```ts
 * import { instantiate, parseWat, promising } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const { instance } = await instantiate(parseWat(`(module
 *   (func (export "answer") (result i32) (i32.const 42)))`));
 * const answer = promising(instance.exports.answer as () => number);
 * assert.equal(await answer(), 42);
 * ```
 */
export function promising(
  wasmFunc: (...args: never[]) => unknown,
): (...args: unknown[]) => Promise<unknown> {
  if (typeof wasmFunc !== "function") {
    throw new TypeError("WebAssembly.promising: Argument 0 must be a function");
  }
  const fn = funcInstOf(wasmFunc);
  if (fn === undefined) {
    throw new TypeError("WebAssembly.promising: Argument 0 must be an exported wasm function");
  }
  return function (...args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => run(fn, args, resolve, reject));
  };
}

/** Runs a promising call of `fn` (synchronously up to its first suspension). */
function run(
  fn: FuncInst,
  args: readonly unknown[],
  resolve: (v: unknown) => void,
  reject: (e: unknown) => void,
): void {
  try {
    const { params, results } = fn.type;
    const vals = params.map((t, i) => toWasm(t, args[i]));
    if (fn.host !== null) {
      // A re-exported import: a Suspending one may suspend here too.
      const host = fn.host as JsHost;
      if (!host.suspending) return resolve(invoke(fn, args));
      const regs = scratchRegisters(Math.max(fn.paramSlots, fn.resultSlots) + 1);
      let s = 0;
      params.forEach((t, i) => {
        writeSlot(regs.i32, regs.f32, regs.refs, s, t, vals[i]);
        s += slotSize(t);
      });
      Promise.resolve(host.call(regs, 0)).then((v) => {
        try {
          host.finish(regs, 0, v);
          resolve(readResults(regs, 0, results));
        } catch (e) {
          reject(e);
        }
      }, reject);
      return;
    }
    const call = new OwnedCall(fn, SUSPENDABLE);
    const m = call.machine;
    let s = 0;
    for (let i = 0; i < params.length; i++) {
      writeSlot(m.i32, m.f32, m.refs, s, params[i], vals[i]);
      s += slotSize(params[i]);
    }
    const step = (status: number): void => {
      if (status === DONE) {
        const r = readResults(m, 0, results);
        call.end();
        return resolve(r);
      }
      if (status !== SUSPENDED) throw new Error(`gannet: unexpected call status ${status}`);
      Promise.resolve(awaited.get(m)).then((v) => {
        try {
          step(call.resumeWith(v));
        } catch (e) {
          reject(toJsException(e));
        }
      }, (e) => {
        try {
          step(call.fail(e));
        } catch (thrown) {
          reject(toJsException(thrown));
        }
      });
    };
    step(call.start());
  } catch (e) {
    reject(toJsException(e));
  }
}
