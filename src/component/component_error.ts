/**
 * `ComponentError`: how a component function's `result` error reaches JS
 * (thrown, with the error value as `payload`), exactly as jco defines it,
 * so code written against jco's bindings catches it unchanged.
 *
 * @module
 */

/**
 * The error thrown when a component function returning `result<T, E>`
 * returns an error; `payload` is the `E` value.
 *
 * @example
 * ```ts
 * import { ComponentError } from "./component_error.ts";
 * import assert from "node:assert/strict";
 *
 * const e = new ComponentError("not-found");
 * assert.equal(e.payload, "not-found");
 * assert.equal(e.message, "not-found");
 * ```
 */
export class ComponentError extends Error {
  /** The error value. */
  declare readonly payload: unknown;

  /**
   * Creates the error.
   *
   * @param value the `result`'s error value
   */
  constructor(value: unknown) {
    const enumerable = typeof value !== "string";
    super(enumerable ? `${String(value)} (see error.payload)` : value as string);
    Object.defineProperty(this, "payload", { value, enumerable });
    this.name = "ComponentError";
  }
}

/**
 * The error payload of an exception a host function threw for a
 * `result`-returning import (jco's `getErrorPayload`): its `payload` if it
 * has one, the thrown value itself if it is not an `Error`; an `Error`
 * without payload is rethrown (it traps).
 */
export function errorPayload(e: unknown): unknown {
  if (e !== null && e !== undefined && Object.prototype.hasOwnProperty.call(e, "payload")) {
    return (e as { payload: unknown }).payload;
  }
  if (e instanceof Error) throw e;
  return e;
}
