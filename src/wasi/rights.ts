/**
 * WASI rights: the capability bits a file descriptor carries, and the sets
 * given to each kind of descriptor. All bits fit in 30 bits, so they are
 * plain numbers; values from the guest (u64) are checked for high bits.
 *
 * @module
 */

/**
 * Rights bits. `SOCK_ACCEPT` exists in preview1 only.
 *
 * @example
 * ```ts
 * import { Filetype, Rights } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * assert.equal(Filetype.DIRECTORY, 3);
 * assert.equal(Rights.FD_READ, 2);
 * ```
 */
export const Rights = {
  FD_DATASYNC: 1 << 0,
  FD_READ: 1 << 1,
  FD_SEEK: 1 << 2,
  FD_FDSTAT_SET_FLAGS: 1 << 3,
  FD_SYNC: 1 << 4,
  FD_TELL: 1 << 5,
  FD_WRITE: 1 << 6,
  FD_ADVISE: 1 << 7,
  FD_ALLOCATE: 1 << 8,
  PATH_CREATE_DIRECTORY: 1 << 9,
  PATH_CREATE_FILE: 1 << 10,
  PATH_LINK_SOURCE: 1 << 11,
  PATH_LINK_TARGET: 1 << 12,
  PATH_OPEN: 1 << 13,
  FD_READDIR: 1 << 14,
  PATH_READLINK: 1 << 15,
  PATH_RENAME_SOURCE: 1 << 16,
  PATH_RENAME_TARGET: 1 << 17,
  PATH_FILESTAT_GET: 1 << 18,
  PATH_FILESTAT_SET_SIZE: 1 << 19,
  PATH_FILESTAT_SET_TIMES: 1 << 20,
  FD_FILESTAT_GET: 1 << 21,
  FD_FILESTAT_SET_SIZE: 1 << 22,
  FD_FILESTAT_SET_TIMES: 1 << 23,
  PATH_SYMLINK: 1 << 24,
  PATH_REMOVE_DIRECTORY: 1 << 25,
  PATH_UNLINK_FILE: 1 << 26,
  POLL_FD_READWRITE: 1 << 27,
  SOCK_SHUTDOWN: 1 << 28,
  SOCK_ACCEPT: 1 << 29,
} as const;

/** Every defined right. */
export const RIGHTS_ALL: number = (1 << 30) - 1;

/** Rights that only make sense on a regular file. */
export const RIGHTS_FILE_BASE: number = Rights.FD_DATASYNC | Rights.FD_READ | Rights.FD_SEEK |
  Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC | Rights.FD_TELL | Rights.FD_WRITE |
  Rights.FD_ADVISE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_SIZE |
  Rights.FD_FILESTAT_SET_TIMES | Rights.POLL_FD_READWRITE;

/** Rights of a directory descriptor itself. */
export const RIGHTS_DIR_BASE: number = Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC |
  Rights.FD_ADVISE | Rights.PATH_CREATE_DIRECTORY | Rights.PATH_CREATE_FILE |
  Rights.PATH_LINK_SOURCE | Rights.PATH_LINK_TARGET | Rights.PATH_OPEN | Rights.FD_READDIR |
  Rights.PATH_READLINK | Rights.PATH_RENAME_SOURCE | Rights.PATH_RENAME_TARGET |
  Rights.PATH_FILESTAT_GET | Rights.PATH_FILESTAT_SET_SIZE | Rights.PATH_FILESTAT_SET_TIMES |
  Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_TIMES | Rights.PATH_SYMLINK |
  Rights.PATH_REMOVE_DIRECTORY | Rights.PATH_UNLINK_FILE | Rights.FD_DATASYNC;

/** Rights a directory passes on to what is opened through it. */
export const RIGHTS_DIR_INHERITING: number = RIGHTS_DIR_BASE | RIGHTS_FILE_BASE;

/** Rights of a terminal or pipe (stdio): no seek/tell, so `isatty` can tell them apart. */
export const RIGHTS_TTY_BASE: number = Rights.FD_READ | Rights.FD_FDSTAT_SET_FLAGS |
  Rights.FD_WRITE | Rights.FD_FILESTAT_GET | Rights.POLL_FD_READWRITE | Rights.FD_SYNC |
  Rights.FD_DATASYNC;

/** Rights of a connected or listening socket. */
export const RIGHTS_SOCKET_BASE: number = Rights.FD_READ | Rights.FD_FDSTAT_SET_FLAGS |
  Rights.FD_WRITE | Rights.FD_FILESTAT_GET | Rights.POLL_FD_READWRITE | Rights.SOCK_SHUTDOWN |
  Rights.SOCK_ACCEPT;

/**
 * Splits a guest u64 rights value into the defined bits, or returns null if
 * it has bits no right defines (such a value can never be a subset of what
 * a descriptor holds).
 */
export function rightsFromGuest(value: bigint): number | null {
  if (value < 0n || value > BigInt(RIGHTS_ALL)) return null;
  return Number(value);
}
