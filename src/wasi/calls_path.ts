/**
 * The `path_*` calls other than `path_open`: creating and removing
 * directories, attributes, links, symlinks, renames and unlinks. Each
 * resolves its path(s) with `resolvePath` and then acts on one entry of
 * one open directory.
 *
 * @module
 */
import { Filetype, Lookupflags } from "./constants.ts";
import { Errno, toErrno, WasiError } from "./errno.ts";
import type { CallTable, WasiContext } from "./context.ts";
import type { FdEntry } from "./fd_table.ts";
import type { Filestat } from "./fs_host.ts";
import { writeFilestat } from "./layout.ts";
import { encodeUtf8 } from "./memory.ts";
import { ESCAPE, escapesSandbox, Follow, type Resolved, resolvePath } from "./path_resolve.ts";
import { Rights } from "./rights.ts";
import { decodeTimes } from "./times.ts";

/** The directory descriptor `fd`, holding `rights` (EBADF, ENOTDIR, ENOTCAPABLE). */
export function dirFd(ctx: WasiContext, fd: number, rights: number): FdEntry {
  const e = ctx.fds.get(fd);
  if (e.dir === null) throw new WasiError(Errno.NOTDIR);
  return ctx.fds.get(fd, rights);
}

/** Runs `fn` on a resolved path and releases the walk's handles after. */
export function withPath<T>(
  e: FdEntry,
  path: string,
  follow: Follow,
  fn: (r: Resolved) => T,
): T {
  const r = resolvePath(e.dir!, path, follow);
  try {
    return fn(r);
  } finally {
    r.release();
  }
}

/**
 * Runs `fn` on two resolved paths (the source and target of a link or a
 * rename) and releases both walks' handles after.
 */
function withPathPair(
  src: FdEntry,
  from: string,
  follow: Follow,
  dst: FdEntry,
  to: string,
  fn: (from: Resolved, to: Resolved) => void,
): void {
  withPath(src, from, follow, (ro) => withPath(dst, to, Follow.NEVER, (rn) => fn(ro, rn)));
}

/** Attributes of the entry, or null if it does not exist. */
function statOrNull(r: Resolved): Filestat | null {
  try {
    return r.name === null ? r.dir.stat() : r.dir.statAt(r.name);
  } catch (err) {
    if (toErrno(err) === Errno.NOENT) return null;
    throw err;
  }
}

function followOf(flags: number): Follow {
  return (flags & Lookupflags.SYMLINK_FOLLOW) !== 0 ? Follow.ALWAYS : Follow.TRAILING;
}

/** The path calls (except `path_open`). */
export function pathCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  const str = (ptr: number, len: number): string => mem.string(ptr >>> 0, len >>> 0);

  return {
    path_create_directory(fd: number, path: number, len: number): void {
      const e = dirFd(ctx, fd, Rights.PATH_CREATE_DIRECTORY);
      withPath(e, str(path, len), Follow.NEVER, (r) => {
        if (r.name === null) throw new WasiError(Errno.EXIST);
        r.dir.mkdirAt(r.name);
      });
    },

    path_filestat_get(fd: number, flags: number, path: number, len: number, out: number): void {
      const e = dirFd(ctx, fd, Rights.PATH_FILESTAT_GET);
      const st = withPath(e, str(path, len), followOf(flags), (r) => {
        const st = r.name === null ? r.dir.stat() : r.dir.statAt(r.name);
        if (r.mustBeDir && st.filetype !== Filetype.DIRECTORY) throw new WasiError(Errno.NOTDIR);
        return st;
      });
      writeFilestat(mem, out >>> 0, st, ctx.unstable);
    },

    path_filestat_set_times(
      fd: number,
      flags: number,
      path: number,
      len: number,
      atim: bigint,
      mtim: bigint,
      fstflags: number,
    ): void {
      const e = dirFd(ctx, fd, Rights.PATH_FILESTAT_SET_TIMES);
      const [a, m] = decodeTimes(atim, mtim, fstflags & 0xffff);
      withPath(e, str(path, len), followOf(flags), (r) => {
        if (r.name === null) return r.dir.setTimes(a, m);
        if (r.mustBeDir && r.dir.statAt(r.name).filetype !== Filetype.DIRECTORY) {
          throw new WasiError(Errno.NOTDIR);
        }
        r.dir.setTimesAt(r.name, a, m);
      });
    },

    path_link(
      oldFd: number,
      oldFlags: number,
      oldPath: number,
      oldLen: number,
      newFd: number,
      newPath: number,
      newLen: number,
    ): void {
      const src = dirFd(ctx, oldFd, Rights.PATH_LINK_SOURCE);
      const dst = dirFd(ctx, newFd, Rights.PATH_LINK_TARGET);
      const from = str(oldPath, oldLen);
      const to = str(newPath, newLen);
      const follow = (oldFlags & Lookupflags.SYMLINK_FOLLOW) !== 0 ? Follow.ALWAYS : Follow.NEVER;
      withPathPair(src, from, follow, dst, to, (ro, rn) => {
        if (ro.name === null) throw new WasiError(Errno.PERM, "cannot link a directory");
        const st = ro.dir.statAt(ro.name);
        if (st.filetype === Filetype.DIRECTORY) throw new WasiError(Errno.PERM);
        if (ro.mustBeDir) throw new WasiError(Errno.NOTDIR);
        if (rn.name === null || statOrNull(rn) !== null) throw new WasiError(Errno.EXIST);
        if (rn.mustBeDir) throw new WasiError(Errno.NOENT);
        ro.dir.linkAt(ro.name, rn.dir, rn.name);
      });
    },

    path_readlink(
      fd: number,
      path: number,
      len: number,
      buf: number,
      bufLen: number,
      out: number,
    ): void {
      const e = dirFd(ctx, fd, Rights.PATH_READLINK);
      mem.check(buf >>> 0, bufLen >>> 0);
      mem.check(out >>> 0, 4);
      const target = withPath(e, str(path, len), Follow.NEVER, (r) => {
        if (r.name === null) throw new WasiError(Errno.INVAL);
        const st = r.dir.statAt(r.name);
        if (st.filetype !== Filetype.SYMBOLIC_LINK) {
          throw new WasiError(
            r.mustBeDir && st.filetype !== Filetype.DIRECTORY ? Errno.NOTDIR : Errno.INVAL,
          );
        }
        return encodeUtf8(r.dir.readlinkAt(r.name));
      });
      const n = Math.min(target.length, bufLen >>> 0);
      mem.bytes.set(target.subarray(0, n), buf >>> 0);
      mem.setU32(out >>> 0, n);
    },

    path_remove_directory(fd: number, path: number, len: number): void {
      const e = dirFd(ctx, fd, Rights.PATH_REMOVE_DIRECTORY);
      withPath(e, str(path, len), Follow.NEVER, (r) => {
        if (r.name === null) throw new WasiError(Errno.INVAL, "cannot remove '.'");
        if (r.dir.statAt(r.name).filetype !== Filetype.DIRECTORY) throw new WasiError(Errno.NOTDIR);
        r.dir.rmdirAt(r.name);
      });
    },

    path_rename(
      fd: number,
      oldPath: number,
      oldLen: number,
      newFd: number,
      newPath: number,
      newLen: number,
    ): void {
      const src = dirFd(ctx, fd, Rights.PATH_RENAME_SOURCE);
      const dst = dirFd(ctx, newFd, Rights.PATH_RENAME_TARGET);
      const from = str(oldPath, oldLen);
      const to = str(newPath, newLen);
      withPathPair(src, from, Follow.NEVER, dst, to, (ro, rn) => {
        if (ro.name === null || rn.name === null) throw new WasiError(Errno.BUSY);
        const st = ro.dir.statAt(ro.name);
        const isDir = st.filetype === Filetype.DIRECTORY;
        if (!isDir && (ro.mustBeDir || rn.mustBeDir)) throw new WasiError(Errno.NOTDIR);
        ro.dir.renameAt(ro.name, rn.dir, rn.name);
      });
    },

    path_symlink(
      oldPath: number,
      oldLen: number,
      fd: number,
      newPath: number,
      newLen: number,
    ): void {
      const target = str(oldPath, oldLen);
      const e = dirFd(ctx, fd, Rights.PATH_SYMLINK);
      withPath(e, str(newPath, newLen), Follow.NEVER, (r) => {
        if (r.name === null) throw new WasiError(Errno.EXIST);
        const existing = statOrNull(r);
        if (existing !== null) throw new WasiError(Errno.EXIST);
        if (r.mustBeDir) throw new WasiError(Errno.NOENT);
        if (target.length === 0) throw new WasiError(Errno.NOENT);
        if (target.includes("\0")) throw new WasiError(Errno.INVAL);
        if (escapesSandbox(target, e.depth + r.depth)) {
          throw new WasiError(
            ESCAPE,
            `symlink target ${JSON.stringify(target)} leaves the sandbox`,
          );
        }
        r.dir.symlinkAt(target, r.name);
      });
    },

    path_unlink_file(fd: number, path: number, len: number): void {
      const e = dirFd(ctx, fd, Rights.PATH_UNLINK_FILE);
      withPath(e, str(path, len), Follow.NEVER, (r) => {
        if (r.name === null) throw new WasiError(Errno.ISDIR);
        const st = r.dir.statAt(r.name);
        if (st.filetype === Filetype.DIRECTORY) throw new WasiError(Errno.ISDIR);
        if (r.mustBeDir) throw new WasiError(Errno.NOTDIR);
        r.dir.unlinkAt(r.name);
      });
    },
  };
}
