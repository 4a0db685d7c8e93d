/**
 * Reporting helpers of the benchmark harnesses: aligned tables, geometric
 * means, a description of the machine, and the JSON file.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import { spawnSync } from "node:child_process";
import { repoDir } from "../tests/_shared.ts";

/** Geometric mean of positive numbers (NaN for none). */
export function geomean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

/**
 * A table as Markdown (header, separator, rows). `align` has one letter per
 * column, `l` or `r` (default: the first column left, the others right).
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: string,
): string {
  const all = [header, ...rows];
  const left = (c: number) => (align?.[c] ?? (c === 0 ? "l" : "r")) === "l";
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]) =>
    "| " + r.map((v, c) => (left(c) ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join(" | ") +
    " |";
  const sep = "|" + widths.map((w, c) => (left(c) ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":"))
    .join("|") +
    "|";
  return [line(header), sep, ...rows.map(line)].join("\n");
}

/** Formats milliseconds with sensible precision. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

/** Formats a ratio as `12.3×`. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return "-";
  return (r >= 100 ? r.toFixed(0) : r.toFixed(1)) + "×";
}

/** The machine and runtime, for the record. */
export interface MachineInfo {
  /** CPU model. */
  cpu: string;
  /** Number of CPUs. */
  nproc: number;
  /** OS, release, architecture. */
  os: string;
  /** JS runtime and engine versions. */
  runtime: string;
  /** When (ISO 8601). */
  date: string;
  /** The repository's commit (short hash, `+` when the tree has changes), or "". */
  commit: string;
}

function gitCommit(): string {
  const git = (args: string[]) => spawnSync("git", args, { encoding: "utf8", cwd: repoDir() });
  const head = git(["rev-parse", "--short", "HEAD"]);
  if (head.status !== 0) return "";
  const dirty = git(["status", "--porcelain", "--untracked-files=no", "src", "mod.ts"]);
  return head.stdout.trim() + (dirty.stdout.trim() === "" ? "" : "+");
}

/** Describes this machine and the running JS runtime. */
export function machineInfo(): MachineInfo {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m !== null) cpu = m[1];
  } catch {
    // not Linux: os.cpus() is the best there is
  }
  const v = process.versions as Record<string, string | undefined>;
  const runtime = v.bun !== undefined
    ? `bun ${v.bun} (JavaScriptCore)`
    : v.deno !== undefined
    ? `deno ${v.deno} (V8 ${v.v8})`
    : `node ${v.node} (V8 ${v.v8})`;
  return {
    cpu,
    nproc: os.cpus().length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    runtime,
    date: new Date().toISOString(),
    commit: gitCommit(),
  };
}

/** One line describing the machine. */
export function machineLine(m: MachineInfo): string {
  return `${m.date} · commit ${
    m.commit || "?"
  } · ${m.runtime} · ${m.cpu} · ${m.nproc} CPUs · ${m.os}`;
}

/** Writes `data` (with the machine description) as JSON to `file`. */
export function writeJson(file: string, kind: string, data: unknown): void {
  const doc = { kind, machine: machineInfo(), argv: process.argv.slice(2), data };
  writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
  console.error(`wrote ${file}`);
}
