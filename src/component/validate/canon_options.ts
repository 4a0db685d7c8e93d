/**
 * Canonical options (`string-encoding`, `memory`, `realloc`, `post-return`,
 * `async`, `callback`) and the core signature a component function type
 * lifts from or lowers to (CanonicalABI.md "Flattening"), with the checks
 * that a `memory` or `realloc` is given when values must travel through
 * linear memory.
 *
 * @module
 */
import type {
  FuncType as CoreFuncType,
  Limits,
  ValType as CoreValType,
} from "../../binary/types.ts";
import type { CanonOpt, StringEncoding } from "../binary/model.ts";
import { invalid } from "./errors.ts";
import { memorySubtype } from "./core_subtype.ts";
import type { DefinedType, FuncType, ValType } from "./types.ts";
import {
  F32,
  F64,
  flagWords,
  I32,
  I64,
  joinFlat,
  MAX_FLAT_ASYNC_PARAMS,
  MAX_FLAT_PARAMS,
  MAX_FLAT_RESULTS,
} from "../layout_rules.ts";

/** The validated options of a canonical definition. */
export interface CanonOptions {
  stringEncoding: StringEncoding;
  memory: number | null;
  realloc: number | null;
  postReturn: number | null;
  async: boolean;
  callback: number | null;
  offset: number;
}

/** What option checks need from the component. */
export interface OptionsContext {
  coreFunc(index: number, offset: number): CoreFuncType;
  memory(index: number, offset: number): Limits;
}

/** Checks a canonical ABI memory: a plain (unshared) 32-bit memory. */
export function checkCabiMemory(l: Limits, offset: number): void {
  if (l.index64) invalid(offset, "64-bit memories require the `cm64` feature to be enabled");
  memorySubtype(l, { min: 0n, max: null, shared: false, index64: false }, offset);
}

const OPTION_NAME: Readonly<Record<CanonOpt["kind"], string>> = {
  "string-encoding": "string-encoding",
  memory: "memory",
  realloc: "realloc",
  "post-return": "post-return",
  async: "async",
  callback: "callback",
  "core-type": "core-type",
  gc: "gc",
};

/** Validates a list of options: no duplicates or conflicts, a well-typed `realloc`. */
export function checkOptions(
  cx: OptionsContext,
  opts: readonly CanonOpt[],
  offset: number,
): CanonOptions {
  const o: CanonOptions = {
    stringEncoding: "utf8",
    memory: null,
    realloc: null,
    postReturn: null,
    async: false,
    callback: null,
    offset,
  };
  let encoding: StringEncoding | null = null;
  for (const opt of opts) {
    switch (opt.kind) {
      case "string-encoding":
        if (encoding !== null) {
          const show = (e: StringEncoding) => e === "latin1+utf16" ? "latin1-utf16" : e;
          invalid(
            offset,
            `canonical encoding option \`${show(encoding)}\` conflicts with option \`${
              show(opt.encoding)
            }\``,
          );
        }
        encoding = opt.encoding;
        break;
      case "memory":
        if (o.memory !== null) {
          invalid(offset, "canonical option `memory` is specified more than once");
        }
        checkCabiMemory(cx.memory(opt.index, offset), offset);
        o.memory = opt.index;
        break;
      case "realloc":
      case "post-return":
      case "callback": {
        const key = opt.kind === "realloc"
          ? "realloc"
          : opt.kind === "post-return"
          ? "postReturn"
          : "callback";
        if (o[key] !== null) {
          invalid(
            offset,
            `canonical option \`${OPTION_NAME[opt.kind]}\` is specified more than once`,
          );
        }
        o[key] = opt.index;
        break;
      }
      case "async":
        if (o.async) invalid(offset, "canonical option `async` is specified more than once");
        o.async = true;
        break;
      case "core-type":
        invalid(offset, "canonical option `core type` requires the component model gc feature");
        break;
      case "gc":
        invalid(offset, "canonical option `gc` requires the `cm-gc` feature");
    }
  }
  o.stringEncoding = encoding ?? "utf8";
  if (!o.async && o.callback !== null) invalid(offset, "cannot specify callback without async");
  if (o.async && o.postReturn !== null) {
    invalid(offset, "cannot specify post-return function in async");
  }
  if (o.realloc !== null) {
    if (o.memory === null) {
      invalid(offset, "canonical option `realloc` requires `memory` to also be specified");
    }
    const t = cx.coreFunc(o.realloc, offset);
    if (
      t.params.length !== 4 || t.params.some((p) => p !== I32) || t.results.length !== 1 ||
      t.results[0] !== I32
    ) {
      invalid(
        offset,
        "canonical option `realloc` uses a core function with an incorrect signature",
      );
    }
  }
  return o;
}

/** Fails unless a `memory` was given. */
export function requireMemory(o: CanonOptions): void {
  if (o.memory === null) invalid(o.offset, "canonical option `memory` is required");
}

/** Fails unless `memory` and `realloc` were given. */
export function requireRealloc(o: CanonOptions): void {
  requireMemory(o);
  if (o.realloc === null) invalid(o.offset, "canonical option `realloc` is required");
}

/** Options that lowerings forbid. */
export function checkLower(o: CanonOptions): void {
  if (o.postReturn !== null) {
    invalid(o.offset, "canonical option `post-return` cannot be specified for lowerings");
  }
  if (o.async && o.callback !== null) {
    invalid(o.offset, "canonical option `callback` cannot be specified for lowerings");
  }
}

/** True when a value of this type holds a pointer (a string or a list). */
export function containsPtr(t: ValType): boolean {
  if (typeof t === "string") return t === "string";
  switch (t.kind) {
    case "prim":
      return t.type === "string";
    case "record":
      return t.fields.some(([, f]) => containsPtr(f));
    case "variant":
      return t.cases.some(([, c]) => c !== null && containsPtr(c));
    case "list":
      return t.length === null ? true : containsPtr(t.element);
    case "map":
      return true;
    case "tuple":
      return t.types.some(containsPtr);
    case "option":
      return containsPtr(t.type);
    case "result":
      return (t.ok !== null && containsPtr(t.ok)) || (t.err !== null && containsPtr(t.err));
    default:
      return false;
  }
}

/** A bounded list of flattened core types; `push` fails once full. */
class Flat {
  readonly types: CoreValType[] = [];
  max: number;
  constructor(max: number) {
    this.max = max;
  }
  push(t: number): boolean {
    if (this.types.length >= this.max) return false;
    this.types.push(t as CoreValType);
    return true;
  }
}

function pushPrim(p: string, out: Flat): boolean {
  switch (p) {
    case "s64":
    case "u64":
      return out.push(I64);
    case "f32":
      return out.push(F32);
    case "f64":
      return out.push(F64);
    case "string":
      return out.push(I32) && out.push(I32);
    default:
      return out.push(I32);
  }
}

function pushVariant(cases: (ValType | null)[], out: Flat): boolean {
  if (!out.push(I32)) return false;
  const start = out.types.length;
  for (const c of cases) {
    if (c === null) continue;
    const tmp = new Flat(out.max);
    if (!pushFlat(c, tmp)) return false;
    for (let i = 0; i < tmp.types.length; i++) {
      const at = start + i;
      if (at < out.types.length) {
        out.types[at] = joinFlat(out.types[at], tmp.types[i]) as CoreValType;
      } else if (!out.push(tmp.types[i])) return false;
    }
  }
  return true;
}

function pushDefined(t: DefinedType, out: Flat): boolean {
  switch (t.kind) {
    case "prim":
      return pushPrim(t.type, out);
    case "record":
      return t.fields.every(([, f]) => pushFlat(f, out));
    case "variant":
      return pushVariant(t.cases.map(([, c]) => c), out);
    case "list":
      if (t.length === null) return out.push(I32) && out.push(I32);
      for (let i = 0; i < t.length; i++) if (!pushFlat(t.element, out)) return false;
      return true;
    case "map":
      return out.push(I32) && out.push(I32);
    case "tuple":
      return t.types.every((x) => pushFlat(x, out));
    case "flags":
      for (let i = 0; i < flagWords(t.names.length); i++) if (!out.push(I32)) return false;
      return true;
    case "option":
      return pushVariant([t.type], out);
    case "result":
      return pushVariant([t.ok, t.err], out);
    default:
      return out.push(I32);
  }
}

/** Flattens `t` into `out`; false when it does not fit. */
export function pushFlat(t: ValType, out: Flat): boolean {
  return typeof t === "string" ? pushPrim(t, out) : pushDefined(t, out);
}

/**
 * The core signature of a component function: lifted (`abi` "lift", an
 * export) or lowered (an import), checking that the options allow it.
 */
export function lowerFuncType(ft: FuncType, o: CanonOptions, abi: "lift" | "lower"): CoreFuncType {
  const params = new Flat(abi === "lower" && o.async ? MAX_FLAT_ASYNC_PARAMS : MAX_FLAT_PARAMS);
  const results = new Flat(MAX_FLAT_RESULTS);
  for (const [, t] of ft.params) {
    if (containsPtr(t)) {
      if (abi === "lower") requireMemory(o);
      else requireRealloc(o);
    }
    if (!pushFlat(t, params)) {
      params.types.length = 0;
      params.push(I32);
      requireMemory(o);
      if (abi === "lift") requireRealloc(o);
      break;
    }
  }
  if (ft.result !== null && abi === "lower" && containsPtr(ft.result)) requireRealloc(o);
  if (!o.async) {
    if (ft.result !== null && !pushFlat(ft.result, results)) {
      results.types.length = 0;
      requireMemory(o);
      if (abi === "lower") {
        params.max = MAX_FLAT_PARAMS + 1;
        params.push(I32);
      } else {
        results.push(I32);
      }
    }
  } else if (abi === "lower") {
    if (ft.result !== null) {
      params.max = MAX_FLAT_PARAMS + 1;
      params.push(I32);
      requireMemory(o);
    }
    results.push(I32);
  } else {
    if (ft.result !== null) {
      const overflow = !pushFlat(ft.result, new Flat(MAX_FLAT_PARAMS));
      if (overflow || containsPtr(ft.result)) requireMemory(o);
    }
    if (o.callback !== null) results.push(I32);
  }
  return { params: params.types, results: results.types };
}

/** A lowered signature as wasm-tools prints it in messages: `[I32, I64]`. */
export function showTypes(ts: readonly number[]): string {
  const name = (t: number) =>
    t === I32
      ? "I32"
      : t === I64
      ? "I64"
      : t === F32
      ? "F32"
      : t === F64
      ? "F64"
      : t === 0x7b
      ? "V128"
      : "Ref";
  return `[${ts.map(name).join(", ")}]`;
}
