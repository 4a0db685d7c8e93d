/**
 * Runs a module the way binaryen's fuzzing shell does, on any engine with
 * the JS `WebAssembly` API's shape (Gannet's or the host's): instantiate
 * with the `fuzzing-support` imports, call every export in order (with
 * values of its parameter types; `call-export` from wasm passes `null`s, as
 * binaryen's shell does), and record a trace — logged values, results,
 * exceptions (class and message, compared later by `compare.ts`), the
 * exported globals' values and, at the end, every memory's bytes and every
 * table's entries (the exports `augment.ts` added).
 *
 * The imports follow binaryen's `scripts/fuzz_shell.js` (logging, `throw`,
 * `table-get`/`table-set`, `call-export[-catch]`, `call-ref[-catch]`,
 * `sleep`, externref globals with a payload), written here from their
 * description.
 *
 * @module
 */
import process from "node:process";
import { STATE_EXPORT_PREFIX } from "./augment.ts";
import { exportParams } from "./signatures.ts";

/** Argument values by parameter type, for the top-level calls (NaN-free: see `wasm_case.ts`). */
const ARGUMENTS: Readonly<Record<string, readonly unknown[]>> = {
  i32: [0, 1, -1, 42, 0x7fffffff, -0x80000000, 65536, 7],
  i64: [0n, 1n, -1n, 42n, (1n << 63n) - 1n, -(1n << 63n), 1n << 32n, 7n],
  f32: [0, -0, 1.5, -1e10, 3.4e38, Infinity, -Infinity, 0.1],
  f64: [0, -0, 1.5, -1e300, 1.7e308, Infinity, -Infinity, 0.1],
};

/** Arguments for export number `k`: typed values where the type is known, else null. */
function argumentsFor(params: readonly string[] | undefined, length: number, k: number): unknown[] {
  return Array.from({ length }, (_, i) => {
    const pool = params === undefined ? undefined : ARGUMENTS[params[i]];
    return pool === undefined ? null : pool[(k * 5 + i * 3) % pool.length];
  });
}

/** The parts of a `WebAssembly` namespace the harness uses. */
export interface EngineApi {
  /** Short name for reports: "gannet", "v8", "jsc". */
  name: string;
  // deno-lint-ignore no-explicit-any
  Module: any;
  // deno-lint-ignore no-explicit-any
  Instance: any;
  // deno-lint-ignore no-explicit-any
  RuntimeError: any;
  // deno-lint-ignore no-explicit-any
  Global: any;
  /** Present once the engine has exception handling. */
  // deno-lint-ignore no-explicit-any
  Tag?: any;
  // deno-lint-ignore no-explicit-any
  Exception?: any;
  JSTag?: unknown;
}

/** What one engine did with one module. */
export interface Trace {
  /** The engine's name. */
  engine: string;
  /** Calls, logs, results and exceptions, in order. */
  lines: string[];
  /** Final memory contents, by export name. */
  memories: Record<string, Uint8Array>;
}

/** Prints a JS value that crossed the boundary, the same way for every engine. */
export function printed(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  switch (typeof x) {
    case "number":
      return Object.is(x, -0) ? "-0" : String(x);
    case "bigint":
      return `${x}n`;
    case "string":
      return JSON.stringify(x);
    case "function":
      return "function";
    case "object": {
      if (Object.hasOwn(x, "payload")) return `externref(${(x as { payload: number }).payload})`;
      if (x instanceof Error) return "jserror";
      return "object";
    }
    default:
      return typeof x;
  }
}

/**
 * Whether `x` is a GC struct or array as JS sees it: opaque, without
 * prototype, not extensible. Its JSON is not compared: the JS API's rules
 * give `{}`, V8 gives `undefined`.
 */
function isWasmObject(x: unknown): boolean {
  return typeof x === "object" && x !== null && Object.getPrototypeOf(x) === null &&
    !Object.isExtensible(x);
}

/**
 * The message and class of anything thrown, as a trace line; a
 * `WebAssembly.Exception` with the harness's tag shows its payload.
 */
export function thrown(e: unknown, api?: EngineApi, tag?: unknown): string {
  if (e instanceof Error) {
    const name = e.constructor?.name ?? e.name;
    return `exception ${name}: ${e.message}`;
  }
  if (api?.Exception !== undefined && e instanceof api.Exception) {
    const x = e as { is(t: unknown): boolean; getArg(t: unknown, i: number): unknown };
    return tag !== undefined && x.is(tag)
      ? `exception WebAssembly.Exception: wasmtag ${printed(x.getArg(tag, 0))}`
      : "exception WebAssembly.Exception: another tag";
  }
  return `exception ${printed(e)}`;
}

/**
 * The imports' parameter types (n: a number type, j: i64, v: v128, r: a
 * reference). JavaScriptCore hands wasm the original JS function back when
 * an imported function is taken as a funcref (the JS API says: an Exported
 * Function, which converts its arguments), so calling it from JS passes the
 * `null`s through unconverted. On JSC the imports convert a `null` (which
 * wasm never passes for a number) themselves.
 */
const HOST_PARAMS: Readonly<Record<string, string>> = {
  "log-i32": "n",
  "log-i64": "j",
  "log-f32": "n",
  "log-f64": "n",
  "log-v128": "v",
  "log-anyref": "r",
  "log-funcref": "r",
  "log-contref": "r",
  "log-externref": "r",
  "throw": "n",
  "table-get": "n",
  "table-set": "nr",
  "call-export": "nn",
  "call-export-catch": "n",
  "call-ref": "rn",
  "call-ref-catch": "r",
  "sleep": "nn",
  "log-branch": "nnn",
};

/** The arguments after ToWebAssemblyValue of any `null` passed for a number. */
function jscHostArguments(kinds: string, args: unknown[]): unknown[] {
  if (!args.some((a, i) => a === null && kinds[i] !== "r")) return args;
  if (kinds.includes("v")) throw new TypeError("type incompatibility when transforming from/to JS");
  if (kinds.includes("j")) throw new TypeError("Cannot convert null to a BigInt");
  return args.map((a, i) => (a === null && kinds[i] === "n" ? 0 : a));
}

/** Host limits: after one of these the two engines cannot be compared. */
export function isHostLimit(line: string): boolean {
  return line.includes("Maximum call stack size exceeded") ||
    line.includes("call stack exhausted") || line.includes("out of memory") ||
    line.includes("Out of memory") || line.includes("RangeError: Array buffer allocation failed");
}

function payloadFor(module: string, name: string): { payload: number } {
  let payload = 0;
  for (const s of [module, name]) {
    for (const c of s) payload = (payload + c.charCodeAt(0)) % 251;
  }
  return { payload };
}

/**
 * Instantiates `bytes` on `api` and calls every export. `exceptions` says
 * whether the module may use exception handling (then the `throw` import
 * throws a real `WebAssembly.Exception`).
 */
export function runModule(api: EngineApi, bytes: Uint8Array, exceptions: boolean): Trace {
  const lines: string[] = [];
  const trace: Trace = { engine: api.name, lines, memories: {} };
  const log = (s: string) => lines.push(s);
  const exportList: { name: string; value: unknown }[] = [];
  const exportsByName: Record<string, unknown> = {};
  const useTags = exceptions && api.Tag !== undefined;
  const wasmTag = useTags ? new api.Tag({ parameters: ["i32"] }) : undefined;

  const logRef = (ref: unknown) => {
    let json: string;
    try {
      json = isWasmObject(ref) ? "wasm-object" : String(JSON.stringify(ref));
    } catch (e) {
      json = `<${(e as Error).constructor?.name}>`;
    }
    log(`log ${printed(ref)} json=${json}`);
  };
  const callFunc = (f: unknown) => {
    if (typeof f !== "function") throw new TypeError("not a function");
    return Reflect.apply(f, undefined, new Array(f.length).fill(null));
  };
  const tryCall = (f: () => unknown, rethrow: boolean): number => {
    try {
      f();
      return 0;
    } catch (e) {
      // Traps are not swallowed, nor host limits; other exceptions are.
      if (e instanceof api.RuntimeError) throw e;
      if (isHostLimit(thrown(e))) throw e;
      if (rethrow) throw e;
      return 1;
    }
  };
  const tableIndex = (table: { length: unknown }, index: number) =>
    typeof table.length === "bigint" ? BigInt(index >>> 0) : index >>> 0;
  const table = () =>
    exportsByName["table"] as {
      length: unknown;
      get(i: unknown): unknown;
      set(i: unknown, v: unknown): void;
    };

  const support: Record<string, unknown> = {
    "log-i32": (x: unknown) => log(`log ${printed(x)}`),
    "log-i64": (x: unknown) => log(`log ${printed(x)}`),
    "log-f32": (x: unknown) => log(`log ${printed(x)}`),
    "log-f64": (x: unknown) => log(`log ${printed(x)}`),
    "log-v128": (x: unknown) => log(`log ${printed(x)}`),
    "log-anyref": logRef,
    "log-funcref": logRef,
    "log-contref": logRef,
    "log-externref": logRef,
    "throw": (which: number) => {
      if (!which || wasmTag === undefined) throw new Error(`js exception ${which}`);
      throw new api.Exception(wasmTag, [which]);
    },
    "table-get": (i: number) => table().get(tableIndex(table(), i)),
    "table-set": (i: number, v: unknown) => table().set(tableIndex(table(), i), v),
    "call-export": (index: number, flags: number) => {
      const f = exportList[index]?.value;
      if (flags & 1) tryCall(() => callFunc(f), true);
      else callFunc(f);
    },
    "call-export-catch": (index: number) =>
      tryCall(() => callFunc(exportList[index]?.value), false),
    "call-ref": (ref: unknown, flags: number) => {
      if (flags & 1) tryCall(() => callFunc(ref), true);
      else callFunc(ref);
    },
    "call-ref-catch": (ref: unknown) => tryCall(() => callFunc(ref), false),
    "sleep": (_ms: number, id: number) => id,
    "log-branch": (actual: number, expected: number, id: number) => {
      log(`log-branch ${actual} ${expected} ${id}`);
      return actual;
    },
  };
  if (api.name === "jsc") {
    for (const [name, kinds] of Object.entries(HOST_PARAMS)) {
      const f = support[name] as (...args: unknown[]) => unknown;
      support[name] = (...args: unknown[]) => f(...jscHostArguments(kinds, args));
    }
  }
  if (wasmTag !== undefined) {
    support["wasmtag"] = wasmTag;
    if (api.JSTag !== undefined) support["jstag"] = api.JSTag;
  }
  let tempRet0 = 0;
  const imports: Record<string, Record<string, unknown>> = {
    "fuzzing-support": support,
    "env": {
      setTempRet0: (x: number) => void (tempRet0 = x),
      getTempRet0: () => tempRet0,
    },
  };

  let instance: { exports: Record<string, unknown> };
  let module: unknown;
  try {
    module = new api.Module(bytes);
    for (
      const imp of api.Module.imports(module) as { module: string; name: string; kind: string }[]
    ) {
      if (imp.kind !== "global") continue;
      imports[imp.module] ??= {};
      imports[imp.module][imp.name] ??= payloadFor(imp.module, imp.name);
    }
    instance = new api.Instance(module, imports);
  } catch (e) {
    log(`instantiate ${thrown(e)}`);
    return trace;
  }
  const exports = api.Module.exports(module) as { name: string; kind: string }[];
  for (const e of exports) {
    exportsByName[e.name] = instance.exports[e.name];
    exportList.push({ name: e.name, value: instance.exports[e.name] });
  }

  const params = exportParams(bytes);
  // GANNET_FUZZ_ROUNDS=2 calls every export a second time: a JIT compiles a
  // callee on its first call and calls it directly from then on (fuzz seed
  // 20144 diverged only there).
  const rounds = Math.max(1, Number(process.env.GANNET_FUZZ_ROUNDS ?? 1));
  for (let round = 0; round < rounds; round++) {
    for (const [k, { name, kind }] of exports.entries()) {
      const value = instance.exports[name];
      if (kind === "global") {
        let v: unknown;
        try {
          v = (value as { value: unknown }).value;
        } catch (e) {
          log(`global ${name} ${thrown(e)}`);
          continue;
        }
        log(`global ${name} ${printed(v)}`);
        continue;
      }
      if (kind !== "function") continue;
      log(`call ${name}`);
      try {
        const f = value as (...args: unknown[]) => unknown;
        const result = f(...argumentsFor(params.get(name), f.length, k));
        if (result !== undefined) log(`result ${name} ${printed(result)}`);
      } catch (e) {
        const line = thrown(e, api, wasmTag);
        log(line);
        if (isHostLimit(line)) return trace;
      }
    }
  }

  for (const { name, kind } of exports) {
    if (!name.startsWith(STATE_EXPORT_PREFIX)) continue;
    const value = instance.exports[name];
    if (kind === "memory") {
      trace.memories[name] = new Uint8Array((value as { buffer: ArrayBufferLike }).buffer).slice();
    } else if (kind === "table") {
      const t = value as { length: number | bigint; get(i: unknown): unknown };
      const n = Number(t.length);
      const entries: string[] = [];
      for (let i = 0; i < n; i++) {
        try {
          entries.push(printed(t.get(typeof t.length === "bigint" ? BigInt(i) : i)));
        } catch (e) {
          entries.push(thrown(e));
        }
      }
      log(`table ${name} ${n} [${entries.join(",")}]`);
    }
  }
  return trace;
}
