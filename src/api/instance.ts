/**
 * `WebAssembly.Instance` and `WebAssembly.instantiate`: resolving the
 * import object (TypeError / LinkError as the JS API specifies), creating
 * the instance, and the frozen exports object.
 *
 * @module
 */

import type { ImportDesc } from "../binary/types.ts";
import { LinkError } from "../errors.ts";
import { exportedFunction, funcInstOf, invoke } from "./exported.ts";
import { hostFunction } from "./host.ts";
import { suspendingFunction } from "./jspi.ts";
import { GlobalInst } from "../runtime/globals.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import type { StoreState } from "../runtime/store.ts";
import { canonOf, checkImport, type ExternVal, instantiateModule } from "../runtime/instantiate.ts";
import type { ModuleContext } from "../validate/context.ts";
import { globalOf, memOf, tableOf } from "./_internals.ts";
import { wrapGlobal, writeGlobal } from "./global.ts";
import { wrapMemory } from "./memory.ts";
import { type BytesSource, Module, moduleInternals, type ModuleOptions } from "./module.ts";
import { type Store, storeState } from "./store.ts";
import { wrapTable } from "./table.ts";
import { tagInstOf, wrapTag } from "./tag.ts";

const stateOf = new WeakMap<object, InstanceState>();
const moduleOf = new WeakMap<object, Module>();

/** The module an Instance was made from (for snapshots). */
export function instanceModule(i: Instance): Module {
  const m = moduleOf.get(i);
  if (m === undefined) throw new TypeError("not a Gannet Instance");
  return m;
}

/** Whether the start function runs (not when a snapshot is restored: its effects are saved). */
let runStart = true;

/**
 * Instantiates without running the start function, for restoring a
 * snapshot, whose memory and globals already hold the start function's
 * effects.
 */
export function instantiateWithoutStart(
  module: Module,
  importObject: object | undefined,
  options: InstanceOptions | undefined,
): Instance {
  runStart = false;
  try {
    return new Instance(module, importObject, options);
  } finally {
    runStart = true;
  }
}

/** The runtime state behind an Instance (for the harness and embedders). */
export function instanceState(i: Instance): InstanceState {
  const s = stateOf.get(i);
  if (s === undefined) throw new TypeError("not a Gannet Instance");
  return s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

/** Resolves one import value to a runtime object (TypeError/LinkError). */
function resolveImport(
  ctx: ModuleContext,
  imp: { module: string; name: string; desc: ImportDesc },
  v: unknown,
): ExternVal {
  const where = `"${imp.module}"."${imp.name}"`;
  const d = imp.desc;
  switch (d.kind) {
    case 0: {
      if (typeof v !== "function") {
        // JSPI: a Suspending marker wraps the function.
        const s = suspendingFunction(v);
        if (s !== undefined) return hostFunction(s, ctx.types[d.type], true);
        throw new LinkError(`import ${where} must be a function`);
      }
      const f = funcInstOf(v);
      if (f !== undefined) return f;
      return hostFunction(v as (...args: unknown[]) => unknown, ctx.types[d.type]);
    }
    case 1: {
      const t = isObject(v) ? tableOf.get(v) : undefined;
      if (t === undefined) throw new LinkError(`import ${where} must be a WebAssembly.Table`);
      return t;
    }
    case 2: {
      const m = isObject(v) ? memOf.get(v) : undefined;
      if (m === undefined) throw new LinkError(`import ${where} must be a WebAssembly.Memory`);
      return m;
    }
    case 3: {
      const g = isObject(v) ? globalOf.get(v) : undefined;
      if (g !== undefined) return g;
      const t = d.type.type;
      if (t === 0x7e ? typeof v !== "bigint" : (t <= 0x7f && t >= 0x7c && typeof v !== "number")) {
        throw new LinkError(
          `import ${where} must be a ${t === 0x7e ? "BigInt" : "Number"} or a Global`,
        );
      }
      if (t === 0x7b) throw new LinkError(`import ${where}: v128 globals cannot come from JS`);
      if (d.type.mutable) throw new LinkError(`import ${where}: a mutable global must be a Global`);
      const gi = new GlobalInst({ ...d.type, type: canonOf(ctx, d.type.type) });
      writeGlobal(gi, v);
      return gi;
    }
    default: {
      const t = tagInstOf(v);
      if (t === undefined) throw new LinkError(`import ${where} must be a WebAssembly.Tag`);
      return t;
    }
  }
}

/**
 * Options of {@link Instance} and {@link instantiate} (beside the module
 * options when compiling too).
 *
 * @example
 * ```ts
 * import { Instance, type InstanceOptions, Module, parseWat, Store } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const options: InstanceOptions = { store: new Store({ fuel: 1000 }) };
 * const instance = new Instance(new Module(parseWat(`(module)`)), {}, options);
 * assert.deepEqual(Object.keys(instance.exports), []);
 * ```
 */
export interface InstanceOptions {
  /** The store the instance belongs to (fuel, deadlines, limits); default: one with no controls. */
  store?: Store;
}

/** The store state named by instance options (TypeError for a bad one). */
function storeOption(options: unknown, api: string): StoreState | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== "object") throw new TypeError(`${api}: options must be an object`);
  const store = (options as InstanceOptions).store;
  return store === undefined ? undefined : storeState(store, api);
}

/**
 * An instantiated module.
 *
 * @example
 * ```ts
 * import { Instance, Module, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module
 *   (import "env" "twice" (func $twice (param i32) (result i32)))
 *   (func (export "quadruple") (param i32) (result i32)
 *     (call $twice (call $twice (local.get 0)))))`));
 * const instance = new Instance(module, { env: { twice: (x: number) => 2 * x } });
 * const quadruple = instance.exports.quadruple as (x: number) => number;
 * assert.equal(quadruple(5), 20);
 * ```
 */
export class Instance {
  /** The exports object (frozen, null prototype). */
  readonly exports!: Record<string, unknown>;

  /**
   * Instantiates `module` with `importObject`: TypeError for a missing import
   * namespace, LinkError for a bad import, RuntimeError when a segment does
   * not fit or the start function traps. `options.store` puts it in a
   * {@link Store}.
   */
  constructor(module: Module, importObject?: object, options?: InstanceOptions) {
    if (new.target === undefined) {
      throw new TypeError("WebAssembly.Instance must be called with new");
    }
    // Read once: import getters may create other instances, which do run theirs.
    const start = runStart;
    runStart = true;
    if (!(module instanceof Module)) {
      throw new TypeError("WebAssembly.Instance: Argument 0 must be a WebAssembly.Module");
    }
    const c = moduleInternals(module);
    const m = c.struct;
    if (m.imports.length > 0 && !isObject(importObject)) {
      throw new TypeError(
        "WebAssembly.Instance: Argument 1 must be an object (the module has imports)",
      );
    }
    if (importObject !== undefined && !isObject(importObject)) {
      throw new TypeError("WebAssembly.Instance: Argument 1 must be an object");
    }
    const store = storeOption(options, "WebAssembly.Instance");
    const values: ExternVal[] = [];
    for (const imp of m.imports) {
      const ns = (importObject as Record<string, unknown>)[imp.module];
      if (!isObject(ns)) {
        throw new TypeError(`WebAssembly.Instance: import module "${imp.module}" is not an object`);
      }
      const v = resolveImport(c.info.context, imp, ns[imp.name]);
      checkImport(c.info.context, imp, v);
      values.push(v);
    }
    const state = instantiateModule(m, c.info.context, c.features, values, store);
    stateOf.set(this, state);
    moduleOf.set(this, module);
    if (m.start !== null && start) invoke(state.funcs[m.start], []);
    const exports: Record<string, unknown> = Object.create(null);
    for (const e of m.exports) {
      switch (e.kind) {
        case 0:
          exports[e.name] = exportedFunction(state.funcs[e.index]);
          break;
        case 1:
          exports[e.name] = wrapTable(state.tables[e.index]);
          break;
        case 2:
          exports[e.name] = wrapMemory(state.memories[e.index]);
          break;
        case 3:
          exports[e.name] = wrapGlobal(state.globals[e.index]);
          break;
        case 4:
          exports[e.name] = wrapTag(state.tags[e.index]);
          break;
      }
    }
    Object.freeze(exports);
    Object.defineProperty(this, "exports", {
      value: exports,
      enumerable: true,
      configurable: true,
    });
  }
}

Object.defineProperty(Instance.prototype, Symbol.toStringTag, {
  value: "WebAssembly.Instance",
  configurable: true,
});

/**
 * The result of instantiating bytes.
 *
 * @example
 * ```ts
 * import { instantiate, Module, parseWat, type WebAssemblyInstantiatedSource } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const result: WebAssemblyInstantiatedSource = await instantiate(
 *   parseWat(`(module (func (export "f")))`),
 * );
 * assert.ok(result.module instanceof Module);
 * assert.deepEqual(Object.keys(result.instance.exports), ["f"]);
 * ```
 */
export interface WebAssemblyInstantiatedSource {
  /** The compiled module. */
  module: Module;
  /** Its instance. */
  instance: Instance;
}

/**
 * Compiles and instantiates `bytes`.
 *
 * @example
 * ```ts
 * import { instantiate, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const bytes = parseWat(`(module
 *   (global $n (mut i32) (i32.const 0))
 *   (func (export "next") (result i32)
 *     (global.set $n (i32.add (global.get $n) (i32.const 1)))
 *     (global.get $n)))`);
 * const { module, instance } = await instantiate(bytes);
 * const next = instance.exports.next as () => number;
 * assert.equal(next(), 1);
 * assert.equal(next(), 2);
 * // A second instance of the compiled module has its own state.
 * const other = await instantiate(module);
 * assert.equal((other.exports.next as () => number)(), 1);
 * ```
 */
export function instantiate(
  bytes: BytesSource,
  importObject?: object,
  options?: ModuleOptions & InstanceOptions,
): Promise<WebAssemblyInstantiatedSource>;
/**
 * Instantiates a compiled module.
 *
 * @example
 * ```ts
 * import { compile, Instance, instantiate, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = await compile(parseWat(`(module (func (export "f")))`));
 * const [a, b] = await Promise.all([instantiate(module), instantiate(module)]);
 * assert.ok(a instanceof Instance && b instanceof Instance && a !== b);
 * ```
 */
export function instantiate(
  module: Module,
  importObject?: object,
  options?: InstanceOptions,
): Promise<Instance>;
export function instantiate(
  source: BytesSource | Module,
  importObject?: object,
  options?: ModuleOptions & InstanceOptions,
): Promise<WebAssemblyInstantiatedSource | Instance> {
  return new Promise((resolve, reject) => {
    try {
      if (source instanceof Module) {
        const m = source;
        // Instantiation is queued, as in the JS API.
        queueMicrotask(() => {
          try {
            resolve(new Instance(m, importObject, options));
          } catch (e) {
            reject(e);
          }
        });
        return;
      }
      const module = new Module(source, options);
      queueMicrotask(() => {
        try {
          resolve({ module, instance: new Instance(module, importObject, options) });
        } catch (e) {
          reject(e);
        }
      });
    } catch (e) {
      reject(e);
    }
  });
}
