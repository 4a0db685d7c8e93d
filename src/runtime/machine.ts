/**
 * Execution state: the register file and frame stack of one call into wasm.
 * wasm→wasm calls push frames here instead of recursing on the JS stack. A
 * call from the embedder owns a machine (taken from a pool, see
 * `src/interp/call.ts`) until it returns; a host function that calls back
 * into wasm starts a nested activation on the same machine, above its
 * caller's frame (`top`). A suspended (JSPI) or paused (out of fuel) call
 * keeps its machine while other calls run on others.
 *
 * The register file is ONE ArrayBuffer of 8-byte slots, seen through
 * Int32/Float32/Float64 views (a v128 takes two consecutive slots), plus a
 * parallel JS array for reference values (funcref/externref), indexed by the
 * same slot numbers. Both the register file and the frame stack start small
 * and grow on demand up to their limits, so an idle machine costs ~40 KB.
 *
 * @module
 */

import { RuntimeError, Trap } from "../errors.ts";
import type { FuncInst } from "./func.ts";

/** Default limit on nested wasm calls (frames), like a native stack limit. */
export const DEFAULT_MAX_DEPTH = 20000;
/** Default limit on the register file, in slots (8 bytes each): 512 MiB. */
export const DEFAULT_MAX_SLOTS = 64 * 1024 * 1024;
/** Words per frame record in {@link Machine.fstack}. */
export const FRAME_WORDS = 3;

const INITIAL_SLOTS = 4096;
/** First slice length of a timed call: short, in case the code between transfers is long. */
const INITIAL_TIMED_SLICE = 64;
const INITIAL_FRAMES = 256;

/** Register file, frame stack, and the registers of the running activation. */
export class Machine {
  /** The register file. */
  buf: ArrayBuffer;
  /** Views of {@link buf}. Refreshed whenever the file grows. */
  i32: Int32Array;
  /** Float32 view (index = word index). */
  f32: Float32Array;
  /** Float64 view (index = slot index). */
  f64: Float64Array;
  /** Reference values, by slot index. */
  refs: unknown[];
  /** Slots usable: the register file's capacity, at most {@link maxSlots}. */
  capSlots: number;
  /** Limit of the register file in slots: beyond it, "call stack exhausted". */
  maxSlots: number = DEFAULT_MAX_SLOTS;
  /** First free slot: where a nested activation puts its frame. */
  top = 0;
  /** Number of frames pushed (all activations). */
  depth = 0;
  /** Frame limit; exceeding it traps with "call stack exhausted". */
  maxDepth: number = DEFAULT_MAX_DEPTH;
  /**
   * Per frame: [return pc, caller frame slot, caller function index], the
   * index being -1 when the caller is in another instance (then it is in
   * {@link fframes}).
   */
  fstack: Int32Array;
  /** Per frame: the caller's function, for calls between instances. */
  fframes: (FuncInst | null)[];
  /** Frames the frame stack can hold before it grows (≤ {@link maxDepth}). */
  frameCap: number;
  /** Between slices of the running activation: its current function… */
  fn: FuncInst | null = null;
  /** …program counter… */
  pc = 0;
  /** …and frame slot. */
  fd = 0;
  /** Frame depth at which the running activation's entry function returns. */
  baseDepth = 0;
  /**
   * Control transfers (taken branches, calls) the running slice may still
   * make; the dispatch loop counts it down and yields below zero. Fuel and
   * every other control act between slices (`src/interp/execute.ts`).
   */
  budget = 0;
  /**
   * Compiled code's direct calls (`src/jit/value_call.ts`) return a result,
   * not an exit code: a callee that left without returning sets its exit
   * code here instead (0: none), which its callers pass on. It also sets
   * {@link budget} to `EXITED` (`src/jit/emit_calls.ts`), the one thing its
   * caller tests after the call, and keeps the budget in {@link exitBudget}.
   */
  directExit = 0;
  /** The budget of a direct callee that left without returning (see {@link directExit}). */
  exitBudget = 0;
  /** A host call in progress or awaited (JSPI): the function… */
  hostFn: FuncInst | null = null;
  /** …the slot of its arguments and results… */
  hostBase = 0;
  /** …and whether it was a tail call (the caller returns once it has finished). */
  hostTail = false;
  /** Slice length of a timed call (adapted to the clock, see `execute.ts`). */
  sliceLen = INITIAL_TIMED_SLICE;
  /** Fuel owed by a call that stopped on an empty tank (paid when it resumes). */
  fuelOwed = 0;
  /** The exception a slice left with (exit `THREW`), until the driver takes it. */
  thrown: unknown = null;
  /** Wall-clock deadline of the outermost call (ms, `performance.now()` scale), or Infinity. */
  deadline = Infinity;

  /** Creates an empty machine. */
  constructor() {
    this.capSlots = INITIAL_SLOTS;
    this.buf = new ArrayBuffer(this.capSlots * 8);
    this.i32 = new Int32Array(this.buf);
    this.f32 = new Float32Array(this.buf);
    this.f64 = new Float64Array(this.buf);
    this.refs = new Array(this.capSlots).fill(null);
    this.frameCap = INITIAL_FRAMES;
    this.fstack = new Int32Array(FRAME_WORDS * (INITIAL_FRAMES + 1));
    this.fframes = new Array(INITIAL_FRAMES + 1).fill(null);
  }

  /** Grows the register file so that `slots` slots fit (views change). */
  grow(slots: number): void {
    if (slots <= this.capSlots) return;
    if (slots > this.maxSlots) throw new RuntimeError(Trap.callStackExhausted);
    let cap = this.i32.length >> 1;
    while (cap < slots) cap *= 2;
    if (cap > this.maxSlots) cap = this.maxSlots;
    const buf = new ArrayBuffer(cap * 8);
    new Int32Array(buf).set(this.i32);
    this.buf = buf;
    this.i32 = new Int32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    for (let i = this.refs.length; i < cap; i++) this.refs.push(null);
    this.capSlots = cap;
  }

  /**
   * Makes room for one more frame record at `depth` = {@link frameCap}, or
   * traps with "call stack exhausted" at {@link maxDepth}.
   */
  growFrames(): void {
    if (this.frameCap >= this.maxDepth) throw new RuntimeError(Trap.callStackExhausted);
    const cap = Math.min(this.frameCap * 4, this.maxDepth);
    const fstack = new Int32Array(FRAME_WORDS * (cap + 1));
    fstack.set(this.fstack);
    this.fstack = fstack;
    for (let i = this.fframes.length; i <= cap; i++) this.fframes.push(null);
    this.frameCap = cap;
  }

  /**
   * Sets the stack limits (frames, register-file slots); only on an idle
   * machine. A register file already larger than the new limit is kept but
   * not used beyond it (a pooled machine that ran a deep recursion once
   * must still trap where the next store's limit says).
   */
  setLimits(maxDepth: number, maxSlots: number): void {
    if (this.depth !== 0) throw new Error("gannet: stack limits change only between calls");
    this.maxDepth = maxDepth;
    this.maxSlots = maxSlots;
    this.capSlots = Math.min(this.i32.length >> 1, maxSlots);
    if (this.frameCap > maxDepth) this.frameCap = maxDepth;
    else if (this.frameCap < maxDepth && this.fframes.length - 1 > this.frameCap) {
      this.frameCap = Math.min(this.fframes.length - 1, maxDepth);
    }
  }

  /** Forgets every activation (after a trap unwound the outermost one). */
  reset(): void {
    this.top = 0;
    this.depth = 0;
    this.baseDepth = 0;
    this.fn = null;
    this.hostFn = null;
    this.deadline = Infinity;
    this.fuelOwed = 0;
    this.sliceLen = INITIAL_TIMED_SLICE;
  }
}
