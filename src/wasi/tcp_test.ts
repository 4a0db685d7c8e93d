/**
 * Real TCP through the helper thread: a preopened listener, accept, data
 * both ways, shutdown, end of stream, a timed wait, and bind errors.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { once } from "node:events";
import { Guest } from "./_harness_test.ts";
import { Errno, WasiError } from "./mod.ts";
import { TcpListener } from "./tcp_bridge.ts";

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe("TCP sockets", () => {
  it("accepts, exchanges data and shuts down", async () => {
    const listener = TcpListener.listen("127.0.0.1", 0);
    assert.ok(listener.port > 0);
    const g = new Guest({ sockets: [listener], stdout: "null" });
    const out = g.alloc(4);
    g.call.fd_fdstat_set_flags(3, 4); // nonblocking accept first: nothing pending yet
    assert.equal(g.call.sock_accept(3, 0, out), Errno.AGAIN);

    const client = net.connect(listener.port, "127.0.0.1");
    await once(client, "connect");
    await tick();
    assert.equal(g.call.sock_accept(3, 0, out), Errno.SUCCESS);
    const conn = g.view.getUint32(out, true);

    client.write("ping");
    await tick();
    assert.deepEqual(g.read(conn), { errno: 0, value: "ping" });

    const received = once(client, "data");
    assert.equal(g.write(conn, "pong").errno, Errno.SUCCESS);
    assert.equal(String((await received)[0]), "pong");

    const ended = once(client, "end");
    assert.equal(g.call.sock_shutdown(conn, 2), Errno.SUCCESS);
    await ended;
    client.end();
    await tick();
    assert.deepEqual(g.read(conn), { errno: 0, value: "" }, "end of stream");
    assert.equal(g.close(conn), Errno.SUCCESS);
    listener.close();
  });

  it("waits for readiness with a timeout", () => {
    const listener = TcpListener.listen("127.0.0.1", 0);
    const t0 = performance.now();
    assert.equal(listener.waitReadable(80), -1);
    assert.ok(performance.now() - t0 >= 70);
    listener.close();
  });

  it("reports a port in use as EADDRINUSE", () => {
    const a = TcpListener.listen("127.0.0.1", 0);
    assert.throws(
      () => TcpListener.listen("127.0.0.1", a.port),
      (e) => e instanceof WasiError && e.errno === Errno.ADDRINUSE,
    );
    a.close();
  });
});
