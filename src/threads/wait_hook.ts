/**
 * The hook that lets a thread runtime stop a thread blocked in
 * `memory.atomic.wait32/64`. A thread that must be stoppable (a wasi-threads
 * Worker) installs a stop cell; the executor then records, before it
 * blocks, where it waits, and checks the stop flag before and after. The
 * stopper sets the flag and notifies the recorded address (the other
 * waiters there wake spuriously, but the program is ending). Without a cell
 * (the default) waiting costs nothing extra.
 *
 * Cell layout (`Int32Array` over a `SharedArrayBuffer`):
 * `[STOP]` nonzero = stop; `[WAITING]` the 32-bit word index (byte address
 * / 4) + 1 of the wait in progress, 0 when not waiting.
 *
 * @module
 */

/** Index of the stop flag in a stop cell. */
export const STOP = 0;
/** Index of the (word index + 1) of the wait in progress. */
export const WAITING = 1;
/** Words in a stop cell. */
export const STOP_CELL_WORDS = 2;

let cell: Int32Array | null = null;

/** Installs (or, with null, removes) this thread's stop cell. */
export function setStopCell(c: Int32Array | null): void {
  cell = c;
}

/** This thread's stop cell, or null. */
export function stopCell(): Int32Array | null {
  return cell;
}

/**
 * Wakes a thread whose stop cell is `c` if it is blocked in a wasm wait on
 * the memory whose bytes are `buf` (sets its stop flag first). Returns
 * whether it was waiting.
 */
export function wakeStopped(c: Int32Array, buf: SharedArrayBuffer): boolean {
  Atomics.store(c, STOP, 1);
  const w = Atomics.load(c, WAITING);
  if (w === 0) return false;
  const index = (w >>> 0) - 1;
  if (index * 4 + 4 <= buf.byteLength) Atomics.notify(new Int32Array(buf), index);
  return true;
}
