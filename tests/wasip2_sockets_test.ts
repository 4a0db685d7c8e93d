/**
 * WASI 0.2 sockets end to end: test components (tests/components, built at
 * test time) talking to servers on 127.0.0.1 in child processes, through
 * Gannet's WASI 0.2 host; and the same components without the right to.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CapturedOutput } from "../src/wasi/stdio.ts";
import { WasiP2Host } from "../src/wasip2/host.ts";
import type { WasiP2Options } from "../src/wasip2/options.ts";
import { cleanJco } from "./_jco.ts";
import { componentEngine } from "./_component_engine.ts";
import { type LocalServer, startServer } from "./_local_servers.ts";
import { testComponent } from "./_p2_components.ts";

const engine = componentEngine();

type Echo = (port: number, message: string) => number;

async function echo(
  name: string,
  world: string,
  options: WasiP2Options,
): Promise<{ call: Echo; stdout: CapturedOutput }> {
  const stdout = new CapturedOutput();
  const host = new WasiP2Host({ ...options, stdout });
  const exports = await engine.instantiate(await testComponent(name, world), host.importObject());
  return { call: exports.echo as Echo, stdout };
}

describe(`wasi:sockets from a component (engine: ${engine.name})`, () => {
  let tcp: LocalServer;
  let udp: LocalServer;
  before(async () => {
    [tcp, udp] = await Promise.all([startServer("tcp"), startServer("udp")]);
  });
  after(async () => {
    await Promise.all([tcp.stop(), udp.stop()]);
    cleanJco();
  });

  it(
    "TCP: connects to a local echo server, sends and reads back",
    { timeout: 120_000 },
    async () => {
      const e = await echo("tcp_echo", "tcp-echo", { network: { allow: ["127.0.0.1"] } });
      assert.equal(e.call(tcp.port, "hello over tcp"), 14);
      assert.equal(e.stdout.text(), "hello over tcp");
    },
  );

  it("UDP: binds, sends a datagram and receives the echo", { timeout: 120_000 }, async () => {
    const e = await echo("udp_echo", "udp-echo", { network: { allow: ["127.0.0.1"] } });
    assert.equal(e.call(udp.port, "hello over udp"), 14);
    assert.equal(e.stdout.text(), "hello over udp");
  });

  it(
    "without the network right, connect and bind fail with access-denied",
    { timeout: 120_000 },
    async () => {
      // -100 - error-code: access-denied is case 1.
      const t = await echo("tcp_echo", "tcp-echo", {});
      assert.equal(t.call(tcp.port, "x"), -101);
      const u = await echo("udp_echo", "udp-echo", {});
      assert.equal(u.call(udp.port, "x"), -101);
    },
  );

  it("only the granted address: another port is access-denied", { timeout: 120_000 }, async () => {
    const t = await echo("tcp_echo", "tcp-echo", { network: { allow: [`127.0.0.1:${udp.port}`] } });
    assert.equal(t.call(tcp.port, "x"), -101);
    const u = await echo("udp_echo", "udp-echo", { network: { allow: ["127.0.0.1:0"] } });
    // Binding 127.0.0.1:0 is granted; the stream to the server's port is not.
    assert.equal(u.call(udp.port, "x"), -301);
    const none = await echo("tcp_echo", "tcp-echo", { network: { allow: [], tcp: true } });
    assert.equal(none.call(tcp.port, "x"), -101);
    const noTcp = await echo("tcp_echo", "tcp-echo", { network: { tcp: false } });
    assert.equal(noTcp.call(tcp.port, "x"), -101);
  });
});
