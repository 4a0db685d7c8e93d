/**
 * `path_open`: opening (and creating) files and directories below a
 * directory descriptor, with every `oflags`, `fdflags` and lookup flag.
 *
 * @module
 */
import { Fdflags, Filetype, Lookupflags, Oflags } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import type { CallTable, WasiContext } from "./context.ts";
import { FdEntry } from "./fd_table.ts";
import type { Filestat } from "./fs_host.ts";
import { Follow, type Resolved } from "./path_resolve.ts";
import { Rights, RIGHTS_DIR_BASE, RIGHTS_FILE_BASE } from "./rights.ts";
import { dirFd, withPath } from "./calls_path.ts";

const OFLAGS_KNOWN = Oflags.CREAT | Oflags.DIRECTORY | Oflags.EXCL | Oflags.TRUNC;
const FDFLAGS_KNOWN = Fdflags.APPEND | Fdflags.DSYNC | Fdflags.NONBLOCK | Fdflags.RSYNC |
  Fdflags.SYNC;
/** Rights that need the file opened for writing. */
const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE |
  Rights.FD_DATASYNC;
/** Rights that need the file opened for reading. */
const READ_RIGHTS = Rights.FD_READ | Rights.FD_READDIR;

function lstat(r: Resolved): Filestat | null {
  try {
    return r.name === null ? r.dir.stat() : r.dir.statAt(r.name);
  } catch (e) {
    if (e instanceof WasiError && e.errno !== Errno.NOENT) throw e;
    if (!(e instanceof WasiError) && (e as { code?: string }).code !== "ENOENT") throw e;
    return null;
  }
}

/** The `path_open` call. */
export function pathOpenCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  return {
    path_open(
      fd: number,
      dirflags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      rightsBase: bigint,
      rightsInheriting: bigint,
      fdflags: number,
      out: number,
    ): void {
      const parent = dirFd(ctx, fd, Rights.PATH_OPEN);
      const path = mem.string(pathPtr >>> 0, pathLen >>> 0);
      const of = oflags & 0xffff;
      const ff = fdflags & 0xffff;
      if ((of & ~OFLAGS_KNOWN) !== 0 || (ff & ~FDFLAGS_KNOWN) !== 0) {
        throw new WasiError(Errno.INVAL);
      }
      mem.check(out >>> 0, 4);
      const create = (of & Oflags.CREAT) !== 0;
      const exclusive = create && (of & Oflags.EXCL) !== 0;
      const truncate = (of & Oflags.TRUNC) !== 0;
      const wantDir = (of & Oflags.DIRECTORY) !== 0;
      if (create) ctx.fds.get(fd, Rights.PATH_CREATE_FILE);
      if (truncate) ctx.fds.get(fd, Rights.PATH_FILESTAT_SET_SIZE);
      // Rights beyond what the directory passes on are quietly not granted.
      const base = Number(BigInt.asUintN(30, rightsBase)) & parent.rightsInheriting;
      const inheriting = Number(BigInt.asUintN(30, rightsInheriting)) & parent.rightsInheriting;
      const write = (base & WRITE_RIGHTS) !== 0 || (ff & Fdflags.APPEND) !== 0 || truncate;
      const read = (base & READ_RIGHTS) !== 0 || !write;
      // O_CREAT|O_EXCL never follows a final symlink (it must fail with EEXIST).
      const follow = exclusive
        ? Follow.NEVER
        : (dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0
        ? Follow.ALWAYS
        : Follow.TRAILING;

      const entry = withPath(parent, path, follow, (r): FdEntry => {
        const st = lstat(r);
        if (st !== null) {
          if (exclusive) throw new WasiError(Errno.EXIST);
          if (st.filetype === Filetype.SYMBOLIC_LINK) {
            throw new WasiError(wantDir || r.mustBeDir ? Errno.NOTDIR : Errno.LOOP);
          }
          if (st.filetype === Filetype.DIRECTORY) {
            // Asking to write a directory is an error; other write-ish rights are just not granted.
            if (truncate || (base & Rights.FD_WRITE) !== 0 || (ff & Fdflags.APPEND) !== 0) {
              throw new WasiError(Errno.ISDIR);
            }
            const dir = r.name === null ? r.dir.reopen() : r.dir.openDirAt(r.name);
            const e = new FdEntry(
              Filetype.DIRECTORY,
              base & RIGHTS_DIR_BASE,
              inheriting,
            );
            e.dir = dir;
            e.depth = parent.depth + r.depth + (r.name === null ? 0 : 1);
            e.fdflags = ff;
            return e;
          }
          if (wantDir || r.mustBeDir) throw new WasiError(Errno.NOTDIR);
        } else {
          if (!create) throw new WasiError(Errno.NOENT);
          if (r.mustBeDir) throw new WasiError(Errno.ISDIR);
          if (wantDir) throw new WasiError(Errno.INVAL, "O_CREAT with O_DIRECTORY");
        }
        const file = r.dir.openFileAt(r.name!, { read, write, create, exclusive, truncate });
        let type: Filetype = Filetype.REGULAR_FILE;
        try {
          type = file.stat().filetype;
        } catch {
          // Keep the regular-file default; the descriptor is still usable.
        }
        let rights = base & RIGHTS_FILE_BASE;
        if (!read) rights &= ~Rights.FD_READ;
        if (!write) rights &= ~WRITE_RIGHTS;
        const e = new FdEntry(type, rights, inheriting & RIGHTS_FILE_BASE);
        e.file = file;
        e.fdflags = ff;
        return e;
      });
      try {
        mem.setU32(out >>> 0, ctx.fds.add(entry));
      } catch (err) {
        entry.close();
        throw err;
      }
    },
  };
}
