// A yardstick of bench/process.ts (--translators): runs a WASI preview1 command
// translated ahead of time by binaryen's wasm2js, on node.
//   node --no-warnings bench/wasm2js_node.mjs PROGRAM.js ARGV0 [ARGS…]
// wasm2js output imports its WASI functions as an ES module and exports a
// memory object with a `buffer` getter (no WebAssembly.Memory, so node:wasi
// cannot serve it): the seven preview1 functions the bench programs import
// are written here, over that buffer. wasm2js legalizes i64 parameters into
// two i32s. The exit status is the guest's (proc_exit, or 0 when _start
// returns).
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import process from "node:process";

const [file, ...args] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: node bench/wasm2js_node.mjs PROGRAM.js ARGV0 [ARGS…]");
  process.exit(2);
}
let memory = null;
const view = () => new DataView(memory.buffer);
const enc = new TextEncoder();
class Exit {
  constructor(code) {
    this.code = code;
  }
}
const out = { 1: process.stdout, 2: process.stderr };
globalThis.__gannet_bench_wasi = {
  args_sizes_get(countPtr, sizePtr) {
    const v = view();
    v.setUint32(countPtr, args.length, true);
    v.setUint32(sizePtr, args.reduce((n, a) => n + enc.encode(a).length + 1, 0), true);
    return 0;
  },
  args_get(argvPtr, bufPtr) {
    const v = view(), u8 = new Uint8Array(memory.buffer);
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
      s.write(new Uint8Array(memory.buffer, ptr, len).slice());
      total += len;
    }
    v.setUint32(writtenPtr, total, true);
    return 0;
  },
  fd_seek() {
    return 70; // ESPIPE: stdio only
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
    // (id, precision i64 as lo, hi, out) after legalization.
    const outPtr = rest[rest.length - 1];
    view().setBigUint64(outPtr, process.hrtime.bigint(), true);
    return 0;
  },
  proc_exit(code) {
    throw new Exit(code);
  },
};
const src = readFileSync(file, "utf8").replace(
  /^import \* as (\w+) from 'wasi_snapshot_preview1';$/m,
  "const $1 = globalThis.__gannet_bench_wasi;",
);
const tmp = join(tmpdir(), `gannet-wasm2js-${process.pid}.mjs`);
writeFileSync(tmp, src);
const mod = await import(pathToFileURL(tmp).href);
memory = mod.memory;
try {
  mod._start();
  process.exitCode = 0;
} catch (e) {
  if (!(e instanceof Exit)) throw e;
  process.exitCode = e.code;
}
