/**
 * Snapshots across processes: examples/preinit.wasm pre-initialized in one
 * process and restored in another gives the same output as running its
 * initialization there (restore is timed against init and printed), under
 * Deno, Bun and `--jitless` alike; an initialization paused for fuel, saved,
 * and finished in another process (on each host) ends in the same state.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { repoDir } from "./_shared.ts";
import { HOSTS, LONG } from "./_hosts.ts";

interface Line {
  mode: string;
  result: unknown;
  out: string;
  setupMs: number;
}

/** Runs `_snapshot_child.ts` in a new Deno process. */
function child(...args: string[]): Line {
  return childOn("deno", ...args);
}

/** Runs `_snapshot_child.ts` in a new process of `host`. */
function childOn(host: string, ...args: string[]): Line {
  const [cmd, ...pre] = HOSTS[host];
  const r = spawnSync(cmd, [
    ...pre,
    join(repoDir(), "tests", "_snapshot_child.ts"),
    "--",
    ...args,
  ], {
    encoding: "utf8",
    cwd: repoDir(),
    timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

describe("snapshots across processes", () => {
  let dir = "";
  before(() => {
    dir = fs.mkdtempSync(join(os.tmpdir(), "gannet-snap-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(
    "pre-initialize, snapshot, restore elsewhere: the same output, without re-initializing",
    LONG,
    () => {
      const file = join(dir, "preinit.snap");
      const direct = child("direct", "2000000", "100000", "1999993");
      const saved = child("save", "2000000", file);
      const restored = child("restore", file, "100000", "1999993");
      assert.equal(restored.out, direct.out);
      assert.equal(restored.result, direct.result);
      assert.match(direct.out, /^prime #100000 = 1299721/);
      console.log(
        `preinit.wasm init(2000000): ${direct.setupMs} ms; restore of its ${saved.result}-byte ` +
          `snapshot: ${restored.setupMs} ms`,
      );
      // Saved under Deno, restored under Bun and without a JIT: the same answers.
      for (const host of ["bun", "jitless"]) {
        const there = childOn(host, "restore", file, "100000", "1999993");
        assert.equal(there.out, direct.out, host);
        assert.equal(there.result, direct.result, host);
      }
    },
  );

  it("a call paused for fuel finishes in another process as it would have here", LONG, () => {
    const file = join(dir, "paused.snap");
    const direct = child("direct", "300000", "20000", "299993");
    const paused = child("pause", "300000", "250000", file);
    assert.ok((paused.result as { frames: number }).frames >= 1);
    for (const host of Object.keys(HOSTS)) {
      const resumed = childOn(host, "resume", file, "20000", "299993");
      assert.equal(resumed.out, direct.out, host);
      assert.equal(resumed.result, direct.result, host);
    }
  });
});
