/**
 * `poll_oneoff`: waiting for clocks and descriptor readiness. Files and
 * writable streams are always ready; a terminal or pipe on stdin is waited
 * on for real (through its `waitReadable`, which blocks with a timeout), so
 * a guest polling stdin with a timeout sleeps instead of spinning.
 *
 * @module
 */
import { EVENTRWFLAGS_FD_READWRITE_HANGUP, Eventtype, SUBCLOCKFLAGS_ABSTIME } from "./constants.ts";
import { Errno, toErrno, WasiError } from "./errno.ts";
import { type CallTable, RETRY_READ_MS, type WasiContext, WouldBlock } from "./context.ts";
import { clockNow } from "./calls_clock.ts";
import {
  EVENT_SIZE,
  readSubscription,
  type Subscription,
  subscriptionSize,
  writeEvent,
} from "./layout.ts";
import { Rights } from "./rights.ts";
import { sleepMs } from "./sleep.ts";

/** How long one slice of waiting lasts when several descriptors must be watched. */
const SLICE_MS = 10;

interface Pending {
  sub: Subscription;
  /** Clock subscriptions: the deadline on `sub.clockId`'s clock. */
  deadline: bigint;
}

/** The polling call. */
export function pollCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  const fds = ctx.fds;

  /** Readiness of an fd subscription: [error, nbytes, flags], or null if not ready. */
  function fdReady(sub: Subscription, timeoutMs: number): [number, bigint, number] | null {
    let e;
    try {
      e = fds.get(sub.fd, Rights.POLL_FD_READWRITE);
    } catch (err) {
      return [toErrno(err), 0n, 0];
    }
    if (sub.tag === Eventtype.FD_WRITE) {
      if (e.dir !== null) return [Errno.BADF, 0n, 0];
      return [Errno.SUCCESS, 0n, 0];
    }
    if (e.file !== null) {
      const size = e.file.stat().size;
      return [Errno.SUCCESS, size > e.position ? size - e.position : 0n, 0];
    }
    const source = e.stream ?? e.socket;
    if (source === null) return [Errno.BADF, 0n, 0];
    if (source.waitReadable === undefined) return [Errno.SUCCESS, 0n, 0];
    const n = source.waitReadable(timeoutMs);
    if (n < 0) return null;
    return [Errno.SUCCESS, BigInt(n), n === 0 ? EVENTRWFLAGS_FD_READWRITE_HANGUP : 0];
  }

  return {
    poll_oneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): void {
      const n = nsubs >>> 0;
      if (n === 0) throw new WasiError(Errno.INVAL, "no subscriptions");
      const inp = inPtr >>> 0;
      const outp = outPtr >>> 0;
      mem.check(inp, n * subscriptionSize(ctx.unstable));
      mem.check(outp, n * EVENT_SIZE);
      mem.check(neventsPtr >>> 0, 4);
      const clocks: Pending[] = [];
      const waits: Subscription[] = [];
      let events = 0;
      const emit = (s: Subscription, error: number, nbytes: bigint, flags: number): void => {
        writeEvent(mem, outp, events++, s.userdata, error, s.tag, nbytes, flags);
      };
      for (let i = 0; i < n; i++) {
        const s = readSubscription(mem, inp, i, ctx.unstable);
        if (s.tag === Eventtype.CLOCK) {
          let now: bigint;
          try {
            now = clockNow(s.clockId);
          } catch (err) {
            emit(s, toErrno(err), 0n, 0);
            continue;
          }
          // A retried call (non-blocking context) already waited pollWaitedNs.
          const deadline = (s.flags & SUBCLOCKFLAGS_ABSTIME) !== 0
            ? s.timeout
            : now + s.timeout - ctx.pollWaitedNs;
          clocks.push({ sub: s, deadline });
        } else if (s.tag === Eventtype.FD_READ || s.tag === Eventtype.FD_WRITE) {
          waits.push(s);
        } else {
          throw new WasiError(Errno.INVAL, `bad subscription tag ${s.tag}`);
        }
      }
      for (;;) {
        // Descriptors first (without waiting), then expired clocks.
        const still: Subscription[] = [];
        for (const s of waits) {
          const r = fdReady(s, 0);
          if (r === null) still.push(s);
          else emit(s, r[0], r[1], r[2]);
        }
        let soonestMs = Infinity;
        for (const c of clocks) {
          const left = c.deadline - clockNow(c.sub.clockId);
          if (left <= 0n) emit(c.sub, Errno.SUCCESS, 0n, 0);
          else soonestMs = Math.min(soonestMs, Number(left) / 1e6);
        }
        if (events > 0) break;
        if (ctx.nonBlocking && (still.length > 0 || soonestMs !== Infinity)) {
          throw new WouldBlock(still.length > 0 ? Math.min(soonestMs, RETRY_READ_MS) : soonestMs);
        }
        if (still.length === 1) {
          // One descriptor to watch: block on it until the soonest clock.
          const r = fdReady(still[0], soonestMs);
          if (r !== null) emit(still[0], r[0], r[1], r[2]);
        } else if (still.length > 1) {
          fdReady(still[0], Math.min(soonestMs, SLICE_MS));
        } else if (soonestMs !== Infinity) {
          sleepMs(soonestMs);
        } else break;
        waits.length = 0;
        waits.push(...still);
        if (events > 0) {
          // A descriptor became ready during the wait; report clocks that expired too.
          for (const c of clocks) {
            if (c.deadline - clockNow(c.sub.clockId) <= 0n) emit(c.sub, Errno.SUCCESS, 0n, 0);
          }
          break;
        }
      }
      mem.setU32(neventsPtr >>> 0, events);
    },
  };
}
