/**
 * Fixes to the preview2-shim's (0.26.1) `wasi:filesystem` descriptor,
 * installed once as wrappers around its methods. Each was found by the
 * wasi-testsuite programs run through the preview1 adapter; each only turns
 * a wrong answer into the one wasmtime gives.
 *
 * - `read-directory` on a preopen failed with `bad-descriptor` on every
 *   runtime: it is answered by reading the preopen's `.`.
 * - `set-times` on a descriptor passed milliseconds where `futimes` takes
 *   seconds (times landed ~50,000 years out), and `no-change` was turned into
 *   milliseconds too: the wrapper resolves both times itself and hands the
 *   shim values it converts to the right seconds.
 * - Times are stored through float seconds (Deno keeps only milliseconds),
 *   so a time set with nanoseconds read back rounded: as Gannet's preview1
 *   host does, a {@link TimeKeeper} remembers the exact time set while the
 *   file still holds the rounded one.
 * - Under Deno, `unlink-file-at` removed an empty directory and
 *   `open-at` with `create` + `exclusive` opened an existing file: both are
 *   checked first (`is-directory`, `exist`).
 * - A path with a NUL byte reached `node:fs`, whose TypeError trapped the
 *   guest: it fails with `invalid`.
 * - `get-flags` of a preopen returned nothing (jco's glue lowers that as no
 *   flags; the canonical ABI traps): a preopen reports `read` and
 *   `mutate-directory`, as wasmtime's writable preopens do.
 *
 * @module
 */
import type { Filestat, TimeSpec } from "../wasi/fs_host.ts";
import { type HostTime, TimeKeeper } from "../wasi/node_fs_times.ts";
import { filesystem } from "./shim.ts";

interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}
interface DescriptorStat {
  type: string;
  dataAccessTimestamp?: Datetime;
  dataModificationTimestamp?: Datetime;
}
type NewTimestamp = { tag: "no-change" | "now" } | { tag: "timestamp"; val: Datetime };
interface PathFlags {
  symlinkFollow?: boolean;
}
interface OpenFlags {
  directory?: boolean;
  create?: boolean;
  exclusive?: boolean;
}

interface Descriptor {
  readDirectory(): unknown;
  getFlags(): object | undefined;
  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: object): Descriptor;
  stat(): DescriptorStat;
  statAt(pathFlags: PathFlags, path: string): DescriptorStat;
  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void;
  setTimesAt(pathFlags: PathFlags, path: string, atime: NewTimestamp, mtime: NewTimestamp): void;
  unlinkFileAt(path: string): void;
  metadataHash(): { lower: bigint };
  metadataHashAt(pathFlags: PathFlags, path: string): { lower: bigint };
  [Symbol.dispose]?(): void;
}

type Method = (this: Descriptor, ...args: never[]) => unknown;

const keeper = new TimeKeeper();
let keeping = false;

function ns(t: Datetime | undefined): bigint {
  return t === undefined ? 0n : t.seconds * 1_000_000_000n + BigInt(t.nanoseconds);
}

function datetime(n: bigint): Datetime {
  return { seconds: n / 1_000_000_000n, nanoseconds: Number(n % 1_000_000_000n) };
}

function spec(t: NewTimestamp): TimeSpec {
  if (t.tag === "timestamp") return ns(t.val);
  return t.tag === "now" ? "now" : null;
}

function filestat(st: DescriptorStat, ino: bigint): Filestat {
  return {
    ino,
    atim: ns(st.dataAccessTimestamp),
    mtim: ns(st.dataModificationTimestamp),
  } as Filestat;
}

/** Reports the kept exact times of the file (identified by `ino`) into `st`. */
function withKeptTimes(st: DescriptorStat, ino: () => bigint): DescriptorStat {
  if (!keeping || st.dataModificationTimestamp === undefined) return st;
  const f = keeper.apply(filestat(st, ino()));
  return {
    ...st,
    dataAccessTimestamp: datetime(f.atim),
    dataModificationTimestamp: datetime(f.mtim),
  };
}

/** A timestamp the shim's `set-times` (which divides by 1,000 too few) turns into `t` seconds. */
function forSetTimes(t: HostTime): NewTimestamp {
  return { tag: "timestamp", val: { seconds: 0n, nanoseconds: t.seconds * 1e6 } };
}

/** A timestamp the shim's `set-times-at` turns into `t` seconds. */
function forSetTimesAt(t: HostTime): NewTimestamp {
  return { tag: "timestamp", val: datetime(t.ns) };
}

function checkPath(path: unknown): void {
  if (typeof path === "string" && path.includes("\0")) throw "invalid";
}

/** The methods of `proto` as they are now (class methods are not enumerable: no spread). */
function snapshot(proto: Record<string, Method>): Descriptor {
  const out: Record<string, Method> = {};
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (typeof proto[name] === "function") out[name] = proto[name];
  }
  return out as unknown as Descriptor;
}

let installed = false;

/** Installs the fixes on the shim's `Descriptor` (once per process). */
export function installFsFixes(): void {
  if (installed) return;
  installed = true;
  const proto = filesystem.types.Descriptor.prototype as unknown as Record<string, Method>;
  const inner = snapshot(proto);
  const wrap = (name: string, f: Method) => (proto[name] = f);
  for (
    const name of [
      "createDirectoryAt",
      "linkAt",
      "metadataHashAt",
      "openAt",
      "readlinkAt",
      "removeDirectoryAt",
      "renameAt",
      "setTimesAt",
      "statAt",
      "symlinkAt",
      "unlinkFileAt",
    ]
  ) {
    const f = proto[name];
    wrap(name, function (this: Descriptor, ...args: never[]) {
      for (const a of args) checkPath(a);
      return f.apply(this, args);
    });
  }
  const checked = snapshot(proto);

  wrap("readDirectory", function (this: Descriptor) {
    try {
      return inner.readDirectory.call(this);
    } catch (e) {
      if (e !== "bad-descriptor") throw e;
      // Only a preopen has no opened path; its "." is a descriptor that has one.
      const self = this.openAt({ symlinkFollow: false }, ".", { directory: true }, { read: true });
      try {
        return inner.readDirectory.call(self);
      } finally {
        self[Symbol.dispose]?.();
      }
    }
  });

  wrap("getFlags", function (this: Descriptor) {
    return inner.getFlags.call(this) ?? { read: true, mutateDirectory: true };
  });

  wrap("stat", function (this: Descriptor) {
    return withKeptTimes(inner.stat.call(this), () => this.metadataHash().lower);
  });
  wrap("statAt", function (this: Descriptor, flags: PathFlags, path: string) {
    const st = checked.statAt.call(this, flags, path);
    return withKeptTimes(st, () => this.metadataHashAt(flags, path).lower);
  } as Method);

  wrap("setTimes", function (this: Descriptor, atime: NewTimestamp, mtime: NewTimestamp) {
    const ino = () => this.metadataHash().lower;
    const [a, m] = keeper.resolve(filestat(this.stat(), 0n), spec(atime), spec(mtime));
    inner.setTimes.call(this, forSetTimes(a), forSetTimes(m));
    keeping = true;
    keeper.record(filestat(inner.stat.call(this), ino()), a, m);
  } as Method);
  wrap("setTimesAt", function (
    this: Descriptor,
    flags: PathFlags,
    path: string,
    atime: NewTimestamp,
    mtime: NewTimestamp,
  ) {
    const now = this.statAt(flags, path);
    const [a, m] = keeper.resolve(filestat(now, 0n), spec(atime), spec(mtime));
    checked.setTimesAt.call(this, flags, path, forSetTimesAt(a), forSetTimesAt(m));
    keeping = true;
    const after = checked.statAt.call(this, flags, path);
    keeper.record(filestat(after, this.metadataHashAt(flags, path).lower), a, m);
  } as Method);

  wrap("unlinkFileAt", function (this: Descriptor, path: string) {
    checkPath(path);
    if (!path.endsWith("/")) {
      let type = "";
      try {
        type = checked.statAt.call(this, { symlinkFollow: false }, path).type;
      } catch {
        // Missing or not reachable: the unlink itself reports it.
      }
      if (type === "directory") throw "is-directory";
    }
    return checked.unlinkFileAt.call(this, path);
  } as Method);

  wrap("openAt", function (
    this: Descriptor,
    flags: PathFlags,
    path: string,
    open: OpenFlags,
    descriptorFlags: object,
  ) {
    checkPath(path);
    if (open.create && open.exclusive) {
      let exists = false;
      try {
        checked.statAt.call(this, { symlinkFollow: false }, path);
        exists = true;
      } catch {
        // Not there (or not reachable): the open decides.
      }
      if (exists) throw "exist";
    }
    return checked.openAt.call(this, flags, path, open, descriptorFlags);
  } as Method);
}
