/**
 * What a fuzz target is. Each target is a module exporting `target`, listed
 * in `targets.ts`; the session (`session.ts`) imports it inside a Worker and
 * runs one case per seed there, so a hang is a timeout, not a stuck run.
 *
 * A new target (the component decoder or the canonical ABI, say) is one new
 * file with a `target` export and one line in `targets.ts`.
 *
 * @module
 */

/** Options every target receives (from the command line or a test). */
export interface TargetOptions {
  /** `--features` list for targets that take one (the wasm target). */
  features?: string;
  /** Extra per-target settings, as strings (`--set key=value`). */
  settings?: Record<string, string>;
}

/** How one case ended. */
export interface CaseOutcome {
  /**
   * `pass`: checked and fine. `skip`: could not be checked (a feature one
   * side lacks). `limited`: checked up to a host limit. `fail`: a finding.
   */
  status: "pass" | "skip" | "limited" | "fail";
  /** For fail/skip/limited: what happened. */
  detail?: string;
  /** Labels counted in the summary (e.g. "adapted: ref.as_non_null removed"). */
  tags?: string[];
  /** For fail: the input that reproduces it (for `runInput` and reduction). */
  input?: Uint8Array;
  /** A short, stable description of the failure a reduction must keep. */
  signature?: string;
}

/** A fuzz target, as loaded inside the worker. */
export interface FuzzTarget {
  /** Command-line name. */
  name: string;
  /** One line for `--help` and reports. */
  summary: string;
  /** One-time setup (load tools, read corpora). Returns a line for the report. */
  init(options: TargetOptions): Promise<string>;
  /** Runs the case for `seed`. */
  runSeed(seed: number): Promise<CaseOutcome>;
  /** Runs a saved input again (reduction candidates, regression files). */
  runInput?(input: Uint8Array): Promise<CaseOutcome>;
  /**
   * Smaller variants of a failing input, most promising first (the session
   * keeps any that still fail with the same signature). Absent: no reduction.
   */
  shrink?(input: Uint8Array): AsyncIterable<Uint8Array>;
}
