/**
 * Nanosecond timestamps over a host API that cannot store them exactly:
 * `node:fs` takes times as float seconds (and Deno keeps only
 * milliseconds), so a time the guest sets would read back rounded. The
 * keeper remembers, per file, the exact time the guest asked for and the
 * rounded value the host stored; while the host still reports that stored
 * value (the file has not been touched since), the exact time is reported.
 *
 * @module
 */
import type { Filestat, TimeSpec } from "./fs_host.ts";
import { realtimeNs } from "./clock_host.ts";

/** A resolved timestamp: exact ns, and the float seconds the host API takes. */
export interface HostTime {
  /** Exact nanoseconds. */
  ns: bigint;
  /** Seconds since the epoch, as `node:fs` takes them. */
  seconds: number;
}

interface Kept {
  hostAtim: bigint;
  wantAtim: bigint;
  hostMtim: bigint;
  wantMtim: bigint;
}

function hostTime(ns: bigint): HostTime {
  const whole = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  return { ns, seconds: Number(whole) + Number(frac) / 1e9 };
}

/** Remembers exact timestamps the guest set (one keeper per preopen). */
export class TimeKeeper {
  #kept = new Map<string, Kept>();

  /** Turns requested times into host times, keeping unchanged ones as `current` reports them. */
  resolve(current: Filestat, atim: TimeSpec, mtim: TimeSpec): [HostTime, HostTime] {
    const now = atim === "now" || mtim === "now" ? realtimeNs() : 0n;
    const a = atim === null ? current.atim : atim === "now" ? now : atim;
    const m = mtim === null ? current.mtim : mtim === "now" ? now : mtim;
    return [hostTime(a), hostTime(m)];
  }

  /** Records what the host stored (`after`) for the times the guest asked for. */
  record(after: Filestat, a: HostTime, m: HostTime): void {
    this.#kept.set(`${after.dev}:${after.ino}`, {
      hostAtim: after.atim,
      wantAtim: a.ns,
      hostMtim: after.mtim,
      wantMtim: m.ns,
    });
  }

  /** Reports exact times for a file whose host times are still the recorded ones. */
  apply(st: Filestat): Filestat {
    if (this.#kept.size === 0) return st;
    const k = this.#kept.get(`${st.dev}:${st.ino}`);
    if (k === undefined) return st;
    if (st.atim === k.hostAtim) st.atim = k.wantAtim;
    if (st.mtim === k.hostMtim) st.mtim = k.wantMtim;
    return st;
  }
}
