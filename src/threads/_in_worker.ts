/**
 * Runs one job of `_test_worker.ts` in a new Worker (threads tests).
 *
 * @module
 */
import type { TestJob } from "./_test_worker.ts";

/** Posts `job` to a new Worker; resolves with its result, rejects with its error. */
export function inWorker(job: TestJob): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./_test_worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent) => {
      w.terminate();
      const r = e.data as { result?: unknown; error?: string };
      if (r.error !== undefined) reject(new Error(r.error));
      else resolve(r.result);
    };
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      w.terminate();
      reject(new Error(e.message));
    };
    w.postMessage(job);
  });
}
