/**
 * The asynchronous WAST runner: everything {@link runWast} does, plus the
 * threads proposal's `(thread $T (shared (module $M)) …)` and `(wait $T)`.
 * Each thread runs its commands in a `Worker` (`thread_worker.ts`) with its
 * own registry; the shared modules' shared memories travel as their
 * `SharedArrayBuffer`s, so the threads really run in parallel on the same
 * bytes. `wait` joins the thread and adds its tallies to the report.
 *
 * @module
 */
import { defaultJit, type JitMode } from "../jit/tier.ts";
import type { Features } from "../binary/features.ts";
import { parseWast } from "../text/wast.ts";
import type { WastCommand } from "../text/wast_types.ts";
import { describeSharedMemory, isSharedMemory } from "../threads/shared_memory.ts";
import type { SharedMemoryDescriptor } from "../threads/shared_memory.ts";
import { describe, runOne, Session, type WastReport } from "./runner.ts";

/** A module instance shared with a thread: its shared memories, by export name. */
export interface SharedModule {
  /** The script's name for the instance (`$M`). */
  name: string;
  /** Its shared-memory exports. */
  memories: Record<string, SharedMemoryDescriptor>;
}

/** What the script hands a thread's worker. */
export interface ThreadRequest {
  /** The thread's commands. */
  commands: WastCommand[];
  /** Features of the script. */
  features: Features;
  /** Script file (for failure locations). */
  file: string;
  /** Modules shared with the thread. */
  shared: SharedModule[];
  /** The engine's default JIT mode in the parent (the thread's engine uses it too). */
  jit: JitMode;
}

/**
 * How long a thread may run before `wait` gives up on it (and terminates its
 * worker): a script whose thread blocks forever fails instead of hanging.
 */
export const THREAD_TIMEOUT_MS = 120_000;

/** A thread's outcome: its tallies, or why it could not run. */
type Joined = { report: WastReport } | { error: string };

/** Starts `c` in a worker; the promise never rejects (a failure is a value). */
function spawn(
  s: Session,
  c: Extract<WastCommand, { type: "thread" }>,
  file: string,
): Promise<Joined> {
  const shared: SharedModule[] = [];
  for (const name of c.shared) {
    const inst = s.instance(name);
    const memories: Record<string, SharedMemoryDescriptor> = {};
    for (const [field, v] of Object.entries(inst.exports)) {
      if (isSharedMemory(v)) memories[field] = describeSharedMemory(v);
    }
    shared.push({ name, memories });
  }
  const request: ThreadRequest = {
    commands: c.commands,
    features: { ...s.features },
    file,
    shared,
    jit: defaultJit(),
  };
  return new Promise<Joined>((resolve) => {
    const worker = new Worker(new URL("./thread_worker.ts", import.meta.url), { type: "module" });
    const finish = (j: Joined) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(j);
    };
    const timer = setTimeout(
      () => finish({ error: `thread ${c.name} still running after ${THREAD_TIMEOUT_MS} ms` }),
      THREAD_TIMEOUT_MS,
    );
    worker.onmessage = (e: MessageEvent) => finish({ report: e.data as WastReport });
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      finish({ error: `thread ${c.name} crashed: ${e.message}` });
    };
    worker.postMessage(request);
  });
}

function merge(into: WastReport, from: WastReport): void {
  into.passed += from.passed;
  into.failed += from.failed;
  into.skipped += from.skipped;
  into.failures.push(...from.failures);
}

/**
 * Runs `commands` in `s`, threads included, adding to `report`. A thread
 * that is never waited for is joined at the end (its results still count).
 */
export async function runCommandsAsync(
  s: Session,
  commands: WastCommand[],
  file: string,
  report: WastReport,
): Promise<void> {
  const running = new Map<string, Promise<Joined>>();
  const fail = (line: number, message: string) => {
    report.failed++;
    report.failures.push({ file, line, message });
  };
  const join = async (p: Promise<Joined>, line: number) => {
    const j = await p;
    if ("error" in j) fail(line, `wait: ${j.error}`);
    else {
      merge(report, j.report);
      report.passed++;
    }
  };
  for (const c of commands) {
    if (c.type === "thread") {
      try {
        running.set(c.name, spawn(s, c, file));
      } catch (e) {
        fail(c.line, `thread: ${describe(e)}`);
      }
    } else if (c.type === "wait") {
      const p = running.get(c.thread);
      if (p === undefined) fail(c.line, `wait: unknown thread ${c.thread}`);
      else {
        running.delete(c.thread);
        await join(p, c.line);
      }
    } else runOne(s, c, file, report);
  }
  for (const p of running.values()) await join(p, 0);
}

/**
 * Runs a script's source, adding to `report`, with `thread`/`wait` run on
 * workers. Resolves when every thread has finished.
 */
export async function runWastAsync(
  source: string,
  file: string,
  features: Readonly<Features>,
  report: WastReport,
): Promise<void> {
  let commands: WastCommand[];
  try {
    commands = parseWast(source, file);
  } catch (e) {
    report.failed++;
    report.failures.push({ file, line: 0, message: `script does not parse: ${describe(e)}` });
    return;
  }
  await runCommandsAsync(new Session(features), commands, file, report);
}
