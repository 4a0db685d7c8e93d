/**
 * The start every program harness shares (`bench/main.ts`, `process.ts`,
 * `translators.ts`): options parsed, the catalog loaded, the programs
 * selected, and a usage error or a missing corpus reported the same way.
 *
 * @module
 */
import { corpus } from "../tests/_shared.ts";
import { type BenchArgs, checkNames, parseBenchArgs, USAGE, UsageError } from "./_args.ts";
import { loadPrograms, type Program, selectPrograms } from "./_catalog.ts";

/** What a harness runs: its options, the whole catalog, and the selection. */
export interface HarnessStart {
  /** The parsed command line. */
  args: BenchArgs;
  /** Every program the harness knows (after its filter). */
  all: Program[];
  /** Those `--only`/`--scale` select, in catalog order. */
  programs: Program[];
}

/** How a harness narrows the start. */
export interface StartOptions {
  /** Which catalog programs the harness can run (default: all). */
  keep?: (p: Program) => boolean;
  /** Whether these options need the program corpus (default: always). */
  needsCorpus?: (a: BenchArgs) => boolean;
}

/**
 * Parses `argv` and selects the programs. On a bad command line (exit
 * status 2) or a missing corpus (1) it prints why, prefixed by `tool`, and
 * returns the status instead.
 */
export function startHarness(
  tool: string,
  argv: readonly string[],
  options: StartOptions = {},
): HarnessStart | number {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${tool}: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (options.needsCorpus !== undefined && !options.needsCorpus(args)) {
    return { args, all: [], programs: [] };
  }
  const dir = corpus("bench");
  if (dir === null) {
    console.error(`${tool}: the benchmark corpus (../shared/bench) is missing`);
    return 1;
  }
  const all = loadPrograms(dir).filter(options.keep ?? (() => true));
  try {
    checkNames(args, all.map((p) => p.name));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${tool}: ${e.message}`);
    return 2;
  }
  return { args, all, programs: selectPrograms(all, args.only, args.scale) };
}
