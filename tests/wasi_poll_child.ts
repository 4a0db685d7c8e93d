/**
 * Child process for src/wasi/poll_test.ts: polls its real stdin (a pipe)
 * together with a clock, then reads what arrived. Prints one JSON line.
 * Usage: wasi_poll_child.ts TIMEOUT_MS
 */
import process from "node:process";
import { Guest } from "../src/wasi/_harness_test.ts";

const timeoutMs = Number(process.argv[process.argv.length - 1]);
const g = new Guest({ stdin: "inherit", stdout: "null" });
const subs = g.alloc(96);
const v = g.view;
// Subscription 0: clock (monotonic, relative).
v.setBigUint64(subs, 11n, true);
v.setUint8(subs + 8, 0);
v.setUint32(subs + 16, 1, true);
v.setBigUint64(subs + 24, BigInt(timeoutMs) * 1_000_000n, true);
v.setUint16(subs + 40, 0, true);
// Subscription 1: stdin readable.
v.setBigUint64(subs + 48, 22n, true);
v.setUint8(subs + 56, 1);
v.setUint32(subs + 64, 0, true);
const events = g.alloc(64);
const nevents = g.alloc(4);
// Tell the parent the poll is about to start, so it can time its input from here.
process.stdout.write("ready\n");
const t0 = performance.now();
const errno = g.call.poll_oneoff(subs, events, 2, nevents);
const elapsed = performance.now() - t0;
const n = g.view.getUint32(nevents, true);
const got = [];
for (let i = 0; i < n; i++) {
  got.push({
    userdata: Number(g.view.getBigUint64(events + i * 32, true)),
    error: g.view.getUint16(events + i * 32 + 8, true),
    type: g.view.getUint8(events + i * 32 + 10),
    nbytes: Number(g.view.getBigUint64(events + i * 32 + 16, true)),
  });
}
const data = got.some((e) => e.type === 1) ? g.read(0).value : null;
process.stdout.write(JSON.stringify({ errno, elapsed, events: got, data }) + "\n");
process.exit(0);
