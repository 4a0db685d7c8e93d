/**
 * Worker for bench/controls.ts: receives a store's interrupt buffer, says it
 * is ready, requests the interrupt after a delay and posts when it did
 * (`performance.timeOrigin + performance.now()`, comparable across threads).
 *
 * @module
 */
import { requestInterrupt } from "../mod.ts";

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<{ buffer: SharedArrayBuffer; afterMs: number }>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  scope.postMessage("ready");
  setTimeout(() => {
    const at = performance.timeOrigin + performance.now();
    requestInterrupt(e.data.buffer);
    scope.postMessage(at);
  }, e.data.afterMs);
};
