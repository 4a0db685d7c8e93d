/**
 * Validation errors. A module is checked for malformedness (decoding)
 * before validity, so an "invalid" error found in one place must give way
 * to a "malformed" error found anywhere in the binary (`validateModule`
 * re-reads the bodies when validation fails). Both are plain
 * {@link CompileError}s: the JS API's `new WebAssembly.Module` throws a
 * `CompileError` itself, not a subclass (a subclass has another
 * `constructor`, which the web platform tests check).
 *
 * @module
 */
import { CompileError } from "../errors.ts";

/**
 * Throws a {@link CompileError} at byte offset `at` (when known); `where`
 * names the definition (e.g. `export "run"`), for modules without offsets.
 */
export function invalid(message: string, at?: number, where?: string): never {
  const text = where === undefined ? message : `${message} in ${where}`;
  throw new CompileError(text, at === undefined ? undefined : { offset: at });
}
