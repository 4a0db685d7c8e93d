/**
 * Resumable calls (as wasmi's `call_resumable`): a call that, when its store
 * runs out of fuel, is interrupted or passes its deadline, pauses instead
 * of trapping. It keeps its own execution state while paused, so other
 * calls — into the same instance too — run meanwhile, and any number of
 * paused calls can be resumed in any order.
 *
 * @module
 */

import { toJsException } from "./exception.ts";
import { framesOf, type WasmFrame } from "../interp/backtrace.ts";
import { OwnedCall } from "../interp/call.ts";
import { DONE, PAUSED, RESUMABLE, stopReason } from "../interp/execute.ts";
import { slotSize } from "../runtime/func.ts";
import type { StopReason } from "../runtime/store.ts";
import { funcInstOf, readResults } from "./exported.ts";
import { toWasm, writeSlot } from "./values.ts";

/**
 * Options of {@link callResumable}.
 *
 * @example
 * ```ts
 * import type { ResumableOptions } from "@gannet/wasm";
 * const options: ResumableOptions = { timeout: 100 };
 * ```
 */
export interface ResumableOptions {
  /**
   * Wall-clock budget in ms, counted while the call runs, not while it is
   * paused (default: the store's). Given to {@link ResumableCall.resume}, it
   * replaces what was left: a call paused by its deadline needs a new one.
   */
  timeout?: number;
}

/** `options.timeout`, checked (TypeError naming `api`). */
function timeoutOf(options: ResumableOptions | undefined, api: string): number | undefined {
  const timeout = options?.timeout;
  if (timeout !== undefined && !(typeof timeout === "number" && timeout >= 0)) {
    throw new TypeError(`${api}: options.timeout must be a non-negative number of ms`);
  }
  return timeout;
}

/** Status of a call that trapped or threw: neither done nor paused. */
const FAILED = -1;

/** What {@link callResumable} (or a snapshot's restore) hands the constructor. */
let starting: { call: OwnedCall; status: number } | null = null;

/** Each resumable call's owned call, for snapshots. */
const ownedOf = new WeakMap<ResumableCall, () => { call: OwnedCall; status: number }>();

/** A call in progress: paused, or done with its results. */
export class ResumableCall {
  #call: OwnedCall;
  #status: number;
  #value: unknown = undefined;

  /** Not for direct use: {@link callResumable} creates resumable calls (TypeError otherwise). */
  constructor() {
    if (starting === null) throw new TypeError("ResumableCall: use callResumable()");
    this.#call = starting.call;
    this.#status = starting.status;
    starting = null;
    ownedOf.set(this, () => ({ call: this.#call, status: this.#status }));
    this.#settle();
  }

  /** Whether the function has returned (then {@link value} holds its results). */
  get done(): boolean {
    return this.#status === DONE;
  }

  /** Why the call is paused ("fuel", "interrupt", "deadline"), or null once done or while running. */
  get pausedBy(): StopReason | null {
    return this.#status === PAUSED && !this.#call.busy
      ? stopReason.get(this.#call.machine) ?? null
      : null;
  }

  /**
   * Where a paused call stands: its wasm frames, innermost first (function
   * indices in their instances' index spaces); empty once done.
   */
  get frames(): WasmFrame[] {
    const m = this.#call.machine;
    return this.#status === PAUSED ? framesOf(m, m.fn!, m.depth) : [];
  }

  /** The results, as the exported function would return them (TypeError while paused). */
  get value(): unknown {
    if (this.#status === FAILED) throw new TypeError("ResumableCall: the call failed");
    if (this.#status !== DONE) throw new TypeError("ResumableCall: the call has not finished");
    return this.#value;
  }

  /**
   * Continues a paused call until it returns or pauses again; returns this.
   * Add fuel first when it paused for fuel; give `options.timeout` when it
   * paused for its deadline. Traps propagate (the call is then over), and
   * so does a RuntimeError when the call is running (a host function it
   * called cannot continue it).
   */
  resume(options?: ResumableOptions): this {
    const timeout = timeoutOf(options, "ResumableCall.resume");
    if (this.#status === DONE) return this;
    const status = this.#status;
    try {
      this.#status = this.#call.resume(timeout);
    } catch (e) {
      // Over (trapped or threw), unless it refused because it is running.
      if (!this.#call.live) this.#status = FAILED;
      else this.#status = status;
      throw toJsException(e);
    }
    this.#settle();
    return this;
  }

  #settle(): void {
    if (this.#status !== DONE) return;
    const call = this.#call;
    this.#value = readResults(call.machine, 0, call.fn.type.results);
    call.end();
  }
}

/**
 * Calls exported wasm function `f` with `args` as a resumable call: it runs
 * until it returns or its store stops it (fuel, interrupt, deadline), and
 * returns the {@link ResumableCall}.
 *
 * @example
 * ```ts
 * import { callResumable, Instance, Module, parseWat, Store } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const store = new Store({ fuel: 1000 });
 * const { count } = new Instance(new Module(parseWat(`(module
 *   (func (export "count") (param $n i32) (result i32) (local $i i32)
 *     (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *       (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
 *     (local.get $i)))`)), {}, { store }).exports as { count: (n: number) => number };
 * const call = callResumable(count, [5000]);
 * assert.equal(call.pausedBy, "fuel");
 * while (!call.done) {
 *   store.fuel = 1000;
 *   call.resume();
 * }
 * assert.equal(call.value, 5000);
 * ```
 */
export function callResumable(
  f: (...args: never[]) => unknown,
  args: readonly unknown[] = [],
  options?: ResumableOptions,
): ResumableCall {
  const fn = funcInstOf(f);
  if (fn === undefined || fn.inst === null) {
    throw new TypeError("callResumable: Argument 0 must be an exported function defined in wasm");
  }
  const timeout = timeoutOf(options, "callResumable");
  const params = fn.type.params;
  const vals = params.map((t, i) => toWasm(t, args[i]));
  const call = new OwnedCall(fn, RESUMABLE, timeout);
  const m = call.machine;
  let s = 0;
  for (let i = 0; i < params.length; i++) {
    writeSlot(m.i32, m.f32, m.refs, s, params[i], vals[i]);
    s += slotSize(params[i]);
  }
  let status: number;
  try {
    status = call.start();
  } catch (e) {
    // A wasm exception leaves as its Exception object (or the JS value it carries).
    throw toJsException(e);
  }
  starting = { call, status };
  return new ResumableCall();
}

/** A paused call's execution state and why it paused (null unless paused). */
export function pausedCallOf(c: ResumableCall): { call: OwnedCall; reason: StopReason } | null {
  const o = ownedOf.get(c)?.();
  if (o === undefined || o.status !== PAUSED || o.call.busy) return null;
  const reason = stopReason.get(o.call.machine);
  return reason === undefined ? null : { call: o.call, reason };
}

/** A resumable call over an owned call restored paused (snapshots). */
export function pausedCall(call: OwnedCall): ResumableCall {
  starting = { call, status: PAUSED };
  return new ResumableCall();
}
