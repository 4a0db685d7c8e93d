/**
 * `clock_res_get`, `clock_time_get`, `random_get`, `sched_yield`: the
 * calls that read the host's clocks and entropy.
 *
 * @module
 */
import { Clockid } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import type { CallTable, WasiContext } from "./context.ts";
import {
  CPUTIME_RESOLUTION_NS,
  cpuTimeNs,
  MONOTONIC_RESOLUTION_NS,
  monotonicNs,
  REALTIME_RESOLUTION_NS,
  realtimeNs,
} from "./clock_host.ts";

/** The current time of WASI clock `id` in ns (EINVAL for an unknown clock). */
export function clockNow(id: number): bigint {
  switch (id) {
    case Clockid.REALTIME:
      return realtimeNs();
    case Clockid.MONOTONIC:
      return monotonicNs();
    case Clockid.PROCESS_CPUTIME_ID:
    case Clockid.THREAD_CPUTIME_ID:
      return cpuTimeNs();
    default:
      throw new WasiError(Errno.INVAL, `unknown clock ${id}`);
  }
}

function resolution(id: number): bigint {
  switch (id) {
    case Clockid.REALTIME:
      return REALTIME_RESOLUTION_NS;
    case Clockid.MONOTONIC:
      return MONOTONIC_RESOLUTION_NS;
    case Clockid.PROCESS_CPUTIME_ID:
    case Clockid.THREAD_CPUTIME_ID:
      return CPUTIME_RESOLUTION_NS;
    default:
      throw new WasiError(Errno.INVAL, `unknown clock ${id}`);
  }
}

/** getRandomValues fills at most this many bytes per call. */
const RANDOM_CHUNK = 65536;

/** Clock, randomness and yield calls. */
export function clockCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  return {
    clock_res_get(id: number, out: number): void {
      mem.setU64(out >>> 0, resolution(id >>> 0));
    },
    clock_time_get(id: number, _precision: bigint, out: number): void {
      mem.check(out >>> 0, 8);
      mem.setU64(out >>> 0, clockNow(id >>> 0));
    },
    random_get(buf: number, len: number): void {
      const target = mem.slice(buf >>> 0, len >>> 0);
      // getRandomValues refuses views of shared memory: fill a private chunk and copy.
      const chunk = new Uint8Array(Math.min(RANDOM_CHUNK, target.length));
      for (let at = 0; at < target.length; at += RANDOM_CHUNK) {
        const n = Math.min(RANDOM_CHUNK, target.length - at);
        const part = n === chunk.length ? chunk : chunk.subarray(0, n);
        crypto.getRandomValues(part);
        target.set(part, at);
      }
    },
    sched_yield(): void {
      // One thread per instance: there is nobody to yield to.
    },
  };
}
