/**
 * `wasi_unstable` (snapshot 0): its module name, its `whence` numbering,
 * its 56-byte `filestat` (u32 nlink) and 56-byte clock subscriptions, and
 * the missing `sock_accept`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Guest } from "./_harness_test.ts";
import { Errno, MemoryFileSystem, WASI } from "./mod.ts";

function guest(): Guest {
  const fs = new MemoryFileSystem();
  fs.writeFile("f.txt", "0123456789");
  return new Guest({ version: "unstable", preopens: { "/": fs.root() } });
}

describe("wasi_unstable", () => {
  it("is served under its own module name, without sock_accept", () => {
    const imports = new WASI({ version: "unstable" }).getImportObject();
    assert.deepEqual(Object.keys(imports), ["wasi_unstable"]);
    assert.equal("sock_accept" in imports.wasi_unstable, false);
    assert.equal(typeof imports.wasi_unstable.fd_write, "function");
    assert.equal("sock_accept" in new WASI({}).getImportObject().wasi_snapshot_preview1, true);
  });

  it("numbers whence CUR=0, END=1, SET=2", () => {
    const g = guest();
    const fd = g.open(3, "f.txt").value;
    const out = g.alloc(8);
    assert.equal(g.call.fd_seek(fd, 4n, 2, out), Errno.SUCCESS); // SET
    assert.equal(g.view.getBigUint64(out, true), 4n);
    assert.equal(g.call.fd_seek(fd, 2n, 0, out), Errno.SUCCESS); // CUR
    assert.equal(g.view.getBigUint64(out, true), 6n);
    assert.equal(g.call.fd_seek(fd, -3n, 1, out), Errno.SUCCESS); // END
    assert.equal(g.view.getBigUint64(out, true), 7n);
    assert.equal(g.read(fd).value, "789");
    assert.equal(g.call.fd_seek(fd, 0n, 3, out), Errno.INVAL);
  });

  it("lays out filestat in 56 bytes with a u32 link count", () => {
    const g = guest();
    const fd = g.open(3, "f.txt").value;
    const buf = g.alloc(72);
    new Uint8Array(g.memory.buffer, buf, 72).fill(0xee);
    assert.equal(g.call.fd_filestat_get(fd, buf), Errno.SUCCESS);
    const v = g.view;
    assert.equal(v.getUint8(buf + 16), 4); // regular file
    assert.equal(v.getUint32(buf + 20, true), 1); // nlink
    assert.equal(v.getBigUint64(buf + 24, true), 10n); // size
    assert.ok(v.getBigUint64(buf + 40, true) > 0n); // mtim
    assert.equal(v.getUint8(buf + 56), 0xee, "nothing written past 56 bytes");
    const [p, l] = g.put("f.txt");
    assert.equal(g.call.path_filestat_get(3, 0, p, l, buf), Errno.SUCCESS);
    assert.equal(v.getBigUint64(buf + 24, true), 10n);
  });

  it("reads 56-byte clock subscriptions (identifier first)", () => {
    const g = guest();
    const sub = g.alloc(56);
    const v = g.view;
    v.setBigUint64(sub, 77n, true); // userdata
    v.setUint8(sub + 8, 0); // clock
    v.setBigUint64(sub + 16, 999n, true); // identifier
    v.setUint32(sub + 24, 1, true); // monotonic
    v.setBigUint64(sub + 32, 30_000_000n, true); // 30 ms
    v.setUint16(sub + 48, 0, true);
    const ev = g.alloc(32);
    const n = g.alloc(4);
    const t0 = performance.now();
    assert.equal(g.call.poll_oneoff(sub, ev, 1, n), Errno.SUCCESS);
    assert.ok(performance.now() - t0 >= 25);
    assert.equal(v.getUint32(n, true), 1);
    assert.equal(v.getBigUint64(ev, true), 77n);
  });
});
