/**
 * Command-line options shared by the benchmark harnesses (`bench/main.ts`,
 * `bench/process.ts`, `bench/micro.ts`). Parsing is pure so that the smoke
 * test can check it without running anything.
 *
 * @module
 */

/** Which argument set of a program to run. */
export type Scale = "quick" | "default";

/** Parsed options. */
export interface BenchArgs {
  /** `quick` (milliseconds natively) or `default` (about 1 s natively). */
  scale: Scale;
  /** Program names to run (empty: all). */
  only: string[];
  /** Where to write the numbers as JSON, or null. */
  json: string | null;
  /** Timed runs per program and engine (the best is reported). */
  runs: number;
  /** Run the micro-benchmarks instead of the programs. */
  micro: boolean;
  /** Per-program argument overrides (`--arg NAME=A,B`): custom sizes. */
  argOverrides: Record<string, string[]>;
  /** List the programs and their arguments, run nothing. */
  list: boolean;
}

/** A bad command line: the message says which option and why. */
export class UsageError extends Error {
  /** The error's name. */
  override name = "UsageError";
}

/** The options' help text. */
export const USAGE: string = `options:
  --quick            the manifest's quick sizes (same as --scale quick)
  --scale S          quick | default (default: default, about 1 s per program natively)
  --arg NAME=A,B     run program NAME with arguments A B (a custom size); repeatable
  --only N1,N2       run only these programs (or micro-benchmarks)
  --runs N           timed runs per program and engine; the best is reported (default 1)
  --json FILE        also write the numbers as JSON to FILE
  --micro            run the micro-benchmarks (bench/micro.ts) instead
  --list             list the programs and their arguments`;

/** Parses `argv` (without the script name); throws {@link UsageError}. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const a: BenchArgs = {
    scale: "default",
    only: [],
    json: null,
    runs: 1,
    micro: false,
    argOverrides: {},
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.indexOf("=");
    const flag = raw.startsWith("--") && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith("--") && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case "--":
        break;
      case "--quick":
        a.scale = "quick";
        break;
      case "--scale": {
        const v = value();
        if (v !== "quick" && v !== "default") {
          throw new UsageError(`--scale ${v}: expected quick or default (custom sizes: --arg)`);
        }
        a.scale = v;
        break;
      }
      case "--arg": {
        const v = value();
        const k = v.indexOf("=");
        if (k <= 0) throw new UsageError(`--arg ${v}: expected NAME=ARGS (comma-separated)`);
        const rest = v.slice(k + 1);
        a.argOverrides[v.slice(0, k)] = rest === "" ? [] : rest.split(",");
        break;
      }
      case "--only":
        a.only.push(...value().split(",").filter((s) => s !== ""));
        break;
      case "--runs": {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 1000) {
          throw new UsageError(`--runs ${v}: expected an integer from 1 to 1000`);
        }
        a.runs = n;
        break;
      }
      case "--json":
        a.json = value();
        break;
      case "--micro":
        a.micro = true;
        break;
      case "--list":
        a.list = true;
        break;
      default:
        throw new UsageError(`unknown option ${raw}`);
    }
  }
  return a;
}

/** Checks that every `--only`/`--arg` name is one of `known`; throws {@link UsageError}. */
export function checkNames(a: BenchArgs, known: readonly string[]): void {
  for (const n of [...a.only, ...Object.keys(a.argOverrides)]) {
    if (!known.includes(n)) {
      throw new UsageError(`unknown program ${JSON.stringify(n)}; known: ${known.join(", ")}`);
    }
  }
}
