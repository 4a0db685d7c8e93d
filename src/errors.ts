/**
 * The error classes of the JS `WebAssembly` API, and the one table of trap
 * messages (in the spec's words) that every tier raises from.
 *
 * @module
 */

/**
 * A module failed to decode or validate.
 *
 * @example
 * ```ts
 * import { CompileError, Module } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * // The right magic number, but binary format version 2.
 * const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]);
 * assert.throws(() => new Module(bytes), CompileError);
 * ```
 */
export class CompileError extends Error {
  /** Byte offset in the binary where the problem was found, if known. */
  readonly offset: number | undefined;
  /**
   * Creates the error.
   *
   * @param message What is wrong, in the spec's words.
   * @param options `offset`: byte offset of the problem.
   */
  constructor(message: string, options?: { offset?: number }) {
    const offset = options?.offset;
    super(offset === undefined ? message : `${message} (at byte offset 0x${offset.toString(16)})`);
    this.name = "CompileError";
    this.offset = offset;
  }
}

/**
 * Imports did not match what the module asks for.
 *
 * @example
 * ```ts
 * import { Instance, LinkError, Module, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module (import "env" "f" (func (param i32))))`));
 * // The import must be a function, not a number.
 * assert.throws(() => new Instance(module, { env: { f: 42 } }), LinkError);
 * ```
 */
export class LinkError extends Error {
  /**
   * Creates the error.
   *
   * @param message Which import, and what is wrong with it.
   */
  constructor(message: string) {
    super(message);
    this.name = "LinkError";
  }
}

/**
 * A trap, or another runtime failure of wasm code.
 *
 * @example
 * ```ts
 * import { instantiate, parseWat, RuntimeError } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const { instance } = await instantiate(parseWat(`(module
 *   (func (export "inverse") (param i32) (result i32)
 *     (i32.div_s (i32.const 1) (local.get 0))))`));
 * const inverse = instance.exports.inverse as (x: number) => number;
 * assert.throws(
 *   () => inverse(0),
 *   (e) => e instanceof RuntimeError && e.message === "integer divide by zero",
 * );
 * ```
 */
export class RuntimeError extends Error {
  /**
   * Creates the error.
   *
   * @param message The trap's message (see {@link Trap}).
   */
  constructor(message: string) {
    super(message);
    this.name = "RuntimeError";
  }
}

/**
 * JSPI: a `Suspending` import was called where the guest cannot be
 * suspended — not inside a `promising` export, or with a JS frame between
 * the import and that export.
 *
 * @example
 * ```ts
 * import { instantiate, parseWat, SuspendError, Suspending } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const { instance } = await instantiate(parseWat(`(module
 *   (import "env" "wait" (func $wait (result i32)))
 *   (func (export "f") (result i32) (call $wait)))`), {
 *   env: { wait: new Suspending(async () => 1) },
 * });
 * // Called directly, not through promising(): nothing can suspend.
 * assert.throws(() => (instance.exports.f as () => number)(), SuspendError);
 * ```
 */
export class SuspendError extends Error {
  /**
   * Creates the error.
   *
   * @param message Where the suspension was attempted.
   */
  constructor(message: string) {
    super(message);
    this.name = "SuspendError";
  }
}

/** Trap messages, worded as in the spec and its test suite. */
export const Trap = {
  unreachable: "unreachable",
  divideByZero: "integer divide by zero",
  integerOverflow: "integer overflow",
  invalidConversion: "invalid conversion to integer",
  memoryOutOfBounds: "out of bounds memory access",
  tableOutOfBounds: "out of bounds table access",
  undefinedElement: "undefined element",
  uninitializedElement: "uninitialized element",
  indirectCallTypeMismatch: "indirect call type mismatch",
  callStackExhausted: "call stack exhausted",
  nullReference: "null reference",
  // GC, typed function references and exception handling.
  nullStructure: "null structure reference",
  nullArray: "null array reference",
  nullFunction: "null function reference",
  nullI31: "null i31 reference",
  nullException: "null exception reference",
  castFailure: "cast failure",
  arrayOutOfBounds: "out of bounds array access",
  arrayTooLarge: "array too large",
  unalignedAtomic: "unaligned atomic",
  expectedSharedMemory: "expected shared memory",
  // Not a spec trap: the host forbids Atomics.wait on this thread (a browser's main thread).
  waitForbidden:
    "memory.atomic.wait is not allowed on this thread (the host forbids blocking here)",
  // Embedder controls (wasmtime's wording where it has one).
  fuelExhausted: "all fuel consumed by WebAssembly",
  interrupted: "interrupt",
  deadlineExceeded: "deadline exceeded",
} as const;
/** One of the {@link Trap} messages. */
export type TrapMessage = typeof Trap[keyof typeof Trap];
