/**
 * Host clocks in nanoseconds: wall-clock time, a monotonic clock and the
 * process CPU time, from `node:process` (loaded when a guest first reads
 * one of its clocks: host_process.ts) and `performance`.
 *
 * @module
 */
import { nodeModule } from "./host_process.ts";

/** Nanoseconds since the Unix epoch (microsecond resolution). */
export function realtimeNs(): bigint {
  // timeOrigin + now() in ms as a double; microseconds stay exact below 2^53.
  return BigInt(Math.trunc((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

/** Nanoseconds of a clock that never goes backwards (arbitrary origin). */
export function monotonicNs(): bigint {
  return nodeModule("node:process").hrtime.bigint();
}

/** CPU time (user + system) this process has used, in ns. */
export function cpuTimeNs(): bigint {
  const u = nodeModule("node:process").cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

/** Resolution reported for realtime (µs-resolution source). */
export const REALTIME_RESOLUTION_NS = 1000n;
/** Resolution reported for the monotonic clock. */
export const MONOTONIC_RESOLUTION_NS = 1n;
/** Resolution reported for CPU-time clocks (`cpuUsage` counts µs). */
export const CPUTIME_RESOLUTION_NS = 1000n;
