/**
 * Runs CoreMark (../shared/bench/external/coremark.wasm) with a fixed fuel
 * budget and prints where it stopped as one JSON line: the trap, the wasm
 * frames, the fuel left, a hash of linear memory and of the globals, and
 * the output so far. The clock is a fake one that advances 1 ms per
 * reading, so nothing but the program and the fuel decides the state.
 *
 * With CHUNK, `_start` runs as a resumable call given CHUNK units at a
 * time, paused and resumed until FUEL units were given: it must stop where
 * the plain call with FUEL units traps (pausing changes nothing), and the
 * frames at every pause are part of the fingerprint.
 *
 *     deno run -A tests/_fuel_stop_point.ts [--jit=off|auto|eager] FUEL [CHUNK]
 *     (or bun, or --v8-flags=--jitless)
 *
 * @module
 */
import { createHash } from "node:crypto";
import process from "node:process";
import { callResumable, Instance, Module, RuntimeError, Store } from "../mod.ts";
import { instanceState } from "../src/api/instance.ts";
import { globalStore } from "../src/runtime/globals.ts";
import { CapturedOutput, WASI } from "../src/wasi/mod.ts";
import { corpus } from "./_shared.ts";

const [fuel, chunk] = process.argv.slice(process.argv.findIndex((a) => a.endsWith(".ts")) + 1)
  .filter((a) => !a.startsWith("--")).concat("0").map(Number);
const path = corpus("bench/external/coremark.wasm");
if (path === null || !Number.isInteger(fuel) || !Number.isInteger(chunk)) {
  console.log(
    JSON.stringify({ error: "usage: _fuel_stop_point.ts FUEL [CHUNK] (needs ../shared)" }),
  );
  process.exit(2);
}
const { readFileSync } = await import("node:fs");
const jitArg = process.argv.find((a) => a.startsWith("--jit="))?.slice(6);
const jit = jitArg === "off" || jitArg === "eager" || jitArg === "auto" ? jitArg : undefined;
const store = new Store({ fuel: chunk > 0 ? chunk : fuel, jit });
const stdout = new CapturedOutput();
const wasi = new WASI({ args: ["coremark"], stdout, returnOnExit: true });
const imports = wasi.getImportObject();
const ns = Object.keys(imports)[0];
let memory: { buffer: ArrayBuffer } | null = null;
let tick = 0n;
imports[ns].clock_time_get = ((_id: number, _precision: bigint, out: number) => {
  tick += 1_000_000n;
  new DataView(memory!.buffer).setBigUint64(out, tick, true);
  return 0;
}) as never;
const instance = new Instance(new Module(readFileSync(path)), imports, { store });
memory = instance.exports.memory as { buffer: ArrayBuffer };
let stop: { trap: string; frames: number[] } | { exit: number };
/** Hash of the frames at every pause (resumable mode). */
const pauses = createHash("sha256");
let paused = 0;
const OUT_OF_FUEL = "all fuel consumed by WebAssembly";
/** `_start` as a resumable call, refuelled CHUNK at a time until FUEL was given. */
const startResumable = () => {
  const c = callResumable(instance.exports._start as () => void);
  let given = chunk;
  while (!c.done) {
    const frames = c.frames.map((f) => f.funcIndex);
    pauses.update(`${c.pausedBy}:${frames.join(",")};`);
    paused++;
    if (given >= fuel) throw Object.assign(new RuntimeError(OUT_OF_FUEL), { frames });
    store.fuel = Math.min(chunk, fuel - given);
    given += store.fuel;
    c.resume();
  }
};
try {
  const exports = chunk > 0 ? { memory, _start: startResumable } : instance.exports;
  stop = { exit: wasi.start({ exports } as never) };
} catch (e) {
  const frames = (e as { frames?: number[] }).frames ??
    ((e as { wasmStack?: { funcIndex: number }[] }).wasmStack ?? []).map((f) => f.funcIndex);
  stop = { trap: (e as Error).message, frames };
}
const state = instanceState(instance);
const globals = createHash("sha256");
for (const g of state.globals) {
  globals.update(new Uint8Array(globalStore.i32.buffer, g.cell * 8, 8));
}
console.log(JSON.stringify({
  fuel,
  ...(chunk > 0 ? { pauses: paused, pausePoints: pauses.digest("hex") } : {}),
  stop,
  fuelLeft: store.fuel,
  memory: createHash("sha256").update(new Uint8Array(memory.buffer)).digest("hex"),
  globals: globals.digest("hex"),
  stdout: stdout.text(),
}));
