/**
 * The driver of an activation: runs slices of the dispatch loop until the
 * entry function returns, and does between slices what the loop leaves
 * out (`slice.ts`): out-of-line calls, host calls (and JSPI suspension at
 * a `Suspending` import), fuel accounting, and the stop checks (out of
 * fuel, interrupt flag, deadline), which trap or, for a resumable call,
 * pause.
 *
 * Fuel is counted in control transfers: every taken branch (`br`, taken
 * `br_if`/`br_table`, loop back edges, `if`/`else` jumps) and every call
 * (direct, indirect, imported, tail) costs one unit (SIMD instructions,
 * straight-line code, cost nothing of their own).
 * Straight-line code between transfers is bounded by the function's size,
 * so fuel bounds running time; and the count depends only on the program
 * and its input, so the same fuel stops at the same point on every host.
 * With F units a call makes F transfers; the one after stops it, right
 * after that transfer, which is then owed: a resumed call pays it first.
 *
 * @module
 */

import { RuntimeError, SuspendError, Trap } from "../errors.ts";
import type { Machine } from "../runtime/machine.ts";
import type { StopReason, StoreState } from "../runtime/store.ts";
import { noteTrapSite } from "./backtrace.ts";
import { callOut, finishHostCall } from "./call_out.ts";
import { run } from "./exec_loop.ts";
import {
  CALL_OUT,
  DEOPT,
  ENTRY_SEARCH,
  NOT_ENTRY,
  OVERRUN,
  RETURNED,
  SLICE,
  THREW,
  tiering,
} from "./slice.ts";
import type { WasmException } from "../runtime/tags.ts";
import { catchException, catchHostThrow } from "./unwind.ts";

/** Not a slice exit: the slice threw (a trap, or a host error in compiled code). */
const RAISED = -1;

/** Outcome: the entry function returned; its results are at its frame base. */
export const DONE = 0;
/** Outcome: waiting for a `Suspending` import's promise (`m.hostFn`, {@link awaited}). */
export const SUSPENDED = 1;
/** Outcome: stopped by fuel, interrupt or deadline ({@link stopReason}); resumable. */
export const PAUSED = 2;

/** Mode flag: the activation is a `promising` entry, so a `Suspending` import may suspend it. */
export const SUSPENDABLE = 1;
/** Mode flag: a stop pauses instead of trapping. */
export const RESUMABLE = 2;

/** What a suspended machine awaits. */
export const awaited: WeakMap<Machine, unknown> = new WeakMap();
/** Why a paused machine stopped. */
export const stopReason: WeakMap<Machine, StopReason> = new WeakMap();

const TRAP_OF: Record<StopReason, string> = {
  fuel: Trap.fuelExhausted,
  interrupt: Trap.interrupted,
  deadline: Trap.deadlineExceeded,
};

/** Activations on the JS stack (host→wasm re-entry depth + 1). */
let nesting = 0;

/**
 * Runs the activation whose registers are in `m` (entry frame entered, or
 * paused/suspended and ready to continue) until it returns, suspends or
 * pauses. Traps and host exceptions propagate, with a wasm backtrace.
 */
export function execute(m: Machine, store: StoreState, mode: number): number {
  if (nesting >= store.maxReentry) {
    throw noted(m, new RuntimeError(Trap.callStackExhausted));
  }
  // One function for the whole driver: each level of host→wasm re-entry
  // puts its frame on the JS stack, so fewer and smaller frames mean deeper
  // re-entry before the host's stack runs out.
  nesting++;
  let check = true;
  /** Transfers of the last slice: the tier-up hook's sample. */
  let used = 0;
  // A timed call (deadline, or a store watched by another thread) sizes its
  // slices by the clock, so that a stop is seen within about a millisecond
  // however long the code between transfers.
  const timed = m.deadline !== Infinity || store.watched;
  try {
    for (;;) {
      // Plain reads first: the interrupt flag is only ever set to 1, so a
      // plain read sees it soon enough, and costs less than Atomics.load.
      if (
        (check || m.budget < 0) &&
        (store.fuel < 0 || m.fuelOwed !== 0 || store.interrupt[0] !== 0 || m.deadline !== Infinity)
      ) {
        const why = shouldStop(m, store);
        if (why !== null) {
          if ((mode & RESUMABLE) === 0) throw noted(m, new RuntimeError(TRAP_OF[why]));
          stopReason.set(m, why);
          return PAUSED;
        }
        check = false;
      }
      // The tier: compiled code where the function has it (or the JIT's
      // hook compiles it now), else the dispatch loop — for a slice as
      // short as the hook asks while it is still finding what is hot.
      const fn = m.fn!;
      let jit = fn.jit, len = timed ? m.sliceLen : SLICE;
      if (jit === null && tiering.up !== null) {
        jit = tiering.up(fn, store, used);
        if (jit === null && tiering.interpreted < len) len = tiering.interpreted;
      }
      const fuel = store.fuel;
      let n = fuel < len ? fuel : len;
      if (jit !== null && fuel - OVERRUN < n) {
        // Compiled code may overrun its budget: it stops short of the fuel.
        if (fuel > OVERRUN) n = fuel - OVERRUN;
        else jit = null;
      }
      m.budget = n;
      const t0 = timed ? performance.now() : 0;
      let exit = RAISED, thrown: unknown = null;
      // No cost unless something is thrown (V8 and JSC handlers are free until then).
      try {
        exit = jit !== null ? jit(m, -1, 0, 0) : DEOPT;
        if (exit === NOT_ENTRY) {
          // Only a few transfers in the loop: the slice then ends early (at
          // a branch target, where compiled code may start), its unspent
          // budget kept, so fuel counts the same.
          const spare = m.budget > ENTRY_SEARCH ? m.budget - ENTRY_SEARCH : 0;
          m.budget -= spare;
          exit = run(m);
          m.budget += spare;
        } else if (exit === DEOPT) exit = run(m);
      } catch (e) {
        exit = RAISED;
        thrown = e;
      }
      used = n - m.budget;
      if (fuel !== Infinity) store.fuel = fuel - used;
      if (timed && m.budget < 0) adaptSlice(m, performance.now() - t0);
      if (exit === RETURNED) return DONE;
      if (exit === THREW) {
        // `throw`/`throw_ref`: the registers are at the throwing instruction.
        const x = m.thrown as WasmException;
        m.thrown = null;
        if (catchException(m, x, m.pc)) continue;
        throw noted(m, x);
      }
      if (exit === RAISED) throw thrown;
      if (exit !== CALL_OUT) continue;
      let inHost = false, tail = false;
      try {
        const callee = callOut(m);
        if (callee === null) continue;
        const host = callee.host!, base = m.hostBase;
        tail = m.hostTail;
        inHost = true;
        if (host.suspending) {
          // JSPI: only an activation entered by `promising`, with no JS frame in between.
          if ((mode & SUSPENDABLE) === 0) {
            throw new SuspendError("a Suspending import was called outside a promising export");
          }
          awaited.set(m, host.call(m, base));
          m.hostFn = callee;
          return SUSPENDED;
        }
        host.finish(m, base, host.call(m, base));
        inHost = false;
        if (!finishHostCall(m, base, tail, callee.resultSlots)) return DONE;
      } catch (e) {
        // A JS exception out of a host function may be caught by wasm.
        if (inHost && catchHostThrow(m, e, tail)) continue;
        throw noted(m, e);
      }
    }
  } catch (e) {
    throw asTrap(e);
  } finally {
    nesting--;
  }
}

/** Slice lengths of a timed call aim at 0.5–2 ms each. */
function adaptSlice(m: Machine, ms: number): void {
  if (ms > 2 && m.sliceLen > 1) m.sliceLen >>= 1;
  else if (ms < 0.5 && m.sliceLen < SLICE) m.sliceLen <<= 1;
}

/**
 * Continues a suspended activation with the value its `Suspending` import's
 * promise resolved to (converted as that import's results).
 */
export function resumeWith(m: Machine, store: StoreState, mode: number, value: unknown): number {
  const callee = m.hostFn!;
  m.hostFn = null;
  try {
    callee.host!.finish(m, m.hostBase, value);
    if (!finishHostCall(m, m.hostBase, m.hostTail, callee.resultSlots)) return DONE;
  } catch (e) {
    throw noted(m, e);
  }
  return execute(m, store, mode);
}

/**
 * Continues a suspended activation by throwing `reason` (the rejection of
 * its `Suspending` import's promise) at the import call: a handler of the
 * activation may catch it, else it propagates.
 */
export function resumeThrow(m: Machine, store: StoreState, mode: number, reason: unknown): number {
  m.hostFn = null;
  if (!catchHostThrow(m, reason, m.hostTail)) throw noted(m, reason);
  return execute(m, store, mode);
}

/**
 * Whether to stop now, and why (reading and clearing the interrupt flag).
 * A transfer made on an empty tank left the fuel at -1: it is owed by the
 * call (`m.fuelOwed`) and the tank reads 0.
 */
function shouldStop(m: Machine, store: StoreState): StopReason | null {
  if (store.fuel < 0) {
    store.fuel = 0;
    m.fuelOwed = 1;
    return "fuel";
  }
  if (m.fuelOwed > 0) {
    if (store.fuel < m.fuelOwed) return "fuel";
    store.fuel -= m.fuelOwed;
    m.fuelOwed = 0;
  }
  if (store.interrupt[0] !== 0) {
    Atomics.store(store.interrupt, 0, 0);
    return "interrupt";
  }
  if (m.deadline !== Infinity && performance.now() >= m.deadline) return "deadline";
  return null;
}

/** `e` with the activation's frames attached when it is a trap. */
function noted(m: Machine, e: unknown): unknown {
  if (m.fn !== null) noteTrapSite(m, m.fn, m.depth, e);
  return e;
}

/**
 * The host's stack overflow (a RangeError from V8 or JavaScriptCore) as the
 * trap it stands for: deep host↔wasm re-entry can exhaust the JS stack
 * before the re-entry limit when host functions use much stack.
 */
function asTrap(e: unknown): unknown {
  // No regular expression here: compiling one needs stack, of which there is none.
  if (e instanceof RangeError && e.message.includes("call stack")) {
    return new RuntimeError(Trap.callStackExhausted);
  }
  return e;
}

/** Host→wasm activations currently on the JS stack. */
export function activeNesting(): number {
  return nesting;
}
