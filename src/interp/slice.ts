/**
 * The contract between a slice of execution (the dispatch loop's `run`, or
 * compiled code) and the driver that runs slices (`execute.ts`).
 *
 * A slice starts from the machine's registers (`m.fn`, `m.pc`, `m.fd`,
 * `m.depth`) with a budget of control transfers in `m.budget`; every taken
 * branch and every call counts one down, and the slice ends once it goes
 * below zero. On leaving, a slice writes the registers and the budget back
 * and returns one of the exit codes below. Everything that is neither
 * straight-line wasm nor a same-instance wasm→wasm call leaves the slice:
 * calls of host functions and of other instances' functions, tail calls,
 * returns into another instance. Fuel, deadlines, interruption, JSPI
 * suspension and pausing all act between slices, so none of them costs
 * anything inside one.
 *
 * Every tier counts the same units — one per taken branch, per call of any
 * kind and per `simd` run — and leaves as soon as the budget goes below
 * zero, with the registers at the transfer's target: that is what makes
 * fuel stop at the same point in the interpreter and in compiled code, on
 * every host.
 *
 * @module
 */

import type { CompiledCode, FuncInst } from "../runtime/func.ts";
import type { StoreState } from "../runtime/store.ts";

/**
 * Transfers per slice when no fuel limit is nearer. `run` returns to
 * `execute` when the budget is spent, so that no single call of `run` loops
 * for long: V8 then optimizes `run` as a whole function instead of
 * on-stack-replacing a running activation, whose code (OSR from Maglev) ran
 * 2.2× slower here (measured: a 30M-iteration loop 596 ms vs 265 ms). It
 * also bounds how long a stop request waits: `loop br 0` runs a slice in
 * well under a millisecond.
 */
export const SLICE = 1 << 15;

/**
 * How far compiled code may run past a spent budget. It counts a forward
 * branch without testing the budget (a path with no back edge soon reaches a
 * test: a back edge or a call), so its last transfers can take the budget
 * below zero by at most this much. Under fuel it gets a budget this much
 * short of the fuel, and the rest runs in the dispatch loop, which tests
 * every transfer: a fuel stop lands on the same instruction in every tier.
 */
export const OVERRUN = 1 << 16;

/** Exit: the activation's entry function returned (its results are at its frame base). */
export const RETURNED = 0;
/** Exit: the budget is spent, or the next instruction belongs to another instance; continue at the registers. */
export const YIELDED = 1;
/**
 * Exit: a call to perform out of line, at `m.pc` of `m.fn` (`call_import`,
 * `call_indirect`, `return_call*`): see `call_out.ts`. Its budget unit is
 * already counted.
 */
export const CALL_OUT = 2;
/**
 * Exit of compiled code only: it cannot go on (an op it does not
 * compile); the driver runs the rest of the slice in the dispatch loop,
 * from the registers and budget in the machine.
 */
export const DEOPT = 3;
/**
 * Exit of compiled code only, before it ran anything: the slice starts at
 * a pc that is not one of its entries (a forward branch target it reaches
 * by a jump inside its own code); the driver interprets a few transfers
 * ({@link ENTRY_SEARCH}) so that the next slice starts where it can.
 */
export const NOT_ENTRY = 5;
/** Transfers interpreted after {@link NOT_ENTRY}. */
export const ENTRY_SEARCH = 8;
/**
 * Exit: `throw`/`throw_ref` at `m.pc`, the exception in `m.thrown`: the
 * driver looks for its handler (`unwind.ts`). Leaving this way, not by a
 * JS throw, costs a few bytes on the loop's cold path and spares the
 * host's exception machinery (which reads the position in the large loop).
 */
export const THREW = 4;

/**
 * The tier-up hook, installed by the JIT (`src/jit/tier.ts`) so that this
 * layer does not import it. Called by the driver before a slice that
 * starts in `fn` (not compiled), with the transfers made since the last
 * sample (`weight`); returns `fn`'s compiled code to run the slice with,
 * or null to interpret it.
 */
export const tiering: {
  up: ((fn: FuncInst, store: StoreState, weight: number) => CompiledCode | null) | null;
  /** The length of the slice `up` just declined to compile for (at most {@link SLICE}). */
  interpreted: number;
} = { up: null, interpreted: SLICE };
