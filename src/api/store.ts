/**
 * `Store`: the embedder controls native `WebAssembly` does not have — fuel,
 * a per-call wall-clock budget, interruption from another thread, and
 * limits on what the guest may allocate. Instances created with
 * `{ store }` belong to it; instances created without one belong to a
 * default store with nothing metered or limited beyond the stack.
 *
 * @module
 */

import { z } from "zod";
import { type GrowthLimiter, StoreState } from "../runtime/store.ts";
import { JIT_MODES, type JitMode } from "../jit/tier.ts";

/**
 * Limits on what a store's guests may allocate or how deep they may go.
 * A memory or table growth past a limit fails (`memory.grow` returns -1);
 * creating one past a limit, or an instance past `instances`, fails
 * instantiation with a `RangeError`; running past a stack limit traps with
 * "call stack exhausted".
 *
 * @example
 * ```ts
 * import { Store, type StoreLimits } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const limits: StoreLimits = { memoryBytes: 16 * 65536, instances: 4, stackFrames: 1000 };
 * assert.ok(new Store({ limits }) instanceof Store);
 * ```
 */
export interface StoreLimits {
  /** Largest size of any one memory, in bytes. */
  memoryBytes?: number;
  /** Largest total size of all memories created in the store, in bytes. */
  storeMemoryBytes?: number;
  /** Largest number of elements of any one table. */
  tableElements?: number;
  /** Largest number of instances created in the store. */
  instances?: number;
  /** Largest wasm call depth, in frames (default 20,000). */
  stackFrames?: number;
  /**
   * Largest wasm stack, in bytes: the register file holding every frame's
   * locals and temporaries, 8 bytes per slot (default 512 MiB).
   */
  stackBytes?: number;
  /** Largest depth of host→wasm re-entry (an import calling an export…; default 500). */
  reentry?: number;
}

/**
 * Options of {@link Store}.
 *
 * @example
 * ```ts
 * import { Store, type StoreOptions } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const options: StoreOptions = { fuel: 1_000_000, timeout: 500 };
 * assert.equal(new Store(options).fuel, 1_000_000);
 * ```
 */
export interface StoreOptions {
  /**
   * Fuel to start with, which turns metering on. One unit is one control
   * transfer: a taken branch or a call (direct, indirect, imported or
   * tail); other instructions, SIMD ones included, cost nothing of their
   * own. The same module, input and fuel stop at the same point on every
   * host and in every tier. Out of fuel, a call traps with "all fuel
   * consumed by WebAssembly" (a resumable call pauses instead).
   */
  fuel?: number;
  /** Wall-clock budget of each call from JS into the store, in ms; past it the call traps ("deadline exceeded"). */
  timeout?: number;
  /** Allocation and stack limits. */
  limits?: StoreLimits;
  /** Asked on every memory and table growth; returning false makes the growth fail. */
  limiter?: GrowthLimiter;
  /**
   * The JIT tier for calls into this store: `"auto"` (the default) compiles
   * hot functions and loops to JavaScript where the host allows code
   * generation (else it interprets), `"off"` interprets only, `"eager"`
   * compiles every function on its first call (for testing). Every tier
   * behaves the same: results, traps, fuel, deadlines, suspension.
   */
  jit?: JitMode;
}

const count = z.number().int().nonnegative();
const positive = z.number().int().positive();
const optionsSchema = z.strictObject({
  fuel: z.custom<number>(isFuel, { message: "fuel must be a whole number ≥ 0 or Infinity" })
    .optional(),
  timeout: z.custom<number>((v) => typeof v === "number" && v >= 0, {
    message: "timeout must be a number of ms ≥ 0 or Infinity",
  }).optional(),
  limits: z.strictObject({
    memoryBytes: count.optional(),
    storeMemoryBytes: count.optional(),
    tableElements: count.optional(),
    instances: count.optional(),
    stackFrames: positive.optional(),
    stackBytes: z.number().int().min(64).optional(),
    reentry: positive.optional(),
  }).optional(),
  limiter: z.custom<GrowthLimiter>((v) => typeof v === "object" && v !== null, {
    message: "limiter must be an object with memoryGrowing/tableGrowing methods",
  }).optional(),
  jit: z.enum(["off", "auto", "eager"]).optional(),
}).optional();

const stateOf = new WeakMap<Store, StoreState>();

/** The engine side of `store` (TypeError for anything else). */
export function storeState(store: unknown, api = "gannet"): StoreState {
  const s = typeof store === "object" && store !== null ? stateOf.get(store as Store) : undefined;
  if (s === undefined) throw new TypeError(`${api}: store must be a Gannet Store`);
  return s;
}

/** Fuel is a whole number of units, or Infinity (unmetered). */
function isFuel(v: unknown): v is number {
  return typeof v === "number" && v >= 0 && (Number.isInteger(v) || v === Infinity);
}

/**
 * A store: fuel, deadlines, interruption and limits for the instances
 * created in it.
 *
 * @example
 * ```ts
 * import { Instance, Module, parseWat, RuntimeError, Store } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const store = new Store({ fuel: 10_000 });
 * const module = new Module(parseWat(`(module
 *   (func (export "spin") (loop (br 0))))`));
 * const { spin } = new Instance(module, {}, { store }).exports as { spin: () => void };
 * assert.throws(spin, (e) => e instanceof RuntimeError && /all fuel consumed/.test(e.message));
 * assert.equal(store.fuel, 0);
 * store.fuel = 100; // refuel: the instance can be called again
 * ```
 */
export class Store {
  /** Creates a store (options validated: TypeError on a bad one). */
  constructor(options?: StoreOptions) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length > 0 ? ` at options.${issue.path.join(".")}` : "";
      throw new TypeError(`Store: invalid options${where}: ${issue.message}`);
    }
    const o = parsed.data ?? {};
    const s = new StoreState();
    if (o.fuel !== undefined) s.fuel = o.fuel;
    if (o.timeout !== undefined) s.timeout = o.timeout;
    const l = o.limits ?? {};
    if (l.memoryBytes !== undefined) s.maxMemoryBytes = l.memoryBytes;
    if (l.storeMemoryBytes !== undefined) s.maxStoreMemoryBytes = l.storeMemoryBytes;
    if (l.tableElements !== undefined) s.maxTableElements = l.tableElements;
    if (l.instances !== undefined) s.maxInstances = l.instances;
    if (l.stackFrames !== undefined) s.maxStackFrames = l.stackFrames;
    if (l.stackBytes !== undefined) s.maxStackSlots = Math.floor(l.stackBytes / 8);
    if (l.reentry !== undefined) s.maxReentry = l.reentry;
    s.limiter = o.limiter ?? null;
    if (o.jit !== undefined) s.jit = JIT_MODES[o.jit];
    stateOf.set(this, s);
  }

  /** Fuel left (Infinity: not metered). Setting it (re)fuels; Infinity turns metering off. */
  get fuel(): number {
    return storeState(this).fuel;
  }
  set fuel(n: number) {
    if (!isFuel(n)) throw new TypeError("Store: fuel must be a whole number ≥ 0 or Infinity");
    storeState(this).fuel = n;
  }

  /** Wall-clock budget of each call from JS, in ms (Infinity: none). */
  get timeout(): number {
    return storeState(this).timeout;
  }
  set timeout(ms: number) {
    if (!(typeof ms === "number" && ms >= 0)) {
      throw new TypeError("Store: timeout must be a number of ms ≥ 0 or Infinity");
    }
    storeState(this).timeout = ms;
  }

  /**
   * Stops the running call at its next slice boundary with a trap
   * ("interrupt"), or pauses a resumable one. Requested while nothing runs,
   * it stops the next call. From this thread it can only come from code the
   * guest lets run: a host function, or a timer while a `promising` call is
   * suspended. Once {@link interruptBuffer} has been handed out, or with a
   * timeout, slices are timed and a stop is seen within about a millisecond;
   * otherwise within a slice (32,768 control transfers).
   */
  interrupt(): void {
    Atomics.store(storeState(this).interrupt, 0, 1);
  }

  /**
   * The interrupt flag's memory: post it to a Worker, which stops the call
   * with {@link requestInterrupt} (a synchronous call keeps this thread
   * busy, so timers here cannot fire until it ends).
   */
  get interruptBuffer(): SharedArrayBuffer {
    const s = storeState(this);
    const b = s.interrupt.buffer;
    if (!(typeof SharedArrayBuffer === "function" && b instanceof SharedArrayBuffer)) {
      throw new TypeError("Store: this host has no SharedArrayBuffer");
    }
    // From now on calls time their slices, so that a stop is seen within ~1 ms.
    s.watched = true;
    return b;
  }
}

Object.defineProperty(Store.prototype, Symbol.toStringTag, {
  value: "Gannet.Store",
  configurable: true,
});

/**
 * Requests an interrupt through a store's {@link Store.interruptBuffer},
 * from any thread (a Worker needs nothing else of Gannet).
 *
 * @example
 * ```ts
 * import { requestInterrupt, Store } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const store = new Store();
 * requestInterrupt(store.interruptBuffer);
 * assert.equal(new Int32Array(store.interruptBuffer)[0], 1);
 * ```
 */
export function requestInterrupt(buffer: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(buffer, 0, 1), 0, 1);
}
