/**
 * Descriptor bookkeeping and attributes: `fd_close`, `fd_renumber`,
 * `fd_fdstat_*`, `fd_filestat_*`, `fd_advise`, `fd_allocate`, `fd_sync`,
 * `fd_datasync`, `fd_prestat_*`.
 *
 * @module
 */
import { Advice, Fdflags, PREOPENTYPE_DIR } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import type { CallTable, WasiContext } from "./context.ts";
import type { FdEntry } from "./fd_table.ts";
import type { Filestat } from "./fs_host.ts";
import { FDSTAT_SIZE, writeFilestat } from "./layout.ts";
import { encodeUtf8 } from "./memory.ts";
import { Rights, rightsFromGuest } from "./rights.ts";
import { decodeTimes } from "./times.ts";

const FDFLAGS_KNOWN = Fdflags.APPEND | Fdflags.DSYNC | Fdflags.NONBLOCK | Fdflags.RSYNC |
  Fdflags.SYNC;

/** Attributes of whatever a descriptor refers to. */
export function statEntry(e: FdEntry): Filestat {
  if (e.file !== null) return e.file.stat();
  if (e.dir !== null) return e.dir.stat();
  // Streams and sockets have no inode the guest could use: report only the type.
  return {
    dev: 0n,
    ino: 0n,
    filetype: e.filetype,
    nlink: 0n,
    size: 0n,
    atim: 0n,
    mtim: 0n,
    ctim: 0n,
  };
}

/** The descriptor calls that do not move data. */
export function fdMetaCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  const fds = ctx.fds;
  return {
    fd_close(fd: number): void {
      fds.close(fd);
    },
    fd_renumber(from: number, to: number): void {
      fds.renumber(from, to);
    },
    fd_fdstat_get(fd: number, out: number): void {
      const e = fds.get(fd);
      const p = out >>> 0;
      mem.check(p, FDSTAT_SIZE);
      mem.view.setUint8(p, e.filetype);
      mem.view.setUint8(p + 1, 0);
      mem.view.setUint16(p + 2, e.fdflags, true);
      mem.view.setUint32(p + 4, 0, true);
      mem.setU64(p + 8, e.rightsBase);
      mem.setU64(p + 16, e.rightsInheriting);
    },
    fd_fdstat_set_flags(fd: number, flags: number): void {
      const e = fds.get(fd, Rights.FD_FDSTAT_SET_FLAGS);
      const f = flags & 0xffff;
      if ((f & ~FDFLAGS_KNOWN) !== 0) throw new WasiError(Errno.INVAL);
      e.fdflags = f;
    },
    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): void {
      const e = fds.get(fd);
      const b = rightsFromGuest(BigInt.asUintN(64, base));
      const i = rightsFromGuest(BigInt.asUintN(64, inheriting));
      // Rights can only be dropped, never gained.
      if (
        b === null || i === null || (b & ~e.rightsBase) !== 0 || (i & ~e.rightsInheriting) !== 0
      ) {
        throw new WasiError(Errno.NOTCAPABLE);
      }
      e.rightsBase = b;
      e.rightsInheriting = i;
    },
    fd_filestat_get(fd: number, out: number): void {
      const e = fds.get(fd, Rights.FD_FILESTAT_GET);
      writeFilestat(mem, out >>> 0, statEntry(e), ctx.unstable);
    },
    fd_filestat_set_size(fd: number, size: bigint): void {
      const e = fds.get(fd, Rights.FD_FILESTAT_SET_SIZE);
      const n = BigInt.asUintN(64, size);
      if (n > (1n << 63n) - 1n) throw new WasiError(Errno.INVAL);
      if (e.file === null) throw new WasiError(e.dir !== null ? Errno.ISDIR : Errno.INVAL);
      e.file.truncate(n);
    },
    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): void {
      const e = fds.get(fd, Rights.FD_FILESTAT_SET_TIMES);
      const [a, m] = decodeTimes(atim, mtim, flags & 0xffff);
      if (e.file !== null) e.file.setTimes(a, m);
      else if (e.dir !== null) e.dir.setTimes(a, m);
      else throw new WasiError(Errno.BADF);
    },
    fd_advise(fd: number, offset: bigint, len: bigint, advice: number): void {
      const e = fds.get(fd, Rights.FD_ADVISE);
      if ((advice & 0xff) > Advice.NOREUSE) throw new WasiError(Errno.INVAL);
      if (BigInt.asIntN(64, offset) < 0n || BigInt.asIntN(64, len) < 0n) {
        throw new WasiError(Errno.INVAL);
      }
      if (e.file === null) throw new WasiError(e.dir !== null ? Errno.BADF : Errno.SPIPE);
      // Advice is a hint; node:fs has no posix_fadvise, so it is accepted and ignored.
    },
    fd_allocate(fd: number, offset: bigint, len: bigint): void {
      const e = fds.get(fd, Rights.FD_ALLOCATE);
      const o = BigInt.asIntN(64, offset);
      const l = BigInt.asIntN(64, len);
      if (o < 0n || l <= 0n || o + l > (1n << 63n) - 1n) throw new WasiError(Errno.INVAL);
      if (e.file === null) throw new WasiError(e.dir !== null ? Errno.BADF : Errno.SPIPE);
      e.file.allocate(o, l);
    },
    fd_sync(fd: number): void {
      const e = fds.get(fd, Rights.FD_SYNC);
      if (e.file !== null) e.file.sync();
      else if (e.dir !== null) e.dir.sync();
      // Streams and sockets hold nothing back: every write was already delivered.
    },
    fd_datasync(fd: number): void {
      const e = fds.get(fd, Rights.FD_DATASYNC);
      if (e.file !== null) e.file.datasync();
      else if (e.dir !== null) e.dir.sync();
    },
    fd_prestat_get(fd: number, out: number): void {
      const e = fds.get(fd);
      if (e.preopen === null) throw new WasiError(Errno.BADF);
      mem.check(out >>> 0, 8);
      mem.setU32(out >>> 0, PREOPENTYPE_DIR);
      mem.setU32((out >>> 0) + 4, encodeUtf8(e.preopen).length);
    },
    fd_prestat_dir_name(fd: number, path: number, len: number): void {
      const e = fds.get(fd);
      if (e.preopen === null) throw new WasiError(Errno.BADF);
      const name = encodeUtf8(e.preopen);
      if ((len >>> 0) < name.length) throw new WasiError(Errno.NAMETOOLONG);
      mem.slice(path >>> 0, name.length).set(name);
    },
  };
}
