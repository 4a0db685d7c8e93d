/**
 * Test support (no tests here): drives the WASI calls directly, as a guest
 * would, with a plain memory buffer standing in for linear memory.
 */
import { type DirHandle, Errno, WASI, type WasiOptions } from "./mod.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Result of a call that produces a value. */
export interface Outcome<T> {
  errno: number;
  value: T;
}

/** A fake guest: 1 MiB of memory, a bump allocator, and one method per call it needs. */
export class Guest {
  readonly wasi: WASI;
  readonly memory: { buffer: ArrayBuffer } = { buffer: new ArrayBuffer(1 << 20) };
  #top = 1024;
  constructor(options: WasiOptions) {
    this.wasi = new WASI(options);
    this.wasi.initialize({ exports: { memory: this.memory } });
  }
  get call(): Record<string, (...args: unknown[]) => number> {
    return this.wasi.wasiImport;
  }
  get view(): DataView {
    return new DataView(this.memory.buffer);
  }
  /** Copies bytes into fresh guest memory; returns [ptr, len]. */
  put(data: Uint8Array | string): [number, number] {
    const bytes = typeof data === "string" ? enc.encode(data) : data;
    const ptr = this.alloc(bytes.length);
    new Uint8Array(this.memory.buffer).set(bytes, ptr);
    return [ptr, bytes.length];
  }
  alloc(n: number): number {
    const ptr = this.#top;
    this.#top = (this.#top + n + 7) & ~7;
    if (this.#top > this.memory.buffer.byteLength) this.#top = 1024; // reuse: tests are short
    return ptr;
  }
  open(
    dirfd: number,
    path: string,
    opts: { oflags?: number; rights?: bigint; follow?: boolean; fdflags?: number } = {},
  ): Outcome<number> {
    const [p, l] = this.put(path);
    const out = this.alloc(4);
    // Asking for FD_WRITE on a directory is EISDIR: directories get the other rights.
    const rights = opts.rights ?? ((opts.oflags ?? 0) & 2 ? 0x1fffffbfn : 0x1fffffffn);
    const errno = this.call.path_open(
      dirfd,
      opts.follow === false ? 0 : 1,
      p,
      l,
      opts.oflags ?? 0,
      rights,
      rights,
      opts.fdflags ?? 0,
      out,
    );
    return { errno, value: errno === Errno.SUCCESS ? this.view.getUint32(out, true) : -1 };
  }
  write(fd: number, data: string): Outcome<number> {
    const [p, l] = this.put(data);
    const iov = this.alloc(8);
    this.view.setUint32(iov, p, true);
    this.view.setUint32(iov + 4, l, true);
    const out = this.alloc(4);
    const errno = this.call.fd_write(fd, iov, 1, out);
    return { errno, value: this.view.getUint32(out, true) };
  }
  read(fd: number, max = 4096): Outcome<string> {
    const buf = this.alloc(max);
    const iov = this.alloc(8);
    this.view.setUint32(iov, buf, true);
    this.view.setUint32(iov + 4, max, true);
    const out = this.alloc(4);
    const errno = this.call.fd_read(fd, iov, 1, out);
    const n = this.view.getUint32(out, true);
    return {
      errno,
      value: errno === 0 ? dec.decode(new Uint8Array(this.memory.buffer, buf, n)) : "",
    };
  }
  close(fd: number): number {
    return this.call.fd_close(fd);
  }
  path1(name: string, dirfd: number, path: string): number {
    const [p, l] = this.put(path);
    return this.call[name](dirfd, p, l);
  }
  mkdir(dirfd: number, path: string): number {
    return this.path1("path_create_directory", dirfd, path);
  }
  rmdir(dirfd: number, path: string): number {
    return this.path1("path_remove_directory", dirfd, path);
  }
  unlink(dirfd: number, path: string): number {
    return this.path1("path_unlink_file", dirfd, path);
  }
  symlink(target: string, dirfd: number, path: string): number {
    const [t, tl] = this.put(target);
    const [p, l] = this.put(path);
    return this.call.path_symlink(t, tl, dirfd, p, l);
  }
  rename(dirfd: number, from: string, todir: number, to: string): number {
    const [f, fl] = this.put(from);
    const [t, tl] = this.put(to);
    return this.call.path_rename(dirfd, f, fl, todir, t, tl);
  }
  link(dirfd: number, from: string, todir: number, to: string, follow = false): number {
    const [f, fl] = this.put(from);
    const [t, tl] = this.put(to);
    return this.call.path_link(dirfd, follow ? 1 : 0, f, fl, todir, t, tl);
  }
  readlink(dirfd: number, path: string): Outcome<string> {
    const [p, l] = this.put(path);
    const buf = this.alloc(256);
    const out = this.alloc(4);
    const errno = this.call.path_readlink(dirfd, p, l, buf, 256, out);
    const n = this.view.getUint32(out, true);
    return {
      errno,
      value: errno === 0 ? dec.decode(new Uint8Array(this.memory.buffer, buf, n)) : "",
    };
  }
  /** path_filestat_get: [errno, filetype, size, mtim]. */
  stat(
    dirfd: number,
    path: string,
    follow = true,
  ): Outcome<{ type: number; size: bigint; mtim: bigint; ino: bigint }> {
    const [p, l] = this.put(path);
    const out = this.alloc(64);
    const errno = this.call.path_filestat_get(dirfd, follow ? 1 : 0, p, l, out);
    const v = this.view;
    return {
      errno,
      value: {
        ino: v.getBigUint64(out + 8, true),
        type: v.getUint8(out + 16),
        size: v.getBigUint64(out + 32, true),
        mtim: v.getBigUint64(out + 48, true),
      },
    };
  }
  setTimes(dirfd: number, path: string, mtim: bigint, follow = true): number {
    const [p, l] = this.put(path);
    return this.call.path_filestat_set_times(dirfd, follow ? 1 : 0, p, l, 0n, mtim, 4);
  }
  /** fd_readdir from cookie 0 with a big buffer: the names. */
  readdir(fd: number): Outcome<string[]> {
    const buf = this.alloc(65536);
    const out = this.alloc(4);
    const errno = this.call.fd_readdir(fd, buf, 65536, 0n, out);
    const used = this.view.getUint32(out, true);
    const names: string[] = [];
    for (let at = 0; at + 24 <= used;) {
      const len = this.view.getUint32(buf + at + 16, true);
      names.push(dec.decode(new Uint8Array(this.memory.buffer, buf + at + 24, len)));
      at += 24 + len;
    }
    return { errno, value: names };
  }
}

/** A directory handle whose calls can be intercepted (to stage races). */
export function hookDir(
  dir: DirHandle,
  before: (op: string, name: string | undefined) => void,
): DirHandle {
  return new Proxy(dir, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        before(String(prop), typeof args[0] === "string" ? args[0] : undefined);
        const r = v.apply(target, args);
        if (prop === "openDirAt" || prop === "reopen") return hookDir(r as DirHandle, before);
        return r;
      };
    },
  });
}
