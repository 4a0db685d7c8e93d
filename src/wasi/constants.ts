/**
 * WASI preview1 enumerations and flag sets (other than errno and rights),
 * as the witx definitions number them.
 *
 * @module
 */

/**
 * `filetype`: the type of a file descriptor or file.
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
export const Filetype = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;
/**
 * One `filetype` value.
 *
 * @example
 * ```ts
 * import { Errno, Filetype } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * const notFound: Errno = Errno.NOENT;
 * const dir: Filetype = Filetype.DIRECTORY;
 * assert.deepEqual([notFound, dir], [44, 3]);
 * ```
 */
export type Filetype = typeof Filetype[keyof typeof Filetype];

/** `fdflags`: file descriptor flags. */
export const Fdflags = {
  APPEND: 1,
  DSYNC: 2,
  NONBLOCK: 4,
  RSYNC: 8,
  SYNC: 16,
} as const;

/** `oflags`: open flags for `path_open`. */
export const Oflags = {
  CREAT: 1,
  DIRECTORY: 2,
  EXCL: 4,
  TRUNC: 8,
} as const;

/** `lookupflags`: how `path_*` calls resolve the last component. */
export const Lookupflags = {
  SYMLINK_FOLLOW: 1,
} as const;

/** `fstflags`: which timestamps `*_set_times` changes. */
export const Fstflags = {
  ATIM: 1,
  ATIM_NOW: 2,
  MTIM: 4,
  MTIM_NOW: 8,
} as const;

/** `clockid`. */
export const Clockid = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME_ID: 2,
  THREAD_CPUTIME_ID: 3,
} as const;

/** `eventtype`: what a subscription waits for. */
export const Eventtype = {
  CLOCK: 0,
  FD_READ: 1,
  FD_WRITE: 2,
} as const;

/** `eventrwflags`. */
export const EVENTRWFLAGS_FD_READWRITE_HANGUP = 1;

/** `subclockflags`: the timeout is an absolute time of the clock. */
export const SUBCLOCKFLAGS_ABSTIME = 1;

/** `whence` in `wasi_snapshot_preview1`. */
export const Whence = {
  SET: 0,
  CUR: 1,
  END: 2,
} as const;

/** `whence` in `wasi_unstable` (snapshot 0), which numbers them differently. */
export const WhenceUnstable = {
  CUR: 0,
  END: 1,
  SET: 2,
} as const;

/** `advice` for `fd_advise`. */
export const Advice = {
  NORMAL: 0,
  SEQUENTIAL: 1,
  RANDOM: 2,
  WILLNEED: 3,
  DONTNEED: 4,
  NOREUSE: 5,
} as const;

/** `preopentype`. */
export const PREOPENTYPE_DIR = 0;

/** `riflags` for `sock_recv`. */
export const Riflags = {
  RECV_PEEK: 1,
  RECV_WAITALL: 2,
} as const;

/** `roflags` for `sock_recv`. */
export const ROFLAGS_RECV_DATA_TRUNCATED = 1;

/** `sdflags` for `sock_shutdown`. */
export const Sdflags = {
  RD: 1,
  WR: 2,
} as const;

/**
 * `signal` numbers of WASI mapped to the conventional POSIX (Linux) signal
 * numbers, which give the `128 + n` exit status of a guest killed by
 * `proc_raise`. Index = WASI signal.
 */
export const SIGNAL_TO_POSIX: readonly number[] = [
  0, // none
  1, // hup
  2, // int
  3, // quit
  4, // ill
  5, // trap
  6, // abrt
  7, // bus
  8, // fpe
  9, // kill
  10, // usr1
  11, // segv
  12, // usr2
  13, // pipe
  14, // alrm
  15, // term
  17, // chld
  18, // cont
  19, // stop
  20, // tstp
  21, // ttin
  22, // ttou
  23, // urg
  24, // xcpu
  25, // xfsz
  26, // vtalrm
  27, // prof
  28, // winch
  29, // poll
  30, // pwr
  31, // sys
];

/**
 * WASI signals whose default action is to be ignored or to stop the
 * process; `proc_raise` treats them as a no-op rather than a termination.
 */
export const SIGNALS_IGNORED: ReadonlySet<number> = new Set([16, 17, 18, 19, 20, 21, 22, 27]);
