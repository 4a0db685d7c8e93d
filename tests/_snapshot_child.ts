/**
 * One side of the cross-process snapshot test (snapshot_test.ts): runs
 * examples/preinit.wasm (a WASI reactor) in one of three ways and prints a
 * JSON line with its output and timings.
 *
 *   direct LIMIT K N        instantiate, init(LIMIT), query(K, N)
 *   save LIMIT FILE         instantiate, init(LIMIT), snapshot to FILE
 *   restore FILE K N        restore from FILE (no init), query(K, N)
 *   pause LIMIT FUEL FILE   start init(LIMIT) as a resumable call with FUEL, snapshot it paused
 *   resume FILE K N         restore the paused init, finish it, query(K, N)
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { callResumable, Instance, Module, restore, snapshot, Store } from "../mod.ts";
import { CapturedOutput, WASI } from "../src/wasi/mod.ts";
import { repoDir } from "./_shared.ts";

type Fn = (...a: number[]) => number;
// After the script's path; Deno keeps a "--" there, Bun drops it.
const after = process.argv.slice(
  process.argv.findIndex((a) => a.endsWith("_snapshot_child.ts")) + 1,
);
const [mode, ...args] = after[0] === "--" ? after.slice(1) : after;
const stdout = new CapturedOutput();
const wasi = new WASI({ stdout });
/** Binds WASI to an instance's memory without running `_initialize` again. */
const bind = (i: Instance) => wasi.initialize({ exports: { memory: i.exports.memory } } as never);
const t0 = performance.now();
let instance: Instance;
let result: unknown = null;
if (mode === "restore" || mode === "resume") {
  const restored = restore(readFileSync(args[0]), wasi.getImportObject());
  instance = restored.instance;
  bind(instance);
  if (mode === "resume") {
    const call = restored.call!;
    while (!call.done) call.resume();
  }
} else {
  const bytes = readFileSync(join(repoDir(), "examples", "preinit.wasm"));
  const store = mode === "pause" ? new Store({ fuel: Number(args[1]) }) : undefined;
  instance = new Instance(new Module(bytes), wasi.getImportObject(), { store });
  wasi.initialize(instance as never);
  if (mode === "pause") {
    const call = callResumable(instance.exports.init as Fn, [Number(args[0])]);
    if (call.pausedBy !== "fuel") throw new Error("init finished within the fuel");
    result = { frames: call.frames.length };
    writeFileSync(args[2], snapshot(instance, { call }));
  } else (instance.exports.init as Fn)(Number(args[0]));
}
const setupMs = performance.now() - t0;
if (mode === "save") {
  const snap = snapshot(instance);
  writeFileSync(args[1], snap);
  result = snap.length;
} else if (mode !== "pause") {
  result = (instance.exports.query as Fn)(Number(args[1]), Number(args[2]));
}
console.log(JSON.stringify({ mode, result, out: stdout.text(), setupMs: Math.round(setupMs) }));
