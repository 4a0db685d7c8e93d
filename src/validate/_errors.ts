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

/**
 * Throws an {@link InvalidError} at byte offset `at` (when known); `where`
 * names the definition (e.g. `export "run"`), for modules without offsets.
 */
export function invalid(message: string, at?: number, where?: string): never {
  const text = where === undefined ? message : `${message} in ${where}`;
  throw new InvalidError(text, at === undefined ? undefined : { offset: at });
}
