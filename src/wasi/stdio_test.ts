/**
 * Stdio streams: what types they report (isatty in the guest depends on
 * it), inherited host descriptors, buffers, captures and callbacks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Guest } from "./_harness_test.ts";
import { BufferInput, CapturedOutput, Errno, Filetype, HostFdStream, NullStream } from "./mod.ts";

describe("stdio", () => {
  it("reports types: files as files, buffers and captures as plain streams", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-stdio-"));
    const fd = fs.openSync(path.join(tmp, "out.txt"), "w+");
    try {
      const out = new HostFdStream(fd);
      assert.equal(out.filetype, Filetype.REGULAR_FILE);
      const g = new Guest({
        stdin: new BufferInput("x"),
        stdout: out,
        stderr: new CapturedOutput(),
      });
      assert.equal(g.write(1, "to the file").errno, Errno.SUCCESS);
      assert.equal(fs.readFileSync(path.join(tmp, "out.txt"), "utf8"), "to the file");
      const st = g.alloc(24);
      for (
        const [fdn, type] of [[0, Filetype.UNKNOWN], [1, Filetype.REGULAR_FILE], [
          2,
          Filetype.UNKNOWN,
        ]]
      ) {
        assert.equal(g.call.fd_fdstat_get(fdn, st), Errno.SUCCESS);
        assert.equal(g.view.getUint8(st), type);
        // No seek or tell on a stream (rights bits 2 and 5).
        assert.equal(Number(g.view.getBigUint64(st + 8, true)) & 0b100100, 0);
      }
      assert.equal(g.call.fd_seek(1, 0n, 0, st), Errno.NOTCAPABLE);
      assert.equal(g.call.fd_sync(1), Errno.SUCCESS);
      assert.equal(new NullStream().filetype, Filetype.CHARACTER_DEVICE);
    } finally {
      fs.closeSync(fd);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("feeds stdin from a buffer, then end of input; stdout to a callback", () => {
    const chunks: string[] = [];
    const g = new Guest({
      stdin: "hello",
      stdout: (c) => chunks.push(new TextDecoder().decode(c)),
    });
    assert.equal(g.read(0, 3).value, "hel");
    assert.equal(g.read(0).value, "lo");
    assert.deepEqual(g.read(0), { errno: 0, value: "" });
    g.write(1, "a");
    g.write(1, "b");
    assert.deepEqual(chunks, ["a", "b"]);
    assert.equal(g.write(0, "x").errno, Errno.BADF, "stdin is not writable");
    assert.equal(g.read(1).errno, Errno.BADF, "stdout is not readable");
  });
});
