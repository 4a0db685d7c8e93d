/**
 * The machine: the register file and the frame stack shared by every
 * interpreter activation on this thread. wasm→wasm calls push frames here
 * instead of recursing on the JS stack; a host function that calls back into
 * wasm starts a nested activation above the caller's frame (`top`).
 *
 * The register file is ONE ArrayBuffer of 8-byte slots, seen through
 * Int32/Float32/Float64 views (a v128 takes two consecutive slots), plus a
 * parallel JS array for reference values (funcref/externref), indexed by the
 * same slot numbers.
 *
 * @module
 */

import { RuntimeError, Trap } from "../errors.ts";
import type { FuncInst } from "./func.ts";

/** Default limit on nested wasm calls (frames), like a native stack limit. */
export const DEFAULT_MAX_DEPTH = 20000;
/** Upper bound on the register file, in slots (8 bytes each): 512 MiB. */
const MAX_SLOTS = 64 * 1024 * 1024;

/** Register file and frame stack. */
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
  /** Capacity in slots. */
  capSlots: number;
  /** First free slot: where a nested activation puts its frame. */
  top = 0;
  /** Number of frames pushed (all activations). */
  depth = 0;
  /** Frame limit; exceeding it traps with "call stack exhausted". */
  maxDepth: number;
  /**
   * Per frame: [return pc, caller frame slot, caller function index], the
   * index being -1 when the caller is in another instance (then it is in
   * {@link fframes}).
   */
  fstack: Int32Array;
  /** Per frame: the caller's function, for calls between instances. */
  fframes: (FuncInst | null)[];
  /** Between slices of the running activation: its current function… */
  fn: FuncInst | null = null;
  /** …program counter… */
  pc = 0;
  /** …and frame slot. */
  fd = 0;
  /** Frame depth at which the running activation's entry function returns. */
  baseDepth = 0;

  /**
   * Creates an empty machine.
   * @param maxDepth frame limit */
  constructor(maxDepth = DEFAULT_MAX_DEPTH) {
    this.capSlots = 8192;
    this.buf = new ArrayBuffer(this.capSlots * 8);
    this.i32 = new Int32Array(this.buf);
    this.f32 = new Float32Array(this.buf);
    this.f64 = new Float64Array(this.buf);
    this.refs = new Array(this.capSlots).fill(null);
    this.maxDepth = maxDepth;
    this.fstack = new Int32Array(3 * maxDepth + 3);
    this.fframes = new Array(maxDepth + 1).fill(null);
  }

  /** Grows the register file so that `slots` slots fit (views change). */
  grow(slots: number): void {
    if (slots <= this.capSlots) return;
    if (slots > MAX_SLOTS) throw new RuntimeError(Trap.callStackExhausted);
    let cap = this.capSlots;
    while (cap < slots) cap *= 2;
    const buf = new ArrayBuffer(cap * 8);
    new Int32Array(buf).set(this.i32);
    this.buf = buf;
    this.i32 = new Int32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    for (let i = this.capSlots; i < cap; i++) this.refs.push(null);
    this.capSlots = cap;
  }

  /** Changes the frame limit (only between calls). */
  setMaxDepth(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`invalid stack depth limit ${n}`);
    if (this.depth !== 0) throw new Error("cannot change the stack limit while wasm is running");
    this.maxDepth = n;
    this.fstack = new Int32Array(3 * n + 3);
    this.fframes = new Array(n + 1).fill(null);
  }
}

let current: Machine | null = null;

/** The thread's machine (created on first use). */
export function machine(): Machine {
  if (current === null) current = new Machine();
  return current;
}
