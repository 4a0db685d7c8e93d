/**
 * The guest's file descriptor table: what each number refers to (a file,
 * a directory, a stream or a socket), its rights, flags and position.
 * Numbers are handed out lowest-free first, like POSIX.
 *
 * @module
 */
import type { Filetype } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import type { DirEntry, DirHandle, FileHandle } from "./fs_host.ts";
import type { WasiSocket } from "./socket.ts";
import type { WasiStream } from "./stdio.ts";

/** One open descriptor. Exactly one of `file`, `dir`, `stream`, `socket` is set. */
export class FdEntry {
  /** The type `fd_fdstat_get` reports. */
  filetype: Filetype;
  /** Rights of this descriptor. */
  rightsBase: number;
  /** Rights passed on to descriptors opened through it. */
  rightsInheriting: number;
  /** `fdflags` (append, nonblock, sync, …). */
  fdflags = 0;
  /** Regular file (or device opened by path). */
  file: FileHandle | null = null;
  /** Directory. */
  dir: DirHandle | null = null;
  /** Stream (stdio). */
  stream: WasiStream | null = null;
  /** Socket. */
  socket: WasiSocket | null = null;
  /** File offset, kept here since files are accessed by explicit position. */
  position = 0n;
  /** Guest path of a preopened directory (what `fd_prestat_dir_name` returns). */
  preopen: string | null = null;
  /** For a directory: how many levels it lies below its preopen (for symlink checks). */
  depth = 0;
  /** Directory listing snapshot that `fd_readdir` cookies index into. */
  dirents: DirEntry[] | null = null;

  /**
   * @param filetype The type to report.
   * @param rightsBase Rights of the descriptor.
   * @param rightsInheriting Rights for descriptors opened through it.
   */
  constructor(filetype: Filetype, rightsBase: number, rightsInheriting: number) {
    this.filetype = filetype;
    this.rightsBase = rightsBase;
    this.rightsInheriting = rightsInheriting;
  }

  /** Releases the host resource (errors are swallowed: the descriptor is gone either way). */
  close(): void {
    try {
      this.file?.close();
      this.dir?.close();
      this.stream?.close?.();
      this.socket?.close();
    } catch {
      // Nothing the guest could do about it.
    }
    this.file = null;
    this.dir = null;
    this.stream = null;
    this.socket = null;
  }
}

/** The descriptor table. */
export class FdTable {
  #entries: (FdEntry | undefined)[] = [];
  #free = 0;
  /** Upper bound on open descriptors (EMFILE beyond it). */
  readonly limit: number;

  /**
   * Creates an empty table.
   *
   * @param limit Most descriptors the guest may hold open.
   */
  constructor(limit = 1 << 16) {
    this.limit = limit;
  }

  /** The entry for `fd`, which must hold every right in `rights` (EBADF/ENOTCAPABLE). */
  get(fd: number, rights = 0): FdEntry {
    const e = fd >= 0 ? this.#entries[fd] : undefined;
    if (e === undefined) throw new WasiError(Errno.BADF, `bad file descriptor ${fd}`);
    if ((e.rightsBase & rights) !== rights) {
      throw new WasiError(
        Errno.NOTCAPABLE,
        `descriptor ${fd} lacks rights 0x${rights.toString(16)}`,
      );
    }
    return e;
  }

  /** True if `fd` is open. */
  has(fd: number): boolean {
    return fd >= 0 && this.#entries[fd] !== undefined;
  }

  /** Places `entry` at the lowest free number. */
  add(entry: FdEntry): number {
    while (this.#free < this.#entries.length && this.#entries[this.#free] !== undefined) {
      this.#free++;
    }
    if (this.#free >= this.limit) throw new WasiError(Errno.MFILE);
    const fd = this.#free;
    this.#entries[fd] = entry;
    this.#free++;
    return fd;
  }

  /** Places `entry` at `fd` (used for stdio and preopens at start-up). */
  set(fd: number, entry: FdEntry): void {
    this.#entries[fd] = entry;
  }

  /** Closes `fd`. */
  close(fd: number): void {
    const e = this.get(fd);
    this.#entries[fd] = undefined;
    if (fd < this.#free) this.#free = fd;
    e.close();
  }

  /** Moves `from` onto `to` (closing what `to` held). Both must be open. */
  renumber(from: number, to: number): void {
    const e = this.get(from);
    const old = this.get(to);
    if (from === to) return;
    this.#entries[to] = e;
    this.#entries[from] = undefined;
    if (from < this.#free) this.#free = from;
    old.close();
  }

  /** Closes every descriptor (when the instance is done). */
  closeAll(): void {
    for (let fd = 0; fd < this.#entries.length; fd++) {
      const e = this.#entries[fd];
      if (e !== undefined) {
        this.#entries[fd] = undefined;
        e.close();
      }
    }
    this.#free = 0;
  }
}
