/**
 * What compiled code calls at its control transfers and traps: the same
 * frame sequences the dispatch loop and the driver use (`interp/frame.ts`),
 * and the loop's trap handling, so a compiled slice leaves the machine
 * exactly as an interpreted one would.
 *
 * @module
 */

import { RuntimeError, Trap } from "../errors.ts";
import type { FuncInst } from "../runtime/func.ts";
import type { Machine } from "../runtime/machine.ts";
import type { MemInst } from "../runtime/memory.ts";
import { noteTrapSite } from "../interp/backtrace.ts";
import { MemoryFault } from "../interp/exec_helpers.ts";
import { enterFrame, popFrame, pushReturn } from "../interp/frame.ts";
import { RETURNED, YIELDED } from "../interp/slice.ts";
import { DIRECT_SLOTS, MAX_NESTING } from "./emit_calls.ts";

/**
 * A direct call from `caller` (frame `fd`, resuming at `next`) to `callee`
 * (same instance), whose arguments are at `nfd`: its return record and
 * frame, as the loop's `call` makes them; the callee becomes the machine's
 * running function at pc 0. Traps "call stack exhausted" like the loop.
 */
export function jitCall(
  m: Machine,
  caller: FuncInst,
  callee: FuncInst,
  next: number,
  fd: number,
  nfd: number,
): void {
  pushReturn(m, caller, next, fd, callee.inst);
  m.fn = callee;
  m.pc = 0;
  m.fd = nfd;
  enterFrame(m, callee, nfd);
}

/** A return (results at the frame base): `RETURNED` from the entry frame, else `YIELDED` in the caller. */
export function jitReturn(m: Machine): number {
  return popFrame(m) ? YIELDED : RETURNED;
}

/**
 * The nesting a chain of direct calls from the frame at `fd` (depth
 * `depth`, `nest` deep in JS) counts from: raised from `nest` so that the
 * levels it leaves (`MAX_NESTING` less it) stay below the depth limit
 * (every direct caller's return record then has a place) and fit in the
 * register file at `DIRECT_SLOTS` slots each. Where the chain starts (a
 * compiled function entered from the driver, `grow`) the register file
 * first grows to hold them all within its limit; so no direct call tests
 * the room, and the file never grows under a direct call that returns
 * (their callers keep its views).
 */
export function jitNesting(
  m: Machine,
  fd: number,
  depth: number,
  nest: number,
  grow = false,
): number {
  let levels = MAX_NESTING - nest;
  if (m.maxDepth - depth < levels) levels = m.maxDepth - depth;
  const need = fd + levels * DIRECT_SLOTS;
  if (grow && need > m.capSlots) m.grow(need < m.maxSlots ? need : m.maxSlots);
  const room = Math.floor((m.capSlots - fd) / DIRECT_SLOTS);
  if (room < levels) levels = room;
  return levels > 0 ? MAX_NESTING - levels : MAX_NESTING;
}

/**
 * The inline bounds check failed: whether memory 0 changed under the
 * compiled code's views (another thread grew a shared memory, so the access
 * must run again with fresh ones), as the loop's handler asks.
 */
export function jitFault(mem: MemInst, memLen: number): boolean {
  return mem.sync() || mem.len !== memLen;
}
/** The trap of a failed bounds check. */
jitFault.trap = (): RuntimeError => new RuntimeError(Trap.memoryOutOfBounds);

/**
 * Throws the one fault token (no allocation) with the pc of the failed
 * access; compiled code's handler catches it.
 */
export function jitThrowFault(pc: number): never {
  jitThrowFault.fault.pc = pc;
  throw jitThrowFault.fault;
}
/** The token {@link jitThrowFault} throws. */
jitThrowFault.fault = { pc: 0 };

/**
 * The messages of the host's RangeErrors for a DataView access out of
 * bounds (found out once: hosts word them differently), which compiled
 * code lets stand for its bounds check (codegen.ts's `RegisterEnv`).
 */
const DATA_VIEW_FAULTS: ReadonlySet<string> = (() => {
  const dv = new DataView(new ArrayBuffer(8)), out = new Set<string>();
  const probes = [
    () => dv.getInt32(6, true),
    () => dv.setInt32(6, 0, true),
    () => dv.getUint8(8),
    () => dv.setUint8(8, 0),
    () => dv.getFloat64(2 ** 40, true),
    () => dv.setFloat64(2 ** 60, 0, true),
  ];
  for (const probe of probes) {
    try {
      probe();
    } catch (e) {
      if (e instanceof RangeError) out.add(e.message);
    }
  }
  return out;
})();

/** The out-of-bounds trap, thrown (a byte read past the memory's end: codegen.ts's `boundsTrap`). */
export function jitOutOfBounds(): never {
  throw jitFault.trap();
}

/** Whether `e` is a memory DataView's out-of-bounds RangeError. */
export function isDataViewFault(e: unknown): boolean {
  return e instanceof RangeError && DATA_VIEW_FAULTS.has(e.message);
}

/**
 * A trap or host exception leaving compiled code: the loop's handler
 * (backtrace, no internal faults; a DataView's out-of-bounds RangeError is
 * the out-of-bounds trap).
 */
export function jitTrapped(m: Machine, e: unknown): unknown {
  const err = e instanceof MemoryFault
    ? new RuntimeError(e.message)
    : isDataViewFault(e)
    ? jitFault.trap()
    : e;
  noteTrapSite(m, m.fn!, m.depth, err);
  return err;
}
