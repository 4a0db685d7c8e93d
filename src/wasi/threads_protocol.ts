/**
 * What the wasi-threads host (`threads_host.ts`) and its thread Workers
 * (`threads_worker.ts`) share: the process control block, each thread's
 * channel, and the messages they exchange.
 *
 * The **control block** (one per program, `Int32Array` over a
 * `SharedArrayBuffer`) holds what any thread may change without asking the
 * host: whether the program is ending (the first thread to end it wins,
 * by compare-and-exchange), the next thread id and the count of live
 * spawned threads (so `thread-spawn` returns its id at once).
 *
 * A thread's **channel** (`Int32Array`) starts with its stop cell
 * (`src/threads/wait_hook.ts`: stop flag, address of the wasm wait in
 * progress), then the state and value of its routed WASI call.
 *
 * @module
 */
import type { ModuleDescriptor } from "../threads/module_transfer.ts";
import type { SharedMemoryDescriptor } from "../threads/shared_memory.ts";
import { STOP_CELL_WORDS } from "../threads/wait_hook.ts";
import type { StoreOptions } from "../api/store.ts";

/** Control block: 0 running, 1 ending. */
export const STATE = 0;
/** Control block: the exit status once ending (-1: a thread failed). */
export const EXIT_CODE = 1;
/** Control block: the next thread id to hand out. */
export const NEXT_TID = 2;
/** Control block: spawned threads alive (the main thread not counted). */
export const LIVE = 3;
/** Control block: the most spawned threads alive at once. */
export const MAX_LIVE = 4;
/** Words in the control block. */
export const CONTROL_WORDS = 5;

/** Largest thread id the proposal allows (ids are 1 … 2^29 - 1). */
export const MAX_TID = 0x1fffffff;

/** Channel: state of the routed call (see `CALL_*`). */
export const CALL = STOP_CELL_WORDS;
/** Channel: the routed call's errno. */
export const RESULT = STOP_CELL_WORDS + 1;
/** Words in a channel. */
export const CHANNEL_WORDS = STOP_CELL_WORDS + 2;

/** No call in flight. */
export const CALL_IDLE = 0;
/** A call is waiting for the host. */
export const CALL_PENDING = 1;
/** The host answered. */
export const CALL_DONE = 2;
/** The program is ending: the call will not be answered. */
export const CALL_STOPPED = 3;

/** A thread's failure as it crosses `postMessage`. */
export interface ThreadFailure {
  /** Thread id (0: the main thread). */
  tid: number;
  /** The error's class name (`RuntimeError`, `LinkError`, …). */
  name: string;
  /** Its message. */
  message: string;
  /** Wasm frames of a trap, if the engine attached them. */
  wasmStack?: unknown[];
}

/** What the host sends a new thread. */
export interface ThreadJob {
  /** The program. */
  module: ModuleDescriptor;
  /** Its shared memory. */
  memory: SharedMemoryDescriptor;
  /** Where the module imports the memory from: [module, name]. */
  memoryImport: [string, string];
  /** The WASI module name (`wasi_snapshot_preview1` or `wasi_unstable`). */
  wasiModule: string;
  /** Every WASI call the host serves. */
  wasiNames: string[];
  /** Arguments and environment, each UTF-8 with its NUL (for the calls a thread answers itself). */
  args: Uint8Array[];
  /** See `args`. */
  env: Uint8Array[];
  /** The program's control block. */
  control: SharedArrayBuffer;
  /** This thread's channel. */
  channel: SharedArrayBuffer;
  /** This thread's id (0: the main thread, which runs `entry`). */
  tid: number;
  /** `wasi_thread_start`'s second argument. */
  arg: number;
  /** The main thread's entry: `_start`, or an export to call with these arguments. */
  entry: { name: string; args: unknown[] } | null;
  /** Store options of each thread (fuel, timeout, limits). */
  store: StoreOptions;
}

/**
 * What the host sends a Worker: first the module to compile while it waits
 * (a spare), then the thread's job.
 */
export type HostMessage = { t: "prepare"; module: ModuleDescriptor } | ThreadJob;

/** What a thread sends the host. */
export type ThreadMessage =
  /** The Worker has loaded the engine (before any job). */
  | { t: "loaded" }
  /** Started: its store's interrupt flag, for stopping wasm that runs. */
  | { t: "ready"; interrupt: SharedArrayBuffer }
  /** A WASI call for the host to run (the thread waits on its channel). */
  | { t: "call"; name: string; args: unknown[] }
  /** `thread-spawn` handed out `tid`: start it. */
  | { t: "spawn"; tid: number; arg: number }
  /** This thread ended the program (the control block has the status). */
  | { t: "exit"; failure?: ThreadFailure; results?: unknown[] }
  /** This thread is done (returned, or stopped). */
  | { t: "done" };
