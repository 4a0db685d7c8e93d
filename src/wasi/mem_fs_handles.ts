/**
 * The inodes and handles of the in-memory backend (`mem_fs.ts` is its
 * public face): files, directories and symlinks with POSIX semantics as far
 * as WASI can observe them.
 *
 * @module
 */
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
import { realtimeNs } from "./clock_host.ts";

/** Largest file the in-memory backend stores (it holds the bytes in one array). */
const MAX_FILE = 1n << 31n;

/** A file, directory or symlink. */
export class Inode {
  readonly ino: bigint;
  readonly type: Filetype;
  nlink = 1;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  data: Uint8Array = new Uint8Array(0);
  size = 0;
  readonly entries: Map<string, Inode> = new Map();
  target = "";
  /** A directory that was removed: it stays usable through open handles but is empty forever. */
  removed = false;
  constructor(ino: bigint, type: Filetype) {
    this.ino = ino;
    this.type = type;
    const now = realtimeNs();
    this.atim = now;
    this.mtim = now;
    this.ctim = now;
  }
}

/** Updates ctime (and mtime for "m") to now. */
export function touch(node: Inode, what: "m" | "c"): void {
  const now = realtimeNs();
  node.ctim = now;
  if (what === "m") node.mtim = now;
}

function grow(node: Inode, n: number): void {
  if (n <= node.data.length) return;
  const next = new Uint8Array(Math.max(n, node.data.length * 2, 64));
  next.set(node.data.subarray(0, node.size));
  node.data = next;
}

function setSize(node: Inode, n: bigint): void {
  if (n > MAX_FILE) throw new WasiError(Errno.FBIG);
  const len = Number(n);
  if (len > node.size) {
    grow(node, len);
    node.data.fill(0, node.size, len);
  }
  node.size = len;
}

function setTimes(node: Inode, atim: TimeSpec, mtim: TimeSpec): void {
  const now = realtimeNs();
  if (atim !== null) node.atim = atim === "now" ? now : atim;
  if (mtim !== null) node.mtim = mtim === "now" ? now : mtim;
  node.ctim = now;
}

/** Per-filesystem state shared by its handles. */
export class FsState {
  nextIno = 1n;
  readonly dev: bigint;
  static devs = 0x6d656d00n;
  constructor() {
    this.dev = FsState.devs++;
  }
  newInode(type: Filetype): Inode {
    return new Inode(this.nextIno++, type);
  }
  statOf(node: Inode): Filestat {
    return {
      dev: this.dev,
      ino: node.ino,
      filetype: node.type,
      nlink: BigInt(node.type === Filetype.DIRECTORY ? (node.removed ? 0 : 2) : node.nlink),
      size: BigInt(node.type === Filetype.DIRECTORY ? 4096 : node.size),
      atim: node.atim,
      mtim: node.mtim,
      ctim: node.ctim,
    };
  }
  /** True if `dir` is `ancestor` or lies below it. */
  contains(ancestor: Inode, dir: Inode): boolean {
    if (ancestor === dir) return true;
    for (const child of ancestor.entries.values()) {
      if (child.type === Filetype.DIRECTORY && this.contains(child, dir)) return true;
    }
    return false;
  }
}

/** What file and directory handles share: an inode, until the handle is closed. */
abstract class MemHandle {
  #node: Inode | null;
  readonly #fs: FsState;
  readonly #what: string;
  /** @param what "file" or "directory", for the closed-handle message. */
  constructor(node: Inode, fs: FsState, what: string) {
    this.#node = node;
    this.#fs = fs;
    this.#what = what;
  }
  /** The filesystem this handle belongs to. */
  protected get fs(): FsState {
    return this.#fs;
  }
  /** The inode (EBADF once the handle is closed). */
  protected live(): Inode {
    if (this.#node === null) throw new WasiError(Errno.BADF, `${this.#what} handle closed`);
    return this.#node;
  }
  stat(): Filestat {
    return this.#fs.statOf(this.live());
  }
  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    setTimes(this.live(), atim, mtim);
  }
  sync(): void {
    this.live();
  }
  close(): void {
    this.#node = null;
  }
}

class MemFile extends MemHandle implements FileHandle {
  constructor(node: Inode, fs: FsState) {
    super(node, fs, "file");
  }
  read(buf: Uint8Array, position: bigint): number {
    const node = this.live();
    if (position >= BigInt(node.size)) return 0;
    const start = Number(position);
    const n = Math.min(buf.length, node.size - start);
    buf.set(node.data.subarray(start, start + n));
    node.atim = realtimeNs();
    return n;
  }
  write(buf: Uint8Array, position: bigint): number {
    const node = this.live();
    const end = position + BigInt(buf.length);
    if (end > MAX_FILE) throw new WasiError(Errno.FBIG);
    if (buf.length === 0) return 0;
    const start = Number(position);
    if (start > node.size) setSize(node, position);
    grow(node, start + buf.length);
    node.data.set(buf, start);
    node.size = Math.max(node.size, start + buf.length);
    touch(node, "m");
    return buf.length;
  }
  truncate(n: bigint): void {
    const node = this.live();
    setSize(node, n);
    touch(node, "m");
  }
  allocate(offset: bigint, len: bigint): void {
    const node = this.live();
    if (offset + len > BigInt(node.size)) setSize(node, offset + len);
  }
  datasync(): void {
    this.live();
  }
}

export class MemDir extends MemHandle implements DirHandle {
  constructor(node: Inode, fs: FsState) {
    super(node, fs, "directory");
  }
  #get(name: string): Inode {
    const node = this.live().entries.get(name);
    if (node === undefined) throw new WasiError(Errno.NOENT);
    return node;
  }
  /** The directory, checked to still exist, for operations that add entries. */
  #writable(): Inode {
    const dir = this.live();
    if (dir.removed) throw new WasiError(Errno.NOENT);
    return dir;
  }
  entries(): DirEntry[] {
    const out: DirEntry[] = [];
    for (const [name, node] of this.live().entries) {
      out.push({ name, filetype: node.type, ino: node.ino });
    }
    return out;
  }
  statAt(name: string): Filestat {
    return this.fs.statOf(this.#get(name));
  }
  openDirAt(name: string): DirHandle {
    const node = this.#get(name);
    if (node.type === Filetype.SYMBOLIC_LINK) throw new WasiError(Errno.LOOP);
    if (node.type !== Filetype.DIRECTORY) throw new WasiError(Errno.NOTDIR);
    return new MemDir(node, this.fs);
  }
  reopen(): DirHandle {
    return new MemDir(this.live(), this.fs);
  }
  openFileAt(name: string, o: OpenFileOptions): FileHandle {
    const dir = this.live();
    let node = dir.entries.get(name);
    if (node !== undefined && o.create && o.exclusive) throw new WasiError(Errno.EXIST);
    if (node === undefined) {
      if (!o.create) throw new WasiError(Errno.NOENT);
      if (dir.removed) throw new WasiError(Errno.NOENT);
      node = this.fs.newInode(Filetype.REGULAR_FILE);
      dir.entries.set(name, node);
      touch(dir, "m");
    }
    if (node.type === Filetype.SYMBOLIC_LINK) throw new WasiError(Errno.LOOP);
    if (node.type === Filetype.DIRECTORY) throw new WasiError(Errno.ISDIR);
    if (o.truncate && o.write && node.size !== 0) {
      node.size = 0;
      touch(node, "m");
    }
    return new MemFile(node, this.fs);
  }
  readlinkAt(name: string): string {
    const node = this.#get(name);
    if (node.type !== Filetype.SYMBOLIC_LINK) throw new WasiError(Errno.INVAL);
    return node.target;
  }
  #add(name: string, node: Inode): void {
    const dir = this.#writable();
    if (dir.entries.has(name)) throw new WasiError(Errno.EXIST);
    dir.entries.set(name, node);
    touch(dir, "m");
  }
  mkdirAt(name: string): void {
    this.#add(name, this.fs.newInode(Filetype.DIRECTORY));
  }
  rmdirAt(name: string): void {
    const dir = this.live();
    const node = this.#get(name);
    if (node.type !== Filetype.DIRECTORY) throw new WasiError(Errno.NOTDIR);
    if (node.entries.size !== 0) throw new WasiError(Errno.NOTEMPTY);
    dir.entries.delete(name);
    node.removed = true;
    node.nlink = 0;
    touch(dir, "m");
  }
  unlinkAt(name: string): void {
    const dir = this.live();
    const node = this.#get(name);
    if (node.type === Filetype.DIRECTORY) throw new WasiError(Errno.ISDIR);
    dir.entries.delete(name);
    node.nlink--;
    touch(node, "c");
    touch(dir, "m");
  }
  symlinkAt(target: string, name: string): void {
    const node = this.fs.newInode(Filetype.SYMBOLIC_LINK);
    node.target = target;
    node.size = new TextEncoder().encode(target).length;
    this.#add(name, node);
  }
  linkAt(name: string, dst: DirHandle, dstName: string): void {
    if (!(dst instanceof MemDir) || dst.fs !== this.fs) throw new WasiError(Errno.XDEV);
    const node = this.#get(name);
    if (node.type === Filetype.DIRECTORY) throw new WasiError(Errno.PERM);
    dst.#add(dstName, node);
    node.nlink++;
    touch(node, "c");
  }
  renameAt(name: string, dst: DirHandle, dstName: string): void {
    if (!(dst instanceof MemDir) || dst.fs !== this.fs) throw new WasiError(Errno.XDEV);
    const from = this.live();
    const to = dst.#writable();
    const node = this.#get(name);
    const old = to.entries.get(dstName);
    if (old === node) return;
    if (node.type === Filetype.DIRECTORY && this.fs.contains(node, to)) {
      throw new WasiError(Errno.INVAL, "cannot move a directory into itself");
    }
    if (old !== undefined) {
      if (node.type === Filetype.DIRECTORY) {
        if (old.type !== Filetype.DIRECTORY) throw new WasiError(Errno.NOTDIR);
        if (old.entries.size !== 0) throw new WasiError(Errno.NOTEMPTY);
        old.removed = true;
      } else if (old.type === Filetype.DIRECTORY) throw new WasiError(Errno.ISDIR);
      old.nlink--;
    }
    from.entries.delete(name);
    to.entries.set(dstName, node);
    touch(node, "c");
    touch(from, "m");
    touch(to, "m");
  }
  setTimesAt(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    setTimes(this.#get(name), atim, mtim);
  }
}
