/**
 * Blocking-with-timeout reads of a terminal or pipe. `node:fs` can only
 * block on such a descriptor without a timeout, but `poll_oneoff` must
 * wait for "stdin readable OR a clock" at once. A helper thread reads the
 * descriptor into a shared ring buffer, and the WASI thread waits on the
 * ring with `Atomics.wait` (which takes a timeout). Started lazily, only
 * when a poll has to wait on such a descriptor.
 *
 * @module
 */
import type { Worker } from "node:worker_threads";
import { nodeModule } from "./host_process.ts";

/** Ring capacity (a power of two). */
export const PUMP_RING = 1 << 16;
/** Control words: bytes produced, bytes consumed, end flag, producer sequence. */
export const PUMP_HEAD = 0;
/** Index of the consumed-bytes counter. */
export const PUMP_TAIL = 1;
/** Index of the end flag (1 = end of input, 2 = read error). */
export const PUMP_END = 2;
/** Index of the producer's event counter (waited on by the reader). */
export const PUMP_SEQ = 3;
/** Index of the consumer's event counter (waited on by the helper thread). */
export const PUMP_CSEQ = 4;
/** Bytes of control words before the ring. */
export const PUMP_HEADER = 32;

/** The reading side of a helper thread that drains a host descriptor. */
export class StdinPump {
  #ctrl: Int32Array;
  #ring: Uint8Array;
  #worker: Worker;

  private constructor(sab: SharedArrayBuffer, worker: Worker) {
    this.#ctrl = new Int32Array(sab, 0, PUMP_HEADER / 4);
    this.#ring = new Uint8Array(sab, PUMP_HEADER, PUMP_RING);
    this.#worker = worker;
  }

  /** Starts a helper thread reading host descriptor `fd`; null where threads are unavailable. */
  static start(fd: number): StdinPump | null {
    try {
      const sab = new SharedArrayBuffer(PUMP_HEADER + PUMP_RING);
      const { Worker } = nodeModule("node:worker_threads");
      const worker = new Worker(new URL("./stdin_worker.ts", import.meta.url), {
        workerData: { sab, fd },
      });
      worker.unref();
      return new StdinPump(sab, worker);
    } catch {
      return null;
    }
  }

  #available(): number {
    return (Atomics.load(this.#ctrl, PUMP_HEAD) - Atomics.load(this.#ctrl, PUMP_TAIL)) | 0;
  }

  /** Waits up to `timeoutMs` for input; bytes available, 0 at end, -1 on timeout. */
  waitReadable(timeoutMs: number): number {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(this.#ctrl, PUMP_SEQ);
      const n = this.#available();
      if (n > 0) return n;
      if (Atomics.load(this.#ctrl, PUMP_END) !== 0) return 0;
      const left = deadline - performance.now();
      if (left <= 0) return -1;
      Atomics.wait(this.#ctrl, PUMP_SEQ, seq, left === Infinity ? undefined : left);
    }
  }

  /** Reads what is there (blocking until something is); 0 at end of input. */
  read(buf: Uint8Array): number {
    if (buf.length === 0) return 0;
    const n = Math.min(this.waitReadable(Infinity), buf.length);
    if (n <= 0) return 0;
    const tail = Atomics.load(this.#ctrl, PUMP_TAIL);
    for (let i = 0; i < n; i++) buf[i] = this.#ring[(tail + i) & (PUMP_RING - 1)];
    Atomics.store(this.#ctrl, PUMP_TAIL, (tail + n) | 0);
    Atomics.add(this.#ctrl, PUMP_CSEQ, 1);
    Atomics.notify(this.#ctrl, PUMP_CSEQ);
    return n;
  }

  /** Stops waiting for the helper (it ends at the next end of input or at exit). */
  close(): void {
    this.#worker.unref();
  }
}
