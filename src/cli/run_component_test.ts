/**
 * `gannet run` with components: flags, the adapter path, exit statuses and
 * errors, on Gannet's component runtime (GANNET_P2_ENGINE=jco: jco's glue on
 * native wasm).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCommand } from "./run.ts";
import { parseWat } from "../text/parse_wat.ts";
import { BufferInput, CapturedOutput } from "../wasi/mod.ts";
import { corpus } from "../../tests/_shared.ts";
import { cleanJco } from "../../tests/_jco.ts";
import { componentEngine } from "../../tests/_component_engine.ts";
import { startServer } from "../../tests/_local_servers.ts";
import { testComponent } from "../../tests/_p2_components.ts";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new CapturedOutput();
  const stderr = new CapturedOutput();
  const code = await runCommand(args, {
    instantiateComponent: componentEngine().name === "jco"
      ? componentEngine().instantiate
      : undefined,
    stdin: new BufferInput(""),
    stdout,
    stderr,
  });
  return { code, out: stdout.text(), err: stderr.text() };
}

const components = corpus("components");

describe("gannet run COMPONENT", { skip: components === null }, () => {
  const at = (rel: string) => path.join(components!, rel);
  const adapter = () => at("core-modules/wasi_snapshot_preview1.command.wasm");
  after(cleanJco);

  it(
    "runs a command component, telling it from a module by its header",
    { timeout: 120_000 },
    async () => {
      const r = await run([at("p2-command/hello_stdout.component.wasm")]);
      assert.deepEqual(r, {
        code: 0,
        out: "writing to stdout: hello, world\n",
        err: "writing to stderr: hello, world\n",
      });
    },
  );

  it("passes the arguments after the program, --argv0 first", { timeout: 120_000 }, async () => {
    const r = await run(["--argv0", "x", at("p2-command/utf8-utf16.composed.wasm"), "abc"]);
    assert.equal(r.code, 0);
    assert.equal(r.out, "ret: abcabc\n");
  });

  it("--adapt runs a preview1 module as a component", { timeout: 120_000 }, async () => {
    const r = await run(["--adapt", adapter(), at("core-modules/hello_stdout.wasm")]);
    assert.equal(r.code, 0);
    assert.equal(r.out, "writing to stdout: hello, world\n");
  });

  it(
    "a non-zero proc_exit through the 0.2.3 adapter is exit(err): status 1",
    { timeout: 120_000 },
    async () => {
      const r = await run(["--adapt", adapter(), at("core-modules/exitcode.wasm")]);
      assert.equal(r.code, 1);
    },
  );

  it("rejects what it cannot run, with a message", { timeout: 120_000 }, async () => {
    const notCommand = await run([at("no-wasi/adder.component.wasm")]);
    assert.equal(notCommand.code, 1);
    assert.match(notCommand.err, /not a command component/);
    const badFlag = await run(["-S", "nosuch", at("p2-command/hello_stdout.component.wasm")]);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.err, /-S nosuch: unknown WASI option/);
    const badAdapter = await run([
      "--adapt",
      "/no/such/adapter.wasm",
      at("core-modules/exitcode.wasm"),
    ]);
    assert.equal(badAdapter.code, 1);
    assert.match(badAdapter.err, /no such file/i);
  });

  it("--invoke calls an export with WAVE arguments and prints the result", {
    timeout: 120_000,
  }, async () => {
    const bigint = at("no-wasi/asmjs_bigint.component.wasm");
    assert.deepEqual(await run(["--invoke", "add(2, 3)", bigint]), {
      code: 0,
      out: "5\n",
      err: "",
    });
    const wrap = await run(["--invoke", "add(9223372036854775807, 1)", bigint]);
    assert.equal(wrap.out, "-9223372036854775808\n");
    const bad = await run(["--invoke", "add(1.5, 1)", bigint]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /expected a s64 at offset 4/);
    const missing = await run(["--invoke", "sub(1, 1)", bigint]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no exported function sub/);
  });

  it("--invoke with a string argument and a granted address (TCP echo component)", {
    timeout: 120_000,
  }, async () => {
    const server = await startServer("tcp");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-invoke-"));
    try {
      const file = path.join(dir, "tcp_echo.wasm");
      fs.writeFileSync(file, await testComponent("tcp_echo", "tcp-echo"));
      const call = `echo(${server.port}, "hi \\"there\\"")`;
      const ok = await run(["--allow-net", "127.0.0.1", "--invoke", call, file]);
      assert.deepEqual(ok, { code: 0, out: 'hi "there"10\n', err: "" });
      const denied = await run(["--invoke", call, file]);
      assert.equal(denied.out, "-101\n");
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    "-W fuel and -W timeout bound a component as a module: exit 125 and 124",
    { timeout: 120_000, skip: componentEngine().name !== "gannet" },
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-spin-"));
      try {
        const file = path.join(dir, "spin.wasm");
        fs.writeFileSync(
          file,
          parseWat(`(component
            (core module $m (func (export "run") (result i32) (loop (br 0)) (unreachable)))
            (core instance $i (instantiate $m))
            (type $r (result))
            (func $run (result $r) (canon lift (core func $i "run")))
            (instance $run-inst (export "run" (func $run)))
            (export "wasi:cli/run@0.2.0" (instance $run-inst)))`),
        );
        const fuel = await run(["-W", "fuel=10000", file]);
        assert.equal(fuel.code, 125);
        assert.match(fuel.err, /all fuel consumed by WebAssembly \(-W fuel\)/);
        const timeout = await run(["-W", "timeout=200ms", file]);
        assert.equal(timeout.code, 124);
        assert.match(timeout.err, /deadline exceeded \(-W timeout\)/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("a trap exits 134 with the message and the core frames", { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-trap-"));
    try {
      // fs_probe traps (unreachable) when it has no preopen.
      const file = path.join(dir, "fs_probe.wasm");
      fs.writeFileSync(file, await testComponent("fs_probe", "fs-probe"));
      const r = await run(["--invoke", 'open("x", false, true)', file]);
      assert.equal(r.code, 134);
      assert.match(r.err, /^gannet run: wasm trap: .*unreachable/);
      if (componentEngine().name === "gannet") {
        assert.match(r.err, /\n {2}0: wasm-function\[\d+\]\n/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
