/**
 * The error classes of the JS `WebAssembly` API, and the one table of trap
 * messages (in the spec's words) that every tier raises from.
 *
 * @module
 */

/** A module failed to decode or validate. */
export class CompileError extends Error {
  /** Byte offset in the binary where the problem was found, if known. */
  readonly offset: number | undefined;
  /**
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

/** Imports did not match what the module asks for. */
export class LinkError extends Error {
  /** @param message Which import, and what is wrong with it. */
  constructor(message: string) {
    super(message);
    this.name = "LinkError";
  }
}

/** A trap, or another runtime failure of wasm code. */
export class RuntimeError extends Error {
  /** @param message The trap's message (see {@link Trap}). */
  constructor(message: string) {
    super(message);
    this.name = "RuntimeError";
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
  unalignedAtomic: "unaligned atomic",
  expectedSharedMemory: "expected shared memory",
  fuelExhausted: "all fuel consumed",
} as const;
/** One of the {@link Trap} messages. */
export type TrapMessage = typeof Trap[keyof typeof Trap];
