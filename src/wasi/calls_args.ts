/**
 * `args_*` and `environ_*`: the program's arguments and environment, as
 * NUL-terminated UTF-8 strings with a pointer array.
 *
 * @module
 */
import type { CallTable, WasiContext } from "./context.ts";
import type { GuestMemory } from "./memory.ts";

function sizes(list: Uint8Array[]): number {
  let n = 0;
  for (const s of list) n += s.length;
  return n;
}

function writeList(mem: GuestMemory, list: Uint8Array[], ptrs: number, buf: number): void {
  // Check both areas first so that a bad pointer changes nothing.
  mem.check(ptrs, list.length * 4);
  mem.check(buf, sizes(list));
  let at = buf;
  for (let i = 0; i < list.length; i++) {
    mem.setU32(ptrs + i * 4, at);
    mem.bytes.set(list[i], at);
    at += list[i].length;
  }
}

/** `*_sizes_get`: the count and the total bytes, both checked before either is written. */
function writeSizes(mem: GuestMemory, list: Uint8Array[], count: number, bufSize: number): void {
  mem.check(count, 4);
  mem.check(bufSize, 4);
  mem.setU32(count, list.length);
  mem.setU32(bufSize, sizes(list));
}

/** The argument and environment calls. */
export function argsCalls(ctx: WasiContext): CallTable {
  const mem = ctx.mem;
  return {
    args_get(argv: number, argvBuf: number): void {
      writeList(mem, ctx.args, argv >>> 0, argvBuf >>> 0);
    },
    args_sizes_get(argc: number, bufSize: number): void {
      writeSizes(mem, ctx.args, argc >>> 0, bufSize >>> 0);
    },
    environ_get(environ: number, environBuf: number): void {
      writeList(mem, ctx.env, environ >>> 0, environBuf >>> 0);
    },
    environ_sizes_get(count: number, bufSize: number): void {
      writeSizes(mem, ctx.env, count >>> 0, bufSize >>> 0);
    },
  };
}
