/**
 * A synchronous sleep. WASI calls are synchronous, so waiting for a clock
 * (`poll_oneoff`) blocks the thread; `Atomics.wait` does that without
 * spinning on every host this runs on (Deno, Bun and Node allow it on the
 * main thread).
 *
 * @module
 */

const cell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the calling thread for `ms` milliseconds (fractions allowed). */
export function sleepMs(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(cell, 0, 0, ms);
}
