/**
 * The WASI preview1 functions and their parameters, as the fuzzer fills
 * them: `fd`, `dirfd` (mostly a preopened directory), `i32`, `flags` (a small bit set or enum), `i64` (a BigInt,
 * as wasm passes it), `rights` (an i64 bit set), `ptr`, and the
 * pairs `path` (pointer, length of a path written into memory) and `iovs`
 * (pointer, count of iovecs), and `subs`/`nsubs` (poll subscriptions written
 * into memory, and their count).
 * `wasi_unstable` has the same functions and parameters.
 *
 * @module
 */

/** One parameter (or parameter pair) kind. */
export type ArgKind =
  | "fd"
  | "dirfd"
  | "i32"
  | "flags"
  | "i64"
  | "rights"
  | "ptr"
  | "path"
  | "iovs"
  | "subs"
  | "nsubs";

/** Every preview1 function, with its parameter kinds in order. */
export const WASI_CALLS: Readonly<Record<string, readonly ArgKind[]>> = {
  args_get: ["ptr", "ptr"],
  args_sizes_get: ["ptr", "ptr"],
  environ_get: ["ptr", "ptr"],
  environ_sizes_get: ["ptr", "ptr"],
  clock_res_get: ["flags", "ptr"],
  clock_time_get: ["flags", "i64", "ptr"],
  fd_advise: ["fd", "i64", "i64", "flags"],
  fd_allocate: ["fd", "i64", "i64"],
  fd_close: ["fd"],
  fd_datasync: ["fd"],
  fd_fdstat_get: ["fd", "ptr"],
  fd_fdstat_set_flags: ["fd", "flags"],
  fd_fdstat_set_rights: ["fd", "rights", "rights"],
  fd_filestat_get: ["fd", "ptr"],
  fd_filestat_set_size: ["fd", "i64"],
  fd_filestat_set_times: ["fd", "i64", "i64", "flags"],
  fd_pread: ["fd", "iovs", "i64", "ptr"],
  fd_prestat_get: ["fd", "ptr"],
  fd_prestat_dir_name: ["fd", "ptr", "i32"],
  fd_pwrite: ["fd", "iovs", "i64", "ptr"],
  fd_read: ["fd", "iovs", "ptr"],
  fd_readdir: ["fd", "ptr", "i32", "i64", "ptr"],
  fd_renumber: ["fd", "fd"],
  fd_seek: ["fd", "i64", "flags", "ptr"],
  fd_sync: ["fd"],
  fd_tell: ["fd", "ptr"],
  fd_write: ["fd", "iovs", "ptr"],
  path_create_directory: ["dirfd", "path"],
  path_filestat_get: ["dirfd", "flags", "path", "ptr"],
  path_filestat_set_times: ["dirfd", "flags", "path", "i64", "i64", "flags"],
  path_link: ["dirfd", "flags", "path", "dirfd", "path"],
  path_open: ["dirfd", "flags", "path", "flags", "rights", "rights", "flags", "ptr"],
  path_readlink: ["dirfd", "path", "ptr", "i32", "ptr"],
  path_remove_directory: ["dirfd", "path"],
  path_rename: ["dirfd", "path", "dirfd", "path"],
  path_symlink: ["path", "dirfd", "path"],
  path_unlink_file: ["dirfd", "path"],
  poll_oneoff: ["subs", "ptr", "nsubs", "ptr"],
  proc_exit: ["i32"],
  proc_raise: ["i32"],
  random_get: ["ptr", "i32"],
  sched_yield: [],
  sock_accept: ["fd", "flags", "ptr"],
  sock_recv: ["fd", "iovs", "flags", "ptr", "ptr"],
  sock_send: ["fd", "iovs", "flags", "ptr"],
  sock_shutdown: ["fd", "flags"],
};
