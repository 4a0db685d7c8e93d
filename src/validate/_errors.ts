/**
 * Validation errors. A module is checked for malformedness (decoding)
 * before validity, so an "invalid" error found in one place must give way
 * to a "malformed" error found anywhere in the binary; tagging the invalid
 * ones with a subclass lets the validator tell them apart.
 *
 * @module
 */
import { CompileError } from "../errors.ts";

/** A validation (not decoding) error. Still a {@link CompileError}. */
export class InvalidError extends CompileError {}

/** Throws an {@link InvalidError} at byte offset `at` (when known). */
export function invalid(message: string, at?: number): never {
  throw new InvalidError(message, at === undefined ? undefined : { offset: at });
}
