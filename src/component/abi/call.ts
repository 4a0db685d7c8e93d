/**
 * `canon lift` and `canon lower` for synchronous calls (CanonicalABI.md
 * "canon lift", "canon lower"): the parameters are lowered (spilled to
 * memory past 16 flat values), the core function called, the result
 * lifted (through a return pointer past one flat value), borrows checked,
 * post-return run; may-enter/may-leave guard the instances, and a trap
 * poisons the instance it happened in.
 *
 * A component function is a {@link ComponentFunc}: the JS function a host
 * calls (jco's conventions), plus a direct entry other components' lowered
 * imports call with their instance as the caller. Component-to-component
 * calls pass JS values between the two sides' codecs.
 *
 * Async (later): a lifted call becomes a task that can suspend in
 * `callCore`; the lowering side's `Lenders` become the subtask.
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { FuncInst } from "../../runtime/func.ts";
import { ComponentError, errorPayload } from "../component_error.ts";
import type { FuncType } from "../types.ts";
import { type Codec, codecOf } from "./codec.ts";
import { type CanonOptions, type Content, Context, Lenders } from "./context.ts";
import { callCore } from "./core_call.ts";
import { type ComponentState, leave } from "./instance_state.ts";
import { MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, tupleLayout } from "./layout.ts";
import { enterSyncTask, leaveTask } from "./task.ts";

/** A JS function (jco's conventions). */
export type JsFunction = (...args: unknown[]) => unknown;

/** The precomputed ABI of one function type. */
export class Signature {
  readonly params: Codec[];
  readonly result: Codec | null;
  /** Number of flat values of the parameters. */
  readonly flatParams: number;
  /** Parameters go through memory (synchronous calls and async lifts). */
  readonly spillParams: boolean;
  /** The result goes through memory. */
  readonly spillResult: boolean;
  /** Layout of the parameter tuple (when spilled). */
  readonly paramTuple: { size: number; align: number; offsets: number[] };
  /** The result type is a `result` (JS: return or throw). */
  readonly isResult: boolean;

  constructor(type: FuncType) {
    this.params = type.params.map((p) => codecOf(p.type));
    this.result = type.result === null ? null : codecOf(type.result);
    this.flatParams = this.params.reduce((n, c) => n + c.flat.length, 0);
    this.spillParams = this.flatParams > MAX_FLAT_PARAMS;
    this.spillResult = this.result !== null && this.result.flat.length > MAX_FLAT_RESULTS;
    this.paramTuple = tupleLayout(type.params.map((p) => p.type));
    this.isResult = type.result !== null && type.result.kind === "result";
  }
}

const signatures = new WeakMap<FuncType, Signature>();

/** The ABI of function type `type` (cached per type object). */
export function signatureOf(type: FuncType): Signature {
  let s = signatures.get(type);
  if (s === undefined) {
    s = new Signature(type);
    signatures.set(type, s);
  }
  return s;
}

/** Traps unless `[ptr, ptr + size)` is aligned and in memory. */
export function checkPointer(
  cx: Context,
  ptr: number,
  size: number,
  align: number,
  what: Content,
): void {
  cx.checkRange(ptr, size, align, what);
}

/**
 * Lowers `args` into the flat values a lifted core function takes; with
 * `spill`, into a tuple in memory allocated through `realloc`.
 */
export function lowerArgs(cx: Context, sig: Signature, args: unknown[], spill: boolean): unknown[] {
  const flat: unknown[] = [];
  if (spill) {
    const t = sig.paramTuple;
    const ptr = cx.allocate(t.align, t.size, "pointer");
    for (let i = 0; i < sig.params.length; i++) {
      sig.params[i].store(cx, args[i], ptr + t.offsets[i]);
    }
    flat.push(ptr);
  } else {
    for (let i = 0; i < sig.params.length; i++) sig.params[i].lower(cx, args[i], flat);
  }
  return flat;
}

/**
 * Lifts the arguments of a lowered call from its flat values; with `spill`,
 * from the tuple the first flat value points to.
 */
export function liftArgs(
  cx: Context,
  sig: Signature,
  flat: readonly unknown[],
  spill: boolean,
): unknown[] {
  const n = sig.params.length;
  const args = new Array(n);
  if (spill) {
    const t = sig.paramTuple;
    const ptr = (flat[0] as number) >>> 0;
    checkPointer(cx, ptr, t.size, t.align, "pointer");
    for (let i = 0; i < n; i++) args[i] = sig.params[i].load(cx, ptr + t.offsets[i]);
  } else {
    for (let i = 0; i < n; i++) args[i] = sig.params[i].lift(cx, flat);
  }
  return args;
}

/** A component-level function value. */
export class ComponentFunc {
  /** Its type (with run-time resources). */
  readonly type: FuncType;
  /** What JS calls: positional arguments, the result returned (a `result`'s error thrown). */
  readonly js: JsFunction;
  /**
   * The direct entry for a lowered import of another instance: JS values in,
   * the result's JS value out (a `result` as `{ tag, val }`). Null for host
   * functions.
   */
  readonly call: ((caller: ComponentState | null, args: unknown[]) => unknown) | null;

  /**
   * Creates a function value.
   *
   * @param type its type
   * @param js the JS-facing function
   * @param call the direct entry, for lifted functions
   */
  constructor(
    type: FuncType,
    js: JsFunction,
    call: ((caller: ComponentState | null, args: unknown[]) => unknown) | null,
  ) {
    this.type = type;
    this.js = js;
    this.call = call;
  }

  /** A host function (a JS function called with jco's conventions). */
  static host(type: FuncType, fn: JsFunction): ComponentFunc {
    return new ComponentFunc(type, fn, null);
  }
}

/** `canon lift`: the component function of core function `core` in instance `inst`. */
export function liftFunction(
  core: FuncInst,
  type: FuncType,
  opts: CanonOptions,
  inst: ComponentState,
): ComponentFunc {
  const sig = signatureOf(type);
  const call = (caller: ComponentState | null, args: unknown[]): unknown => {
    const entered = inst.enter(caller);
    try {
      const cx = new Context(opts, inst, caller === null);
      const scope = { numBorrows: 0 };
      cx.scope = scope;
      const flat = lowerArgs(cx, sig, args, sig.spillParams);
      let r: unknown;
      const outerTask = enterSyncTask();
      try {
        r = callCore(core, flat);
        const rc = sig.result;
        let result: unknown = undefined;
        if (rc !== null) {
          if (sig.spillResult) {
            const ptr = (r as number) >>> 0;
            checkPointer(cx, ptr, rc.size, rc.align, "pointer");
            result = rc.load(cx, ptr);
          } else {
            result = rc.lift(cx, [r]);
          }
        }
        if (scope.numBorrows > 0) {
          throw new RuntimeError("borrow handles still remain at the end of the call");
        }
        if (opts.postReturn !== null) {
          inst.mayLeave = false;
          try {
            callCore(opts.postReturn, r === undefined ? [] : [r]);
          } finally {
            inst.mayLeave = true;
          }
        }
        return result;
      } catch (e) {
        inst.poisoned = true;
        throw e;
      } finally {
        leaveTask(outerTask);
      }
    } finally {
      leave(entered);
    }
  };
  return new ComponentFunc(type, jsEntry(sig, call), call);
}

/** The JS-facing function of a lifted function whose direct entry is `call`. */
export function jsEntry(
  sig: Signature,
  call: (caller: ComponentState | null, args: unknown[]) => unknown,
): JsFunction {
  return sig.isResult
    ? (...args) => {
      const r = call(null, args) as { tag: string; val: unknown };
      if (r.tag === "err") throw new ComponentError(r.val);
      return r.val;
    }
    : (...args) => call(null, args);
}

/** Calls a host function, turning a `result` type's return-or-throw into `{ tag, val }`. */
function callHost(fn: JsFunction, args: unknown[], isResult: boolean): unknown {
  if (!isResult) return fn(...args);
  try {
    const r = fn(...args);
    if (r !== null && typeof r === "object") {
      const tag = (r as { tag?: unknown }).tag;
      if (tag === "ok" || tag === "err") return r;
    }
    return { tag: "ok", val: r };
  } catch (e) {
    return { tag: "err", val: errorPayload(e) };
  }
}

/**
 * Calls `callee` from instance `inst` with lifted arguments: a lifted
 * function through its direct entry, a host function with jco's
 * conventions. Returns the result's JS value (a `result` as `{ tag, val }`).
 */
export function callFunc(callee: ComponentFunc, inst: ComponentState, args: unknown[]): unknown {
  return callee.call !== null
    ? callee.call(inst, args)
    : callHost(callee.js, args, signatureOf(callee.type).isResult);
}

/**
 * `canon lower`: the core (host) function through which instance `inst`
 * calls component function `callee`. It takes and returns core values.
 */
export function lowerFunction(
  callee: ComponentFunc,
  opts: CanonOptions,
  inst: ComponentState,
): (...flat: unknown[]) => unknown {
  const sig = signatureOf(callee.type);
  const peerIsHost = callee.call === null;
  return (...flat: unknown[]): unknown => {
    inst.checkMayLeave();
    const cx = new Context(opts, inst, peerIsHost);
    const lenders = new Lenders();
    cx.lenders = lenders;
    const args = liftArgs(cx, sig, flat, sig.spillParams);
    const result = callFunc(callee, inst, args);
    const rc = sig.result;
    let out: unknown = undefined;
    if (rc !== null) {
      if (sig.spillResult) {
        const ptr = (flat[flat.length - 1] as number) >>> 0;
        checkPointer(cx, ptr, rc.size, rc.align, "pointer");
        rc.store(cx, result, ptr);
      } else {
        const vals: unknown[] = [];
        rc.lower(cx, result, vals);
        out = vals[0];
      }
    }
    lenders.release();
    return out;
  };
}
