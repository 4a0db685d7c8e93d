/**
 * `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown` on sockets the
 * embedder preopened (WASI preview1 cannot create sockets).
 *
 * @module
 */
import { Fdflags, Riflags } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import { type CallTable, RETRY_READ_MS, type WasiContext, WouldBlock } from "./context.ts";
import { FdEntry } from "./fd_table.ts";
import { Rights, RIGHTS_SOCKET_BASE } from "./rights.ts";
import type { WasiSocket } from "./socket.ts";

/** The socket calls (`sock_accept` is dropped for `wasi_unstable`, which lacks it). */
export function sockCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  const fds = ctx.fds;

  /** The socket at `fd`: EBADF if closed, ENOTSOCK if not a socket, then the rights check. */
  function socketAt(fd: number, rights: number): [FdEntry, WasiSocket] {
    const e = fds.get(fd);
    if (e.socket === null) throw new WasiError(Errno.NOTSOCK);
    fds.get(fd, rights);
    return [e, e.socket];
  }

  const calls: CallTable = {
    sock_accept(fd: number, flags: number, out: number): void {
      const [e, s] = socketAt(fd, Rights.SOCK_ACCEPT);
      const f = flags & 0xffff;
      if ((f & ~Fdflags.NONBLOCK) !== 0) throw new WasiError(Errno.INVAL);
      mem.check(out >>> 0, 4);
      const nonblock = (e.fdflags & Fdflags.NONBLOCK) !== 0;
      if (!nonblock && ctx.nonBlocking && s.waitReadable(0) < 0) {
        throw new WouldBlock(RETRY_READ_MS);
      }
      const conn = s.accept(nonblock);
      const entry = new FdEntry(conn.filetype, RIGHTS_SOCKET_BASE & ~Rights.SOCK_ACCEPT, 0);
      entry.socket = conn;
      entry.fdflags = f;
      try {
        mem.setU32(out >>> 0, fds.add(entry));
      } catch (err) {
        entry.close();
        throw err;
      }
    },
    sock_recv(
      fd: number,
      riData: number,
      riDataLen: number,
      riFlags: number,
      roDataLen: number,
      roFlags: number,
    ): void {
      const [e, s] = socketAt(fd, Rights.FD_READ);
      const f = riFlags & 0xffff;
      if ((f & ~(Riflags.RECV_PEEK | Riflags.RECV_WAITALL)) !== 0) throw new WasiError(Errno.INVAL);
      const bufs = mem.iovecs(riData >>> 0, riDataLen >>> 0);
      mem.check(roDataLen >>> 0, 4);
      mem.check(roFlags >>> 0, 2);
      const nonblock = (e.fdflags & Fdflags.NONBLOCK) !== 0;
      if (!nonblock && ctx.nonBlocking && s.waitReadable(0) < 0) {
        throw new WouldBlock(RETRY_READ_MS);
      }
      const n = s.recv(bufs, (f & Riflags.RECV_PEEK) !== 0, nonblock);
      mem.setU32(roDataLen >>> 0, n);
      mem.setU16(roFlags >>> 0, 0);
    },
    sock_send(
      fd: number,
      siData: number,
      siDataLen: number,
      siFlags: number,
      soDataLen: number,
    ): void {
      const [, s] = socketAt(fd, Rights.FD_WRITE);
      if ((siFlags & 0xffff) !== 0) throw new WasiError(Errno.INVAL);
      const bufs = mem.iovecs(siData >>> 0, siDataLen >>> 0);
      mem.check(soDataLen >>> 0, 4);
      mem.setU32(soDataLen >>> 0, s.send(bufs));
    },
    sock_shutdown(fd: number, how: number): void {
      const [, s] = socketAt(fd, Rights.SOCK_SHUTDOWN);
      const h = how & 0xff;
      if (h === 0 || h > 3) throw new WasiError(Errno.INVAL);
      s.shutdown(h);
    },
  };
  if (ctx.unstable) delete calls.sock_accept;
  return calls;
}
