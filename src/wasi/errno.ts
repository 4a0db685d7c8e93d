/**
 * WASI errno values (identical in `wasi_snapshot_preview1` and
 * `wasi_unstable`), the error class the WASI layer throws internally, and
 * the mapping from host (`node:fs`) error codes to errno.
 *
 * @module
 */

/**
 * WASI error numbers.
 *
 * @example
 * ```ts
 * import { Errno, WasiError } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * assert.equal(Errno.NOENT, 44);
 * const e = new WasiError(Errno.NOENT, "no such file: data.txt");
 * assert.equal(e.errno, Errno.NOENT);
 * ```
 */
export const Errno = {
  SUCCESS: 0,
  TOOBIG: 1,
  ACCES: 2,
  ADDRINUSE: 3,
  ADDRNOTAVAIL: 4,
  AFNOSUPPORT: 5,
  AGAIN: 6,
  ALREADY: 7,
  BADF: 8,
  BADMSG: 9,
  BUSY: 10,
  CANCELED: 11,
  CHILD: 12,
  CONNABORTED: 13,
  CONNREFUSED: 14,
  CONNRESET: 15,
  DEADLK: 16,
  DESTADDRREQ: 17,
  DOM: 18,
  DQUOT: 19,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  HOSTUNREACH: 23,
  IDRM: 24,
  ILSEQ: 25,
  INPROGRESS: 26,
  INTR: 27,
  INVAL: 28,
  IO: 29,
  ISCONN: 30,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  MLINK: 34,
  MSGSIZE: 35,
  MULTIHOP: 36,
  NAMETOOLONG: 37,
  NETDOWN: 38,
  NETRESET: 39,
  NETUNREACH: 40,
  NFILE: 41,
  NOBUFS: 42,
  NODEV: 43,
  NOENT: 44,
  NOEXEC: 45,
  NOLCK: 46,
  NOLINK: 47,
  NOMEM: 48,
  NOMSG: 49,
  NOPROTOOPT: 50,
  NOSPC: 51,
  NOSYS: 52,
  NOTCONN: 53,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTRECOVERABLE: 56,
  NOTSOCK: 57,
  NOTSUP: 58,
  NOTTY: 59,
  NXIO: 60,
  OVERFLOW: 61,
  OWNERDEAD: 62,
  PERM: 63,
  PIPE: 64,
  PROTO: 65,
  PROTONOSUPPORT: 66,
  PROTOTYPE: 67,
  RANGE: 68,
  ROFS: 69,
  SPIPE: 70,
  SRCH: 71,
  STALE: 72,
  TIMEDOUT: 73,
  TXTBSY: 74,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;
/**
 * One WASI errno value.
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
export type Errno = typeof Errno[keyof typeof Errno];

/**
 * A failure that becomes a WASI errno at the host-call boundary. Backends
 * and helpers throw it; it never reaches the guest as an exception.
 *
 * @example
 * ```ts
 * import { Errno, WasiError } from "@gannet/wasm/wasi";
 * import assert from "node:assert/strict";
 *
 * assert.equal(Errno.NOENT, 44);
 * const e = new WasiError(Errno.NOENT, "no such file: data.txt");
 * assert.equal(e.errno, Errno.NOENT);
 * ```
 */
export class WasiError extends Error {
  /** The errno the guest receives. */
  readonly errno: Errno;
  /**
   * Creates the error.
   *
   * @param errno The errno to return to the guest.
   * @param message Optional detail, for host-side diagnostics.
   */
  constructor(errno: Errno, message?: string) {
    super(message ?? `WASI errno ${errno} (${errnoName(errno)})`);
    this.name = "WasiError";
    this.errno = errno;
  }
}

const NAMES: string[] = [];
for (const [name, value] of Object.entries(Errno)) NAMES[value] = name.toLowerCase();

/** The lower-case name of an errno (`"noent"`), for messages. */
export function errnoName(errno: number): string {
  return NAMES[errno] ?? `errno${errno}`;
}

/** Host error codes (`node:fs` `err.code`, POSIX names) mapped to errno. */
const HOST_CODES: Readonly<Record<string, Errno>> = {
  E2BIG: Errno.TOOBIG,
  EACCES: Errno.ACCES,
  EADDRINUSE: Errno.ADDRINUSE,
  EADDRNOTAVAIL: Errno.ADDRNOTAVAIL,
  EAFNOSUPPORT: Errno.AFNOSUPPORT,
  EAGAIN: Errno.AGAIN,
  EWOULDBLOCK: Errno.AGAIN,
  EALREADY: Errno.ALREADY,
  EBADF: Errno.BADF,
  EBUSY: Errno.BUSY,
  ECANCELED: Errno.CANCELED,
  ECONNABORTED: Errno.CONNABORTED,
  ECONNREFUSED: Errno.CONNREFUSED,
  ECONNRESET: Errno.CONNRESET,
  EDQUOT: Errno.DQUOT,
  EEXIST: Errno.EXIST,
  EFAULT: Errno.FAULT,
  EFBIG: Errno.FBIG,
  EHOSTUNREACH: Errno.HOSTUNREACH,
  EILSEQ: Errno.ILSEQ,
  EINTR: Errno.INTR,
  EINVAL: Errno.INVAL,
  EIO: Errno.IO,
  EISCONN: Errno.ISCONN,
  EISDIR: Errno.ISDIR,
  ELOOP: Errno.LOOP,
  EMFILE: Errno.MFILE,
  EMLINK: Errno.MLINK,
  EMSGSIZE: Errno.MSGSIZE,
  ENAMETOOLONG: Errno.NAMETOOLONG,
  ENETDOWN: Errno.NETDOWN,
  ENETUNREACH: Errno.NETUNREACH,
  ENFILE: Errno.NFILE,
  ENOBUFS: Errno.NOBUFS,
  ENODEV: Errno.NODEV,
  ENOENT: Errno.NOENT,
  ENOMEM: Errno.NOMEM,
  ENOSPC: Errno.NOSPC,
  ENOSYS: Errno.NOSYS,
  ENOTCONN: Errno.NOTCONN,
  ENOTDIR: Errno.NOTDIR,
  ENOTEMPTY: Errno.NOTEMPTY,
  ENOTSOCK: Errno.NOTSOCK,
  ENOTSUP: Errno.NOTSUP,
  EOPNOTSUPP: Errno.NOTSUP,
  ENOTTY: Errno.NOTTY,
  ENXIO: Errno.NXIO,
  EOVERFLOW: Errno.OVERFLOW,
  EPERM: Errno.PERM,
  EPIPE: Errno.PIPE,
  ERANGE: Errno.RANGE,
  EROFS: Errno.ROFS,
  ESPIPE: Errno.SPIPE,
  ESRCH: Errno.SRCH,
  ETIMEDOUT: Errno.TIMEDOUT,
  ETXTBSY: Errno.TXTBSY,
  EXDEV: Errno.XDEV,
};

/**
 * The errno for any thrown value: a {@link WasiError} keeps its errno, a host
 * error is mapped by its `code`, anything else is `EIO`.
 */
export function toErrno(err: unknown): Errno {
  if (err instanceof WasiError) return err.errno;
  if (typeof err === "object" && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code in HOST_CODES) return HOST_CODES[code];
    // Deno reports some failures by class name (e.g. NotFound) without a code.
    const name = (err as { name?: unknown }).name;
    if (name === "NotFound") return Errno.NOENT;
    if (name === "AlreadyExists") return Errno.EXIST;
    if (name === "PermissionDenied") return Errno.ACCES;
    if (name === "NotADirectory") return Errno.NOTDIR;
    if (name === "IsADirectory") return Errno.ISDIR;
    if (name === "FilesystemLoop") return Errno.LOOP;
    if (name === "DirectoryNotEmpty") return Errno.NOTEMPTY;
  }
  if (err instanceof RangeError) return Errno.FAULT;
  return Errno.IO;
}
