/**
 * Calls into wasm from the embedder, and who owns which machine.
 *
 * A synchronous call made while no wasm runs takes an idle machine from a
 * small pool (so a plain call allocates no execution state) and gives it
 * back when it returns; one made by a host function while wasm runs (host →
 * wasm re-entry) runs as a nested activation on the running machine, above
 * its caller's frame, and leaves the machine's registers as it found them.
 * An {@link OwnedCall} (JSPI `promising`, resumable calls) holds its own
 * machine from start to finish, across suspensions and pauses, so any
 * number of them can be parked at once and resumed in any order.
 *
 * @module
 */

import { RuntimeError } from "../errors.ts";
import type { FuncInst } from "../runtime/func.ts";
import { Machine } from "../runtime/machine.ts";
import type { StoreState } from "../runtime/store.ts";
import { execute, PAUSED, resumeThrow, resumeWith } from "./execute.ts";
import { enterFrame } from "./frame.ts";

/** The machine of the innermost running activation, if any. */
let running: Machine | null = null;
/** Idle machines. */
const pool: Machine[] = [];
/** Idle machines kept (a grown register file is worth keeping; a few suffice). */
const POOL_SIZE = 4;

function acquire(store: StoreState): Machine {
  const m = pool.pop() ?? new Machine();
  if (m.maxDepth !== store.maxStackFrames || m.maxSlots !== store.maxStackSlots) {
    m.setLimits(store.maxStackFrames, store.maxStackSlots);
  }
  return m;
}

function release(m: Machine): void {
  m.reset();
  if (pool.length < POOL_SIZE) pool.push(m);
}

/** The machine of the innermost running activation (null when no wasm runs). */
export function runningMachine(): Machine | null {
  return running;
}

/** Idle machines in the pool (for tests). */
export function idleMachines(): number {
  return pool.length;
}

/** Room for `fn`'s arguments and results at `m.top`. */
function reserve(m: Machine, fn: FuncInst): void {
  const need = m.top + (fn.paramSlots > fn.resultSlots ? fn.paramSlots : fn.resultSlots) + 1;
  if (need > m.capSlots) m.grow(need);
}

/**
 * The machine on which a synchronous call of `fn` will run, with room for
 * the arguments at slot `m.top`: write them there, then call {@link callSync}.
 */
export function callMachine(fn: FuncInst): Machine {
  const m = running ?? acquire(fn.inst!.store);
  reserve(m, fn);
  return m;
}

/** Sets up an activation of `fn` with its frame (arguments written) at `base`. */
function activate(m: Machine, fn: FuncInst, base: number): void {
  if (m.depth >= m.frameCap) m.growFrames();
  m.depth++;
  m.baseDepth = m.depth;
  m.fn = fn;
  m.pc = 0;
  m.fd = base;
  enterFrame(m, fn, base);
  m.top = base + fn.frameSlots;
}

/**
 * Runs wasm function `fn` to completion on `m` (from {@link callMachine},
 * arguments at its `top`). Returns the slot of the results, valid until
 * the next call. Traps and host exceptions propagate.
 */
export function callSync(m: Machine, fn: FuncInst): number {
  const base = m.top, store = fn.inst!.store;
  const outer = running;
  // A re-entrant call (outer === m) runs above its caller's frame and puts
  // the caller's registers back; an outermost one takes the machine.
  const fn0 = m.fn, pc = m.pc, fd = m.fd, depth = m.depth, baseDepth = m.baseDepth;
  const budget = m.budget, hostBase = m.hostBase, hostTail = m.hostTail;
  if (outer !== m) {
    running = m;
    m.deadline = deadlineOf(store);
  }
  try {
    activate(m, fn, base);
    execute(m, store, 0);
  } finally {
    if (outer !== m) {
      running = outer;
      release(m);
    } else {
      m.fn = fn0;
      m.pc = pc;
      m.fd = fd;
      m.depth = depth;
      m.baseDepth = baseDepth;
      m.budget = budget;
      m.hostBase = hostBase;
      m.hostTail = hostTail;
      m.top = base;
    }
  }
  return base;
}

function deadlineOf(store: StoreState): number {
  return store.timeout === Infinity ? Infinity : performance.now() + store.timeout;
}

/**
 * A call that owns its machine from start to finish: it may suspend (JSPI)
 * or pause (fuel, interrupt, deadline; with the `RESUMABLE` mode) and be
 * continued later while other calls run. Arguments go at slot 0 of
 * `machine` before {@link start}; after `DONE` the results are there until
 * {@link end}.
 */
export class OwnedCall {
  /** The call's execution state. */
  readonly machine: Machine;
  /** The function called. */
  readonly fn: FuncInst;
  /** Its store. */
  readonly store: StoreState;
  /** `SUSPENDABLE` / `RESUMABLE` flags. */
  readonly mode: number;
  /** Whether it can still be continued (not finished, not failed). */
  live = true;
  /** Whether it is running now (its machine is in use on the JS stack). */
  busy = false;
  /** Wall-clock ms left when it paused, counted while it runs (Infinity: no deadline). */
  private left = Infinity;

  /**
   * Takes a machine for a call of `fn`.
   *
   * @param fn the wasm function to call
   * @param mode SUSPENDABLE / RESUMABLE flags
   * @param timeout wall-clock budget in ms (default: the store's)
   */
  constructor(fn: FuncInst, mode: number, timeout?: number) {
    if (fn.inst === null) throw new TypeError("gannet: an owned call needs a wasm function");
    this.fn = fn;
    this.store = fn.inst.store;
    this.mode = mode;
    this.machine = acquire(this.store);
    reserve(this.machine, fn);
    this.machine.deadline = timeout === undefined
      ? deadlineOf(this.store)
      : performance.now() + timeout;
  }

  /** Runs from the start: DONE, SUSPENDED or PAUSED. */
  start(): number {
    return this.drive(0, undefined);
  }

  /**
   * Continues after PAUSED (add fuel first, or the call pauses again at
   * once). Its deadline counts only time spent running: it gets the time it
   * had left when it paused, or `timeout` ms when given.
   */
  resume(timeout?: number): number {
    const left = timeout ?? this.left;
    if (left !== Infinity) this.machine.deadline = performance.now() + left;
    return this.drive(1, undefined);
  }

  /** Continues after SUSPENDED with what the awaited promise resolved to. */
  resumeWith(value: unknown): number {
    return this.drive(2, value);
  }

  /**
   * Continues a SUSPENDED call with the awaited promise's rejection: it is
   * thrown at the import call, where a wasm handler may catch it (then the
   * call goes on: DONE, SUSPENDED or PAUSED); else it leaves the call.
   */
  fail(reason: unknown): number {
    return this.drive(3, reason);
  }

  /** Gives the machine back (after reading the results). */
  end(): void {
    if (this.live) {
      this.live = false;
      release(this.machine);
    }
  }

  private drive(how: number, value: unknown): number {
    if (!this.live) throw new RuntimeError(`gannet: the call has already finished`);
    // A host function of this very call (or of a call it made) asking to
    // continue it: its machine is in use further down the JS stack.
    if (this.busy) {
      throw new RuntimeError("gannet: the call is running; continue it once it pauses");
    }
    const m = this.machine, outer = running;
    running = m;
    this.busy = true;
    let status: number;
    try {
      if (how === 0) activate(m, this.fn, 0);
      status = how === 2
        ? resumeWith(m, this.store, this.mode, value)
        : how === 3
        ? resumeThrow(m, this.store, this.mode, value)
        : execute(m, this.store, this.mode);
    } catch (e) {
      this.live = false;
      release(m);
      throw e;
    } finally {
      running = outer;
      this.busy = false;
    }
    if (status === PAUSED && m.deadline !== Infinity) {
      this.left = Math.max(0, m.deadline - performance.now());
    }
    return status;
  }
}
