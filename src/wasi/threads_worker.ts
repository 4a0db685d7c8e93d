/**
 * One wasi-threads thread: a Worker that instantiates the program's module
 * over the shared memory and runs `wasi_thread_start(tid, arg)` (or, for the
 * main thread, `_start`). Its imports (`threads_imports.ts`) answer the
 * calls that need no descriptor here and route the others to the host.
 *
 * How it ends: `wasi_thread_start` returning ends this thread only; `_start`
 * returning, `proc_exit` or a trap ends the program (this thread claims the
 * control block, the host stops the others); a stop from the host unwinds
 * with {@link ThreadStopped} or an "interrupt" trap, reported as done.
 *
 * @module
 */
import { Instance } from "../api/instance.ts";
import { Store } from "../api/store.ts";
import type { Module } from "../api/module.ts";
import { type ModuleDescriptor, moduleFrom } from "../threads/module_transfer.ts";
import { sharedMemoryFrom } from "../threads/shared_memory.ts";
import { setStopCell, STOP } from "../threads/wait_hook.ts";
import { exitOf, ThreadStopped } from "./context.ts";
import { setSleepStop } from "./sleep.ts";
import { claimEnd, threadImports } from "./threads_imports.ts";
import {
  type HostMessage,
  LIVE,
  type ThreadFailure,
  type ThreadJob,
  type ThreadMessage,
} from "./threads_protocol.ts";

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: ThreadMessage): void;
  close(): void;
};

function post(m: ThreadMessage): void {
  scope.postMessage(m);
}

/** A failure in the shape that crosses `postMessage`. */
function failureOf(tid: number, e: unknown): ThreadFailure {
  const err = e as { name?: unknown; message?: unknown; wasmStack?: unknown };
  const f: ThreadFailure = {
    tid,
    name: typeof err?.name === "string" ? err.name : "Error",
    message: typeof err?.message === "string" ? err.message : String(e),
  };
  if (Array.isArray(err?.wasmStack)) {
    f.wasmStack = err.wasmStack.map((fr: Record<string, unknown>) => ({ ...fr }));
  }
  return f;
}

/** Whether two descriptions are of the same bytes and features. */
function sameModule(a: ModuleDescriptor, b: ModuleDescriptor): boolean {
  if (a.bytes.length !== b.bytes.length) return false;
  for (const k of Object.keys(b.features) as (keyof typeof b.features)[]) {
    if (a.features[k] !== b.features[k]) return false;
  }
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

function run(job: ThreadJob): void {
  const control = new Int32Array(job.control);
  const channel = new Int32Array(job.channel);
  const stopped = (): boolean => Atomics.load(channel, STOP) !== 0;
  setStopCell(channel);
  setSleepStop(channel);
  try {
    const store = new Store(job.store);
    post({ t: "ready", interrupt: store.interruptBuffer });
    if (stopped()) throw new ThreadStopped();
    const memory = sharedMemoryFrom(job.memory);
    const module = prepared !== null && sameModule(prepared.desc, job.module)
      ? prepared.module
      : moduleFrom(job.module);
    prepared = null;
    const imports = threadImports(job, memory, post);
    const instance = new Instance(module, imports, { store });
    const exports = instance.exports;
    if (job.tid !== 0) {
      const start = exports.wasi_thread_start;
      if (typeof start !== "function") {
        throw new TypeError("the module exports no function wasi_thread_start");
      }
      (start as (tid: number, arg: number) => void)(job.tid, job.arg);
      Atomics.sub(control, LIVE, 1);
      return;
    }
    let results: unknown[] | undefined;
    if (job.entry === null) {
      const start = exports._start;
      if (typeof start !== "function") throw new TypeError("the module exports no _start");
      (start as () => void)();
    } else {
      if (typeof exports._initialize === "function") (exports._initialize as () => void)();
      const fn = exports[job.entry.name];
      if (typeof fn !== "function") {
        throw new TypeError(`no exported function ${JSON.stringify(job.entry.name)}`);
      }
      const r = (fn as (...a: unknown[]) => unknown)(...job.entry.args);
      results = r === undefined ? [] : Array.isArray(r) ? r : [r];
    }
    // The main thread returned: the program ends with status 0.
    if (claimEnd(control, 0)) post({ t: "exit", results });
  } catch (e) {
    // proc_exit has claimed the status and told the host; a stop needs nothing.
    if (exitOf(e) === null && !stopped() && claimEnd(control, -1)) {
      post({ t: "exit", failure: failureOf(job.tid, e) });
    }
  } finally {
    setStopCell(null);
    setSleepStop(null);
    post({ t: "done" });
  }
}

// Loaded: a spare Worker tells the host it is ready for a thread.
scope.postMessage({ t: "loaded" });

// A spare is sent the module as soon as it exists: it compiles it while it waits for a thread.
let prepared: { desc: ModuleDescriptor; module: Module } | null = null;

scope.onmessage = (e: MessageEvent) => {
  const m = e.data as HostMessage;
  if ("t" in m) {
    try {
      prepared = { desc: m.module, module: moduleFrom(m.module) };
    } catch {
      // The job compiles it again and reports the error.
    }
    return;
  }
  scope.onmessage = null;
  run(m);
  scope.close();
};
