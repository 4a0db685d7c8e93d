/**
 * The sandbox from inside a component: a test component (tests/components/
 * fs_probe.wat) tries to open, create and unlink paths inside and outside its
 * one preopen; every escape fails with `not-permitted` and the tree outside
 * is byte-for-byte as it was. (Network rights from components:
 * wasip2_sockets_test.ts.)
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { WasiP2Host } from "../src/wasip2/host.ts";
import { cleanJco } from "./_jco.ts";
import { componentEngine } from "./_component_engine.ts";
import { testComponent } from "./_p2_components.ts";

const engine = componentEngine();
/** The fs-probe WIT's error-code cases, in order. */
const NOT_PERMITTED = -(1 + 31);
const NO_ENTRY = -(1 + 20);
const LOOP = -(1 + 15);

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, name);
    const st = fs.lstatSync(full, { bigint: true });
    out[name] = st.isDirectory()
      ? `dir:${st.mtimeNs}`
      : `${fs.readFileSync(full, "utf8")}:${st.mtimeNs}`;
  }
  return out;
}

describe(`the sandbox seen from a component (engine: ${engine.name})`, () => {
  let tmp = "";
  let outside = "";
  let sandbox = "";
  let probe: {
    open(p: string, create: boolean, follow: boolean): number;
    unlink(p: string): number;
  };
  let outsideBefore: Record<string, string> = {};

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gannet-p2-sandbox-"));
    outside = path.join(tmp, "outside");
    sandbox = path.join(tmp, "sandbox");
    fs.mkdirSync(outside);
    fs.mkdirSync(path.join(sandbox, "sub"), { recursive: true });
    fs.writeFileSync(path.join(outside, "secret.txt"), "secret");
    fs.writeFileSync(path.join(sandbox, "inside.txt"), "inside");
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(sandbox, "abs_link"));
    fs.symlinkSync("../outside/secret.txt", path.join(sandbox, "rel_link"));
    fs.symlinkSync("../../outside", path.join(sandbox, "sub", "up_link"));
    fs.symlinkSync("loop_b", path.join(sandbox, "loop_a"));
    fs.symlinkSync("loop_a", path.join(sandbox, "loop_b"));
    outsideBefore = snapshot(outside);
    const host = new WasiP2Host({ preopens: { "/": sandbox } });
    const exports = await engine.instantiate(
      await testComponent("fs_probe", "fs-probe"),
      host.importObject(),
    );
    probe = exports as typeof probe;
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    cleanJco();
  });

  it("inside the preopen: open, create and unlink work", () => {
    assert.equal(probe.open("inside.txt", false, true), 0);
    assert.equal(probe.open("sub/new.txt", true, true), 0);
    assert.ok(fs.existsSync(path.join(sandbox, "sub", "new.txt")));
    assert.equal(probe.unlink("sub/new.txt"), 0);
    assert.equal(probe.open("missing.txt", false, true), NO_ENTRY);
  });

  it("every way out fails with not-permitted (or loop), and nothing outside changes", () => {
    const escapes: [string, boolean, boolean][] = [
      ["../outside/secret.txt", false, true],
      [path.join(outside, "secret.txt"), false, true],
      ["/etc/passwd", false, true],
      ["sub/../../outside/secret.txt", false, true],
      ["abs_link", false, true],
      ["rel_link", false, true],
      ["sub/up_link/secret.txt", false, true],
      ["../outside/created.txt", true, true],
      ["sub/up_link/created.txt", true, true],
    ];
    for (const [p, create, follow] of escapes) {
      assert.equal(probe.open(p, create, follow), NOT_PERMITTED, p);
    }
    assert.equal(probe.open("loop_a", false, true), LOOP);
    assert.equal(probe.unlink("../outside/secret.txt"), NOT_PERMITTED);
    assert.equal(probe.unlink("sub/up_link/secret.txt"), NOT_PERMITTED);
    assert.deepEqual(snapshot(outside), outsideBefore);
  });
});
