// Runs a WASI preview1 program on node's native WebAssembly + node:wasi
// (the yardstick for bench/interp_vs_native.ts): node bench/_native_wasi.mjs PROGRAM.wasm ARGS…
import { WASI } from "node:wasi";
import { readFileSync } from "node:fs";
import process from "node:process";

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: "preview1", args: [file, ...args], env: {}, returnOnExit: true });
const { instance } = await WebAssembly.instantiate(readFileSync(file), wasi.getImportObject());
process.exitCode = wasi.start(instance);
