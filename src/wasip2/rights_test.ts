import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { type ImportObject, WasiP2Host } from "./host.ts";
import { AddressPolicy, type IpSocketAddress } from "./net_policy.ts";
import { authorityAllowed } from "./http.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const v4 = (a: number[], port: number): IpSocketAddress => ({
  tag: "ipv4",
  val: { port, address: a },
});
const loopback = (port: number) => v4([127, 0, 0, 1], port);

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return "no error";
}

describe("wasi:filesystem of one instance", () => {
  it("read-directory works on a preopen (the shim's failed with bad-descriptor)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-p2-"));
    try {
      fs.writeFileSync(path.join(dir, "a.txt"), "x");
      fs.mkdirSync(path.join(dir, "sub"));
      const i = new WasiP2Host({ preopens: { "/": dir } }).importObject();
      const [[root]] = (i["wasi:filesystem/preopens"].getDirectories as () => [Any, string][])();
      const stream = root.readDirectory();
      const names: string[] = [];
      for (let e = stream.readDirectoryEntry(); e !== undefined; e = stream.readDirectoryEntry()) {
        names.push(`${e.name}:${e.type}`);
      }
      assert.deepEqual(names.sort(), ["a.txt:regular-file", "sub:directory"]);
      const sub = root.openAt({ symlinkFollow: false }, "sub", { directory: true }, { read: true });
      assert.equal(sub.readDirectory().readDirectoryEntry(), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it("paths outside a preopen fail with not-permitted and touch nothing", () => {
    const outer = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-p2-"));
    const dir = path.join(outer, "sandbox");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(outer, "secret"), "keep");
    fs.symlinkSync("../secret", path.join(dir, "escape"));
    try {
      const i = new WasiP2Host({ preopens: { "/": dir } }).importObject();
      const [[root]] = (i["wasi:filesystem/preopens"].getDirectories as () => [Any, string][])();
      const flags = { symlinkFollow: true };
      const open = (p: string) => () => root.openAt(flags, p, {}, { read: true });
      assert.equal(thrown(open("../secret")), "not-permitted");
      assert.equal(thrown(open(path.join(outer, "secret"))), "not-permitted");
      assert.equal(thrown(open("escape")), "not-permitted");
      assert.equal(thrown(() => root.unlinkFileAt("../secret")), "not-permitted");
      assert.equal(
        thrown(() => root.openAt(flags, "../new", { create: true }, { write: true })),
        "not-permitted",
      );
      assert.equal(fs.readFileSync(path.join(outer, "secret"), "utf8"), "keep");
      assert.deepEqual(fs.readdirSync(outer).sort(), ["sandbox", "secret"]);
    } finally {
      fs.rmSync(outer, { recursive: true });
    }
  });
});

describe("network rights", () => {
  it("address rules: exact, prefix, port, IPv6", () => {
    const p = new AddressPolicy(["127.0.0.1:8080", "10.0.0.0/8", "[::1]"]);
    assert.ok(p.allows(loopback(8080)));
    assert.ok(!p.allows(loopback(8081)));
    assert.ok(p.allows(v4([10, 9, 8, 7], 1)));
    assert.ok(!p.allows(v4([11, 0, 0, 1], 1)));
    assert.ok(p.allows({ tag: "ipv6", val: { port: 5, address: [0, 0, 0, 0, 0, 0, 0, 1] } }));
    assert.ok(!p.allows({ tag: "ipv6", val: { port: 5, address: [0, 0, 0, 0, 0, 0, 0, 2] } }));
    assert.ok(new AddressPolicy(undefined).allows(v4([8, 8, 8, 8], 53)));
    assert.throws(() => new AddressPolicy(["localhost"]), /not an IP address/);
    assert.throws(() => new AddressPolicy(["1.2.3.4/33"]), /prefix/);
  });

  it("authority rules for outgoing HTTP", () => {
    assert.ok(authorityAllowed("localhost", "localhost:8080"));
    assert.ok(authorityAllowed("localhost:*", "LOCALHOST:1"));
    assert.ok(authorityAllowed("127.0.0.1:80", "127.0.0.1:80"));
    assert.ok(!authorityAllowed("127.0.0.1:80", "127.0.0.1:81"));
    assert.ok(!authorityAllowed("example.com", "evil.com"));
  });

  it("no network unless granted: TCP connect and UDP bind are access-denied", () => {
    const i = new WasiP2Host().importObject();
    const network = (i["wasi:sockets/instance-network"].instanceNetwork as () => Any)();
    const tcp = (i["wasi:sockets/tcp-create-socket"].createTcpSocket as (f: string) => Any)("ipv4");
    assert.equal(thrown(() => tcp.startConnect(network, loopback(9))), "access-denied");
    const udp = (i["wasi:sockets/udp-create-socket"].createUdpSocket as (f: string) => Any)("ipv4");
    assert.equal(thrown(() => udp.startBind(network, loopback(0))), "access-denied");
    const lookup = i["wasi:sockets/ip-name-lookup"].resolveAddresses as (n: Any, h: string) => Any;
    assert.equal(thrown(() => lookup(network, "localhost")), "permanent-resolver-failure");
  });

  it("a granted instance reaches only the allowed addresses; another's rights are its own", () => {
    const allowed = new WasiP2Host({ network: { allow: ["127.0.0.1:7"] } }).importObject();
    const other = new WasiP2Host({ network: true }).importObject();
    const make = (i: ImportObject) => ({
      network: (i["wasi:sockets/instance-network"].instanceNetwork as () => Any)(),
      tcp: (i["wasi:sockets/tcp-create-socket"].createTcpSocket as (f: string) => Any)("ipv4"),
    });
    const a = make(allowed);
    assert.equal(thrown(() => a.tcp.startConnect(a.network, loopback(8))), "access-denied");
    const b = make(other);
    // Not denied by rights: the connection itself is attempted.
    assert.notEqual(thrown(() => b.tcp.startConnect(b.network, loopback(8))), "access-denied");
  });

  it("outgoing HTTP is denied unless granted", () => {
    const i = new WasiP2Host().importObject();
    const types = i["wasi:http/types"] as Any;
    const request = new types.OutgoingRequest(new types.Fields());
    request.setAuthority("127.0.0.1:9");
    request.setPathWithQuery("/");
    const handle = i["wasi:http/outgoing-handler"].handle as (r: unknown) => unknown;
    assert.deepEqual(thrown(() => handle(request)), { tag: "HTTP-request-denied" });
  });
});

describe("sockets through the host (127.0.0.1 only)", () => {
  it("UDP: check-send, send and receive (check-send failed under Deno before the fix)", () => {
    const i = new WasiP2Host({ network: { allow: ["127.0.0.1"] } }).importObject();
    const network = (i["wasi:sockets/instance-network"].instanceNetwork as () => Any)();
    const udp = (i["wasi:sockets/udp-create-socket"].createUdpSocket as (f: string) => Any)("ipv4");
    udp.startBind(network, loopback(0));
    udp.subscribe().block();
    udp.finishBind();
    const local = udp.localAddress();
    const [incoming, outgoing] = udp.stream(undefined);
    assert.ok(outgoing.checkSend() > 0n);
    assert.equal(outgoing.send([{ data: new Uint8Array([1, 2, 3]), remoteAddress: local }]), 1n);
    assert.equal(
      thrown(() =>
        outgoing.send([{ data: new Uint8Array([4]), remoteAddress: v4([10, 0, 0, 1], 9) }])
      ),
      "access-denied",
    );
    incoming.subscribe().block();
    const got = incoming.receive(10n);
    assert.equal(got.length, 1);
    assert.deepEqual([...got[0].data], [1, 2, 3]);
  });

  it("TCP: connect to a local server, write and read back", async () => {
    const server = net.createServer((c) => c.pipe(c));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const i = new WasiP2Host({ network: { allow: [`127.0.0.1:${port}`] } }).importObject();
      const network = (i["wasi:sockets/instance-network"].instanceNetwork as () => Any)();
      const create = i["wasi:sockets/tcp-create-socket"].createTcpSocket as (f: string) => Any;
      const tcp = create("ipv4");
      tcp.startConnect(network, loopback(port));
      // The server runs on this thread's event loop: let it accept between polls.
      let streams: [Any, Any] | undefined;
      while (streams === undefined) {
        await new Promise((r) => setTimeout(r, 5));
        try {
          streams = tcp.finishConnect();
        } catch (e) {
          if (e !== "would-block") throw e;
        }
      }
      const [input, output] = streams;
      output.blockingWriteAndFlush(new TextEncoder().encode("ping"));
      let echoed = "";
      while (echoed.length < 4) {
        await new Promise((r) => setTimeout(r, 5));
        echoed += new TextDecoder().decode(input.read(16n));
      }
      assert.equal(echoed, "ping");
    } finally {
      server.close();
    }
  });
});
