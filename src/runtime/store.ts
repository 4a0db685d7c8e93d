/**
 * A store's controls: what every call into its instances may spend (fuel,
 * time), how it can be stopped from outside (an interrupt flag in shared
 * memory), and the limits on what its instances may allocate. The public
 * face is `Store` in `src/api/store.ts`; the engine reads this.
 *
 * Fuel and the stop checks act at slice boundaries of the dispatch loop
 * (`src/interp/execute.ts`), the allocation limits where memories, tables
 * and instances are created or grown, so a store with nothing set costs
 * nothing.
 *
 * @module
 */

import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_SLOTS } from "./machine.ts";
import type { MemInst } from "./memory.ts";
import type { TableInst } from "./table.ts";

/**
 * Default limit on nested host→wasm re-entry (an import that calls an
 * export that calls an import…). Each level takes real JS stack, about 1 KB
 * with a trivial host function; measured with the default stack sizes
 * (`src/interp/reentry_test.ts` prints it): Deno stops after 1,000–1,300
 * levels (fewer before V8 optimizes the driver; `--jitless` ~980), Bun
 * after ~5,500. The default leaves half of
 * Deno's stack to the host functions' own frames and is the same on every
 * host, so a guest stops at the same depth everywhere; past what the stack
 * allows, the host's stack overflow becomes the same "call stack
 * exhausted" trap.
 */
export const DEFAULT_MAX_REENTRY = 500;

/** Asked before a memory or table grows; false refuses (the grow returns -1). */
export interface GrowthLimiter {
  /** A memory is about to grow from `current` to `desired` bytes (`maximum`: its limit or null). */
  memoryGrowing?(current: number, desired: number, maximum: number | null): boolean;
  /** A table is about to grow from `current` to `desired` elements. */
  tableGrowing?(current: number, desired: number, maximum: number | null): boolean;
}

/** Why a call stopped before it finished. */
export type StopReason = "fuel" | "interrupt" | "deadline";

/** JIT mode: the engine's default (`src/jit/tier.ts`'s `setDefaultJit`). */
export const JIT_DEFAULT = -1;
/** JIT mode: interpret only. */
export const JIT_OFF = 0;
/** JIT mode: compile what gets hot, where the host allows code generation. */
export const JIT_AUTO = 1;
/** JIT mode: compile every function on its first call (for testing). */
export const JIT_EAGER = 2;

/** The engine side of a store. */
export class StoreState {
  /** Fuel left (control transfers, see `execute.ts`); Infinity: not metered. */
  fuel = Infinity;
  /** Interrupt flag at [0] (an Int32Array over a SharedArrayBuffer where available). */
  readonly interrupt: Int32Array;
  /** Wall-clock budget of each outermost call, in ms (Infinity: none). */
  timeout = Infinity;
  /** Another thread may set the interrupt flag (its buffer was handed out): time the slices. */
  watched = false;
  /** Largest size of one memory, in bytes. */
  maxMemoryBytes = Infinity;
  /** Largest total size of the memories created in this store, in bytes. */
  maxStoreMemoryBytes = Infinity;
  /** Largest number of elements of one table. */
  maxTableElements = Infinity;
  /** Largest number of instances created in this store. */
  maxInstances = Infinity;
  /** Largest wasm call depth, in frames. */
  maxStackFrames: number = DEFAULT_MAX_DEPTH;
  /** Largest register file, in 8-byte slots (the wasm stack's bytes / 8). */
  maxStackSlots: number = DEFAULT_MAX_SLOTS;
  /** Largest host→wasm re-entry depth. */
  maxReentry: number = DEFAULT_MAX_REENTRY;
  /** Consulted on every memory and table growth (after the limits above). */
  limiter: GrowthLimiter | null = null;
  /** Instances created so far. */
  instances = 0;
  /**
   * JIT mode for calls into this store (`src/jit/tier.ts`): {@link JIT_OFF},
   * {@link JIT_AUTO}, {@link JIT_EAGER}, or {@link JIT_DEFAULT} for the
   * engine's default.
   */
  jit: number = JIT_DEFAULT;
  /** Memories created in this store (kept only when it limits memory). */
  readonly memories: MemInst[] = [];

  /** A store with no fuel metering and no limits beyond the defaults. */
  constructor() {
    const sab = typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(4) : null;
    this.interrupt = new Int32Array(sab ?? new ArrayBuffer(4));
  }
}

/** Whether `s` limits what its instances allocate (else nothing is checked or kept). */
function limitsAllocation(s: StoreState): boolean {
  return s.maxMemoryBytes !== Infinity || s.maxStoreMemoryBytes !== Infinity ||
    s.maxTableElements !== Infinity || s.maxInstances !== Infinity || s.limiter !== null;
}

/** Counts a new instance of `s` (RangeError past its limit). */
export function countInstance(s: StoreState): void {
  if (s.instances >= s.maxInstances) {
    throw new RangeError(`store limit exceeded: more than ${s.maxInstances} instances`);
  }
  s.instances++;
}

/** Whether a memory of `s` (maximum `max` bytes or null) may go from `current` to `desired` bytes. */
function memoryMayGrow(
  s: StoreState,
  max: number | null,
  current: number,
  desired: number,
): boolean {
  if (desired > s.maxMemoryBytes) return false;
  if (s.maxStoreMemoryBytes !== Infinity) {
    let total = desired - current;
    for (const m of s.memories) total += m.len;
    if (total > s.maxStoreMemoryBytes) return false;
  }
  return s.limiter?.memoryGrowing?.(current, desired, max) ?? true;
}

/**
 * Creates a memory for an instance of `s` under its limits: the initial
 * size is checked before anything is allocated (RangeError), and every
 * growth asks them.
 */
export function limitedMemory(
  s: StoreState,
  pages: number,
  maxPages: number | null,
  create: () => MemInst,
): MemInst {
  if (!limitsAllocation(s)) return create();
  const max = maxPages === null ? null : maxPages * 65536;
  if (!memoryMayGrow(s, max, 0, pages * 65536)) {
    throw new RangeError(`store limit exceeded: a memory of ${pages} pages`);
  }
  const mem = create();
  s.memories.push(mem);
  mem.limiter = { growing: (current, desired) => memoryMayGrow(s, max, current, desired) };
  return mem;
}

/** Whether a table of `s` (maximum `max` or null) may go from `current` to `desired` elements. */
function tableMayGrow(
  s: StoreState,
  max: number | null,
  current: number,
  desired: number,
): boolean {
  if (desired > s.maxTableElements) return false;
  return s.limiter?.tableGrowing?.(current, desired, max) ?? true;
}

/** Creates a table for an instance of `s` under its limits (as {@link limitedMemory}). */
export function limitedTable(
  s: StoreState,
  size: number,
  max: number | null,
  create: () => TableInst,
): TableInst {
  if (!limitsAllocation(s)) return create();
  if (!tableMayGrow(s, max, 0, size)) {
    throw new RangeError(`store limit exceeded: a table of ${size} elements`);
  }
  const t = create();
  t.limiter = (current, desired) => tableMayGrow(s, max, current, desired);
  return t;
}

/** The store of instances created without one: nothing metered or limited but the stack. */
export const DEFAULT_STORE: StoreState = new StoreState();
