/**
 * `WebAssembly.Exception`: a wasm exception as a JS object, and the rules
 * for exceptions crossing the JS boundary. One Exception object per
 * exception, so a wasm exception that reaches JS and is thrown back into
 * wasm is the same exception there (and a `catch_ref`'d one rethrown to JS
 * is the same object); a JS value thrown through wasm frames comes out as
 * that same value.
 *
 * @module
 */
import { jsValueOf } from "../runtime/gc_objects.ts";
import { readPayload } from "../interp/unwind.ts";
import { scratchRegisters, slotsOf } from "../runtime/func.ts";
import { exceptionOfHost, JS_TAG, WasmException } from "../runtime/tags.ts";
import { tagInstOf } from "./tag.ts";
import type { Tag } from "./tag.ts";
import { readSlot, toWasm, writeSlot } from "./values.ts";
import { enforceU32 } from "./_internals.ts";

const stacks = new WeakMap<object, string | undefined>();

/** The exception behind `e` (TypeError when `e` is not an Exception). */
function inner(e: unknown, api: string): WasmException {
  const x = typeof e === "object" && e !== null ? exceptionOfHost.get(e) : undefined;
  if (x === undefined) throw new TypeError(`${api}: receiver is not a WebAssembly.Exception`);
  return x;
}

function tagArg(tag: unknown, api: string) {
  const t = tagInstOf(tag);
  if (t === undefined) throw new TypeError(`${api}: argument must be a WebAssembly.Tag`);
  return t;
}

/**
 * Options of {@link Exception}.
 *
 * @example
 * ```ts
 * import { Exception, type ExceptionOptions, Tag } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const options: ExceptionOptions = { traceStack: true };
 * const e = new Exception(new Tag({ parameters: [] }), [], options);
 * assert.equal(typeof e.stack, "string");
 * ```
 */
export interface ExceptionOptions {
  /** Record the JS stack where it was created (as `stack`). */
  traceStack?: boolean;
}

/**
 * A wasm exception: a tag and its payload. JS can create one and throw it
 * into wasm, where a `catch` of its tag catches it; an exception thrown by
 * wasm reaches JS as one of these.
 *
 * @example
 * ```ts
 * import { Exception, Tag } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const tag = new Tag({ parameters: ["i32", "i64"] });
 * const e = new Exception(tag, [42, 7n]);
 * assert.ok(e.is(tag));
 * assert.equal(e.getArg(tag, 1), 7n);
 * assert.equal(e.stack, undefined);
 * ```
 */
export class Exception {
  /** An exception of `tag` with `payload` (converted to the tag's parameter types). */
  constructor(tag: Tag, payload: Iterable<unknown>, options?: ExceptionOptions) {
    if (new.target === undefined) {
      throw new TypeError("WebAssembly.Exception must be called with new");
    }
    const t = tagArg(tag, "WebAssembly.Exception");
    if (t === JS_TAG) throw new TypeError("WebAssembly.Exception: the JS tag cannot be used");
    if (payload === null || typeof payload !== "object") {
      throw new TypeError("WebAssembly.Exception: payload must be a sequence");
    }
    const values = Array.from(payload);
    const types = t.type.params;
    if (values.length !== types.length) {
      throw new TypeError(
        `WebAssembly.Exception: the tag takes ${types.length} values, got ${values.length}`,
      );
    }
    const regs = scratchRegisters(slotsOf(types) + 1);
    let s = 0;
    for (let i = 0; i < types.length; i++) {
      writeSlot(regs.i32, regs.f32, regs.refs, s, types[i], toWasm(types[i], values[i]));
      s += types[i] === 0x7b ? 2 : 1;
    }
    const words = readPayload(regs, 0, 0, types);
    const x = new WasmException(t, words, this);
    exceptionOfHost.set(this, x);
    const trace = options !== undefined && options !== null &&
      Boolean((options as ExceptionOptions).traceStack);
    stacks.set(this, trace ? new Error().stack?.replace(/^Error\n/, "") ?? "" : undefined);
  }

  /** Whether it is an exception of `tag`. */
  is(tag: Tag): boolean {
    return inner(this, "WebAssembly.Exception.is").tag === tagArg(tag, "WebAssembly.Exception.is");
  }

  /** Payload value `index` (TypeError when `tag` is not its tag, RangeError past the payload). */
  getArg(tag: Tag, index: number): unknown {
    const x = inner(this, "WebAssembly.Exception.getArg");
    if (x.tag !== tagArg(tag, "WebAssembly.Exception.getArg")) {
      throw new TypeError("WebAssembly.Exception.getArg: not an exception of that tag");
    }
    const i = enforceU32(index, "WebAssembly.Exception.getArg: index");
    const types = x.tag.type.params;
    if (i >= types.length) {
      throw new RangeError(`WebAssembly.Exception.getArg: index ${i} is past the payload`);
    }
    const regs = scratchRegisters(slotsOf(types) + 1);
    let w = 0;
    for (let k = 0; k < i; k++) w += wordsOf(types[k]);
    const t = types[i];
    if (isNumeric(t)) {
      for (let k = 0; k < wordsOf(t); k++) regs.i32[k] = x.payload[w + k] as number;
    } else regs.refs[0] = x.payload[w];
    return readSlot(regs.i32, regs.f32, regs.refs, 0, t);
  }

  /** The JS stack where it was created, when asked for (`traceStack`), else undefined. */
  get stack(): string | undefined {
    inner(this, "WebAssembly.Exception.stack");
    return stacks.get(this);
  }
}

Object.defineProperty(Exception.prototype, Symbol.toStringTag, {
  value: "WebAssembly.Exception",
  configurable: true,
});

function isNumeric(t: number): boolean {
  return t >= 0x7b && t <= 0x7f;
}

function wordsOf(t: number): number {
  return t === 0x7b ? 4 : t === 0x7e || t === 0x7c ? 2 : 1;
}

/**
 * What JS sees of an exception leaving wasm: the value JS threw for a JS
 * exception (or the payload of one wasm threw with the JS tag), else the
 * exception's Exception object (created once). Anything else (traps, host
 * errors) passes unchanged.
 */
export function toJsException(e: unknown): unknown {
  if (!(e instanceof WasmException)) return e;
  if (e.fromJs) return e.host;
  if (e.tag === JS_TAG) return jsValueOf(e.payload[0]);
  if (e.host === undefined) {
    const o = Object.create(Exception.prototype) as Exception;
    exceptionOfHost.set(o, e);
    stacks.set(o, undefined);
    e.host = o;
  }
  return e.host;
}
