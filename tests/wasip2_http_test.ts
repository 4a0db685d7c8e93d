/**
 * WASI 0.2 HTTP: a component's `wasi:http/outgoing-handler` GET against a
 * server on 127.0.0.1 (child process), and `gannet serve` of a proxy
 * component answering 1,000 requests from a bounded local loop, with no
 * error and memory that stays flat.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import v8 from "node:v8";
import vm from "node:vm";
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoDir } from "./_shared.ts";
import { CapturedOutput } from "../src/wasi/stdio.ts";
import { WasiP2Host } from "../src/wasip2/host.ts";
import { serveComponent } from "../src/cli/serve.ts";
import { cleanJco } from "./_jco.ts";
import { componentEngine } from "./_component_engine.ts";
import { type LocalServer, startServer } from "./_local_servers.ts";
import { testComponent } from "./_p2_components.ts";

const engine = componentEngine();

/** The heap in use after a full collection (Bun.gc, or V8's gc exposed through node:v8). */
function heapAfterGc(): number {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun !== undefined) bun.gc(true);
  else {
    v8.setFlagsFromString("--expose-gc");
    (vm.runInNewContext("gc") as () => void)();
  }
  return process.memoryUsage().heapUsed;
}
type Get = (authority: string, path: string) => number;

describe(`wasi:http (engine: ${engine.name})`, () => {
  let server: LocalServer;
  before(async () => {
    server = await startServer("http");
  });
  after(async () => {
    await server.stop();
    cleanJco();
  });

  async function get(http: boolean, path: string): Promise<[number, string]> {
    const stdout = new CapturedOutput();
    const host = new WasiP2Host({ stdout, http });
    const exports = await engine.instantiate(
      await testComponent("http_get", "http-get"),
      host.importObject(),
    );
    return [(exports.get as Get)(`127.0.0.1:${server.port}`, path), stdout.text()];
  }

  it("outgoing-handler: GET from a component", { timeout: 120_000 }, async () => {
    assert.deepEqual(await get(true, "/hello"), [200, "hello from 127.0.0.1"]);
    assert.deepEqual(await get(true, "/other"), [404, "not found"]);
  });

  it(
    "outgoing-handler: denied unless granted (HTTP-request-denied)",
    { timeout: 120_000 },
    async () => {
      // -100 - error-code: HTTP-request-denied is case 2 of the test WIT's error-code.
      assert.deepEqual(await get(false, "/hello"), [-102, ""]);
    },
  );

  it(
    "gannet serve: 1,000 requests, one instance each, no error, flat heap after collection",
    { timeout: 300_000 },
    async () => {
      const bytes = await testComponent("http_hello", "http-hello");
      const listener = await serveComponent(bytes, {
        hostname: "127.0.0.1",
        port: 0,
        instantiate: engine.name === "jco"
          ? (imports) => engine.instantiate(bytes, imports)
          : undefined,
      });
      try {
        let heapAt200 = 0;
        for (let i = 0; i < 1000; i++) {
          const r = await fetch(`http://127.0.0.1:${listener.port}/req/${i}?n=${i}`);
          assert.equal(r.status, 200);
          assert.equal(await r.text(), `hello from a component: /req/${i}?n=${i}`);
          if (i === 199) heapAt200 = heapAfterGc();
        }
        const growth = heapAfterGc() - heapAt200;
        assert.ok(growth < 8 * 2 ** 20, `heap grew ${(growth / 2 ** 20).toFixed(1)} MiB`);
      } finally {
        await listener.close();
      }
    },
  );

  it(
    "the gannet serve command: listens, answers, stops on SIGINT",
    { timeout: 120_000 },
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-serve-"));
      const file = path.join(dir, "proxy.wasm");
      fs.writeFileSync(file, await testComponent("http_hello", "http-hello"));
      const isDeno = (process.versions as Record<string, string | undefined>).deno !== undefined;
      const cli = path.join(repoDir(), "src", "cli", "main.ts");
      const args = [...(isDeno ? ["run", "-A"] : []), cli, "serve", "--addr", "127.0.0.1:0", file];
      const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
      try {
        let banner = "";
        while (!/Serving HTTP on http:\/\/127\.0\.0\.1:(\d+)\//.test(banner)) {
          const [chunk] = await once(child.stderr!, "data");
          banner += String(chunk);
        }
        const port = /127\.0\.0\.1:(\d+)\//.exec(banner)![1];
        const r = await fetch(`http://127.0.0.1:${port}/cli?x=1`);
        assert.equal(r.status, 200);
        assert.equal(await r.text(), "hello from a component: /cli?x=1");
        child.kill("SIGINT");
        // Bun (and Deno started from a shell) run the SIGINT handler and exit
        // 0; a Deno child of Deno's child_process dies of the signal.
        const [code, signal] = await once(child, "exit");
        assert.ok(code === 0 || signal === "SIGINT", `exit ${code} ${signal}`);
      } finally {
        if (child.exitCode === null) child.kill();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
