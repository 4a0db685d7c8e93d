/**
 * Where the time goes: runs a program under `gannet run` with V8's CPU
 * profiler (`deno run --cpu-prof`) and prints the functions with the most
 * self time — or summarizes existing `.cpuprofile` files.
 *
 * Run: `deno run -A bench/cpuprof.ts PROGRAM.wasm [ARGS…]` or
 * `deno run -A bench/cpuprof.ts --summarize FILE.cpuprofile [--top N]`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { repoDir } from "../tests/_shared.ts";
import { table } from "./_report.ts";
import { type LineMap, lineMapOf } from "./_sourcemap.ts";

/** A node of a V8 CPU profile. */
export interface ProfileNode {
  /** Node id (samples refer to it). */
  id: number;
  /** The function and where it is. */
  callFrame: { functionName: string; url: string; lineNumber: number };
  /** Callee node ids. */
  children?: number[];
  /** Samples per (emitted) line of the function. */
  positionTicks?: { line: number; ticks: number }[];
}

/** A V8 `.cpuprofile`. */
export interface Profile {
  /** The call tree. */
  nodes: ProfileNode[];
  /** The node of each sample. */
  samples: number[];
  /** Microseconds since the previous sample, per sample. */
  timeDeltas: number[];
}

/** One function's share of a profile. */
export interface HotSpot {
  /** `name (file:line)`. */
  where: string;
  /** Self time, ms. */
  selfMs: number;
  /** Self time, fraction of all samples' time. */
  share: number;
}

/** The functions of a V8 `.cpuprofile` by self time, highest first. */
export function hotSpots(profile: Profile): HotSpot[] {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    const n = byNode.get(profile.samples[i]);
    if (n === undefined) continue;
    const f = n.callFrame;
    const file = f.url === "" ? "" : relative(repoDir(), new URL(f.url, "file:///").pathname);
    const key = `${f.functionName || "(anonymous)"}${
      file === "" ? "" : ` (${file}:${f.lineNumber + 1})`
    }`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  return [...self].map(([where, us]) => ({ where, selfMs: us / 1000, share: us / total }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

/** One source line's share of a profile's samples. */
export interface HotLine {
  /** `file:line`. */
  where: string;
  /** The line's text. */
  text: string;
  /** Samples on the line. */
  ticks: number;
  /** Fraction of all samples. */
  share: number;
}

/**
 * The source lines with the most samples, for the profile's functions in
 * repository files (V8 counts ticks per emitted line; Deno's emit cache
 * maps them back to the TypeScript). `deno` is the Deno executable.
 */
export function hotLines(profile: Profile, deno: string): HotLine[] {
  const ticks = new Map<string, { where: string; text: string; ticks: number }>();
  const maps = new Map<string, LineMap | null>();
  const root = "file://" + repoDir() + "/";
  for (const n of profile.nodes) {
    const url = n.callFrame.url;
    if (n.positionTicks === undefined || !url.startsWith(root) || url.includes("node_modules")) {
      continue;
    }
    if (!maps.has(url)) maps.set(url, lineMapOf(url, deno));
    const map = maps.get(url)!;
    for (const { line, ticks: t } of n.positionTicks) {
      const src = map === null ? line : map.lines[line] || line;
      const where = `${url.slice(root.length)}:${src}`;
      const text = map === null ? "" : (map.source[src - 1] ?? "").trim();
      const e = ticks.get(where);
      if (e === undefined) ticks.set(where, { where, text, ticks: t });
      else e.ticks += t;
    }
  }
  const total = profile.samples.length;
  return [...ticks.values()].map((e) => ({ ...e, share: e.ticks / total }))
    .sort((a, b) => b.ticks - a.ticks);
}

/** A table of the `top` hot lines. */
export function formatHotLines(lines: readonly HotLine[], top: number): string {
  return table(
    ["line", "source", "samples %"],
    lines.slice(0, top).map((l) => [l.where, l.text.slice(0, 70), (l.share * 100).toFixed(1)]),
    "llr",
  );
}

/** A table of the `top` hot spots. */
export function formatHotSpots(spots: readonly HotSpot[], top: number): string {
  return table(
    ["function", "self ms", "self %"],
    spots.slice(0, top).map((s) => [s.where, s.selfMs.toFixed(0), (s.share * 100).toFixed(1)]),
  );
}

function denoExe(): string {
  return (process.versions as Record<string, string | undefined>).deno !== undefined
    ? process.execPath
    : "deno";
}

function summary(path: string, deno: string, top: number): string {
  const profile = JSON.parse(readFileSync(path, "utf8")) as Profile;
  return [
    path,
    formatHotSpots(hotSpots(profile), top),
    "",
    "Hottest source lines (self samples; emitted lines mapped back through Deno's emit cache):",
    formatHotLines(hotLines(profile, deno), top),
  ].join("\n");
}

function main(argv: string[]): number {
  const topAt = argv.indexOf("--top");
  const top = topAt >= 0 ? Number(argv.splice(topAt, 2)[1]) : 25;
  if (argv[0] === "--summarize") {
    for (const f of argv.slice(1)) console.log(summary(f, denoExe(), top));
    return 0;
  }
  if (argv.length === 0) {
    console.error("usage: bench/cpuprof.ts PROGRAM.wasm [ARGS…] | --summarize FILE… [--top N]");
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), "gannet-prof-"));
  const deno = denoExe();
  const r = spawnSync(
    deno,
    [
      "run",
      "-A",
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      join(repoDir(), "src/cli/main.ts"),
      "run",
      ...argv,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (r.status !== 0) console.error(`gannet run exited with ${r.status}`);
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    console.log(summary(join(dir, f), deno, top));
  }
  return r.status ?? 1;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
