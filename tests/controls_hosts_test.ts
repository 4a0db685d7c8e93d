/**
 * Acceptance of the embedder controls on every host: hostile guests
 * (`_hostile_guests.ts`) are stopped with a clear RuntimeError and leave
 * the instance usable, `gannet run -W …` stops each with its message and
 * exit status, and a CoreMark run with a fixed fuel budget
 * (`_fuel_stop_point.ts`) stops at the identical point — same frames,
 * memory, globals and output — under Deno, Bun and `deno --jitless`, in
 * the interpreter and in compiled code, run in one go or paused and resumed
 * every 250,000 units.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { tempFiles } from "../src/cli/_temp_files.ts";
import { corpus, inCI, repoDir } from "./_shared.ts";
import { HOSTS, LONG } from "./_hosts.ts";

/** Runs `gannet ARGS` under a host; returns its exit status and stderr. */
function gannetOn(host: string, ...args: string[]): { status: number | null; stderr: string } {
  const [cmd, ...pre] = HOSTS[host];
  const main = join(repoDir(), "src", "cli", "main.ts");
  const r = spawnSync(cmd, [...pre, main, ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stderr: r.stderr };
}

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
  const { file } = tempFiles("gannet-controls-");

  it("hostile guests are stopped with a clear error; the instance answers afterwards", LONG, () => {
    const runs = Object.keys(HOSTS).flatMap((host) =>
      ["--jit=auto", "--jit=off", "--jit=eager"].map((tier) => [host, tier])
    );
    for (const [host, tier] of runs) {
      const r = runOn(host, "_hostile_guests.ts", tier) as Record<
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
        assert.equal(r[guest]?.outcome, outcome, `${host} ${tier} ${guest}`);
        assert.equal(r[guest]?.after, 42, `${host} ${tier} ${guest}: unusable after the stop`);
      }
    }
  });

  it("gannet run: each stop has its message and exit status on every host", LONG, () => {
    const spin = file(
      "spin.wat",
      `(module (memory (export "memory") 1)
      (func (export "_start") (loop $l (br $l))))`,
    );
    const deep = file(
      "deep.wat",
      `(module (memory (export "memory") 1)
      (func $f (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1)))
      (func (export "_start") (drop (call $f (i32.const 0)))))`,
    );
    const big = file("big.wat", `(module (memory (export "memory") 100) (func (export "_start")))`);
    const cases: [string[], number, RegExp][] = [
      [["-W", "fuel=1000000", spin], 125, /all fuel consumed by WebAssembly/],
      [["-W", "timeout=100ms", spin], 124, /deadline exceeded/],
      [["-W", "max-wasm-stack=64k", deep], 134, /call stack exhausted/],
      [["-W", "max-memory-size=1MiB", big], 126, /store limit exceeded/],
    ];
    for (const host of Object.keys(HOSTS)) {
      for (const [args, status, message] of cases) {
        const r = gannetOn(host, "run", ...args);
        assert.equal(r.status, status, `${host} ${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, message, `${host} ${args.join(" ")}`);
      }
    }
  });

  it(
    "CoreMark with a fixed fuel budget stops at the identical point on every host and tier",
    LONG,
    (t) => {
      if (corpus("bench/external/coremark.wasm") === null) {
        if (inCI()) assert.fail("../shared/bench/external/coremark.wasm is missing");
        return t.skip("no ../shared corpus");
      }
      const FUEL = "3000000";
      // Every host, every tier: the interpreter alone, compiled code at once, and tiering up.
      const TIERS = ["--jit=off", "--jit=eager", "--jit=auto"];
      const points = Object.keys(HOSTS).flatMap((host) =>
        TIERS.map((tier) =>
          [`${host} ${tier}`, runOn(host, "_fuel_stop_point.ts", tier, FUEL)] as const
        )
      );
      const [, first] = points[0];
      assert.deepEqual((first as { stop: unknown }).stop, {
        trap: "all fuel consumed by WebAssembly",
        frames: (first as { stop: { frames: number[] } }).stop.frames,
      });
      assert.equal(first.fuelLeft, 0);
      for (const [host, point] of points) {
        assert.deepEqual(
          point,
          first,
          `${host} stopped elsewhere`,
        );
      }
      // Paused every 250,000 units and resumed, it stops at the same point, having
      // paused at the same places on every host.
      const chunked = Object.keys(HOSTS).flatMap((host) =>
        TIERS.slice(0, 2).map((tier) =>
          [`${host} ${tier}`, runOn(host, "_fuel_stop_point.ts", tier, FUEL, "250000")] as const
        )
      );
      const [, chunk0] = chunked[0];
      assert.equal(chunk0.pauses, 12);
      for (const [host, point] of chunked) {
        assert.deepEqual(point, chunk0, `${host} paused elsewhere`);
        const { pauses: _p, pausePoints: _q, ...rest } = point;
        assert.deepEqual(rest, first, `${host}: pausing changed where it stops`);
      }
      // The fingerprint is sensitive: more fuel, another point.
      const later = runOn("deno", "_fuel_stop_point.ts", String(Number(FUEL) + 100_000));
      assert.notEqual(later.memory, first.memory);
    },
  );
});
