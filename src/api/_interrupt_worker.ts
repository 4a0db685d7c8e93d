/**
 * Test helper (store_test.ts): a Worker that receives a store's interrupt
 * buffer, answers that it has it, and requests the interrupt after a delay.
 *
 * @module
 */
import { requestInterrupt } from "./store.ts";

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<{ buffer: SharedArrayBuffer; afterMs: number }>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  scope.postMessage("ready");
  setTimeout(() => requestInterrupt(e.data.buffer), e.data.afterMs);
};
