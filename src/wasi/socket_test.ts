/**
 * Preopened sockets: accept from a listener, recv (with peek), send,
 * shutdown, and the errors for descriptors that are not sockets.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Guest } from "./_harness_test.ts";
import { Errno, MemoryListener } from "./mod.ts";

describe("sockets", () => {
  it("accepts a connection and exchanges data", () => {
    const listener = new MemoryListener();
    const g = new Guest({ sockets: [listener], stdout: "null" });
    const LISTEN = 3; // no preopened directories: the socket comes right after stdio
    const out = g.alloc(4);
    assert.equal(g.call.sock_accept(LISTEN, 0, out), Errno.AGAIN);
    const host = listener.connect();
    assert.equal(g.call.sock_accept(LISTEN, 0, out), Errno.SUCCESS);
    const conn = g.view.getUint32(out, true);
    const fdstat = g.alloc(24);
    assert.equal(g.call.fd_fdstat_get(conn, fdstat), Errno.SUCCESS);
    assert.equal(g.view.getUint8(fdstat), 6); // socket_stream

    host.send([new TextEncoder().encode("hello guest")]);
    const buf = g.alloc(64);
    const iov = g.alloc(8);
    g.view.setUint32(iov, buf, true);
    g.view.setUint32(iov + 4, 5, true);
    const n = g.alloc(4);
    const flags = g.alloc(2);
    assert.equal(g.call.sock_recv(conn, iov, 1, 1, /* peek */ n, flags), Errno.SUCCESS);
    assert.equal(g.view.getUint32(n, true), 5);
    g.view.setUint32(iov + 4, 64, true);
    assert.equal(g.call.sock_recv(conn, iov, 1, 0, n, flags), Errno.SUCCESS);
    const got = new TextDecoder().decode(
      new Uint8Array(g.memory.buffer, buf, g.view.getUint32(n, true)),
    );
    assert.equal(got, "hello guest");
    assert.equal(g.call.sock_recv(conn, iov, 1, 0, n, flags), Errno.AGAIN);

    const [p, l] = g.put("hi host");
    g.view.setUint32(iov, p, true);
    g.view.setUint32(iov + 4, l, true);
    assert.equal(g.call.sock_send(conn, iov, 1, 0, n), Errno.SUCCESS);
    assert.equal(g.view.getUint32(n, true), 7);
    assert.equal(g.write(conn, "!").errno, Errno.SUCCESS); // fd_write works on sockets too
    assert.equal(host.readAllText(), "hi host!");

    assert.equal(g.call.sock_shutdown(conn, 2), Errno.SUCCESS);
    assert.equal(g.call.sock_send(conn, iov, 1, 0, n), Errno.PIPE);
    assert.equal(g.call.sock_shutdown(conn, 0), Errno.INVAL);
    host.shutdown(2);
    assert.equal(g.call.sock_recv(conn, iov, 1, 0, n, flags), Errno.SUCCESS);
    assert.equal(g.view.getUint32(n, true), 0, "end of stream after the peer shut down");
  });

  it("reports EBADF and ENOTSOCK", () => {
    const g = new Guest({ stdout: "null" });
    assert.equal(g.call.sock_shutdown(99, 3), Errno.BADF);
    assert.equal(g.call.sock_shutdown(1, 3), Errno.NOTSOCK);
    assert.equal(g.call.sock_accept(0, 0, 0), Errno.NOTSOCK);
  });
});
