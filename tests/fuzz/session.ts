/**
 * A fuzzing session: one target loaded in a Worker, cases sent one at a
 * time with a timeout (a case that times out is a finding, and the worker
 * is replaced), and reduction of findings: the target proposes smaller
 * inputs (`shrink`, run here), the worker checks each, and a candidate is
 * kept when it still fails with the same signature.
 *
 * @module
 */
import { TARGETS } from "./targets.ts";
import type { CaseOutcome, FuzzTarget, TargetOptions } from "./target.ts";
import type { WorkerReply, WorkerRequest } from "./worker.ts";

/** Session settings. */
export interface SessionOptions extends TargetOptions {
  /** Per-case time limit in ms (a case over it is reported as a hang). */
  timeoutMs?: number;
}

/** One target's worker, with timeouts. */
export class FuzzSession {
  #worker: Worker | null = null;
  #pending = new Map<number, (r: WorkerReply) => void>();
  #nextId = 1;
  #target: FuzzTarget | null = null;
  /** What the target reported at startup (features, corpus size…). */
  info = "";

  private constructor(
    readonly targetName: string,
    readonly options: SessionOptions,
  ) {}

  /** Starts a worker for `targetName` and initializes the target in it. */
  static async open(targetName: string, options: SessionOptions = {}): Promise<FuzzSession> {
    if (!(targetName in TARGETS)) throw new Error(`unknown fuzz target "${targetName}"`);
    const s = new FuzzSession(targetName, options);
    await s.#start();
    return s;
  }

  async #start(): Promise<void> {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.#worker = worker;
    const ready = new Promise<WorkerReply>((resolve) => this.#pending.set(0, resolve));
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const r = e.data;
      const id = r.type === "ready" ? 0 : r.id ?? 0;
      const resolve = this.#pending.get(id);
      this.#pending.delete(id);
      resolve?.(r);
    };
    worker.onerror = (e: Event) => {
      e.preventDefault();
      const message = (e as ErrorEvent).message ?? "worker error";
      for (const [id, resolve] of this.#pending) resolve({ type: "error", id, message });
      this.#pending.clear();
    };
    const { features, settings } = this.options;
    this.#post({
      type: "init",
      target: TARGETS[this.targetName].href,
      options: { features, settings },
    });
    const r = await ready;
    if (r.type === "error") {
      // A worker left running would keep the process alive after the error.
      this.close();
      throw new Error(`${this.targetName} target failed to start: ${r.message}`);
    }
    if (r.type === "ready") this.info = r.info;
  }

  #post(req: WorkerRequest): void {
    this.#worker!.postMessage(req);
  }

  async #request(make: (id: number) => WorkerRequest): Promise<CaseOutcome> {
    const id = this.#nextId++;
    const timeoutMs = this.options.timeoutMs ?? 120_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<WorkerReply | "timeout">((resolve) => {
      this.#pending.set(id, resolve);
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    this.#post(make(id));
    const r = await reply;
    clearTimeout(timer);
    if (r === "timeout") {
      this.#pending.delete(id);
      this.#worker?.terminate();
      await this.#start();
      return {
        status: "fail",
        detail: `no result after ${timeoutMs} ms (hang)`,
        signature: "hang",
      };
    }
    if (r.type === "error") {
      return { status: "fail", detail: `the harness threw: ${r.message}`, signature: "harness" };
    }
    if (r.type !== "outcome") throw new Error(`unexpected worker reply ${r.type}`);
    return r.outcome;
  }

  /** Runs the case for `seed`. */
  runSeed(seed: number): Promise<CaseOutcome> {
    return this.#request((id) => ({ type: "seed", id, seed }));
  }

  /** Runs a saved input. */
  runInput(input: Uint8Array): Promise<CaseOutcome> {
    return this.#request((id) => ({ type: "input", id, input }));
  }

  /**
   * Shrinks a failing input while it keeps failing with `signature`, for at
   * most `budgetMs`. Returns the smallest input found (the original if the
   * target cannot shrink).
   */
  async reduce(input: Uint8Array, signature: string, budgetMs: number): Promise<Uint8Array> {
    if (this.#target === null) {
      // Shrinking runs here, so the target needs its setup here too.
      const target = (await import(TARGETS[this.targetName].href)).target as FuzzTarget;
      const { features, settings } = this.options;
      await target.init({ features, settings });
      this.#target = target;
    }
    const target = this.#target;
    if (target.shrink === undefined) return input;
    const deadline = Date.now() + budgetMs;
    let best = input;
    let improved = true;
    while (improved && Date.now() < deadline) {
      improved = false;
      for await (const candidate of target.shrink(best)) {
        if (Date.now() >= deadline) break;
        if (candidate.length >= best.length) continue;
        const r = await this.runInput(candidate);
        if (r.status === "fail" && r.signature === signature) {
          best = candidate;
          improved = true;
          break;
        }
      }
    }
    return best;
  }

  /** Stops the worker. */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
