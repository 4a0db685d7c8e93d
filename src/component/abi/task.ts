/**
 * Tasks (CanonicalABI.md "Tasks"): the state of one call of an
 * `async`-lifted function — whether it has returned its value (through
 * `task.return`, since an async callee's core function returns none), the
 * borrow scope of its arguments — and which task's core code is running,
 * which `task.return` needs to know.
 *
 * A synchronously-lifted call is not a task object (the spec lets an
 * engine run it as a plain call), but while its core code runs no task is
 * current, so a `task.return` from it traps as the spec requires.
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { FuncType, ValType } from "../types.ts";
import { codecOf } from "./codec.ts";
import { type CanonOptions, Context } from "./context.ts";
import type { ComponentState } from "./instance_state.ts";
import { MAX_FLAT_PARAMS } from "./layout.ts";
import type { BorrowScope } from "./resources.ts";

/** One call of an async-lifted function. */
export class Task {
  /** The function type. */
  readonly type: FuncType;
  /** The lift's options (`task.return` must use the same memory and encoding). */
  readonly opts: CanonOptions;
  /** The instance the task runs in. */
  readonly inst: ComponentState;
  /** Borrow handles lent to this task and not yet dropped. */
  readonly scope: BorrowScope = { numBorrows: 0 };
  /** Whether `task.return` has been called. */
  resolved = false;
  /** The value `task.return` gave (the result's JS value). */
  result: unknown = undefined;

  /**
   * Creates the task of one call.
   *
   * @param type the callee's function type
   * @param opts the lift's canonical options
   * @param inst the callee's instance
   */
  constructor(type: FuncType, opts: CanonOptions, inst: ComponentState) {
    this.type = type;
    this.opts = opts;
    this.inst = inst;
  }

  /** `Task.return_`: records the value for the caller. */
  return_(value: unknown): void {
    if (this.resolved) {
      throw new RuntimeError("`task.return` called more than once for current task");
    }
    if (this.scope.numBorrows > 0) {
      throw new RuntimeError("borrow handles still remain at the end of the call");
    }
    this.resolved = true;
    this.result = value;
  }
}

/** The task whose core code runs now; null in a synchronously-lifted call or the host. */
let current: Task | null = null;

/** The current task (null: none, or a synchronously-lifted call). */
export function currentTask(): Task | null {
  return current;
}

/** Makes `task` current; returns the task to restore with {@link leaveTask}. */
export function enterTask(task: Task | null): Task | null {
  const outer = current;
  current = task;
  return outer;
}

/** Core code of a synchronously-lifted function is about to run (no task is current). */
export function enterSyncTask(): Task | null {
  return enterTask(null);
}

/** Restores the task {@link enterTask} replaced. */
export function leaveTask(outer: Task | null): void {
  current = outer;
}

/**
 * `canon task.return`: the core function through which a task in `inst`
 * returns a value of `resultType` (null: no result), lifted with `opts`.
 */
export function taskReturn(
  resultType: ValType | null,
  opts: CanonOptions,
  inst: ComponentState,
): (...flat: unknown[]) => void {
  const codec = resultType === null ? null : codecOf(resultType);
  const spill = codec !== null && codec.flat.length > MAX_FLAT_PARAMS;
  return (...flat: unknown[]): void => {
    inst.checkMayLeave();
    const task = current;
    if (task === null) {
      throw new RuntimeError("`task.return` called from a synchronously-lifted function");
    }
    if (
      !sameType(resultType, task.type.result) || opts.memory !== task.opts.memory ||
      opts.encoding !== task.opts.encoding
    ) {
      throw new RuntimeError("invalid `task.return` signature and/or options for current task");
    }
    let value: unknown = undefined;
    if (codec !== null) {
      const cx = new Context(opts, inst, false);
      if (spill) {
        const ptr = (flat[0] as number) >>> 0;
        cx.checkRange(ptr, codec.size, codec.align, "pointer");
        value = codec.load(cx, ptr);
      } else value = codec.lift(cx, flat);
    }
    task.return_(value);
  };
}

/** Structural equality of value types; resources by identity. */
export function sameType(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameType(x, b[i]));
  }
  const x = a as Record<string, unknown>, y = b as Record<string, unknown>;
  if (x.kind !== y.kind || x.kind === "resource") return false;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => sameType(x[k], y[k]));
}
