/**
 * The in-memory backend must behave like real directories: one script of
 * guest operations runs against both, and every errno and result must be
 * the same.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Guest } from "./_harness_test.ts";
import { type DirHandle, MemoryFileSystem } from "./mod.ts";
import { Oflags } from "./constants.ts";

const ROOT = 3;

/** Runs the script; returns a transcript of everything observable. */
function script(root: string | DirHandle): unknown[] {
  const g = new Guest({ preopens: { "/": root }, stdout: "null" });
  const log: unknown[] = [];
  const rec = (what: string, v: unknown) => log.push([what, v]);
  rec("mkdir a", g.mkdir(ROOT, "a"));
  rec("mkdir a again", g.mkdir(ROOT, "a"));
  rec("mkdir a/b/c without a/b", g.mkdir(ROOT, "a/b/c"));
  rec("mkdir a/b", g.mkdir(ROOT, "a/b"));
  rec("mkdir a/b/c", g.mkdir(ROOT, "a/b/c"));
  const f = g.open(ROOT, "a/f.txt", { oflags: Oflags.CREAT });
  rec("create", f.errno);
  rec("write", g.write(f.value, "hello world"));
  rec("size", g.stat(ROOT, "a/f.txt").value.size);
  const seek = g.alloc(8);
  rec("seek past end", g.call.fd_seek(f.value, 20n, 0, seek));
  rec("write after hole", g.write(f.value, "!"));
  rec("size with hole", g.stat(ROOT, "a/f.txt").value.size);
  rec(
    "pread hole",
    (() => {
      const buf = g.alloc(4);
      const iov = g.alloc(8);
      g.view.setUint32(iov, buf, true);
      g.view.setUint32(iov + 4, 4, true);
      const n = g.alloc(4);
      const e = g.call.fd_pread(f.value, iov, 1, 9n, n);
      return [e, [...new Uint8Array(g.memory.buffer, buf, g.view.getUint32(n, true))]];
    })(),
  );
  rec("truncate", g.call.fd_filestat_set_size(f.value, 5n));
  rec("size after truncate", g.stat(ROOT, "a/f.txt").value.size);
  rec(
    "create excl existing",
    g.open(ROOT, "a/f.txt", { oflags: Oflags.CREAT | Oflags.EXCL }).errno,
  );
  rec("open as dir", g.open(ROOT, "a/f.txt", { oflags: Oflags.DIRECTORY }).errno);
  rec("open file/", g.open(ROOT, "a/f.txt/").errno);
  rec("open missing", g.open(ROOT, "a/nope").errno);
  rec("open through file", g.open(ROOT, "a/f.txt/x").errno);
  rec("link", g.link(ROOT, "a/f.txt", ROOT, "a/g.txt"));
  const st = g.alloc(64);
  const [p, l] = g.put("a/g.txt");
  g.call.path_filestat_get(ROOT, 0, p, l, st);
  rec("nlink", g.view.getBigUint64(st + 24, true));
  rec("same inode", g.stat(ROOT, "a/g.txt").value.ino === g.stat(ROOT, "a/f.txt").value.ino);
  rec("link to existing", g.link(ROOT, "a/f.txt", ROOT, "a/g.txt"));
  rec("link dir", g.link(ROOT, "a/b", ROOT, "a/b2"));
  rec("symlink", g.symlink("f.txt", ROOT, "a/s"));
  rec("readlink", g.readlink(ROOT, "a/s"));
  rec("readlink file", g.readlink(ROOT, "a/f.txt").errno);
  rec("open symlink nofollow", g.open(ROOT, "a/s", { follow: false }).errno);
  rec("read via symlink", g.read(g.open(ROOT, "a/s").value).value);
  rec("stat symlink nofollow type", g.stat(ROOT, "a/s", false).value.type);
  rec("rename over file", g.rename(ROOT, "a/g.txt", ROOT, "a/s"));
  rec("stat after rename type", g.stat(ROOT, "a/s", false).value.type);
  rec("rename file over dir", g.rename(ROOT, "a/s", ROOT, "a/b"));
  rec("rename dir over file", g.rename(ROOT, "a/b", ROOT, "a/s"));
  rec("rename dir into itself", g.rename(ROOT, "a", ROOT, "a/b/c/d"));
  rec("rename missing", g.rename(ROOT, "a/zz", ROOT, "a/yy"));
  rec("rmdir nonempty", g.rmdir(ROOT, "a/b"));
  rec("rmdir file", g.rmdir(ROOT, "a/f.txt"));
  rec("unlink dir", g.unlink(ROOT, "a/b"));
  rec("unlink file/", g.unlink(ROOT, "a/f.txt/"));
  const d = g.open(ROOT, "a", { oflags: Oflags.DIRECTORY });
  rec("readdir", g.readdir(d.value).value.sort());
  rec("readdir on file", g.readdir(f.value).errno);
  rec("rmdir c", g.rmdir(ROOT, "a/b/c"));
  rec("rmdir ..", g.rmdir(ROOT, "a/b/.."));
  rec("rename dir", g.rename(ROOT, "a/b", ROOT, "a/b3"));
  rec("rename dir back with slashes", g.rename(ROOT, "a/b3/", ROOT, "a/b/"));
  const held = g.open(ROOT, "a/b", { oflags: Oflags.DIRECTORY });
  rec("rmdir held", g.rmdir(ROOT, "a/b"));
  rec("create in removed dir", g.open(held.value, "x", { oflags: Oflags.CREAT }).errno);
  rec("readdir removed", g.readdir(held.value).value.sort());
  rec("unlink", g.unlink(ROOT, "a/f.txt"));
  rec("still open after unlink", g.read(f.value).errno);
  rec("fd_write on dir", g.write(d.value, "x").errno);
  rec("fd_read on dir", g.read(d.value).errno);
  rec("seek on dir", g.call.fd_seek(d.value, 0n, 0, seek));
  rec("mkdir trailing slash", g.mkdir(ROOT, "t/"));
  rec("rmdir trailing slash", g.rmdir(ROOT, "t/"));
  rec("symlink dangling", g.symlink("nowhere", ROOT, "dang"));
  rec("create through dangling", g.open(ROOT, "dang", { oflags: Oflags.CREAT }).errno);
  rec("dangling now resolves", g.stat(ROOT, "dang").errno);
  return log;
}

describe("backend parity (node:fs vs in-memory)", () => {
  it("gives the same results for the same script", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-parity-"));
    try {
      const real = script(tmp);
      const mem = script(new MemoryFileSystem().root());
      assert.equal(mem.length, real.length);
      // Step by step, so that a difference names the operation.
      for (let i = 0; i < real.length; i++) assert.deepEqual(mem[i], real[i]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
