/**
 * Decoding the `(atim, mtim, fstflags)` triple of the `*_set_times` calls.
 *
 * @module
 */
import { Fstflags } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import type { TimeSpec } from "./fs_host.ts";

const KNOWN = Fstflags.ATIM | Fstflags.ATIM_NOW | Fstflags.MTIM | Fstflags.MTIM_NOW;

/** The access and modification times to set (EINVAL for contradictory or unknown flags). */
export function decodeTimes(atim: bigint, mtim: bigint, flags: number): [TimeSpec, TimeSpec] {
  if ((flags & ~KNOWN) !== 0) throw new WasiError(Errno.INVAL, "unknown fstflags");
  const both = (set: number, now: number) => (flags & set) !== 0 && (flags & now) !== 0;
  if (both(Fstflags.ATIM, Fstflags.ATIM_NOW) || both(Fstflags.MTIM, Fstflags.MTIM_NOW)) {
    throw new WasiError(Errno.INVAL, "both a time and 'now' given");
  }
  const a: TimeSpec = (flags & Fstflags.ATIM_NOW) !== 0
    ? "now"
    : (flags & Fstflags.ATIM) !== 0
    ? BigInt.asUintN(64, atim)
    : null;
  const m: TimeSpec = (flags & Fstflags.MTIM_NOW) !== 0
    ? "now"
    : (flags & Fstflags.MTIM) !== 0
    ? BigInt.asUintN(64, mtim)
    : null;
  return [a, m];
}
