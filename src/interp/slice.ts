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
 * @module
 */

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
