/**
 * A wasi-threads thread's imports: the shared memory, `wasi.thread-spawn`,
 * and the WASI calls.
 *
 * WASI calls act on one process state. Those that need no descriptor —
 * arguments, environment, clocks, randomness, `sched_yield`, a
 * `poll_oneoff` on clocks only, `proc_exit`/`proc_raise` — are answered in
 * the calling thread from a copy of the arguments and environment (a clock
 * sleep then blocks only that thread). Every other call is routed to the
 * host, which owns the descriptors: the thread posts the call and waits on
 * its channel for the errno (the call's pointers are into the shared memory,
 * which the host sees too).
 *
 * @module
 */
import type { Memory } from "../api/memory.ts";
import { STOP } from "../threads/wait_hook.ts";
import { exitOf, guard, ThreadStopped, WasiContext } from "./context.ts";
import { Errno } from "./errno.ts";
import { Eventtype } from "./constants.ts";
import { subscriptionSize } from "./layout.ts";
import {
  CALL,
  CALL_PENDING,
  CALL_STOPPED,
  EXIT_CODE,
  LIVE,
  MAX_LIVE,
  MAX_TID,
  NEXT_TID,
  RESULT,
  STATE,
  type ThreadJob,
  type ThreadMessage,
} from "./threads_protocol.ts";
import type { WasiFunction } from "./wasi.ts";
import { argsCalls } from "./calls_args.ts";
import { clockCalls } from "./calls_clock.ts";
import { pollCalls } from "./calls_poll.ts";
import { procCalls } from "./calls_proc.ts";

/** Calls a thread answers itself (they touch no descriptor). */
const LOCAL = new Set([
  "args_get",
  "args_sizes_get",
  "environ_get",
  "environ_sizes_get",
  "clock_res_get",
  "clock_time_get",
  "random_get",
  "sched_yield",
]);

/**
 * Claims the end of the program with exit status `code` (-1: a thread
 * failed); false if another thread ended it first.
 */
export function claimEnd(control: Int32Array, code: number): boolean {
  if (Atomics.compareExchange(control, STATE, 0, 1) !== 0) return false;
  Atomics.store(control, EXIT_CODE, code);
  return true;
}

/** Whether the `n` subscriptions at `ptr` are all clocks (false if any lies outside memory). */
function clocksOnly(memory: Memory, unstable: boolean, ptr: number, n: number): boolean {
  const size = subscriptionSize(unstable);
  const buf = memory.buffer;
  if (n === 0 || ptr + n * size > buf.byteLength) return false;
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < n; i++) if (bytes[ptr + i * size + 8] !== Eventtype.CLOCK) return false;
  return true;
}

/** The import object of one thread of `job`'s program. */
export function threadImports(
  job: ThreadJob,
  memory: Memory,
  post: (m: ThreadMessage) => void,
): Record<string, Record<string, unknown>> {
  const control = new Int32Array(job.control);
  const channel = new Int32Array(job.channel);
  const unstable = job.wasiModule === "wasi_unstable";
  // The calls answered here, on a context of their own (no descriptors: the
  // full WASI class, with its filesystem and sockets, is not loaded here).
  const ctx = new WasiContext(unstable);
  ctx.args = job.args;
  ctx.env = job.env;
  ctx.mem.bind(memory);
  const own: Record<string, WasiFunction> = {};
  const table = { ...argsCalls(ctx), ...clockCalls(ctx), ...pollCalls(ctx), ...procCalls(ctx) };
  for (const [name, fn] of Object.entries(table)) own[name] = guard(ctx, name, fn);

  const routed = (name: string): WasiFunction => (...args: unknown[]): number => {
    if (Atomics.load(channel, STOP) !== 0) throw new ThreadStopped();
    Atomics.store(channel, CALL, CALL_PENDING);
    post({ t: "call", name, args });
    let s: number;
    while ((s = Atomics.load(channel, CALL)) === CALL_PENDING) {
      Atomics.wait(channel, CALL, CALL_PENDING);
    }
    if (s === CALL_STOPPED) throw new ThreadStopped();
    return Atomics.load(channel, RESULT);
  };
  // proc_exit, or a proc_raise that terminates: claim the status, then unwind.
  const ending = (fn: WasiFunction): WasiFunction => (...args: unknown[]): number => {
    try {
      return fn(...args);
    } catch (e) {
      const exit = exitOf(e);
      if (exit !== null && !(exit instanceof ThreadStopped) && claimEnd(control, exit.code)) {
        post({ t: "exit" });
      }
      throw e;
    }
  };

  const calls: Record<string, WasiFunction> = {};
  for (const name of job.wasiNames) {
    if (name === "proc_exit" || name === "proc_raise") calls[name] = ending(own[name]);
    else if (LOCAL.has(name)) calls[name] = own[name];
    else if (name === "poll_oneoff") {
      const remote = routed(name);
      calls[name] = (...a: unknown[]): number =>
        clocksOnly(memory, unstable, (a[0] as number) >>> 0, (a[2] as number) >>> 0)
          ? own.poll_oneoff(...a)
          : remote(...a);
    } else calls[name] = routed(name);
  }

  const spawn = (arg: number): number => {
    if (Atomics.load(control, STATE) !== 0) return -Errno.AGAIN;
    if (Atomics.add(control, LIVE, 1) >= Atomics.load(control, MAX_LIVE)) {
      Atomics.sub(control, LIVE, 1);
      return -Errno.AGAIN;
    }
    const tid = Atomics.add(control, NEXT_TID, 1);
    if (tid > MAX_TID) {
      Atomics.store(control, NEXT_TID, MAX_TID + 1);
      Atomics.sub(control, LIVE, 1);
      return -Errno.AGAIN;
    }
    post({ t: "spawn", tid, arg: arg | 0 });
    return tid;
  };

  const imports: Record<string, Record<string, unknown>> = {
    [job.wasiModule]: calls,
    wasi: { "thread-spawn": spawn },
  };
  const [mod, name] = job.memoryImport;
  imports[mod] = { ...imports[mod], [name]: memory };
  return imports;
}
