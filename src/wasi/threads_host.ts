/**
 * The wasi-threads host: runs a program that imports `wasi.thread-spawn`
 * with every thread — the main one included — in its own Worker
 * (`threads_worker.ts`), all instances of the same module over one shared
 * memory, while this thread owns the process state (the {@link WASI}'s
 * descriptors, preopens and stdio) and serves the calls the threads route
 * to it. Keeping wasm off this thread is what lets it stay responsive: it
 * answers calls, starts spawned threads and ends the program however the
 * threads are blocked.
 *
 * A call that would block (a read of a terminal or pipe with nothing to
 * read, a `poll_oneoff` with nothing ready) is retried from a timer instead
 * of blocking here, so one thread waiting for input holds up no other.
 *
 * The program ends when the main thread's `_start` returns (status 0), a
 * thread calls `proc_exit` (its status), or a thread fails (a trap, reported
 * as {@link WasiThreadsResult.failure}). Then every thread is stopped: the
 * host sets each one's stop flag, wakes it where it waits (a wasm
 * `memory.atomic.wait`, a routed call, a clock sleep), interrupts its wasm
 * at the next slice, and terminates any Worker that has not finished
 * within {@link STOP_GRACE_MS}.
 *
 * @module
 */
import { Memory } from "../api/memory.ts";
import type { Module } from "../api/module.ts";
import { moduleInternals } from "../api/module.ts";
import { requestInterrupt } from "../api/store.ts";
import { ExternKind, type Limits } from "../binary/types.ts";
import { describeModule } from "../threads/module_transfer.ts";
import { describeSharedMemory } from "../threads/shared_memory.ts";
import { STOP, wakeStopped } from "../threads/wait_hook.ts";
import { WouldBlock } from "./context.ts";
import { Errno } from "./errno.ts";
import {
  CALL,
  CALL_DONE,
  CALL_PENDING,
  CALL_STOPPED,
  CHANNEL_WORDS,
  CONTROL_WORDS,
  EXIT_CODE,
  type HostMessage,
  MAX_LIVE,
  NEXT_TID,
  RESULT,
  type ThreadFailure,
  type ThreadJob,
  type ThreadMessage,
} from "./threads_protocol.ts";
import { wasiContext, wasiModuleName } from "./wasi.ts";

import {
  DEFAULT_MAX_THREADS,
  parseThreadsOptions,
  type WasiThreadsOptions,
} from "./threads_options.ts";

export type { ThreadFailure } from "./threads_protocol.ts";
export { DEFAULT_MAX_THREADS, type WasiThreadsOptions } from "./threads_options.ts";

/** How long stopped threads get to finish before their Workers are terminated, in ms. */
export const STOP_GRACE_MS = 1000;

/** How a wasi-threads program ended. */
export interface WasiThreadsResult {
  /** Its exit status (`proc_exit`'s, or 0 when the main thread returned); null if a thread failed. */
  status: number | null;
  /** The failure (a trap, a link error…) that ended it, and in which thread. */
  failure?: ThreadFailure;
  /** The invoked export's results (with `invoke`). */
  results?: unknown[];
  /**
   * Threads that did not stop within {@link STOP_GRACE_MS} and whose
   * Workers were terminated (counted when the run awaits the stop).
   */
  terminated: number;
}

/**
 * Whether `module` is run as a wasi-threads program: it imports
 * `wasi.thread-spawn`, or a shared memory (which the host creates for it, as
 * wasmtime does). Returns the import the host must define, as
 * `module::name`, or null.
 */
export function usesWasiThreads(module: Module): string | null {
  const imports = moduleInternals(module).struct.imports;
  const spawn = imports.find((im) =>
    im.module === "wasi" && im.name === "thread-spawn" && im.desc.kind === ExternKind.func
  );
  const mem = imports.find((im) =>
    im.desc.kind === ExternKind.memory && im.desc.type.limits.shared
  );
  const im = spawn ?? mem;
  return im === undefined ? null : `${im.module}::${im.name}`;
}

/** The shared memory a wasi-threads module imports: TypeError if it imports none. */
function memoryImport(module: Module): { at: [string, string]; limits: Limits } {
  for (const im of moduleInternals(module).struct.imports) {
    if (im.desc.kind !== ExternKind.memory) continue;
    const limits = im.desc.type.limits;
    if (!limits.shared) {
      throw new TypeError(
        `wasi-threads: the memory import ${im.module}.${im.name} is not shared (threads share one memory)`,
      );
    }
    return { at: [im.module, im.name], limits };
  }
  throw new TypeError("wasi-threads: the module must import its (shared) memory");
}

interface Thread {
  readonly tid: number;
  readonly worker: Worker;
  readonly channel: Int32Array;
  interrupt: SharedArrayBuffer | null;
  retry: ReturnType<typeof setTimeout> | null;
}

/**
 * Runs a wasi-threads program to its end; resolves with its status (or the
 * failure that ended it). TypeError if the module does not import a shared
 * memory or the options are wrong; RangeError ("store limit exceeded") if
 * the memory's initial size is past `store.limits.memoryBytes`.
 *
 * @example A thread sets a flag the main thread waits for; the program exits with 7
 * ```ts
 * import { Module, parseWat } from "@gannet/wasm";
 * import { runWasiThreads, usesWasiThreads, WASI } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module
 *   (import "env" "memory" (memory 1 1 shared))
 *   (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
 *   (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
 *     (i32.atomic.store (i32.const 0) (local.get $arg))
 *     (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
 *   (func (export "_start")
 *     (drop (call $spawn (i32.const 7)))
 *     (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
 *     (call $exit (i32.atomic.load (i32.const 0)))))`));
 * assert.equal(usesWasiThreads(module), "wasi::thread-spawn");
 * const result = await runWasiThreads(module, { wasi: new WASI() });
 * assert.equal(result.status, 7);
 * ```
 */
export function runWasiThreads(
  module: Module,
  options: WasiThreadsOptions,
): Promise<WasiThreadsResult> {
  options = parseThreadsOptions(options);
  const { wasi } = options;
  const maxThreads = options.maxThreads ?? DEFAULT_MAX_THREADS;
  const spareCount = options.spares ?? 1;
  const { at, limits } = memoryImport(module);
  const i64 = limits.index64;
  // The memory is made here, outside the threads' stores: a store's memory
  // limit becomes its maximum (growth past it fails, as in a store).
  const capBytes = options.store?.limits?.memoryBytes;
  let max = limits.max;
  if (capBytes !== undefined) {
    const cap = BigInt(Math.floor(capBytes / 65536));
    if (limits.min > cap) {
      throw new RangeError(`store limit exceeded: a memory of ${limits.min} pages`);
    }
    if (max === null || max > cap) max = cap;
  }
  const memory = new Memory({
    initial: i64 ? limits.min : Number(limits.min),
    maximum: max === null ? undefined : i64 ? max : Number(max),
    shared: true,
    ...(i64 ? { address: "i64" as const } : {}),
  });
  const ctx = wasiContext(wasi);
  wasi.initialize({ exports: { memory } });
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  control[NEXT_TID] = 1;
  control[MAX_LIVE] = maxThreads;
  const base = {
    module: describeModule(module),
    memory: describeSharedMemory(memory),
    memoryImport: at,
    wasiModule: wasiModuleName(wasi),
    wasiNames: Object.keys(wasi.wasiImport),
    args: ctx.args,
    env: ctx.env,
    control: control.buffer as SharedArrayBuffer,
    store: options.store ?? {},
  };
  const threads = new Map<number, Thread>();

  return new Promise<WasiThreadsResult>((resolve) => {
    let result: WasiThreadsResult | null = null;

    const reply = (th: Thread, state: number, errno: number): void => {
      Atomics.store(th.channel, RESULT, errno);
      Atomics.store(th.channel, CALL, state);
      Atomics.notify(th.channel, CALL);
    };

    const serve = (th: Thread, name: string, args: unknown[], since: number): void => {
      th.retry = null;
      if (result !== null) return reply(th, CALL_STOPPED, 0);
      const fn = wasi.wasiImport[name];
      if (fn === undefined) return reply(th, CALL_DONE, Errno.NOSYS);
      ctx.nonBlocking = true;
      ctx.pollWaitedNs = BigInt(Math.round((performance.now() - since) * 1e6));
      let errno: number;
      try {
        errno = fn(...args);
      } catch (e) {
        if (e instanceof WouldBlock) {
          th.retry = setTimeout(() => serve(th, name, args, since), e.retryMs);
          return;
        }
        end({
          terminated: 0,
          status: null,
          failure: { tid: th.tid, name: "Error", message: String(e) },
        });
        return;
      } finally {
        ctx.nonBlocking = false;
        ctx.pollWaitedNs = 0n;
      }
      reply(th, CALL_DONE, errno);
    };

    const onMessage = (th: Thread, m: ThreadMessage): void => {
      switch (m.t) {
        case "ready":
          th.interrupt = m.interrupt;
          if (result !== null) requestInterrupt(m.interrupt);
          break;
        case "call":
          serve(th, m.name, m.args, performance.now());
          break;
        case "spawn":
          if (result === null) start(m.tid, m.arg);
          break;
        case "exit": {
          const code = Atomics.load(control, EXIT_CODE);
          end({
            terminated: 0,
            status: code < 0 ? null : code,
            ...(m.failure !== undefined ? { failure: m.failure } : {}),
            ...(m.results !== undefined ? { results: m.results } : {}),
          });
          break;
        }
        case "done":
          finished(th);
          break;
      }
    };

    // A Worker takes a few hundred ms to load the engine: one is kept loading
    // ahead, so that a spawned thread starts at once.
    const newWorker = (): Worker => {
      const w = new Worker(new URL("./threads_worker.ts", import.meta.url), { type: "module" });
      // It compiles the module while it waits (a copy of the bytes per Worker, as the job's).
      w.postMessage({ t: "prepare", module: base.module } satisfies HostMessage);
      return w;
    };
    const spares: Worker[] = [];
    const keepSpares = Math.min(spareCount, maxThreads);
    const dropSpares = (): void => {
      for (const w of spares.splice(0)) w.terminate();
    };

    const start = (tid: number, arg: number): void => {
      const channel = new Int32Array(new SharedArrayBuffer(CHANNEL_WORDS * 4));
      const worker = spares.shift() ?? newWorker();
      // Refill only an empty pool: a Worker loading while threads run takes a core from them.
      if (spares.length === 0 && keepSpares > 0 && result === null) spares.push(newWorker());
      const th: Thread = { tid, worker, channel, interrupt: null, retry: null };
      threads.set(tid, th);
      worker.onmessage = (e: MessageEvent) => onMessage(th, e.data as ThreadMessage);
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        end({ terminated: 0, status: null, failure: { tid, name: "Error", message: e.message } });
        finished(th);
      };
      const job: ThreadJob = {
        ...base,
        channel: channel.buffer as SharedArrayBuffer,
        tid,
        arg,
        entry: tid === 0 ? options.invoke ?? null : null,
      };
      worker.postMessage(job);
    };

    const finished = (th: Thread): void => {
      if (!threads.delete(th.tid)) return;
      if (th.retry !== null) clearTimeout(th.retry);
      th.worker.terminate();
      if (threads.size > 0) return;
      if (result !== null) settle();
      else {
        // Cannot happen unless a Worker vanished: a thread ends the program before it is done.
        end({
          terminated: 0,
          status: null,
          failure: { tid: th.tid, name: "Error", message: "every thread ended" },
        });
      }
    };

    let grace: ReturnType<typeof setTimeout> | null = null;
    let waker: ReturnType<typeof setInterval> | null = null;

    /** Wakes every thread that is still running so that it sees its stop flag. */
    const stopAll = (): void => {
      const buf = memory.buffer as unknown as SharedArrayBuffer;
      for (const th of threads.values()) {
        wakeStopped(th.channel, buf);
        Atomics.notify(th.channel, STOP); // a clock sleep waits on the stop flag
        if (
          Atomics.compareExchange(th.channel, CALL, CALL_PENDING, CALL_STOPPED) === CALL_PENDING
        ) {
          Atomics.notify(th.channel, CALL);
        }
        if (th.retry !== null) {
          clearTimeout(th.retry);
          th.retry = null;
        }
        if (th.interrupt !== null) requestInterrupt(th.interrupt);
      }
    };

    const end = (r: WasiThreadsResult): void => {
      if (result !== null) return;
      result = r;
      dropSpares();
      stopAll();
      if (options.awaitStop === false) resolve(r);
      if (threads.size === 0) return settle();
      // A waiter may not have blocked yet when it was notified: wake again until all are done.
      waker = setInterval(stopAll, 5);
      grace = setTimeout(() => {
        terminated = threads.size;
        for (const th of [...threads.values()]) finished(th);
      }, STOP_GRACE_MS);
    };

    let settled = false;
    let terminated = 0;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      dropSpares();
      if (waker !== null) clearInterval(waker);
      if (grace !== null) clearTimeout(grace);
      waker = grace = null;
      ctx.fds.closeAll();
      result!.terminated = terminated;
      resolve(result!);
    };

    if (options.warmUp !== true) {
      options.onStart?.();
      return start(0, 0);
    }
    // Start once the first spares have loaded (for measurements that leave loading out).
    const first = Array.from({ length: keepSpares }, newWorker);
    let loading = first.length + 1;
    const main = newWorker();
    const loaded = (w: Worker) => {
      w.onmessage = null;
      if (--loading > 0) return;
      spares.push(...first);
      spares.unshift(main);
      options.onStart?.();
      start(0, 0);
    };
    for (const w of [main, ...first]) w.onmessage = () => loaded(w);
  });
}
