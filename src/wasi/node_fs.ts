/**
 * The real-directory backend, on `node:fs` (which Deno and Bun both
 * provide). Every operation names ONE component inside an already open
 * directory. On Linux the directory is addressed through its open
 * descriptor (`/proc/self/fd/N/name`), so the kernel resolves the
 * component inside the directory the handle was opened on, even if that
 * directory has been moved or a parent swapped for a symlink since; the
 * component itself is never followed (`O_NOFOLLOW`, `lstat`, `lutimes`,
 * and calls that act on the link itself). Elsewhere the handle falls back
 * to the directory's host path, with the same no-follow calls.
 *
 * @module
 */
import type { BigIntStats } from "node:fs";
import { Filetype } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import type {
  DirEntry,
  DirHandle,
  FileHandle,
  Filestat,
  OpenFileOptions,
  TimeSpec,
} from "./fs_host.ts";
import { TimeKeeper } from "./node_fs_times.ts";
import { filetypeOfMode, nodeModule } from "./host_process.ts";

// Loaded by the first openHostDirectory (the only way in to what uses
// them): a program with no preopened directory never loads `node:fs`.
let fs: typeof import("node:fs");
let C: typeof import("node:fs").constants;
let O_DIRECTORY = 0, O_NOFOLLOW = 0;

let procFdChecked = false;
let procFd = false;
/** True when `/proc/self/fd/N/...` addresses entries of an open directory. */
function useProcFd(): boolean {
  if (!procFdChecked) {
    procFdChecked = true;
    try {
      procFd = nodeModule("node:process").platform === "linux" &&
        fs.statSync("/proc/self/fd").isDirectory();
    } catch {
      procFd = false;
    }
  }
  return procFd;
}

function toFilestat(st: BigIntStats): Filestat {
  return {
    dev: st.dev,
    ino: st.ino,
    filetype: filetypeOfMode(Number(st.mode)),
    nlink: st.nlink,
    size: st.size,
    atim: st.atimeNs,
    mtim: st.mtimeNs,
    ctim: st.ctimeNs,
  };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function size(n: bigint): number {
  if (n > MAX_SAFE) throw new WasiError(Errno.FBIG, "size too large");
  return Number(n);
}

/** State shared by every handle of one preopen (the ns-precision timestamp keeper). */
interface Shared {
  times: TimeKeeper;
}

class NodeFile implements FileHandle {
  #fd: number;
  #shared: Shared;
  constructor(fd: number, shared: Shared) {
    this.#fd = fd;
    this.#shared = shared;
  }
  #live(): number {
    if (this.#fd < 0) throw new WasiError(Errno.BADF, "file handle closed");
    return this.#fd;
  }
  stat(): Filestat {
    return this.#shared.times.apply(toFilestat(fs.fstatSync(this.#live(), { bigint: true })));
  }
  read(buf: Uint8Array, pos: bigint): number {
    if (buf.length === 0 || pos > MAX_SAFE) return 0; // nothing lies beyond 2^53 bytes
    return fs.readSync(this.#live(), buf, 0, buf.length, Number(pos));
  }
  write(buf: Uint8Array, pos: bigint): number {
    if (buf.length === 0) return 0;
    if (pos + BigInt(buf.length) > MAX_SAFE) throw new WasiError(Errno.FBIG, "position too large");
    return fs.writeSync(this.#live(), buf, 0, buf.length, Number(pos));
  }
  truncate(n: bigint): void {
    fs.ftruncateSync(this.#live(), size(n));
  }
  allocate(offset: bigint, len: bigint): void {
    // node:fs has no fallocate; growing the file gives the same observable result.
    const end = offset + len;
    const cur = fs.fstatSync(this.#live(), { bigint: true }).size;
    if (end > cur) fs.ftruncateSync(this.#live(), size(end));
  }
  sync(): void {
    fs.fsyncSync(this.#live());
  }
  datasync(): void {
    fs.fdatasyncSync(this.#live());
  }
  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    const fd = this.#live();
    const st = fs.fstatSync(fd, { bigint: true });
    const [a, m] = this.#shared.times.resolve(toFilestat(st), atim, mtim);
    fs.futimesSync(fd, a.seconds, m.seconds);
    this.#shared.times.record(toFilestat(fs.fstatSync(fd, { bigint: true })), a, m);
  }
  close(): void {
    if (this.#fd >= 0) {
      const fd = this.#fd;
      this.#fd = -1;
      fs.closeSync(fd);
    }
  }
}

class NodeDir implements DirHandle {
  #fd: number;
  #path: string;
  #shared: Shared;
  constructor(fd: number, path: string, shared: Shared) {
    this.#fd = fd;
    this.#path = path;
    this.#shared = shared;
  }
  /** The host path of this directory's entry `name` (or of the directory itself). */
  #ref(name?: string): string {
    if (this.#fd === -2) throw new WasiError(Errno.BADF, "directory handle closed");
    const base = this.#fd >= 0 && useProcFd() ? `/proc/self/fd/${this.#fd}` : this.#path;
    if (name === undefined) return base;
    if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
      // The resolver never passes these; refusing them keeps the backend safe on its own.
      throw new WasiError(Errno.INVAL, `not a single path component: ${JSON.stringify(name)}`);
    }
    return `${base}/${name}`;
  }
  #sub(name: string): string {
    return `${this.#path}/${name}`;
  }
  stat(): Filestat {
    const st = this.#fd >= 0
      ? fs.fstatSync(this.#fd, { bigint: true })
      : fs.statSync(this.#ref(), { bigint: true });
    return this.#shared.times.apply(toFilestat(st));
  }
  entries(): DirEntry[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.#ref()).sort();
    } catch (e) {
      // A directory removed while open has no entries (some hosts report ENOENT).
      if ((e as { code?: string }).code === "ENOENT" && this.stat().nlink === 0n) return [];
      throw e;
    }
    const out: DirEntry[] = [];
    for (const name of names) {
      try {
        const st = fs.lstatSync(this.#ref(name), { bigint: true });
        out.push({ name, filetype: filetypeOfMode(Number(st.mode)), ino: st.ino });
      } catch {
        // Removed between readdir and lstat: it is simply not listed.
      }
    }
    return out;
  }
  statAt(name: string): Filestat {
    return this.#shared.times.apply(toFilestat(fs.lstatSync(this.#ref(name), { bigint: true })));
  }
  openDirAt(name: string): DirHandle {
    return openDirectory(this.#ref(name), this.#sub(name), this.#shared, true);
  }
  reopen(): DirHandle {
    return openDirectory(this.#ref(), this.#path, this.#shared, false);
  }
  openFileAt(name: string, o: OpenFileOptions): FileHandle {
    let flags = o.read && o.write ? C.O_RDWR : o.write ? C.O_WRONLY : C.O_RDONLY;
    if (o.create) flags |= C.O_CREAT;
    if (o.create && o.exclusive) flags |= C.O_EXCL;
    if (o.truncate) flags |= C.O_TRUNC;
    flags |= O_NOFOLLOW | (C.O_NONBLOCK ?? 0);
    const fd = fs.openSync(this.#ref(name), flags, 0o666);
    // O_NONBLOCK keeps a FIFO open from hanging; regular files ignore it.
    const st = fs.fstatSync(fd, { bigint: true });
    if (filetypeOfMode(Number(st.mode)) === Filetype.DIRECTORY) {
      fs.closeSync(fd);
      throw new WasiError(Errno.ISDIR);
    }
    return new NodeFile(fd, this.#shared);
  }
  readlinkAt(name: string): string {
    return fs.readlinkSync(this.#ref(name), "utf8");
  }
  mkdirAt(name: string): void {
    fs.mkdirSync(this.#ref(name), 0o777);
  }
  rmdirAt(name: string): void {
    fs.rmdirSync(this.#ref(name));
  }
  unlinkAt(name: string): void {
    fs.unlinkSync(this.#ref(name));
  }
  symlinkAt(target: string, name: string): void {
    fs.symlinkSync(target, this.#ref(name));
  }
  linkAt(name: string, dst: DirHandle, dstName: string): void {
    if (!(dst instanceof NodeDir)) throw new WasiError(Errno.XDEV);
    fs.linkSync(this.#ref(name), dst.#ref(dstName));
  }
  renameAt(name: string, dst: DirHandle, dstName: string): void {
    if (!(dst instanceof NodeDir)) throw new WasiError(Errno.XDEV);
    fs.renameSync(this.#ref(name), dst.#ref(dstName));
  }
  setTimesAt(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    const path = this.#ref(name);
    const [a, m] = this.#shared.times.resolve(
      toFilestat(fs.lstatSync(path, { bigint: true })),
      atim,
      mtim,
    );
    fs.lutimesSync(path, a.seconds, m.seconds);
    this.#shared.times.record(toFilestat(fs.lstatSync(path, { bigint: true })), a, m);
  }
  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    const path = this.#ref();
    const [a, m] = this.#shared.times.resolve(this.stat(), atim, mtim);
    fs.utimesSync(path, a.seconds, m.seconds);
    this.#shared.times.record(toFilestat(fs.statSync(path, { bigint: true })), a, m);
  }
  sync(): void {
    if (this.#fd >= 0) {
      try {
        fs.fsyncSync(this.#fd);
      } catch (e) {
        // Some filesystems refuse fsync on a directory; there is nothing to flush then.
        if ((e as { code?: string }).code !== "EINVAL") throw e;
      }
    }
  }
  close(): void {
    if (this.#fd >= 0) {
      const fd = this.#fd;
      this.#fd = -2;
      fs.closeSync(fd);
    } else this.#fd = -2;
  }
}

/** Opens a directory without following a final symlink (when `nofollow`). */
function openDirectory(ref: string, path: string, shared: Shared, nofollow: boolean): NodeDir {
  if (O_DIRECTORY === 0) {
    // Hosts without O_DIRECTORY (Windows) cannot open a directory descriptor.
    const st = fs.lstatSync(ref);
    if (st.isSymbolicLink()) throw new WasiError(Errno.LOOP);
    if (!st.isDirectory()) throw new WasiError(Errno.NOTDIR);
    return new NodeDir(-1, path, shared);
  }
  const fd = fs.openSync(ref, C.O_RDONLY | O_DIRECTORY | (nofollow ? O_NOFOLLOW : 0));
  return new NodeDir(fd, path, shared);
}

/**
 * Opens a host directory as the root of a preopen. The host path itself is
 * trusted (it comes from the embedder, not the guest). `preopens` takes
 * host paths directly; this is for embedders that want the handle.
 *
 * @example
 * ```ts
 * import { openHostDirectory, WASI } from "./mod.ts";
 * import os from "node:os";
 * const wasi = new WASI({ preopens: { "/tmp": openHostDirectory(os.tmpdir()) } });
 * ```
 */
export function openHostDirectory(hostPath: string): DirHandle {
  if (fs === undefined) {
    fs = nodeModule("node:fs");
    C = fs.constants;
    O_DIRECTORY = C.O_DIRECTORY ?? 0;
    O_NOFOLLOW = C.O_NOFOLLOW ?? 0;
  }
  const shared: Shared = { times: new TimeKeeper() };
  const real = fs.realpathSync(hostPath);
  return openDirectory(real, real, shared, false);
}
