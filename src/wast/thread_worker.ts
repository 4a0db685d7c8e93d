/**
 * Worker entry of a WAST `thread`: receives a {@link ThreadRequest}, runs
 * the commands with a fresh registry in which the shared modules' memories
 * are the parent's very bytes, and posts back the thread's report.
 *
 * @module
 */
import { setDefaultJit } from "../jit/tier.ts";
import { sharedMemoryFrom } from "../threads/shared_memory.ts";
import { newReport, Session } from "./runner.ts";
import { runCommandsAsync, type ThreadRequest } from "./threads.ts";

interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = async (e: MessageEvent) => {
  const req = e.data as ThreadRequest;
  const report = newReport();
  try {
    setDefaultJit(req.jit);
    const s = new Session(req.features);
    for (const sh of req.shared) {
      const exports: Record<string, unknown> = Object.create(null);
      for (const [field, d] of Object.entries(sh.memories)) exports[field] = sharedMemoryFrom(d);
      s.instances.set(sh.name, { exports });
    }
    await runCommandsAsync(s, req.commands, req.file, report);
  } catch (err) {
    report.failed++;
    report.failures.push({ file: req.file, line: 0, message: `thread: ${String(err)}` });
  }
  scope.postMessage(report);
};
