/**
 * Running many cases of a target and summing them up: used by the command
 * line (`main.ts`) and by the bounded run in the test suite.
 *
 * @module
 */
import { FuzzSession, type SessionOptions } from "./session.ts";
import type { CaseOutcome } from "./target.ts";

/** A failing case, after reduction. */
export interface Finding {
  /** The seed that produced it. */
  seed: number;
  /** What went wrong. */
  detail: string;
  /** The stable description a reduction kept. */
  signature: string;
  /** The reproducer as generated (if the target has inputs). */
  input?: Uint8Array;
  /** The reproducer after reduction. */
  reduced?: Uint8Array;
}

/** Totals of a run. */
export interface RunSummary {
  /** The target. */
  target: string;
  /** The target's startup line. */
  info: string;
  /** Cases run. */
  cases: number;
  /** Cases by status. */
  counts: Record<CaseOutcome["status"], number>;
  /** Tags (adaptations, skip reasons) with their counts. */
  tags: Record<string, number>;
  /** The failing cases. */
  findings: Finding[];
  /** Wall time in ms. */
  ms: number;
}

/** How to run: which seeds, for how long, what to do with findings. */
export interface RunOptions extends SessionOptions {
  /** The first seed. */
  start?: number;
  /** How many seeds (when neither this nor `hours` is given: 100). */
  seeds?: number;
  /** Run until this much time has passed (seeds continue from `start`). */
  hours?: number;
  /** Reduce each finding for up to this long (0: no reduction). */
  reduceMs?: number;
  /** Called after each case (progress reports, saving findings). */
  onCase?: (seed: number, outcome: CaseOutcome, summary: RunSummary) => void | Promise<void>;
  /** Called for each finding once it is reduced. */
  onFinding?: (finding: Finding) => void | Promise<void>;
}

/** Runs a target over seeds and returns the summary. */
export async function runTarget(target: string, options: RunOptions = {}): Promise<RunSummary> {
  const t0 = Date.now();
  const session = await FuzzSession.open(target, options);
  const summary: RunSummary = {
    target,
    info: session.info,
    cases: 0,
    counts: { pass: 0, skip: 0, limited: 0, fail: 0 },
    tags: {},
    findings: [],
    ms: 0,
  };
  const start = options.start ?? 1;
  const until = options.hours === undefined ? Infinity : t0 + options.hours * 3_600_000;
  const count = options.seeds ?? (options.hours === undefined ? 100 : Infinity);
  try {
    for (let seed = start; seed < start + count && Date.now() < until; seed++) {
      const outcome = await session.runSeed(seed);
      summary.cases++;
      summary.counts[outcome.status]++;
      for (const tag of outcome.tags ?? []) summary.tags[tag] = (summary.tags[tag] ?? 0) + 1;
      if (outcome.status === "fail") {
        const finding: Finding = {
          seed,
          detail: outcome.detail ?? "",
          signature: outcome.signature ?? "",
          input: outcome.input,
        };
        if (outcome.input !== undefined && (options.reduceMs ?? 0) > 0) {
          finding.reduced = await session.reduce(
            outcome.input,
            finding.signature,
            options.reduceMs!,
          );
        }
        summary.findings.push(finding);
        await options.onFinding?.(finding);
      }
      summary.ms = Date.now() - t0;
      await options.onCase?.(seed, outcome, summary);
    }
  } finally {
    session.close();
  }
  summary.ms = Date.now() - t0;
  return summary;
}

/** The summary as a few lines of text. */
export function formatSummary(s: RunSummary): string {
  const c = s.counts;
  const lines = [
    `${s.target}: ${s.cases} cases in ${(s.ms / 1000).toFixed(1)} s — ` +
    `${c.pass} pass, ${c.limited} limited by the host, ${c.skip} skipped, ${c.fail} failed`,
    `  ${s.info}`,
  ];
  for (const [tag, n] of Object.entries(s.tags).sort()) lines.push(`  ${tag}: ${n}`);
  for (const f of s.findings) {
    lines.push(`  seed ${f.seed}: ${f.signature}`);
    lines.push(...f.detail.split("\n").map((l) => `    ${l}`));
  }
  return lines.join("\n");
}
