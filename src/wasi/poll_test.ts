/**
 * poll_oneoff: clocks (relative, absolute, invalid), descriptor readiness,
 * and real blocking on a stdin pipe (in a child process).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Guest } from "./_harness_test.ts";
import { BufferInput, CapturedOutput, Errno } from "./mod.ts";
import { EVENTRWFLAGS_FD_READWRITE_HANGUP, Eventtype } from "./constants.ts";

interface Sub {
  userdata: bigint;
  tag: number;
  clock?: number;
  timeout?: bigint;
  abs?: boolean;
  fd?: number;
}

interface Ev {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

function poll(g: Guest, subs: Sub[]): { errno: number; events: Ev[]; ms: number } {
  const base = g.alloc(48 * subs.length);
  const v = g.view;
  subs.forEach((s, i) => {
    const at = base + i * 48;
    v.setBigUint64(at, s.userdata, true);
    v.setUint8(at + 8, s.tag);
    if (s.tag === Eventtype.CLOCK) {
      v.setUint32(at + 16, s.clock ?? 1, true);
      v.setBigUint64(at + 24, s.timeout ?? 0n, true);
      v.setUint16(at + 40, s.abs ? 1 : 0, true);
    } else v.setUint32(at + 16, s.fd ?? 0, true);
  });
  const out = g.alloc(32 * Math.max(1, subs.length));
  const n = g.alloc(4);
  const t0 = performance.now();
  const errno = g.call.poll_oneoff(base, out, subs.length, n);
  const ms = performance.now() - t0;
  const events: Ev[] = [];
  for (let i = 0; i < g.view.getUint32(n, true); i++) {
    const at = out + i * 32;
    events.push({
      userdata: g.view.getBigUint64(at, true),
      error: g.view.getUint16(at + 8, true),
      type: g.view.getUint8(at + 10),
      nbytes: g.view.getBigUint64(at + 16, true),
      flags: g.view.getUint16(at + 24, true),
    });
  }
  return { errno, events, ms };
}

describe("poll_oneoff", () => {
  it("sleeps for a relative clock timeout", () => {
    const g = new Guest({ stdout: "null" });
    const r = poll(g, [{ userdata: 5n, tag: Eventtype.CLOCK, timeout: 60_000_000n }]);
    assert.equal(r.errno, Errno.SUCCESS);
    assert.deepEqual(r.events.map((e) => [e.userdata, e.type, e.error]), [[
      5n,
      Eventtype.CLOCK,
      0,
    ]]);
    assert.ok(r.ms >= 55, `waited ${r.ms} ms`);
  });

  it("returns at once for an absolute time in the past; EINVAL for unknown clocks", () => {
    const g = new Guest({ stdout: "null" });
    const r = poll(g, [
      { userdata: 1n, tag: Eventtype.CLOCK, clock: 0, timeout: 1n, abs: true },
      { userdata: 2n, tag: Eventtype.CLOCK, clock: 99, timeout: 1n },
    ]);
    assert.ok(r.ms < 50);
    assert.deepEqual(
      r.events.map((e) => [e.userdata, e.error]).sort(),
      [[1n, Errno.SUCCESS], [2n, Errno.INVAL]],
    );
    assert.equal(poll(g, []).errno, Errno.INVAL);
  });

  it("reports buffered stdin, end of input, writable stdout and bad descriptors", () => {
    const g = new Guest({ stdin: new BufferInput("abc"), stdout: new CapturedOutput() });
    const r = poll(g, [
      { userdata: 1n, tag: Eventtype.FD_READ, fd: 0 },
      { userdata: 2n, tag: Eventtype.FD_WRITE, fd: 1 },
      { userdata: 3n, tag: Eventtype.FD_READ, fd: 42 },
      { userdata: 4n, tag: Eventtype.CLOCK, timeout: 10_000_000_000n },
    ]);
    assert.ok(r.ms < 1000, "a ready descriptor ends the wait");
    const by = new Map(r.events.map((e) => [e.userdata, e]));
    assert.equal(by.get(1n)?.nbytes, 3n);
    assert.equal(by.get(2n)?.error, Errno.SUCCESS);
    assert.equal(by.get(3n)?.error, Errno.BADF);
    assert.equal(by.has(4n), false);
    assert.equal(g.read(0).value, "abc");
    const eof = poll(g, [{ userdata: 9n, tag: Eventtype.FD_READ, fd: 0 }]);
    assert.equal(eof.events[0].nbytes, 0n);
    assert.equal(eof.events[0].flags, EVENTRWFLAGS_FD_READWRITE_HANGUP);
  });

  const child = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    "..",
    "..",
    "tests",
    "wasi_poll_child.ts",
  );
  function runChild(timeoutMs: number, feed: string | null, delayMs: number): Promise<{
    elapsed: number;
    events: { userdata: number; type: number; error: number }[];
    data: string | null;
  }> {
    const cmd = process.versions.bun !== undefined
      ? [process.execPath, child, String(timeoutMs)]
      : [process.execPath, "run", "-A", child, String(timeoutMs)];
    return new Promise((resolve, reject) => {
      const p = spawn(cmd[0], cmd.slice(1), { stdio: ["pipe", "pipe", "inherit"] });
      let out = "";
      let fed = false;
      p.stdout.on("data", (d) => {
        out += d;
        // The child announces "ready" just before it polls: time the input from then.
        if (!fed && out.startsWith("ready\n")) {
          fed = true;
          if (feed !== null) setTimeout(() => p.stdin.write(feed), delayMs);
        }
      });
      p.on("error", reject);
      p.on("close", () => {
        try {
          resolve(JSON.parse(out.slice("ready\n".length)));
        } catch (e) {
          reject(new Error(`child output ${JSON.stringify(out)}: ${e}`));
        }
      });
      setTimeout(() => p.stdin.end(), timeoutMs + 2000);
    });
  }

  it("blocks on a stdin pipe until input arrives", async () => {
    const r = await runChild(5000, "ping\n", 300);
    assert.deepEqual(r.events.map((e) => [e.userdata, e.type, e.error]), [[
      22,
      Eventtype.FD_READ,
      0,
    ]]);
    assert.ok(r.elapsed >= 250 && r.elapsed < 4000, `waited ${r.elapsed} ms`);
    assert.equal(r.data, "ping\n");
  });

  it("times out on a silent stdin pipe", async () => {
    const r = await runChild(300, null, 0);
    assert.deepEqual(r.events.map((e) => [e.userdata, e.type]), [[11, Eventtype.CLOCK]]);
    assert.ok(r.elapsed >= 290 && r.elapsed < 2000, `waited ${r.elapsed} ms`);
  });
});
