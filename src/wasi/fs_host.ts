/**
 * The host filesystem interface the WASI layer works on. A backend gives
 * directory and file handles whose operations take ONE path component
 * (never a path): the WASI layer resolves guest paths component by
 * component itself (see `path_resolve.ts`), so a backend never walks a
 * guest-controlled path and never follows a symlink in the last component
 * (every `...At` operation is "no follow"). Failures are thrown as
 * `WasiError` or as host errors with a POSIX `code`.
 *
 * @module
 */
import type { Filetype } from "./constants.ts";

/**
 * File attributes, in WASI's units (nanoseconds, bytes).
 *
 * @example
 * ```ts
 * import {
 *   type DirEntry,
 *   type DirHandle,
 *   type FileHandle,
 *   type Filestat,
 *   Filetype,
 *   MemoryFileSystem,
 *   type OpenFileOptions,
 *   type TimeSpec,
 * } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const fs = new MemoryFileSystem();
 * fs.writeFile("notes.txt", "hi");
 * const root: DirHandle = fs.root();
 * const entries: DirEntry[] = root.entries();
 * assert.ok(entries.some((e) => e.name === "notes.txt"));
 * const readOnly: OpenFileOptions = {
 *   read: true,
 *   write: false,
 *   create: false,
 *   exclusive: false,
 *   truncate: false,
 * };
 * const file: FileHandle = root.openFileAt("notes.txt", readOnly);
 * const stat: Filestat = file.stat();
 * assert.equal(stat.size, 2n);
 * assert.equal(stat.filetype, Filetype.REGULAR_FILE);
 * const keep: TimeSpec = null; // null leaves a time as it is, "now" sets the host's clock
 * file.setTimes(keep, "now");
 * file.close();
 * ```
 */
export interface Filestat {
  /** Device id. */
  dev: bigint;
  /** Inode number. */
  ino: bigint;
  /** The entry's type. */
  filetype: Filetype;
  /** Number of hard links. */
  nlink: bigint;
  /** Size in bytes (for a symlink, the length of its target). */
  size: bigint;
  /** Last access, ns since the epoch. */
  atim: bigint;
  /** Last modification, ns since the epoch. */
  mtim: bigint;
  /** Last status change, ns since the epoch. */
  ctim: bigint;
}

/**
 * One directory entry (never `.` or `..`).
 *
 * @example
 * ```ts
 * import {
 *   type DirEntry,
 *   type DirHandle,
 *   type FileHandle,
 *   type Filestat,
 *   Filetype,
 *   MemoryFileSystem,
 *   type OpenFileOptions,
 *   type TimeSpec,
 * } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const fs = new MemoryFileSystem();
 * fs.writeFile("notes.txt", "hi");
 * const root: DirHandle = fs.root();
 * const entries: DirEntry[] = root.entries();
 * assert.ok(entries.some((e) => e.name === "notes.txt"));
 * const readOnly: OpenFileOptions = {
 *   read: true,
 *   write: false,
 *   create: false,
 *   exclusive: false,
 *   truncate: false,
 * };
 * const file: FileHandle = root.openFileAt("notes.txt", readOnly);
 * const stat: Filestat = file.stat();
 * assert.equal(stat.size, 2n);
 * assert.equal(stat.filetype, Filetype.REGULAR_FILE);
 * const keep: TimeSpec = null; // null leaves a time as it is, "now" sets the host's clock
 * file.setTimes(keep, "now");
 * file.close();
 * ```
 */
export interface DirEntry {
  /** The entry's name. */
  name: string;
  /** Its type (that of a symlink itself, not of its target). */
  filetype: Filetype;
  /** Its inode number. */
  ino: bigint;
}

/**
 * A timestamp to set: ns since the epoch, `"now"`, or null to leave it unchanged.
 *
 * @example
 * ```ts
 * import {
 *   type DirEntry,
 *   type DirHandle,
 *   type FileHandle,
 *   type Filestat,
 *   Filetype,
 *   MemoryFileSystem,
 *   type OpenFileOptions,
 *   type TimeSpec,
 * } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const fs = new MemoryFileSystem();
 * fs.writeFile("notes.txt", "hi");
 * const root: DirHandle = fs.root();
 * const entries: DirEntry[] = root.entries();
 * assert.ok(entries.some((e) => e.name === "notes.txt"));
 * const readOnly: OpenFileOptions = {
 *   read: true,
 *   write: false,
 *   create: false,
 *   exclusive: false,
 *   truncate: false,
 * };
 * const file: FileHandle = root.openFileAt("notes.txt", readOnly);
 * const stat: Filestat = file.stat();
 * assert.equal(stat.size, 2n);
 * assert.equal(stat.filetype, Filetype.REGULAR_FILE);
 * const keep: TimeSpec = null; // null leaves a time as it is, "now" sets the host's clock
 * file.setTimes(keep, "now");
 * file.close();
 * ```
 */
export type TimeSpec = bigint | "now" | null;

/**
 * How {@link DirHandle.openFileAt} opens a file.
 *
 * @example
 * ```ts
 * import {
 *   type DirEntry,
 *   type DirHandle,
 *   type FileHandle,
 *   type Filestat,
 *   Filetype,
 *   MemoryFileSystem,
 *   type OpenFileOptions,
 *   type TimeSpec,
 * } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const fs = new MemoryFileSystem();
 * fs.writeFile("notes.txt", "hi");
 * const root: DirHandle = fs.root();
 * const entries: DirEntry[] = root.entries();
 * assert.ok(entries.some((e) => e.name === "notes.txt"));
 * const readOnly: OpenFileOptions = {
 *   read: true,
 *   write: false,
 *   create: false,
 *   exclusive: false,
 *   truncate: false,
 * };
 * const file: FileHandle = root.openFileAt("notes.txt", readOnly);
 * const stat: Filestat = file.stat();
 * assert.equal(stat.size, 2n);
 * assert.equal(stat.filetype, Filetype.REGULAR_FILE);
 * const keep: TimeSpec = null; // null leaves a time as it is, "now" sets the host's clock
 * file.setTimes(keep, "now");
 * file.close();
 * ```
 */
export interface OpenFileOptions {
  /** Open for reading. */
  read: boolean;
  /** Open for writing. */
  write: boolean;
  /** Create the file if it is missing. */
  create: boolean;
  /** With `create`: fail with EEXIST if the entry exists. */
  exclusive: boolean;
  /** Truncate to length 0. */
  truncate: boolean;
}

/**
 * An open file (regular file or device), addressed by explicit positions.
 *
 * @example
 * ```ts
 * import {
 *   type DirEntry,
 *   type DirHandle,
 *   type FileHandle,
 *   type Filestat,
 *   Filetype,
 *   MemoryFileSystem,
 *   type OpenFileOptions,
 *   type TimeSpec,
 * } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const fs = new MemoryFileSystem();
 * fs.writeFile("notes.txt", "hi");
 * const root: DirHandle = fs.root();
 * const entries: DirEntry[] = root.entries();
 * assert.ok(entries.some((e) => e.name === "notes.txt"));
 * const readOnly: OpenFileOptions = {
 *   read: true,
 *   write: false,
 *   create: false,
 *   exclusive: false,
 *   truncate: false,
 * };
 * const file: FileHandle = root.openFileAt("notes.txt", readOnly);
 * const stat: Filestat = file.stat();
 * assert.equal(stat.size, 2n);
 * assert.equal(stat.filetype, Filetype.REGULAR_FILE);
 * const keep: TimeSpec = null; // null leaves a time as it is, "now" sets the host's clock
 * file.setTimes(keep, "now");
 * file.close();
 * ```
 */
export interface FileHandle {
  /** Attributes of the open file. */
  stat(): Filestat;
  /** Reads into `buf` at `position`; returns the count (0 at end of file). */
  read(buf: Uint8Array, position: bigint): number;
  /** Writes `buf` at `position`; returns the count written. */
  write(buf: Uint8Array, position: bigint): number;
  /** Sets the size, zero-filling when it grows. */
  truncate(size: bigint): void;
  /** Ensures `[offset, offset+len)` is allocated (the file grows if needed). */
  allocate(offset: bigint, len: bigint): void;
  /** Flushes data and metadata to storage. */
  sync(): void;
  /** Flushes data to storage. */
  datasync(): void;
  /** Sets access and modification times. */
  setTimes(atim: TimeSpec, mtim: TimeSpec): void;
  /** Releases the handle (idempotent). */
  close(): void;
}

/**
 * An open directory. `name` arguments are single components, never `.`/`..`.
 *
 * @example
 * ```ts
 * import {
 *   type DirEntry,
 *   type DirHandle,
 *   type FileHandle,
 *   type Filestat,
 *   Filetype,
 *   MemoryFileSystem,
 *   type OpenFileOptions,
 *   type TimeSpec,
 * } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const fs = new MemoryFileSystem();
 * fs.writeFile("notes.txt", "hi");
 * const root: DirHandle = fs.root();
 * const entries: DirEntry[] = root.entries();
 * assert.ok(entries.some((e) => e.name === "notes.txt"));
 * const readOnly: OpenFileOptions = {
 *   read: true,
 *   write: false,
 *   create: false,
 *   exclusive: false,
 *   truncate: false,
 * };
 * const file: FileHandle = root.openFileAt("notes.txt", readOnly);
 * const stat: Filestat = file.stat();
 * assert.equal(stat.size, 2n);
 * assert.equal(stat.filetype, Filetype.REGULAR_FILE);
 * const keep: TimeSpec = null; // null leaves a time as it is, "now" sets the host's clock
 * file.setTimes(keep, "now");
 * file.close();
 * ```
 */
export interface DirHandle {
  /** Attributes of the directory itself. */
  stat(): Filestat;
  /** The directory's entries (without `.` and `..`), in a stable order. */
  entries(): DirEntry[];
  /** Attributes of an entry, not following a symlink. */
  statAt(name: string): Filestat;
  /** Opens a subdirectory (ENOTDIR if it is not one, ELOOP if it is a symlink). */
  openDirAt(name: string): DirHandle;
  /** A second, independent handle to this same directory. */
  reopen(): DirHandle;
  /** Opens (or creates) a non-directory entry; ELOOP if it is a symlink. */
  openFileAt(name: string, options: OpenFileOptions): FileHandle;
  /** A symlink's target. */
  readlinkAt(name: string): string;
  /** Creates a directory. */
  mkdirAt(name: string): void;
  /** Removes an empty directory. */
  rmdirAt(name: string): void;
  /** Removes a non-directory entry. */
  unlinkAt(name: string): void;
  /** Creates a symlink `name` pointing at `target` (stored verbatim). */
  symlinkAt(target: string, name: string): void;
  /** Creates hard link `dstName` in `dst` to entry `name` here (EXDEV across backends). */
  linkAt(name: string, dst: DirHandle, dstName: string): void;
  /** Renames entry `name` here to `dstName` in `dst` (EXDEV across backends). */
  renameAt(name: string, dst: DirHandle, dstName: string): void;
  /** Sets an entry's times, not following a symlink. */
  setTimesAt(name: string, atim: TimeSpec, mtim: TimeSpec): void;
  /** Sets the directory's own times. */
  setTimes(atim: TimeSpec, mtim: TimeSpec): void;
  /** Flushes the directory to storage. */
  sync(): void;
  /** Releases the handle (idempotent). */
  close(): void;
}
