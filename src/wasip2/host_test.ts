import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BufferInput, CapturedOutput } from "../wasi/stdio.ts";
import { Filetype } from "../wasi/constants.ts";
import { WasiExit } from "../wasi/context.ts";
import { exitStatus, type ImportObject, WasiP2Host, wasiP2Interface } from "./host.ts";
import { HostInputStream, HostOutputStream, HostPollable } from "./streams.ts";
import { poll } from "./poll.ts";
import { timer } from "./shim.ts";

type Fn = (...args: unknown[]) => unknown;
const call = (imports: ImportObject, iface: string, fn: string, ...args: unknown[]) =>
  (imports[iface][fn] as Fn)(...args);
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("WasiP2Host import object", () => {
  it("names every WASI 0.2 interface the shim implements, unversioned", () => {
    const names = new WasiP2Host().interfaces;
    for (
      const want of [
        "wasi:cli/environment",
        "wasi:cli/exit",
        "wasi:cli/stdin",
        "wasi:cli/terminal-stderr",
        "wasi:clocks/monotonic-clock",
        "wasi:clocks/wall-clock",
        "wasi:filesystem/types",
        "wasi:filesystem/preopens",
        "wasi:io/error",
        "wasi:io/poll",
        "wasi:io/streams",
        "wasi:random/random",
        "wasi:random/insecure-seed",
        "wasi:sockets/tcp",
        "wasi:sockets/udp-create-socket",
        "wasi:sockets/ip-name-lookup",
        "wasi:http/types",
        "wasi:http/outgoing-handler",
      ]
    ) assert.ok(names.includes(want), want);
  });

  it("adds each 0.2.x name a component imports, and nothing else", () => {
    const imports = new WasiP2Host().importObject([
      "wasi:cli/stdout@0.2.0",
      "wasi:cli/stdout@0.2.12",
      "wasi:io/streams@0.2.3",
      "wasi:cli/run@0.3.0",
      "test:dep/test@0.1.0",
    ]);
    assert.equal(imports["wasi:cli/stdout@0.2.0"], imports["wasi:cli/stdout"]);
    assert.equal(imports["wasi:cli/stdout@0.2.12"], imports["wasi:cli/stdout"]);
    assert.equal(imports["wasi:io/streams@0.2.3"], imports["wasi:io/streams"]);
    assert.equal(imports["wasi:cli/run@0.3.0"], undefined);
    assert.equal(imports["test:dep/test@0.1.0"], undefined);
    assert.equal(wasiP2Interface("wasi:http/types@0.2.1"), "wasi:http/types");
    assert.equal(wasiP2Interface("wasi:http/types@0.3.0"), null);
  });

  it("rejects bad options with the option's name", () => {
    assert.throws(() => new WasiP2Host({ env: { "A=B": "x" } }), /env/);
    assert.throws(() => new WasiP2Host({ preopens: { "/": 3 } } as never), /preopens/);
    assert.throws(() => new WasiP2Host({ network: "yes" } as never), /network/);
    assert.throws(() => new WasiP2Host({ nosuch: 1 } as never), /nosuch|unrecognized/i);
  });
});

describe("per-instance configuration", () => {
  it("two hosts in one process never see each other's args, env, cwd or stdio", () => {
    const out1 = new CapturedOutput();
    const out2 = new CapturedOutput();
    const a = new WasiP2Host({ args: ["a", "1"], env: { X: "a" }, cwd: "/a", stdout: out1 })
      .importObject();
    const b = new WasiP2Host({ args: ["b"], env: { Y: "b" }, stdout: out2 }).importObject();
    assert.deepEqual(call(a, "wasi:cli/environment", "getArguments"), ["a", "1"]);
    assert.deepEqual(call(b, "wasi:cli/environment", "getArguments"), ["b"]);
    assert.deepEqual(call(a, "wasi:cli/environment", "getEnvironment"), [["X", "a"]]);
    assert.deepEqual(call(b, "wasi:cli/environment", "getEnvironment"), [["Y", "b"]]);
    assert.equal(call(a, "wasi:cli/environment", "initialCwd"), "/a");
    assert.equal(call(b, "wasi:cli/environment", "initialCwd"), undefined);
    const s1 = call(a, "wasi:cli/stdout", "getStdout") as HostOutputStream;
    const s2 = call(b, "wasi:cli/stdout", "getStdout") as HostOutputStream;
    s1.blockingWriteAndFlush(bytes("one"));
    s2.write(bytes("two"));
    assert.equal(out1.text(), "one");
    assert.equal(out2.text(), "two");
  });

  it("two hosts have their own preopens", () => {
    const d1 = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-p2-"));
    const d2 = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-p2-"));
    try {
      const a = new WasiP2Host({ preopens: { "/data": d1 } }).importObject();
      const b = new WasiP2Host({ preopens: { "/other": d2, "/more": d1 } }).importObject();
      const list = (i: ImportObject) =>
        (call(i, "wasi:filesystem/preopens", "getDirectories") as [unknown, string][])
          .map(([, p]) => p);
      assert.deepEqual(list(a), ["/data"]);
      assert.deepEqual(list(b), ["/other", "/more"]);
      assert.deepEqual(list(new WasiP2Host().importObject()), []);
    } finally {
      fs.rmSync(d1, { recursive: true });
      fs.rmSync(d2, { recursive: true });
    }
  });

  it("exit throws WasiExit with wasmtime's statuses", () => {
    const i = new WasiP2Host().importObject();
    const status = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return exitStatus({ error });
      }
      return exitStatus({});
    };
    assert.equal(status(() => call(i, "wasi:cli/exit", "exit", { tag: "ok" })), 0);
    assert.equal(status(() => call(i, "wasi:cli/exit", "exit", { tag: "err" })), 1);
    assert.equal(status(() => call(i, "wasi:cli/exit", "exitWithCode", 42)), 42);
    assert.equal(status(() => 0), 0);
    assert.throws(() => status(() => call(i, "wasi:cli/exit", "nosuch")), TypeError);
    assert.ok(new WasiExit(3) instanceof Error);
  });

  it("terminals exist only for streams that are terminals", () => {
    const i = new WasiP2Host({ stdin: "x", stdout: new CapturedOutput() }).importObject();
    assert.equal(call(i, "wasi:cli/terminal-stdin", "getTerminalStdin"), undefined);
    assert.equal(call(i, "wasi:cli/terminal-stdout", "getTerminalStdout"), undefined);
    const tty = { filetype: Filetype.CHARACTER_DEVICE, write: (b: Uint8Array) => b.length };
    const j = new WasiP2Host({ stderr: tty }).importObject();
    assert.ok(call(j, "wasi:cli/terminal-stderr", "getTerminalStderr") !== undefined);
  });
});

describe("host streams", () => {
  it("input: non-blocking and blocking reads, then closed", () => {
    const s = new HostInputStream(new BufferInput("hello world"));
    assert.equal(text(s.read(5n)), "hello");
    assert.equal(s.skip(1n), 1n);
    assert.equal(text(s.blockingRead(100n)), "world");
    assert.equal(s.read(0n).length, 0);
    assert.deepEqual(catchIt(() => s.read(1n)), { tag: "closed" });
    assert.deepEqual(catchIt(() => s.blockingRead(1n)), { tag: "closed" });
  });

  it("input: a read of a stream with nothing yet returns no bytes; its pollable is not ready", () => {
    let data = "";
    const stream = {
      filetype: Filetype.UNKNOWN,
      waitReadable: () => (data === "" ? -1 : data.length),
      read(buf: Uint8Array) {
        const n = Math.min(buf.length, data.length);
        buf.set(bytes(data.slice(0, n)));
        data = data.slice(n);
        return n;
      },
    };
    const s = new HostInputStream(stream);
    assert.equal(s.read(10n).length, 0);
    const p = s.subscribe();
    assert.equal(p.ready(), false);
    data = "ab";
    assert.equal(p.ready(), true);
    assert.equal(text(s.read(10n)), "ab");
  });

  it("output: every write reaches the stream; a failing stream reports, then is closed", () => {
    const out = new CapturedOutput();
    const s = new HostOutputStream(out);
    assert.ok(s.checkWrite() > 0n);
    s.write(bytes("a"));
    s.blockingWriteAndFlush(bytes("b"));
    s.writeZeroes(2n);
    s.flush();
    assert.equal(s.splice(new HostInputStream(new BufferInput("cd")), 10n), 2n);
    assert.deepEqual([...out.bytes()], [97, 98, 0, 0, 99, 100]);
    assert.equal(s.subscribe().ready(), true);
    const broken = new HostOutputStream({
      filetype: Filetype.UNKNOWN,
      write: () => {
        throw new Error("EPIPE");
      },
    });
    const e = catchIt(() => broken.write(bytes("x"))) as { tag: string; val: Error };
    assert.equal(e.tag, "last-operation-failed");
    assert.match(e.val.message, /EPIPE/);
    assert.deepEqual(catchIt(() => broken.checkWrite()), { tag: "closed" });
  });
});

describe("poll over host and shim pollables", () => {
  it("returns the ready ones of a mixed list", () => {
    const ready = new HostPollable(() => true, () => true);
    const late = timer(3_600_000_000_000n);
    assert.deepEqual([...poll([late, ready])], [1]);
    const now = timer(0n);
    assert.deepEqual([...poll([ready, now])], [0, 1]);
  });

  it("waits for a shim timer while a host pollable is not ready", () => {
    const never = new HostPollable(() => false, () => false);
    const soon = timer(20_000_000n);
    const t0 = Date.now();
    assert.deepEqual([...poll([never, soon])], [1]);
    assert.ok(Date.now() - t0 >= 15);
  });

  it("waits for the first of several host pollables", () => {
    let n = 0;
    const counts = new HostPollable(() => n > 3, () => ++n > 3);
    const never = new HostPollable(() => false, () => false);
    assert.deepEqual([...poll([never, counts])], [1]);
    assert.throws(() => poll([]), RangeError);
  });
});

function catchIt(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}
