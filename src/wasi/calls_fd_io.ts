/**
 * Reading, writing and positioning: `fd_read`, `fd_write`, `fd_pread`,
 * `fd_pwrite`, `fd_seek`, `fd_tell`. Files are accessed at explicit
 * positions (the offset lives in the descriptor entry), so appending and
 * seeking behave the same on every backend.
 *
 * @module
 */
import { Fdflags, Whence, WhenceUnstable } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import { type CallTable, RETRY_READ_MS, type WasiContext, WouldBlock } from "./context.ts";
import type { FdEntry } from "./fd_table.ts";
import { Rights } from "./rights.ts";

const MAX_OFFSET = (1n << 63n) - 1n;

/** Sum of buffer lengths, capped as a u32 result. */
function total(bufs: Uint8Array[]): number {
  let n = 0;
  for (const b of bufs) n += b.length;
  return n;
}

/** Reads into `bufs` from a file at `pos`; returns the count. */
function readFileAt(e: FdEntry, bufs: Uint8Array[], pos: bigint): number {
  let n = 0;
  for (const b of bufs) {
    if (b.length === 0) continue;
    const k = e.file!.read(b, pos + BigInt(n));
    n += k;
    if (k < b.length) break;
  }
  return n;
}

/** Writes `bufs` to a file at `pos`; returns the count. */
function writeFileAt(e: FdEntry, bufs: Uint8Array[], pos: bigint): number {
  let n = 0;
  for (const b of bufs) {
    let done = 0;
    while (done < b.length) {
      const k = e.file!.write(done === 0 ? b : b.subarray(done), pos + BigInt(n));
      if (k === 0) return n;
      done += k;
      n += k;
    }
  }
  if ((e.fdflags & (Fdflags.SYNC | Fdflags.DSYNC | Fdflags.RSYNC)) !== 0) {
    if ((e.fdflags & Fdflags.SYNC) !== 0) e.file!.sync();
    else e.file!.datasync();
  }
  return n;
}

/**
 * Reads from a stream into the first non-empty buffer only: a short read is
 * always allowed, and asking whether more could be read without blocking
 * would cost a terminal or pipe its helper thread.
 */
function readStream(e: FdEntry, bufs: Uint8Array[], nonBlocking: boolean): number {
  const s = e.stream!;
  if (s.read === undefined) throw new WasiError(Errno.BADF, "stream is not readable");
  if (nonBlocking && s.waitReadable !== undefined && s.waitReadable(0) < 0) {
    throw new WouldBlock(RETRY_READ_MS);
  }
  for (const b of bufs) if (b.length > 0) return s.read(b);
  return 0;
}

function writeStream(e: FdEntry, bufs: Uint8Array[]): number {
  const s = e.stream!;
  if (s.write === undefined) throw new WasiError(Errno.BADF, "stream is not writable");
  let n = 0;
  for (const b of bufs) if (b.length > 0) n += s.write(b);
  return n;
}

/** Rejects descriptors that are not byte streams or files. */
function notData(e: FdEntry): never {
  if (e.dir !== null) throw new WasiError(Errno.ISDIR);
  throw new WasiError(Errno.BADF);
}

/** The read/write/seek calls. */
export function fdIoCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  const fds = ctx.fds;
  const whence = ctx.unstable ? WhenceUnstable : Whence;

  function read(fd: number, iovs: number, iovsLen: number, out: number, at: bigint | null): void {
    const e = fds.get(fd, at === null ? Rights.FD_READ : Rights.FD_READ | Rights.FD_SEEK);
    const bufs = mem.iovecs(iovs >>> 0, iovsLen >>> 0);
    mem.check(out >>> 0, 4);
    let n: number;
    if (e.file !== null) {
      if (at !== null) {
        n = readFileAt(e, bufs, at);
      } else {
        n = readFileAt(e, bufs, e.position);
        e.position += BigInt(n);
      }
    } else if (e.stream !== null) {
      if (at !== null) throw new WasiError(Errno.SPIPE);
      n = readStream(e, bufs, ctx.nonBlocking);
    } else if (e.socket !== null) {
      if (at !== null) throw new WasiError(Errno.SPIPE);
      const nonblock = (e.fdflags & Fdflags.NONBLOCK) !== 0;
      if (!nonblock && ctx.nonBlocking && e.socket.waitReadable(0) < 0) {
        throw new WouldBlock(RETRY_READ_MS);
      }
      n = e.socket.recv(bufs, false, nonblock);
    } else notData(e);
    mem.setU32(out >>> 0, n);
  }

  function write(fd: number, iovs: number, iovsLen: number, out: number, at: bigint | null): void {
    const e = fds.get(fd, at === null ? Rights.FD_WRITE : Rights.FD_WRITE | Rights.FD_SEEK);
    const bufs = mem.iovecs(iovs >>> 0, iovsLen >>> 0);
    mem.check(out >>> 0, 4);
    let n: number;
    if (e.file !== null) {
      if (at !== null) {
        n = writeFileAt(e, bufs, at);
      } else {
        if ((e.fdflags & Fdflags.APPEND) !== 0) e.position = e.file.stat().size;
        const end = e.position + BigInt(total(bufs));
        if (end > MAX_OFFSET) throw new WasiError(Errno.FBIG);
        n = writeFileAt(e, bufs, e.position);
        e.position += BigInt(n);
      }
    } else if (e.stream !== null) {
      if (at !== null) throw new WasiError(Errno.SPIPE);
      n = writeStream(e, bufs);
    } else if (e.socket !== null) {
      if (at !== null) throw new WasiError(Errno.SPIPE);
      n = e.socket.send(bufs);
    } else notData(e);
    mem.setU32(out >>> 0, n);
  }

  function seek(e: FdEntry, offset: bigint, w: number): bigint {
    if (e.file === null) {
      if (e.dir !== null) throw new WasiError(Errno.BADF);
      throw new WasiError(Errno.SPIPE);
    }
    let base: bigint;
    if (w === whence.SET) base = 0n;
    else if (w === whence.CUR) base = e.position;
    else if (w === whence.END) base = e.file.stat().size;
    else throw new WasiError(Errno.INVAL, `bad whence ${w}`);
    const pos = base + offset;
    if (pos < 0n || pos > MAX_OFFSET) throw new WasiError(Errno.INVAL);
    e.position = pos;
    return pos;
  }

  return {
    fd_read(fd: number, iovs: number, iovsLen: number, out: number): void {
      read(fd, iovs, iovsLen, out, null);
    },
    fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, out: number): void {
      const at = BigInt.asUintN(64, offset);
      if (at > MAX_OFFSET) throw new WasiError(Errno.INVAL);
      read(fd, iovs, iovsLen, out, at);
    },
    fd_write(fd: number, iovs: number, iovsLen: number, out: number): void {
      write(fd, iovs, iovsLen, out, null);
    },
    fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, out: number): void {
      const at = BigInt.asUintN(64, offset);
      if (at > MAX_OFFSET) throw new WasiError(Errno.INVAL);
      write(fd, iovs, iovsLen, out, at);
    },
    fd_seek(fd: number, offset: bigint, w: number, out: number): void {
      const ww = w & 0xff;
      // Asking for the position only needs FD_TELL.
      const tellOnly = offset === 0n && ww === whence.CUR;
      const e = fds.get(fd, tellOnly ? Rights.FD_TELL : Rights.FD_SEEK);
      mem.check(out >>> 0, 8);
      mem.setU64(out >>> 0, seek(e, BigInt.asIntN(64, offset), ww));
    },
    fd_tell(fd: number, out: number): void {
      const e = fds.get(fd, Rights.FD_TELL);
      mem.check(out >>> 0, 8);
      if (e.file === null) seek(e, 0n, whence.CUR);
      mem.setU64(out >>> 0, e.position);
    },
  };
}
