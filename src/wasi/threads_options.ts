/**
 * The options of `runWasiThreads`, validated with zod so that a mistake is
 * reported with the option's name and what was expected.
 *
 * @module
 */
import { z } from "zod";
import { Store, type StoreOptions } from "../api/store.ts";
import { WASI } from "./wasi.ts";

/** Spawned threads alive at once when no limit is given. */
export const DEFAULT_MAX_THREADS = 128;

/** Options of `runWasiThreads` (`threads_host.ts`). */
export interface WasiThreadsOptions {
  /** The process state every thread's WASI calls act on (its memory is bound here). */
  wasi: WASI;
  /** Options of each thread's store: fuel and limits per thread, timeout per thread's entry call. */
  store?: StoreOptions;
  /** Most spawned threads alive at once; `thread-spawn` fails (returns -EAGAIN) past it. */
  maxThreads?: number;
  /** Call this export with these arguments instead of `_start` (after `_initialize`, if any). */
  invoke?: { name: string; args: unknown[] };
  /**
   * Workers loaded ahead of `thread-spawn` (default 1; once they are used up,
   * one is kept): loading the engine takes a Worker a few hundred ms, which
   * a spare has done already.
   */
  spares?: number;
  /** Start the main thread only once it and the first spares have loaded (default false). */
  warmUp?: boolean;
  /** Called just before the main thread is given its job (for measurements). */
  onStart?: () => void;
  /**
   * Resolve only once every thread has stopped (default true). A caller
   * that ends the process right after (the CLI) resolves as soon as the
   * program's status is known; the threads are being stopped meanwhile.
   */
  awaitStop?: boolean;
}

const schema = z.strictObject({
  wasi: z.instanceof(WASI, { message: "expected a Gannet WASI" }),
  store: z.custom<StoreOptions>((v) => typeof v === "object" && v !== null, {
    message: "expected store options (an object)",
  }).optional(),
  maxThreads: z.number().int().nonnegative().optional(),
  invoke: z.strictObject({ name: z.string(), args: z.array(z.unknown()) }).optional(),
  spares: z.number().int().nonnegative().optional(),
  warmUp: z.boolean().optional(),
  onStart: z.function().optional(),
  awaitStop: z.boolean().optional(),
});

/**
 * Validates `runWasiThreads` options; throws a TypeError naming each bad
 * option. The store options are checked as `new Store` checks them, and a
 * `limiter` is refused (a function cannot be sent to a Worker).
 */
export function parseThreadsOptions(options: unknown): WasiThreadsOptions {
  const r = schema.safeParse(options);
  if (!r.success) {
    const lines = r.error.issues.map((i) =>
      `${i.path.length === 0 ? "options" : i.path.map(String).join(".")}: ${i.message}`
    );
    throw new TypeError(`wasi-threads: invalid options:\n  ${lines.join("\n  ")}`);
  }
  const o = options as WasiThreadsOptions;
  if (o.store !== undefined) {
    if (o.store.limiter !== undefined) {
      throw new TypeError("wasi-threads: store.limiter cannot be sent to the threads");
    }
    new Store(o.store); // its own checks, with its messages
  }
  return o;
}
