/**
 * Validation errors of components: a `CompileError` with the byte offset
 * and wasm-tools' wording, and context added on the way out ("type mismatch
 * in instance export `a`: expected …"), as wasm-tools chains it.
 *
 * @module
 */
import { CompileError } from "../../errors.ts";

/** A component is invalid. `reason` is the message without the offset. */
export class ComponentInvalidError extends CompileError {
  /** What is wrong (with its context), without the offset. */
  readonly reason: string;
  /**
   * @param reason what is wrong
   * @param offset byte offset of the definition, if known
   */
  constructor(reason: string, offset: number | undefined) {
    super(reason, offset === undefined ? undefined : { offset });
    this.reason = reason;
  }
}

/** Throws a {@link ComponentInvalidError}. */
export function invalid(offset: number, reason: string): never {
  throw new ComponentInvalidError(reason, offset);
}

/** Runs `f`; a validation error it throws gets `context` put in front of its reason. */
export function withContext<T>(context: () => string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ComponentInvalidError) {
      throw new ComponentInvalidError(`${context()}: ${e.reason}`, e.offset);
    }
    throw e;
  }
}
