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
import { Heap } from "../binary/valtype.ts";
import { hostRef } from "./gc_objects.ts";
import { canonicalizeGroup, type CanonType, canonType } from "../validate/type_store.ts";

/** A tag instance. */
export class TagInst {
  /** The tag's function type (its parameters are the payload; no results). */
  readonly type: CanonType;

  /** @param type the tag's function type */
  constructor(type: CanonType) {
    this.type = type;
  }
}

/**
 * The JS tag (`WebAssembly.JSTag`): its one parameter is an `externref`,
 * the JS value thrown. A JS exception crossing wasm frames is an exception
 * of this tag.
 */
export const JS_TAG: TagInst = (() => {
  const ids = new Int32Array(1);
  canonicalizeGroup(
    [{ kind: 0, params: [Heap.extern], results: [], fields: [], final: true, supertype: -1 }],
    0,
    1,
    ids,
  );
  return new TagInst(canonType(ids[0]));
})();

/**
 * The exception behind each JS API `Exception` object (filled by the API
 * layer), so that one thrown by JS through wasm frames is the same
 * exception again.
 */
export const exceptionOfHost: WeakMap<object, WasmException> = new WeakMap();

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

/**
 * The exception a JS value thrown into wasm (by a host function) stands
 * for: the exception of a JS API `Exception` object, or a new exception of
 * the JS tag carrying the value.
 */
export function exceptionFromHost(v: unknown): WasmException {
  if (typeof v === "object" && v !== null) {
    const x = exceptionOfHost.get(v);
    if (x !== undefined) return x;
  }
  // The payload is an externref: the value as `toWasm` (api/values.ts) makes it.
  return new WasmException(JS_TAG, [hostRef(v)], v, true);
}
