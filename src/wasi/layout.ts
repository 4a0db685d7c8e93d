/**
 * Byte layouts of the structs WASI exchanges through memory, including the
 * ones `wasi_unstable` lays out differently (`filestat`, `subscription`).
 *
 * @module
 */
import type { Filestat } from "./fs_host.ts";
import type { GuestMemory } from "./memory.ts";

/** Size of `filestat`: 64 bytes in preview1, 56 in `wasi_unstable` (u32 nlink). */
export function filestatSize(unstable: boolean): number {
  return unstable ? 56 : 64;
}

/** Writes a `filestat` at `ptr`. */
export function writeFilestat(
  mem: GuestMemory,
  ptr: number,
  st: Filestat,
  unstable: boolean,
): void {
  mem.check(ptr, filestatSize(unstable));
  const v = mem.view;
  v.setBigUint64(ptr, BigInt.asUintN(64, st.dev), true);
  v.setBigUint64(ptr + 8, BigInt.asUintN(64, st.ino), true);
  v.setUint8(ptr + 16, st.filetype);
  for (let i = 17; i < 24; i++) v.setUint8(ptr + i, 0);
  if (unstable) {
    v.setUint32(ptr + 20, Number(BigInt.asUintN(32, st.nlink)), true);
    v.setBigUint64(ptr + 24, st.size, true);
    v.setBigUint64(ptr + 32, BigInt.asUintN(64, st.atim), true);
    v.setBigUint64(ptr + 40, BigInt.asUintN(64, st.mtim), true);
    v.setBigUint64(ptr + 48, BigInt.asUintN(64, st.ctim), true);
  } else {
    v.setBigUint64(ptr + 24, BigInt.asUintN(64, st.nlink), true);
    v.setBigUint64(ptr + 32, st.size, true);
    v.setBigUint64(ptr + 40, BigInt.asUintN(64, st.atim), true);
    v.setBigUint64(ptr + 48, BigInt.asUintN(64, st.mtim), true);
    v.setBigUint64(ptr + 56, BigInt.asUintN(64, st.ctim), true);
  }
}

/** Size of a `dirent` header (the name follows it): the same in both versions. */
export const DIRENT_SIZE = 24;

/** Encodes a `dirent` header into `out` (24 bytes). */
export function encodeDirent(
  out: DataView,
  next: bigint,
  ino: bigint,
  namlen: number,
  filetype: number,
): void {
  out.setBigUint64(0, next, true);
  out.setBigUint64(8, BigInt.asUintN(64, ino), true);
  out.setUint32(16, namlen, true);
  out.setUint8(20, filetype);
  out.setUint8(21, 0);
  out.setUint16(22, 0, true);
}

/** Size of `fdstat`. */
export const FDSTAT_SIZE = 24;

/** Size of `subscription`: 48 bytes in preview1, 56 in `wasi_unstable` (clock has an `identifier`). */
export function subscriptionSize(unstable: boolean): number {
  return unstable ? 56 : 48;
}

/** A decoded `subscription`. */
export interface Subscription {
  /** Echoed back in the event. */
  userdata: bigint;
  /** `eventtype`. */
  tag: number;
  /** Clock: which clock. */
  clockId: number;
  /** Clock: the timeout (relative ns, or absolute with the abstime flag). */
  timeout: bigint;
  /** Clock: `subclockflags`. */
  flags: number;
  /** fd_read / fd_write: the descriptor. */
  fd: number;
}

/** Reads subscription `i` of the array at `ptr`. */
export function readSubscription(
  mem: GuestMemory,
  ptr: number,
  i: number,
  unstable: boolean,
): Subscription {
  const at = ptr + i * subscriptionSize(unstable);
  const v = mem.view;
  const userdata = v.getBigUint64(at, true);
  const tag = v.getUint8(at + 8);
  const c = unstable ? at + 24 : at + 16; // unstable: identifier u64 comes first
  return {
    userdata,
    tag,
    clockId: v.getUint32(c, true),
    timeout: v.getBigUint64(c + 8, true),
    flags: v.getUint16(c + 24, true),
    fd: v.getUint32(at + 16, true),
  };
}

/** Size of `event`: the same in both versions. */
export const EVENT_SIZE = 32;

/** Writes event `i` of the array at `ptr`. */
export function writeEvent(
  mem: GuestMemory,
  ptr: number,
  i: number,
  userdata: bigint,
  error: number,
  type: number,
  nbytes: bigint,
  flags: number,
): void {
  const at = ptr + i * EVENT_SIZE;
  mem.check(at, EVENT_SIZE);
  const v = mem.view;
  v.setBigUint64(at, userdata, true);
  v.setUint16(at + 8, error, true);
  v.setUint8(at + 10, type);
  for (let k = 11; k < 16; k++) v.setUint8(at + k, 0);
  v.setBigUint64(at + 16, nbytes, true);
  v.setUint16(at + 24, flags, true);
  for (let k = 26; k < 32; k++) v.setUint8(at + k, 0);
}
