/**
 * `gannet run -W …`: wasmtime's spelling of the embedder controls, turned
 * into a {@link Store}, and the exit status and message of each way a run
 * can be stopped.
 *
 * | option                     | meaning                                                   |
 * | -------------------------- | --------------------------------------------------------- |
 * | `-W fuel=N`                | fuel: N control transfers (taken branches and calls)      |
 * | `-W timeout=DURATION`      | wall-clock limit: `500ms`, `2s`, `1m` (a bare number: s)  |
 * | `-W max-memory-size=BYTES` | largest size of any one memory                            |
 * | `-W max-wasm-stack=BYTES`  | largest wasm stack: the register file, 8 bytes per slot   |
 * | `-W max-table-elements=N`  | largest table                                             |
 * | `-W max-instances=N`       | most instances                                            |
 * | `-W max-threads=N`         | most wasi-threads threads alive at once (besides main)    |
 *
 * Several may share one `-W`, comma-separated (`-W fuel=1000,timeout=1s`);
 * BYTES and N take `k`/`m`/`g` (or `KiB`/`MiB`/`GiB`) suffixes, powers of 1024.
 *
 * @module
 */

import { Store, type StoreLimits, type StoreOptions } from "../api/store.ts";
import { Trap } from "../errors.ts";

/** Exit status of a trap (128 + SIGABRT), as wasmtime reports it. */
export const TRAP_EXIT = 134;
/** Exit status when `-W timeout` stopped the program (as GNU `timeout`). */
export const TIMEOUT_EXIT = 124;
/** Exit status when the program ran out of `-W fuel`. */
export const FUEL_EXIT = 125;
/** Exit status when a `-W max-…` limit refused an allocation at instantiation. */
export const LIMIT_EXIT = 126;

/** A bad `-W` option. */
export class WasmOptionError extends Error {}

/** What `-W` options set: store options, or null when none was given. */
export interface WasmOptions {
  /** The store's options. */
  store: StoreOptions;
  /** Whether any option was given. */
  any: boolean;
  /** `-W max-threads`: most spawned wasi-threads threads alive at once. */
  maxThreads?: number;
}

const SIZE = /^(\d+)\s*(k|kib|kb|m|mib|mb|g|gib|gb)?$/i;
const UNIT: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A byte count or number with an optional binary suffix. */
function size(name: string, text: string): number {
  const m = SIZE.exec(text.trim());
  if (m === null) throw new WasmOptionError(`-W ${name}=${text}: expected a whole number`);
  const n = Number(m[1]) * (m[2] === undefined ? 1 : UNIT[m[2][0].toLowerCase()]);
  if (!Number.isSafeInteger(n)) throw new WasmOptionError(`-W ${name}=${text}: too large`);
  return n;
}

/** A duration in ms: `250ms`, `2s`, `1.5m`, `1h`; a bare number is seconds (as wasmtime). */
export function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/.exec(text.trim());
  if (m === null) throw new WasmOptionError(`-W timeout=${text}: expected a duration (500ms, 2s)`);
  const scale = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }[m[2] ?? "s"]!;
  return Number(m[1]) * scale;
}

/** Adds one `-W` argument (`name=value[,name=value…]`) to `into`. */
export function parseWasmOption(arg: string, into: WasmOptions): void {
  const limits: StoreLimits = into.store.limits ?? {};
  for (const item of arg.split(",")) {
    const eq = item.indexOf("=");
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    const value = eq < 0 ? "" : item.slice(eq + 1);
    if (value === "") throw new WasmOptionError(`-W ${name}: needs a value (${name}=…)`);
    switch (name) {
      case "fuel":
        into.store.fuel = size(name, value);
        break;
      case "timeout":
        into.store.timeout = duration(value);
        break;
      case "max-memory-size":
        limits.memoryBytes = size(name, value);
        break;
      case "max-wasm-stack":
        limits.stackBytes = Math.max(64, size(name, value));
        break;
      case "max-table-elements":
        limits.tableElements = size(name, value);
        break;
      case "max-instances":
        limits.instances = size(name, value);
        break;
      case "max-threads":
        // Not a store option: it bounds thread-spawn, so it leaves `any` as it was.
        into.maxThreads = size(name, value);
        continue;
      default:
        throw new WasmOptionError(
          `-W ${name}: unknown (fuel, timeout, max-memory-size, max-wasm-stack, ` +
            `max-table-elements, max-instances, max-threads)`,
        );
    }
    into.any = true;
  }
  if (Object.keys(limits).length > 0) into.store.limits = limits;
}

/** The store the options describe (none when no option was given). */
export function storeOf(o: WasmOptions): Store | undefined {
  return o.any ? new Store(o.store) : undefined;
}

/** How a failed run ends: its exit status and what to print, or null for other errors. */
export function stopOf(e: unknown): { status: number; message: string } | null {
  const err = e as Error;
  if (err?.name === "RuntimeError") {
    if (err.message === Trap.fuelExhausted) {
      return { status: FUEL_EXIT, message: `wasm trap: ${err.message} (-W fuel)` };
    }
    if (err.message === Trap.deadlineExceeded) {
      return { status: TIMEOUT_EXIT, message: `wasm trap: ${err.message} (-W timeout)` };
    }
    return { status: TRAP_EXIT, message: `wasm trap: ${err.message}` };
  }
  if (err instanceof RangeError && err.message.startsWith("store limit exceeded")) {
    return { status: LIMIT_EXIT, message: `${err.message} (-W max-…)` };
  }
  return null;
}
