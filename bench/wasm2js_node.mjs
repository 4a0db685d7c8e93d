// A yardstick of bench/translators.ts: runs a WASI preview1 command
// translated ahead of time by binaryen's wasm2js, on node.
//   node --no-warnings bench/wasm2js_node.mjs PROGRAM.js ARGV0 [ARGS…]
// wasm2js output imports its WASI functions as an ES module and exports a
// memory object with a `buffer` getter (no WebAssembly.Memory, so node:wasi
// cannot serve it): the preview1 functions are bench/_mini_wasi.mjs's, over
// that buffer. The exit status is the guest's (proc_exit, or 0 when _start
// returns).
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import process from "node:process";
import { Exit, miniWasi } from "./_mini_wasi.mjs";

const [file, ...args] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: node bench/wasm2js_node.mjs PROGRAM.js ARGV0 [ARGS…]");
  process.exit(2);
}
let memory = null;
globalThis.__gannet_bench_wasi = miniWasi(args, () => memory);
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
