/**
 * A synchronous sleep. WASI calls are synchronous, so waiting for a clock
 * (`poll_oneoff`) blocks the thread; `Atomics.wait` does that without
 * spinning on every host this runs on (Deno, Bun and Node allow it on the
 * main thread).
 *
 * A wasi-threads Worker installs its stop cell ({@link setSleepStop}): it
 * then sleeps on the stop flag, so that the thread that ends the program
 * wakes it, and the sleep throws {@link ThreadStopped}.
 *
 * @module
 */
import { ThreadStopped } from "./context.ts";

const cell = new Int32Array(new SharedArrayBuffer(4));
let stop: Int32Array | null = null;

/** Sleeps on `c[0]` (a stop flag, nonzero = stop) from now on; null: sleep plainly. */
export function setSleepStop(c: Int32Array | null): void {
  stop = c;
}

/** Blocks the calling thread for `ms` milliseconds (fractions allowed). */
export function sleepMs(ms: number): void {
  if (stop !== null) {
    if (Atomics.load(stop, 0) === 0 && ms > 0) Atomics.wait(stop, 0, 0, ms);
    if (Atomics.load(stop, 0) !== 0) throw new ThreadStopped();
    return;
  }
  if (!(ms > 0)) return;
  Atomics.wait(cell, 0, 0, ms);
}
