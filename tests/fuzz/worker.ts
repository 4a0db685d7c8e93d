/**
 * The fuzz worker: loads one target and runs the cases the session sends,
 * one at a time. Running cases here (not on the session's thread) turns a
 * hang into a timeout the session can report.
 *
 * @module
 */
import type { FuzzTarget, TargetOptions } from "./target.ts";

/** A request from the session. */
export type WorkerRequest =
  | { type: "init"; target: string; options: TargetOptions }
  | { type: "seed"; id: number; seed: number }
  | { type: "input"; id: number; input: Uint8Array };

/** A reply to the session. */
export type WorkerReply =
  | { type: "ready"; info: string }
  | { type: "outcome"; id: number; outcome: import("./target.ts").CaseOutcome }
  | { type: "error"; id?: number; message: string };

const port = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(m: WorkerReply): void;
};

let target: FuzzTarget | null = null;
// Requests are handled strictly in order (a case never overlaps the next).
let queue: Promise<void> = Promise.resolve();

async function handle(req: WorkerRequest): Promise<void> {
  try {
    if (req.type === "init") {
      target = (await import(req.target)).target as FuzzTarget;
      port.postMessage({ type: "ready", info: await target.init(req.options) });
      return;
    }
    if (target === null) throw new Error("worker: no target loaded");
    if (req.type === "seed") {
      port.postMessage({ type: "outcome", id: req.id, outcome: await target.runSeed(req.seed) });
    } else {
      if (target.runInput === undefined) throw new Error(`${target.name} cannot run inputs`);
      port.postMessage({ type: "outcome", id: req.id, outcome: await target.runInput(req.input) });
    }
  } catch (e) {
    const message = e instanceof Error ? `${e.stack ?? e.message}` : String(e);
    port.postMessage({ type: "error", id: "id" in req ? req.id : undefined, message });
  }
}

port.onmessage = (e) => {
  queue = queue.then(() => handle(e.data));
};
