// Rebuilds the fixture's binaries: math.wasm from math.wat (with Gannet's
// assembler), hello.wasm and counter.wasm from C (Debian clang + wasi-libc,
// as examples/Makefile). Run from this folder: `bun build.mjs` or
// `deno run -A build.mjs`.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { parseWat } from "../../src/text/parse_wat.ts";

writeFileSync("math.wasm", parseWat(readFileSync("math.wat", "utf8")));
const cc = ["--target=wasm32-wasi", "-O2", "-Wall", "-Wextra", "-Wl,--strip-debug"];
execFileSync("clang", [...cc, "hello.c", "-o", "hello.wasm"], { stdio: "inherit" });
execFileSync("clang", [...cc, "-mexec-model=reactor", "counter.c", "-o", "counter.wasm"], {
  stdio: "inherit",
});
