/**
 * The benchmark programs: the kernels of `../shared/bench/manifest.json`,
 * CoreMark and the six sightglass programs of `../shared/bench/external`,
 * with their arguments per scale and how their output is checked.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Scale } from "./_args.ts";

/** What a program printed and how it ended. */
export interface Output {
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
  /** Exit status (0 when `_start` returned). */
  status: number;
}

/** One benchmark program. */
export interface Program {
  /** Name used by `--only` and in the tables. */
  name: string;
  /** `kernel` (manifest), `coremark` (self-calibrating score) or `sightglass`. */
  group: "kernel" | "coremark" | "sightglass";
  /** Absolute path of the module. */
  wasm: string;
  /** Arguments (after the program name) per scale. */
  args: Readonly<Record<Scale, readonly string[]>>;
  /** Host directory preopened as `.` (sightglass: the program's folder), or null. */
  dir: string | null;
  /** Expected stdout with the default arguments (kernels), or always (sightglass). */
  expectStdout: string | null;
  /** Expected stderr (sightglass), or null. */
  expectStderr: string | null;
  /** Whether it belongs to issue 8's acceptance set (kernels listed there and CoreMark). */
  acceptance: boolean;
  /** Whether `--scale quick` runs it when no `--only` is given. */
  inQuick: boolean;
}

/** The kernels issue 8's acceptance names (besides CoreMark). */
export const ACCEPTANCE_KERNELS: readonly string[] = [
  "fib_rec",
  "sieve",
  "matmul_f64",
  "nbody",
  "sha256",
  "quicksort",
  "bigint",
  "mandelbrot",
  "memops",
];

interface ManifestEntry {
  name: string;
  wasm: string;
  args: string[];
  quick: string[];
  expect: string;
}

const SIGHTGLASS: readonly [name: string, dir: string, file: string][] = [
  ["bz2", "bz2", "benchmark"],
  ["blake3-scalar", "blake3-scalar", "benchmark"],
  ["pulldown-cmark", "pulldown-cmark", "benchmark"],
  ["regex", "regex", "benchmark"],
  ["shootout-keccak", "shootout", "shootout-keccak"],
  ["shootout-switch", "shootout", "shootout-switch"],
];

/**
 * Every program under `benchDir` (`../shared/bench`). Throws when the
 * manifest is missing; external programs that are absent are left out.
 */
export function loadPrograms(benchDir: string): Program[] {
  const manifest = JSON.parse(readFileSync(join(benchDir, "manifest.json"), "utf8")) as {
    programs: ManifestEntry[];
  };
  const out: Program[] = manifest.programs.map((e) => ({
    name: e.name,
    group: "kernel",
    wasm: join(benchDir, e.wasm),
    args: { quick: e.quick, default: e.args },
    dir: null,
    expectStdout: e.expect + "\n",
    expectStderr: null,
    acceptance: ACCEPTANCE_KERNELS.includes(e.name),
    inQuick: true,
  }));
  const ext = join(benchDir, "external");
  const coremark = join(ext, "coremark.wasm");
  if (existsSync(coremark)) {
    out.push({
      name: "coremark",
      group: "coremark",
      wasm: coremark,
      args: { quick: [], default: [] },
      dir: null,
      expectStdout: null,
      expectStderr: null,
      acceptance: true,
      inQuick: false, // self-calibrating: it runs >= 10 s at any scale
    });
  }
  for (const [name, sub, file] of SIGHTGLASS) {
    const dir = join(ext, "sightglass", sub);
    const wasm = join(dir, `${file}.wasm`);
    if (!existsSync(wasm)) continue;
    out.push({
      name,
      group: "sightglass",
      wasm,
      args: { quick: [], default: [] },
      dir,
      expectStdout: readFileSync(join(dir, `${file}.stdout.expected`), "utf8"),
      expectStderr: readFileSync(join(dir, `${file}.stderr.expected`), "utf8"),
      acceptance: false,
      inQuick: false, // fixed work (~10^8 instructions), no small size
    });
  }
  return out;
}

/** CoreMark's score (`Iterations/Sec`), or null when it printed none. */
export function coremarkScore(stdout: string): number | null {
  const m = /Iterations\/Sec\s*:\s*([0-9.]+)/.exec(stdout);
  return m === null ? null : Number(m[1]);
}

/**
 * CoreMark's check lines: its CRCs and any error but the one about running
 * under 10 s (the interpreter warms up while CoreMark calibrates, so its run
 * can come out shorter; the score is still a rate, and the CRCs still check
 * the work).
 */
function coremarkChecks(stdout: string): string[] {
  const keep = /^(CoreMark Size|seedcrc|\[\d+\]crc(list|matrix|state)|ERROR!)/;
  return stdout.split("\n").filter((l) => keep.test(l) && !/at least 10 secs/.test(l));
}

/** The part of an output that must be equal between engines (CoreMark: no timings). */
function comparable(p: Program, o: Output): string {
  if (p.group !== "coremark") return `${o.stdout}\u0000${o.stderr}\u0000${o.status}`;
  // Timings and the iteration count (hence crcfinal) depend on the engine's speed.
  return coremarkChecks(o.stdout).join("\n") + `\u0000${o.status}`;
}

/** Shortens a text for an error message. */
function clip(s: string): string {
  const one = JSON.stringify(s);
  return one.length <= 200 ? one : `${one.slice(0, 160)}… (${s.length} chars)`;
}

/**
 * Checks one engine's output against the program's expectation; `args`
 * are the arguments it ran with. Returns the problems (empty when fine).
 */
export function checkExpected(p: Program, args: readonly string[], o: Output): string[] {
  const problems: string[] = [];
  if (o.status !== 0) problems.push(`exit status ${o.status} (stderr ${clip(o.stderr)})`);
  const isDefault = args.join(" ") === p.args.default.join(" ");
  if (p.expectStdout !== null && (p.group === "sightglass" || isDefault)) {
    if (o.stdout !== p.expectStdout) {
      problems.push(`stdout ${clip(o.stdout)}, expected ${clip(p.expectStdout)}`);
    }
  }
  if (p.expectStderr !== null && o.stderr !== p.expectStderr) {
    problems.push(`stderr ${clip(o.stderr)}, expected ${clip(p.expectStderr)}`);
  }
  if (p.group === "coremark") {
    const checks = coremarkChecks(o.stdout);
    const errors = checks.filter((l) => l.startsWith("ERROR!"));
    if (errors.length > 0) problems.push(`CoreMark: ${errors.join("; ")}`);
    if (checks.length < 5) problems.push("CoreMark printed no CRCs");
    if (coremarkScore(o.stdout) === null) problems.push("no CoreMark score");
  }
  return problems;
}

/** Compares two engines' outputs; returns a description of the difference, or null. */
export function compareOutputs(p: Program, native: Output, gannet: Output): string | null {
  if (comparable(p, native) === comparable(p, gannet)) return null;
  return `native printed ${clip(native.stdout)} (stderr ${
    clip(native.stderr)
  }, status ${native.status}), Gannet printed ${clip(gannet.stdout)} (stderr ${
    clip(gannet.stderr)
  }, status ${gannet.status})`;
}

/** The programs `--only`/`--scale` select, in catalog order. */
export function selectPrograms(
  all: readonly Program[],
  only: readonly string[],
  scale: Scale,
): Program[] {
  if (only.length > 0) return all.filter((p) => only.includes(p.name));
  return all.filter((p) => scale !== "quick" || p.inQuick);
}
