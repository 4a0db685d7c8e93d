/**
 * `fd_readdir`: directory listings with cookies. The listing is
 * snapshotted when a read starts at cookie 0, so cookies stay valid while
 * the guest pages through it even if the directory changes meanwhile.
 *
 * @module
 */
import { Filetype } from "./constants.ts";
import { Errno, WasiError } from "./errno.ts";
import type { CallTable, WasiContext } from "./context.ts";
import { DIRENT_SIZE, encodeDirent } from "./layout.ts";
import { encodeUtf8 } from "./memory.ts";
import { Rights } from "./rights.ts";

/** The directory-listing call. */
export function dirCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  const fds = ctx.fds;
  const header = new DataView(new ArrayBuffer(DIRENT_SIZE));
  const headerBytes = new Uint8Array(header.buffer);
  return {
    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, out: number): void {
      const e = fds.get(fd, Rights.FD_READDIR);
      if (e.dir === null) throw new WasiError(Errno.NOTDIR);
      const p = buf >>> 0;
      const len = bufLen >>> 0;
      mem.check(p, len);
      mem.check(out >>> 0, 4);
      const c = BigInt.asUintN(64, cookie);
      if (c === 0n || e.dirents === null) {
        const self = e.dir.stat();
        e.dirents = [
          { name: ".", filetype: Filetype.DIRECTORY, ino: self.ino },
          // The parent may lie outside the sandbox: its inode is not revealed.
          { name: "..", filetype: Filetype.DIRECTORY, ino: 0n },
          ...e.dir.entries(),
        ];
      }
      const list = e.dirents;
      let used = 0;
      for (let i = c; i < BigInt(list.length) && used < len; i++) {
        const d = list[Number(i)];
        const name = encodeUtf8(d.name);
        encodeDirent(header, i + 1n, d.ino, name.length, d.filetype);
        // A record that does not fit is cut off: a full buffer tells the guest to retry bigger.
        const h = Math.min(DIRENT_SIZE, len - used);
        mem.bytes.set(headerBytes.subarray(0, h), p + used);
        used += h;
        const k = Math.min(name.length, len - used);
        mem.bytes.set(name.subarray(0, k), p + used);
        used += k;
      }
      mem.setU32(out >>> 0, used);
    },
  };
}
