// The WASI preview1 functions the benchmark programs import, for the
// runners of other engines (bench/wasm2js_node.mjs, bench/polywasm_node.mjs):
// stdout/stderr, arguments, the clock and exit, over the guest memory's
// buffer. An i64 parameter may come as a BigInt or legalized into two i32s
// (wasm2js): only the last parameter of clock_time_get is read.
import process from "node:process";

/** Thrown by proc_exit; the runner exits with its code. */
export class Exit {
  constructor(code) {
    this.code = code;
  }
}

/** The import object's functions for `args` (argv, from argv[0]); `memory()` gives the guest memory. */
export function miniWasi(args, memory) {
  const view = () => new DataView(memory().buffer);
  const enc = new TextEncoder();
  const out = { 1: process.stdout, 2: process.stderr };
  return {
    args_sizes_get(countPtr, sizePtr) {
      const v = view();
      v.setUint32(countPtr, args.length, true);
      v.setUint32(sizePtr, args.reduce((n, a) => n + enc.encode(a).length + 1, 0), true);
      return 0;
    },
    args_get(argvPtr, bufPtr) {
      const v = view(), u8 = new Uint8Array(memory().buffer);
      for (const [i, a] of args.entries()) {
        v.setUint32(argvPtr + 4 * i, bufPtr, true);
        const b = enc.encode(a);
        u8.set(b, bufPtr);
        u8[bufPtr + b.length] = 0;
        bufPtr += b.length + 1;
      }
      return 0;
    },
    fd_write(fd, iovs, n, writtenPtr) {
      const v = view();
      let total = 0;
      for (let i = 0; i < n; i++) {
        const ptr = v.getUint32(iovs + 8 * i, true), len = v.getUint32(iovs + 8 * i + 4, true);
        const s = out[fd];
        if (s === undefined) return 8; // EBADF
        s.write(new Uint8Array(memory().buffer, ptr, len).slice());
        total += len;
      }
      v.setUint32(writtenPtr, total, true);
      return 0;
    },
    fd_seek() {
      return 70; // ESPIPE: stdio only
    },
    fd_close() {
      return 8; // EBADF: nothing is opened
    },
    fd_fdstat_get(fd, ptr) {
      if (out[fd] === undefined && fd !== 0) return 8;
      const v = view();
      v.setUint8(ptr, 2); // character device
      v.setUint16(ptr + 2, 0, true);
      v.setBigUint64(ptr + 8, 0xffffffffffffffffn, true);
      v.setBigUint64(ptr + 16, 0xffffffffffffffffn, true);
      return 0;
    },
    clock_time_get(_id, ...rest) {
      // (id, precision, out), the precision maybe legalized into (lo, hi).
      const outPtr = rest[rest.length - 1];
      view().setBigUint64(outPtr, process.hrtime.bigint(), true);
      return 0;
    },
    proc_exit(code) {
      throw new Exit(code);
    },
  };
}
