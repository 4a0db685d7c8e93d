/**
 * Function instances: a wasm function of some instance (translated to IR on
 * first call) or a host (JS) function imported with a wasm type.
 *
 * @module
 */

import type { FuncType } from "../binary/types.ts";
import type { InstanceState } from "./instance_state.ts";
import { canonicalFuncType, type CanonType } from "../validate/type_store.ts";
import type { Machine } from "./machine.ts";

/** Views of a register file (a `Machine`'s, or a scratch one): 8-byte slots. */
export interface Registers {
  /** Int32 view (word index = 2 × slot). */
  readonly i32: Int32Array;
  /** Float32 view (index = word index). */
  readonly f32: Float32Array;
  /** Reference values, by slot index. */
  readonly refs: unknown[];
}

/** A scratch register file of `slots` slots. */
export function scratchRegisters(slots: number): Registers {
  const i32 = new Int32Array(2 * slots);
  return { i32, f32: new Float32Array(i32.buffer), refs: new Array(slots).fill(null) };
}

/**
 * A host function as the engine calls it. The engine knows wasm values in
 * register slots, not JS values: the API layer adapts a JS function to this
 * (argument and result conversions, JSPI's `Suspending`).
 */
export interface HostFunc {
  /**
   * Reads the arguments from slot `base` of `m`'s register file and calls
   * the function; returns what it returned (for a suspending function, the
   * value to await).
   */
  call(m: Registers, base: number): unknown;
  /** Converts `value` (what `call` returned, or awaited) and writes the results at `base`. */
  finish(m: Registers, base: number, value: unknown): void;
  /** JSPI: the guest awaits what `call` returned (a `Suspending` import). */
  readonly suspending: boolean;
}

/**
 * A function's compiled code (`src/jit`): a slice of execution, entered by
 * the driver as `(m, -1, 0, 0)` at `m.pc`, or called directly by compiled
 * code as `(m, frame slot, depth, nesting)` at pc 0 with no frame pushed.
 * Returns a slice exit (`interp/slice.ts`).
 */
export type CompiledCode = (
  m: Machine,
  directFd: number,
  directDepth: number,
  nesting: number,
  ...args: number[]
) => number;

/** Number of 8-byte register slots a value of type `t` takes. */
export function slotSize(t: number): number {
  return t === 0x7b ? 2 : 1;
}

/** Total slots of a list of value types. */
export function slotsOf(types: readonly number[]): number {
  let n = 0;
  for (const t of types) n += slotSize(t);
  return n;
}

/**
 * The exception handlers of a translated function (`src/interp/unwind.ts`
 * searches them; `src/interp/translate_eh.ts` builds them).
 */
export interface Handlers {
  /**
   * Per try block (`try_table`, legacy `try`), 6 words: start and end of
   * its protected code range, enclosing block (-1: none), first clause,
   * clause count, and for a legacy `delegate` the block it delegates to
   * (-1: the caller), else -2.
   */
  readonly blocks: Int32Array;
  /** Per clause, 4 words: kind (`unwind.ts` flags), tag index, first slot, target pc. */
  readonly clauses: Int32Array;
}

/** A function instance. */
export class FuncInst {
  /** Its signature. */
  readonly type: FuncType;
  /** Canonical id of the signature (equal ids ⇔ equal signatures). */
  readonly typeId: number;
  /** Owning instance, or null for a host function. */
  readonly inst: InstanceState | null;
  /** Function index within the owning instance. */
  readonly index: number;
  /** The host function, for functions not defined in wasm. */
  readonly host: HostFunc | null;
  /** IR code, once translated. */
  code: Int32Array | null = null;
  /** Slots the frame needs (locals + temporaries, ≥ results). */
  frameSlots = 0;
  /** 2 × parameter slots: where locals to zero start (word index). */
  paramWords = 0;
  /** 2 × (parameter + local) slots: where zeroing stops (word index). */
  localWords = 0;
  /** Slots of non-parameter reference locals (reset to null on entry). */
  refLocals: Int32Array | null = null;
  /**
   * Slots of non-parameter i32 and f32 locals: no instruction reads their
   * high word, so compiled code does not zero it on entry.
   */
  narrowLocals: Int32Array = new Int32Array(0);
  /** Whether entry must zero locals (any non-parameter local). */
  hasLocals = false;
  /** Its exception handlers, once translated, if it has any. */
  handlers: Handlers | null = null;
  /** Slots taken by the parameters / results. */
  readonly paramSlots: number;
  /** Slots taken by the results. */
  readonly resultSlots: number;
  /**
   * Compiled code (`src/jit`): a slice of execution specialised to this
   * function, run by the driver instead of the dispatch loop when set.
   */
  jit: CompiledCode | null = null;
  /**
   * What compiled callers call directly (`src/jit/value_call.ts`): a
   * variant of {@link jit} entered only at pc 0, or `jit` itself.
   */
  direct: CompiledCode | null = null;
  /**
   * How hot it has been (control transfers sampled at slice boundaries, see
   * `src/jit/tier.ts`); -Infinity once the JIT declined it.
   */
  heat = 0;
  /** The exported JS function for this instance (created once, for identity). */
  jsFunc: ((...args: unknown[]) => unknown) | null = null;

  /**
   * Creates a function instance (translated later, on first call).
   *
   * @param type signature
   * @param typeId canonical signature id
   * @param inst owning instance (null for host functions)
   * @param index function index in `inst`
   * @param host the host function, for host functions
   */
  constructor(
    type: FuncType,
    typeId: number,
    inst: InstanceState | null,
    index: number,
    host: HostFunc | null,
  ) {
    this.type = type;
    this.typeId = typeId;
    this.inst = inst;
    this.index = index;
    this.host = host;
    this.paramSlots = slotsOf(type.params);
    this.resultSlots = slotsOf(type.results);
  }
}

/**
 * The canonical type id (`type_store.ts`) of a function signature whose
 * reference types are canonical: its own id when it is a canonical type,
 * else the id of the final, supertype-less function type with these
 * parameters and results (what a host function imported with an MVP-style
 * signature gets, and what `call_indirect` and import matching compare).
 */
export function typeIdOf(t: FuncType): number {
  const id = (t as Partial<CanonType>).id;
  return id !== undefined ? id : canonicalFuncType(t.params, t.results);
}
