/**
 * Worker of `bench/wasi_threads.ts`'s control: a plain-JS loop over a share
 * of the work (what the host's Workers give without Gannet).
 *
 * @module
 */
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(m: unknown): void;
};
scope.onmessage = (e: MessageEvent) => {
  const [from, to] = e.data as [number, number];
  let s = 0;
  for (let i = from; i < to; i++) s += (i * i) % 7;
  scope.postMessage(s);
};
