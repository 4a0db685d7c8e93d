// A yardstick of bench/translators.ts: runs a WASI preview1 command on node
// through polywasm (a WebAssembly polyfill that translates each function to
// JavaScript when the module is compiled), with bench/_mini_wasi.mjs's
// preview1 functions (node:wasi needs a native WebAssembly.Memory).
//   node --no-warnings bench/polywasm_node.mjs PROGRAM.wasm ARGV0 [ARGS…]
// The exit status is the guest's (proc_exit, or 0 when _start returns).
import { readFileSync } from "node:fs";
import process from "node:process";
import { WebAssembly as Polywasm } from "polywasm";
import { Exit, miniWasi } from "./_mini_wasi.mjs";

const [file, ...args] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: node bench/polywasm_node.mjs PROGRAM.wasm ARGV0 [ARGS…]");
  process.exit(2);
}
let instance = null;
const imports = { wasi_snapshot_preview1: miniWasi(args, () => instance.exports.memory) };
instance = new Polywasm.Instance(new Polywasm.Module(readFileSync(file)), imports);
try {
  instance.exports._start();
  process.exitCode = 0;
} catch (e) {
  if (!(e instanceof Exit)) throw e;
  process.exitCode = e.code;
}
