/**
 * Tags and exceptions (exception handling). A tag instance is an identity
 * with a function type whose parameters are the payload; an exception is
 * a tag and its payload values, in register-word form (as struct fields
 * are: an i32 or f32 one number, i64/f64 two int32 words, v128 four, a
 * reference itself). An exception that came from JS code (a JS value
 * thrown through wasm frames, caught by `catch_all` or by the JS tag) keeps
 * the thrown value, so that rethrowing it to JS throws that same value.
 *
 * @module
 */
import type { CanonType } from "../validate/type_store.ts";

/** A tag instance. */
export class TagInst {
  /** The tag's function type (its parameters are the payload; no results). */
  readonly type: CanonType;

  /** @param type the tag's function type */
  constructor(type: CanonType) {
    this.type = type;
  }
}

/** An exception: what `throw` creates and `exnref` refers to. */
export class WasmException {
  /** Its tag. */
  readonly tag: TagInst;
  /** Payload words (see the module documentation). */
  readonly payload: unknown[];
  /**
   * The JS value this exception stands for: the thrown value for an
   * exception from JS; for one created in wasm, the JS API `Exception`
   * object once it has reached JS (created then, and kept for identity).
   */
  host: unknown;
  /** Whether {@link host} is a value JS threw (rethrowing to JS throws it unchanged). */
  readonly fromJs: boolean;

  /**
   * @param tag its tag
   * @param payload its payload words
   * @param host the JS value it stands for, if any (see {@link host})
   * @param fromJs whether JS threw `host`
   */
  constructor(tag: TagInst, payload: unknown[], host: unknown = undefined, fromJs = false) {
    this.tag = tag;
    this.payload = payload;
    this.host = host;
    this.fromJs = fromJs;
  }
}
