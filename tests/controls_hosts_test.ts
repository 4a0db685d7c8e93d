/**
 * Acceptance of the embedder controls on every host: hostile guests
 * (`_hostile_guests.ts`) are stopped with a clear RuntimeError and leave
 * the instance usable, and a CoreMark run with a fixed fuel budget
 * (`_fuel_stop_point.ts`) stops at the identical point — same frames,
 * memory, globals and output — under Deno, Bun and `deno --jitless`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { corpus, inCI, repoDir } from "./_shared.ts";

const bin = (name: string) => join(repoDir(), "node_modules", ".bin", name);

/** The three hosts, as command prefixes. */
const HOSTS: Record<string, string[]> = {
  deno: [bin("deno"), "run", "-A"],
  bun: [bin("bun")],
  jitless: [bin("deno"), "run", "-A", "--v8-flags=--jitless"],
};

/** Runs a script under a host; returns its one JSON line. */
function runOn(host: string, script: string, ...args: string[]): Record<string, unknown> {
  const [cmd, ...pre] = HOSTS[host];
  const r = spawnSync(cmd, [...pre, join(repoDir(), "tests", script), ...args], {
    encoding: "utf8",
    cwd: repoDir(),
    timeout: 300_000,
  });
  assert.equal(r.status, 0, `${host} ${script}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

describe("embedder controls on Deno, Bun and jitless", () => {
  it("hostile guests are stopped with a clear error; the instance answers afterwards", () => {
    for (const host of Object.keys(HOSTS)) {
      const r = runOn(host, "_hostile_guests.ts") as Record<
        string,
        { outcome: string; after: number }
      >;
      const expect: Record<string, string> = {
        loopFuel: "RuntimeError: all fuel consumed by WebAssembly",
        loopDeadline: "RuntimeError: deadline exceeded",
        loopInterruptFromWorker: "RuntimeError: interrupt",
        recursion: "RuntimeError: call stack exhausted",
        reentry: "RuntimeError: call stack exhausted",
        memoryBomb: "returned 113", // 1 + 16k pages ≤ 128 (8 MiB)
        tableBomb: "returned 100000",
      };
      for (const [guest, outcome] of Object.entries(expect)) {
        assert.equal(r[guest]?.outcome, outcome, `${host} ${guest}`);
        assert.equal(r[guest]?.after, 42, `${host} ${guest}: instance unusable after the stop`);
      }
    }
  });

  it("CoreMark with a fixed fuel budget stops at the identical point on every host", (t) => {
    if (corpus("bench/external/coremark.wasm") === null) {
      if (inCI()) assert.fail("../shared/bench/external/coremark.wasm is missing");
      return t.skip("no ../shared corpus");
    }
    const FUEL = "3000000";
    const points = Object.keys(HOSTS).map((host) =>
      [host, runOn(host, "_fuel_stop_point.ts", FUEL)] as const
    );
    const [, first] = points[0];
    assert.deepEqual((first as { stop: unknown }).stop, {
      trap: "all fuel consumed by WebAssembly",
      frames: (first as { stop: { frames: number[] } }).stop.frames,
    });
    assert.equal(first.fuelLeft, 0);
    for (const [host, point] of points) assert.deepEqual(point, first, `${host} stopped elsewhere`);
    // The fingerprint is sensitive: more fuel, another point.
    const later = runOn("deno", "_fuel_stop_point.ts", String(Number(FUEL) + 100_000));
    assert.notEqual(later.memory, first.memory);
  });
});
