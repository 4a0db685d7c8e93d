/**
 * Runs `gannet run …` in a child process of the runtime running the tests
 * (Deno or Bun), as the wasi-testsuite runner runs a runtime: stdout and
 * stderr captured, stdin a pipe the test keeps open (and empty) until the
 * child exits, so that a guest reading stdin blocks. A child still running
 * after `timeoutMs` is killed and reported as timed out.
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** How a child ended. */
export interface ChildResult {
  /** Exit status (null if killed). */
  code: number | null;
  /** Everything it wrote to stdout. */
  stdout: string;
  /** Everything it wrote to stderr. */
  stderr: string;
  /** Whether it was killed for running past the timeout. */
  timedOut: boolean;
  /** ms from the child's start to its exit. */
  ms: number;
  /** ms from the first stdout chunk containing `mark` (if given and seen) to the child's exit. */
  afterMark: number | null;
}

const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

/** The command line that runs `gannet ARGV…` on this runtime. */
export function gannetCommand(argv: string[]): string[] {
  return process.versions.bun !== undefined
    ? [process.execPath, MAIN, ...argv]
    : [process.execPath, "run", "-A", MAIN, ...argv];
}

/** Runs `gannet ARGV…` in a child process. */
export function runGannet(
  argv: string[],
  options: { timeoutMs?: number; cwd?: string; mark?: string } = {},
): Promise<ChildResult> {
  const cmd = gannetCommand(argv);
  const t0 = performance.now();
  const child = spawn(cmd[0], cmd.slice(1), {
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stdout = "";
  let stderr = "";
  let marked: number | null = null;
  let timedOut = false;
  child.stdout!.on("data", (d) => {
    stdout += d;
    if (marked === null && options.mark !== undefined && stdout.includes(options.mark)) {
      marked = performance.now();
    }
  });
  child.stderr!.on("data", (d) => stderr += d);
  child.stdin!.on("error", () => {}); // the child may exit before the pipe is closed
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      const end = performance.now();
      clearTimeout(timer);
      child.stdin!.destroy();
      resolve({
        code,
        stdout,
        stderr,
        timedOut,
        ms: end - t0,
        afterMark: marked === null ? null : end - marked,
      });
    });
  });
}
