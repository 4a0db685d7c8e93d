/**
 * The part of component-model async that runs today (CanonicalABI.md
 * "canon lift", "canon lower"): `canon lift … async` with or without a
 * `callback`, and `canon lower … async`, for calls that never have to wait.
 *
 * An async-lifted call is a {@link Task}: the arguments are lowered (16
 * flat values at most, as for synchronous calls), the core function runs,
 * and the value comes back through `task.return`. With a callback, the core
 * function returns a packed code and the event loop runs: `EXIT` ends the
 * task, `YIELD` calls the callback with the `NONE` event. Gannet resumes a
 * yielding task at once — the spec lets the embedder keep running a thread
 * whose wait condition already holds — so every task finishes inside the
 * call that started it, and an async-lowered call (4 flat parameters at
 * most, the result stored through a pointer) always finds its callee
 * `RETURNED`.
 *
 * What is not built: waiting. `WAIT` needs a waitable set, and the
 * `waitable-set.*`, `subtask.*`, stream and future built-ins trap as not
 * supported. The way to add it without a rewrite: a task that waits
 * outlives its call — the callback loop's next event becomes something
 * awaited (no stack to keep: the loop is JS), a stackful callee runs as an
 * `OwnedCall` (`src/interp/call.ts`, `SUSPENDABLE`) whose blocking
 * built-ins suspend it as a JSPI `Suspending` import does, the JS entry of
 * an async export returns a Promise when its task blocks, and the
 * async-lowered call returns `STARTED` with a subtask handle.
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { FuncInst } from "../../runtime/func.ts";
import type { FuncType } from "../types.ts";
import {
  callFunc,
  checkPointer,
  ComponentFunc,
  jsEntry,
  liftArgs,
  lowerArgs,
  signatureOf,
} from "./call.ts";
import { type CanonOptions, Context, Lenders } from "./context.ts";
import { callCore } from "./core_call.ts";
import { type ComponentState, leave } from "./instance_state.ts";
import { MAX_FLAT_ASYNC_PARAMS } from "./layout.ts";
import { enterTask, leaveTask, Task } from "./task.ts";

/** Callback codes (`CallbackCode`). */
const EXIT = 0, YIELD = 1, WAIT = 2;
/** The `NONE` event code. */
const EVENT_NONE = 0;
/** `Subtask.State.RETURNED`: an async-lowered call that finished. */
const RETURNED = 2;

/**
 * `canon lift … async`: the component function of core function `core` in
 * instance `inst`; `callback` is the `callback` option's function (null:
 * stackful, the core function returns nothing).
 */
export function liftAsyncFunction(
  core: FuncInst,
  callback: FuncInst | null,
  type: FuncType,
  opts: CanonOptions,
  inst: ComponentState,
): ComponentFunc {
  const sig = signatureOf(type);
  const call = (caller: ComponentState | null, args: unknown[]): unknown => {
    const entered = inst.enter(caller);
    const task = new Task(type, opts, inst);
    const outer = enterTask(task);
    try {
      const cx = new Context(opts, inst, caller === null);
      cx.scope = task.scope;
      const flat = lowerArgs(cx, sig, args, sig.spillParams);
      const r = callCore(core, flat);
      if (callback !== null) runEventLoop(inst, callback, r as number);
      if (!task.resolved) {
        throw new RuntimeError("async-lifted export exited without calling `task.return`");
      }
      return task.result;
    } catch (e) {
      inst.poisoned = true;
      throw e;
    } finally {
      leaveTask(outer);
      leave(entered);
    }
  };
  return new ComponentFunc(type, jsEntry(sig, call), call);
}

/** The callback loop of a stackless task, from the core function's first packed code. */
function runEventLoop(inst: ComponentState, callback: FuncInst, packed: number): void {
  for (;;) {
    const code = packed & 0xf;
    if (code === EXIT) return;
    let event: number[];
    if (code === YIELD) event = [EVENT_NONE, 0, 0];
    else if (code === WAIT) event = waitForEvent(inst, packed >>> 4);
    else throw new RuntimeError(`unsupported callback code: ${code}`);
    packed = callCore(callback, event) as number;
  }
}

/** The next event of waitable set `index` (none exist yet: the handle is unknown or another kind). */
function waitForEvent(inst: ComponentState, index: number): never {
  inst.handles.get(index);
  throw new RuntimeError(`handle index ${index} is not a waitable set`);
}

/**
 * `canon lower … async`: the core function through which instance `inst`
 * calls `callee` without blocking. It returns the subtask state, always
 * `RETURNED` (the result stored at the last parameter's pointer).
 */
export function lowerAsyncFunction(
  callee: ComponentFunc,
  opts: CanonOptions,
  inst: ComponentState,
): (...flat: unknown[]) => number {
  const sig = signatureOf(callee.type);
  const spill = sig.flatParams > MAX_FLAT_ASYNC_PARAMS;
  const peerIsHost = callee.call === null;
  return (...flat: unknown[]): number => {
    inst.checkMayLeave();
    const cx = new Context(opts, inst, peerIsHost);
    const lenders = new Lenders();
    cx.lenders = lenders;
    const args = liftArgs(cx, sig, flat, spill);
    const result = callFunc(callee, inst, args);
    if (isThenable(result)) {
      throw new RuntimeError(
        "a host function returned a Promise to an async-lowered call: waiting on subtasks is not supported yet",
      );
    }
    const rc = sig.result;
    if (rc !== null) {
      const ptr = (flat[flat.length - 1] as number) >>> 0;
      checkPointer(cx, ptr, rc.size, rc.align, "pointer");
      rc.store(cx, result, ptr);
    }
    lenders.release();
    return RETURNED;
  };
}

function isThenable(v: unknown): boolean {
  return (typeof v === "object" || typeof v === "function") && v !== null &&
    typeof (v as { then?: unknown }).then === "function";
}
