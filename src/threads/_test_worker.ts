/**
 * Worker for the threads tests: instantiates a module that imports a shared
 * memory as `env.mem`, calls one export and posts `{ result }` (or
 * `{ error }`).
 *
 * @module
 */
import { Instance } from "../api/instance.ts";
import { Module } from "../api/module.ts";
import { type ModuleDescriptor, moduleFrom } from "./module_transfer.ts";
import { type SharedMemoryDescriptor, sharedMemoryFrom } from "./shared_memory.ts";

/** What the test sends. */
export interface TestJob {
  /** The module: its bytes, or a {@link ModuleDescriptor}. */
  bytes: Uint8Array | ModuleDescriptor;
  /** The shared memory. */
  memory: SharedMemoryDescriptor;
  /** Export to call. */
  call: string;
  /** Its arguments. */
  args: number[];
  /**
   * Also report what this thread's JS handle on the memory says after the
   * call: `{ result, bufferBytes: memory.buffer.byteLength, grow0: memory.grow(0) }`.
   */
  report?: boolean;
}

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e: MessageEvent) => {
  const job = e.data as TestJob;
  try {
    const module = job.bytes instanceof Uint8Array ? new Module(job.bytes) : moduleFrom(job.bytes);
    const mem = sharedMemoryFrom(job.memory);
    const inst = new Instance(module, { env: { mem } });
    const f = inst.exports[job.call] as (...a: number[]) => unknown;
    const result = f(...job.args);
    scope.postMessage({
      result: job.report
        ? { result, bufferBytes: mem.buffer.byteLength, grow0: mem.grow(0) }
        : result,
    });
  } catch (err) {
    scope.postMessage({ error: String(err) });
  }
};
