/**
 * `wasi:io/poll.poll` over a mix of the shim's pollables (timers, files,
 * sockets, HTTP, all waited for on the shim's I/O worker) and
 * {@link HostPollable}s (stdio, computed on this thread). A list of only the
 * shim's goes to the shim as it is. A mixed list is waited for in slices:
 * the shim's part with a short timer added, then the host's part, until
 * something is ready.
 *
 * @module
 */
import { dispose, type PollableLike, shimPoll, timer } from "./shim.ts";
import { HostPollable } from "./streams.ts";

/** How long one slice of a mixed wait lasts (ms). */
const SLICE_MS = 10;

function indices(list: number[]): Uint32Array {
  return Uint32Array.from(list.sort((a, b) => a - b));
}

/**
 * Waits until at least one pollable of `list` is ready; returns the indices
 * of the ready ones (in increasing order).
 */
export function poll(list: PollableLike[]): Uint32Array {
  if (list.length === 0) throw new RangeError("wasi:io/poll.poll: empty list");
  const host: number[] = [];
  const shim: number[] = [];
  for (let i = 0; i < list.length; i++) (list[i] instanceof HostPollable ? host : shim).push(i);
  if (host.length === 0) return shimPoll(list);
  for (;;) {
    const ready = host.filter((i) => list[i].ready());
    if (ready.length > 0) {
      for (const i of shim) if (list[i].ready()) ready.push(i);
      return indices(ready);
    }
    if (shim.length > 0) {
      const slice = timer(BigInt(SLICE_MS) * 1_000_000n);
      let got: Uint32Array;
      try {
        got = shimPoll([...shim.map((i) => list[i]), slice]);
      } finally {
        dispose(slice);
      }
      const hits = [...got].filter((k) => k < shim.length).map((k) => shim[k]);
      if (hits.length > 0) {
        for (const i of host) if (list[i].ready()) hits.push(i);
        return indices(hits);
      }
    } else if (host.length === 1) {
      (list[host[0]] as HostPollable).wait(Infinity);
    } else {
      // Only host pollables: give each a share of the slice.
      const share = SLICE_MS / host.length;
      for (const i of host) if ((list[i] as HostPollable).wait(share)) break;
    }
  }
}
