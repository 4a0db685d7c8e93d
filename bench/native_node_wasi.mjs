// The yardstick of bench/process.ts: runs a WASI preview1 command on node's
// native WebAssembly + node:wasi, like `gannet run` does on Gannet.
//   node --no-warnings bench/native_node_wasi.mjs [--dir HOST::GUEST]… PROGRAM.wasm [ARGS…]
// The exit status is the guest's (proc_exit, or 0 when _start returns).
import { readFileSync } from "node:fs";
import process from "node:process";
import { WASI } from "node:wasi";

const argv = process.argv.slice(2);
const preopens = {};
while (argv[0] === "--dir") {
  const [host, guest = host] = argv[1].split("::");
  preopens[guest] = host;
  argv.splice(0, 2);
}
if (argv.length === 0) {
  console.error("usage: node bench/native_node_wasi.mjs [--dir HOST::GUEST]… PROGRAM.wasm [ARGS…]");
  process.exit(2);
}
const [file, ...args] = argv;
const wasi = new WASI({
  version: "preview1",
  args: [file, ...args],
  env: {},
  preopens,
  returnOnExit: true,
});
const imports = wasi.getImportObject();
// Node 20.20's WASI functions imported directly into wasm abort the process (SIGABRT, no message)
// in about half the runs of memops (bulk memory, 33 MiB of growth); called through a JS function
// they never did (none in 70 runs). The wrapper costs nothing measurable: a program makes few calls.
for (const [name, fn] of Object.entries(imports.wasi_snapshot_preview1)) {
  imports.wasi_snapshot_preview1[name] = (...args) => fn(...args);
}
const module = new WebAssembly.Module(readFileSync(file));
const instance = new WebAssembly.Instance(module, imports);
process.exitCode = wasi.start(instance);
