/**
 * Sandbox-escape attempts against a real temporary directory (node:fs
 * backend). Each must fail with the right errno, and the files outside the
 * preopen must be exactly as they were.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { Errno, openHostDirectory } from "./mod.ts";
import { Guest, hookDir } from "./_harness_test.ts";
import { Oflags } from "./constants.ts";

const ROOT = 3; // the preopen's descriptor

/** A snapshot of a tree: path → content / link target / "dir", mtime, ctime, links (not atime: reading it changes it). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      const r = rel === "" ? name : `${rel}/${name}`;
      const st = fs.lstatSync(full, { bigint: true });
      if (st.isSymbolicLink()) out[r] = `link:${fs.readlinkSync(full)}`;
      else if (st.isDirectory()) {
        out[r] = `dir:${st.mtimeNs}`;
        walk(full, r);
      } else {out[r] = `file:${
          fs.readFileSync(full, "utf8")
        }:${st.mtimeNs}:${st.ctimeNs}:${st.nlink}`;}
    }
  };
  walk(dir, "");
  return out;
}

describe("WASI sandbox (node:fs backend, real directories)", () => {
  let tmp = "";
  let outside = "";
  let sandbox = "";
  let before0: Record<string, string> = {};

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-sandbox-"));
    outside = path.join(tmp, "outside");
    sandbox = path.join(tmp, "sandbox");
    fs.mkdirSync(path.join(outside, "dir"), { recursive: true });
    fs.writeFileSync(path.join(outside, "secret.txt"), "secret");
    fs.mkdirSync(path.join(sandbox, "sub"), { recursive: true });
    fs.writeFileSync(path.join(sandbox, "inside.txt"), "inside");
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(sandbox, "abs_link"));
    fs.symlinkSync("../outside/secret.txt", path.join(sandbox, "rel_link"));
    fs.symlinkSync("../outside", path.join(sandbox, "dir_link"));
    fs.symlinkSync("../../outside", path.join(sandbox, "sub", "up_link"));
    fs.symlinkSync("loop_b", path.join(sandbox, "loop_a"));
    fs.symlinkSync("loop_a", path.join(sandbox, "loop_b"));
    before0 = snapshot(outside);
  });

  after(() => {
    // Whatever happened, the outside tree must be exactly as it was.
    assert.deepEqual(snapshot(outside), before0);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const guest = (): Guest =>
    new Guest({ preopens: { "/": sandbox }, stdout: "null", stderr: "null" });
  const untouched = (): void => assert.deepEqual(snapshot(outside), before0);

  it("refuses absolute paths", () => {
    const g = guest();
    for (const p of ["/", "/etc/passwd", path.join(outside, "secret.txt")]) {
      assert.equal(g.open(ROOT, p).errno, Errno.PERM, p);
      assert.equal(g.stat(ROOT, p).errno, Errno.PERM, p);
    }
    assert.equal(
      g.open(ROOT, path.join(outside, "new"), { oflags: Oflags.CREAT }).errno,
      Errno.PERM,
    );
    untouched();
  });

  it("refuses '..' past the preopen, allows it inside", () => {
    const g = guest();
    for (const p of ["..", "../outside/secret.txt", "sub/../../outside/secret.txt", "sub/../.."]) {
      assert.equal(g.open(ROOT, p).errno, Errno.PERM, p);
    }
    assert.equal(g.open(ROOT, "../outside/new.txt", { oflags: Oflags.CREAT }).errno, Errno.PERM);
    assert.equal(g.mkdir(ROOT, "../outside/newdir"), Errno.PERM);
    assert.equal(g.unlink(ROOT, "../outside/secret.txt"), Errno.PERM);
    assert.equal(g.rmdir(ROOT, "../outside/dir"), Errno.PERM);
    assert.equal(g.rename(ROOT, "../outside/secret.txt", ROOT, "stolen"), Errno.PERM);
    assert.equal(g.rename(ROOT, "inside.txt", ROOT, "../outside/planted"), Errno.PERM);
    assert.equal(g.link(ROOT, "../outside/secret.txt", ROOT, "hard"), Errno.PERM);
    const ok = g.open(ROOT, "sub/../inside.txt");
    assert.equal(ok.errno, Errno.SUCCESS);
    assert.equal(g.read(ok.value).value, "inside");
    untouched();
  });

  it("a directory descriptor is its own sandbox root", () => {
    const g = guest();
    const sub = g.open(ROOT, "sub", { oflags: Oflags.DIRECTORY });
    assert.equal(sub.errno, Errno.SUCCESS);
    assert.equal(g.open(sub.value, "../inside.txt").errno, Errno.PERM);
    assert.equal(g.open(sub.value, ".").errno, Errno.SUCCESS);
  });

  it("does not follow symlinks that lead outside", () => {
    const g = guest();
    for (const p of ["abs_link", "rel_link", "dir_link/secret.txt", "sub/up_link/secret.txt"]) {
      assert.equal(g.open(ROOT, p).errno, Errno.PERM, `open ${p}`);
      assert.equal(g.stat(ROOT, p).errno, Errno.PERM, `stat ${p}`);
      assert.equal(g.setTimes(ROOT, p, 1_000_000_000n), Errno.PERM, `utimes ${p}`);
    }
    // Writing, creating and truncating through them.
    assert.equal(
      g.open(ROOT, "rel_link", { oflags: Oflags.CREAT | Oflags.TRUNC }).errno,
      Errno.PERM,
    );
    assert.equal(g.open(ROOT, "dir_link/planted", { oflags: Oflags.CREAT }).errno, Errno.PERM);
    assert.equal(g.mkdir(ROOT, "dir_link/newdir"), Errno.PERM);
    assert.equal(g.unlink(ROOT, "dir_link/secret.txt"), Errno.PERM);
    assert.equal(g.rmdir(ROOT, "dir_link/dir"), Errno.PERM);
    assert.equal(g.rename(ROOT, "dir_link/secret.txt", ROOT, "stolen"), Errno.PERM);
    assert.equal(g.link(ROOT, "abs_link", ROOT, "hard", true), Errno.PERM);
    assert.equal(g.symlink("x", ROOT, "dir_link/planted"), Errno.PERM);
    untouched();
  });

  it("acts on the link itself where the call says not to follow", () => {
    const g = guest();
    // Without SYMLINK_FOLLOW, opening a symlink is ELOOP and stat describes the link.
    assert.equal(g.open(ROOT, "rel_link", { follow: false }).errno, Errno.LOOP);
    const st = g.stat(ROOT, "rel_link", false);
    assert.equal(st.errno, Errno.SUCCESS);
    assert.equal(st.value.type, 7); // symbolic_link
    assert.equal(g.readlink(ROOT, "rel_link").value, "../outside/secret.txt");
    // A hard link to the symlink (not its target) is allowed and stays a link.
    assert.equal(g.link(ROOT, "rel_link", ROOT, "rel_link2"), Errno.SUCCESS);
    assert.equal(g.open(ROOT, "rel_link2").errno, Errno.PERM);
    // Unlinking the symlink removes only the link.
    assert.equal(g.unlink(ROOT, "rel_link2"), Errno.SUCCESS);
    untouched();
  });

  it("refuses to create symlinks that point outside", () => {
    const g = guest();
    for (const target of ["/etc/passwd", "..", "../outside/secret.txt", "sub/../..", "a/../../b"]) {
      assert.equal(g.symlink(target, ROOT, "evil"), Errno.PERM, target);
      assert.equal(fs.existsSync(path.join(sandbox, "evil")), false);
    }
    const sub = g.open(ROOT, "sub", { oflags: Oflags.DIRECTORY }).value;
    assert.equal(g.symlink("../../outside", sub, "evil"), Errno.PERM);
    assert.equal(g.symlink("../inside.txt", ROOT, "sub/ok_link"), Errno.SUCCESS);
    const ok = g.open(ROOT, "sub/ok_link");
    assert.equal(g.read(ok.value).value, "inside");
    // A link that is harmless itself but leads to one that escapes is stopped when followed.
    assert.equal(g.symlink("dir_link", ROOT, "chain"), Errno.SUCCESS);
    assert.equal(g.open(ROOT, "chain/secret.txt").errno, Errno.PERM);
    untouched();
  });

  it("stops symlink loops with ELOOP", () => {
    const g = guest();
    assert.equal(g.open(ROOT, "loop_a").errno, Errno.LOOP);
    assert.equal(g.open(ROOT, "loop_a/x", { oflags: Oflags.CREAT }).errno, Errno.LOOP);
    assert.equal(g.stat(ROOT, "loop_b").errno, Errno.LOOP);
  });

  it("turns bad path bytes into errnos", () => {
    const g = guest();
    assert.equal(g.open(ROOT, "inside.txt\0../../x").errno, Errno.INVAL);
    assert.equal(g.open(ROOT, "").errno, Errno.NOENT);
    const [p, l] = g.put(new Uint8Array([0x66, 0xff, 0xfe]));
    assert.equal(g.call.path_open(ROOT, 0, p, l, 0, 0n, 0n, 0, 0), Errno.ILSEQ);
    assert.equal(g.call.path_open(ROOT, 0, 0xfffffff0, 100, 0, 0n, 0n, 0, 0), Errno.FAULT);
  });

  it("race: a directory swapped for an outside symlink after its check", () => {
    let armed = true;
    const root = hookDir(openHostDirectory(sandbox), (op, name) => {
      // The walk has lstat'ed "victim" (a directory) and is about to open it: swap it now.
      if (armed && op === "openDirAt" && name === "victim") {
        armed = false;
        fs.renameSync(path.join(sandbox, "victim"), path.join(sandbox, "victim.moved"));
        fs.symlinkSync(outside, path.join(sandbox, "victim"));
      }
    });
    fs.mkdirSync(path.join(sandbox, "victim"));
    const g = new Guest({ preopens: { "/": root }, stdout: "null" });
    const r = g.open(ROOT, "victim/secret.txt", { oflags: Oflags.CREAT | Oflags.TRUNC });
    assert.equal(armed, false, "the swap happened");
    // Linux reports O_DIRECTORY|O_NOFOLLOW on a symlink as ENOTDIR, others as ELOOP.
    assert.ok(r.errno === Errno.NOTDIR || r.errno === Errno.LOOP, `errno ${r.errno}`);
    untouched();
    fs.unlinkSync(path.join(sandbox, "victim"));
    fs.rmSync(path.join(sandbox, "victim.moved"), { recursive: true });
  });

  it("race: a file swapped for an outside symlink after its check", () => {
    let armed = true;
    const root = hookDir(openHostDirectory(sandbox), (op, name) => {
      if (armed && op === "openFileAt" && name === "target.txt") {
        armed = false;
        fs.unlinkSync(path.join(sandbox, "target.txt"));
        fs.symlinkSync(path.join(outside, "secret.txt"), path.join(sandbox, "target.txt"));
      }
    });
    fs.writeFileSync(path.join(sandbox, "target.txt"), "mine");
    const g = new Guest({ preopens: { "/": root }, stdout: "null" });
    const r = g.open(ROOT, "target.txt", { oflags: Oflags.TRUNC });
    assert.equal(armed, false, "the swap happened");
    assert.equal(r.errno, Errno.LOOP);
    untouched();
    fs.unlinkSync(path.join(sandbox, "target.txt"));
  });

  it("race: a parent directory replaced by an outside symlink while it is held open", () => {
    let armed = true;
    const root = hookDir(openHostDirectory(sandbox), (op, name) => {
      // The walk holds "held" open and is about to create the file in it.
      if (armed && op === "openFileAt" && name === "secret.txt") {
        armed = false;
        fs.renameSync(path.join(sandbox, "held"), path.join(sandbox, "held.moved"));
        fs.symlinkSync(outside, path.join(sandbox, "held"));
      }
    });
    fs.mkdirSync(path.join(sandbox, "held"));
    const g = new Guest({ preopens: { "/": root }, stdout: "null" });
    const r = g.open(ROOT, "held/secret.txt", { oflags: Oflags.CREAT | Oflags.TRUNC });
    assert.equal(armed, false, "the swap happened");
    if (process.platform === "linux") {
      // Entries are addressed through the open directory: the file lands in the moved one.
      assert.equal(r.errno, Errno.SUCCESS);
      assert.equal(g.write(r.value, "planted?").errno, Errno.SUCCESS);
      assert.equal(
        fs.readFileSync(path.join(sandbox, "held.moved", "secret.txt"), "utf8"),
        "planted?",
      );
    }
    untouched();
    fs.unlinkSync(path.join(sandbox, "held"));
    fs.rmSync(path.join(sandbox, "held.moved"), { recursive: true });
  });
});
