/**
 * `Module`, `validate` and `compile` of the JS `WebAssembly` API, over
 * Gannet's decoder and validator.
 *
 * Default features (when `options.features` is not given): every proposal
 * Gannet implements is on ({@link DEFAULT_FEATURES}) — wasm 2.0 plus
 * threads, memory64, multi-memory, extended-const, tail calls and relaxed
 * SIMD. That matches what wasmtime and current V8 accept by default, so
 * modules built for those hosts load unchanged. Pass
 * `{ features: WASM2_FEATURES }` (or a partial override) for strict 2.0.
 *
 * @module
 */
import { z } from "zod";
import { decodeModule } from "../binary/decode.ts";
import { ALL_FEATURES, type Features } from "../binary/features.ts";
import type { ModuleStruct } from "../binary/types.ts";
import { CompileError } from "../errors.ts";
import type { ValidationInfo } from "../validate/context.ts";
import { validateModule } from "../validate/validate_module.ts";

/** The features used when an API call names none: every proposal on. */
export const DEFAULT_FEATURES: Readonly<Features> = ALL_FEATURES;

/**
 * What the API accepts as module bytes: a BufferSource. Spelled out so that
 * typed arrays over any buffer type-check (TypeScript's `BufferSource` wants
 * an `ArrayBuffer`-backed view); a SharedArrayBuffer itself is still a
 * TypeError at run time, as in the JS API.
 *
 * @example
 * ```ts
 * import { type BytesSource, validate } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const header = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
 * const sources: BytesSource[] = [header, header.buffer, new DataView(header.buffer)];
 * for (const source of sources) assert.equal(validate(source), true);
 * ```
 */
export type BytesSource = ArrayBuffer | ArrayBufferView;

/**
 * Options accepted by {@link Module}, {@link validate} and {@link compile}.
 *
 * @example
 * ```ts
 * import { CompileError, Module, type ModuleOptions, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const bytes = parseWat(`(module (memory 1 1 shared))`);
 * new Module(bytes); // threads are on by default
 * const noThreads: ModuleOptions = { features: { threads: false } };
 * assert.throws(() => new Module(bytes, noThreads), CompileError);
 * ```
 */
export interface ModuleOptions {
  /** Proposals to switch on or off, over {@link DEFAULT_FEATURES}. */
  features?: Partial<Features>;
}

const featuresSchema = z.strictObject({
  relaxedSimd: z.boolean().optional(),
  threads: z.boolean().optional(),
  memory64: z.boolean().optional(),
  multiMemory: z.boolean().optional(),
  extendedConst: z.boolean().optional(),
  tailCall: z.boolean().optional(),
  exceptions: z.boolean().optional(),
  legacyExceptions: z.boolean().optional(),
  functionReferences: z.boolean().optional(),
  gc: z.boolean().optional(),
  componentModel: z.boolean().optional(),
});
// Not strict at the top level: JS API callers may pass compile options
// Gannet does not know (e.g. `builtins`), which must not be an error.
const optionsSchema = z.object({ features: featuresSchema.optional() }).optional();

/** Everything the engine knows about a compiled module. */
export interface CompiledModule {
  /** The module's bytes (Gannet's own copy; function bodies are views into it). */
  readonly bytes: Uint8Array;
  /** The decoded sections. */
  readonly struct: ModuleStruct;
  /** The features it was validated with. */
  readonly features: Readonly<Features>;
  /** Index spaces and per-function facts from validation. */
  readonly info: ValidationInfo;
}

/** Resolves API options to a full feature set (TypeError on bad options). */
export function resolveFeatures(options: unknown, api = "WebAssembly.Module"): Features {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? ` at options.${issue.path.join(".")}` : "";
    throw new TypeError(`${api}: invalid options${where}: ${issue.message}`);
  }
  return { ...DEFAULT_FEATURES, ...parsed.data?.features };
}

/**
 * Decodes and validates `bytes` (not copied: the caller must not change
 * them afterwards). Throws {@link CompileError}.
 */
export function compileBytes(bytes: Uint8Array, features: Readonly<Features>): CompiledModule {
  const struct = decodeModule(bytes, features);
  const info = validateModule(struct, features, bytes);
  return { bytes, struct, features, info };
}

/** Copies a BufferSource's bytes, or throws the JS API's TypeError. */
export function copyBufferSource(source: unknown, api: string): Uint8Array {
  const tag = Object.prototype.toString.call(source);
  if (tag === "[object ArrayBuffer]") return new Uint8Array((source as ArrayBuffer).slice(0));
  if (ArrayBuffer.isView(source)) {
    return new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice();
  }
  throw new TypeError(
    `${api}: Argument 0 must be a buffer source (an ArrayBuffer or a typed array)`,
  );
}

const KIND_NAMES: readonly ImportExportKind[] = ["function", "table", "memory", "global", "tag"];
/**
 * An import or export kind, as the JS API names it.
 *
 * @example
 * ```ts
 * import {
 *   type ImportExportKind,
 *   Module,
 *   type ModuleExportDescriptor,
 *   type ModuleImportDescriptor,
 *   parseWat,
 * } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module
 *   (import "env" "table" (table 1 funcref))
 *   (global (export "answer") i32 (i32.const 42)))`));
 * const imports: ModuleImportDescriptor[] = Module.imports(module);
 * const kinds: ImportExportKind[] = imports.map((i) => i.kind);
 * assert.deepEqual(kinds, ["table"]);
 * const exports: ModuleExportDescriptor[] = Module.exports(module);
 * assert.deepEqual(exports, [{ name: "answer", kind: "global" }]);
 * ```
 */
export type ImportExportKind = "function" | "table" | "memory" | "global" | "tag";

/**
 * One entry of {@link Module.imports}.
 *
 * @example
 * ```ts
 * import {
 *   type ImportExportKind,
 *   Module,
 *   type ModuleExportDescriptor,
 *   type ModuleImportDescriptor,
 *   parseWat,
 * } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module
 *   (import "env" "table" (table 1 funcref))
 *   (global (export "answer") i32 (i32.const 42)))`));
 * const imports: ModuleImportDescriptor[] = Module.imports(module);
 * const kinds: ImportExportKind[] = imports.map((i) => i.kind);
 * assert.deepEqual(kinds, ["table"]);
 * const exports: ModuleExportDescriptor[] = Module.exports(module);
 * assert.deepEqual(exports, [{ name: "answer", kind: "global" }]);
 * ```
 */
export interface ModuleImportDescriptor {
  /** The module name (the import's first name). */
  module: string;
  /** The field name (the import's second name). */
  name: string;
  /** What is imported. */
  kind: ImportExportKind;
}

/**
 * One entry of {@link Module.exports}.
 *
 * @example
 * ```ts
 * import {
 *   type ImportExportKind,
 *   Module,
 *   type ModuleExportDescriptor,
 *   type ModuleImportDescriptor,
 *   parseWat,
 * } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module
 *   (import "env" "table" (table 1 funcref))
 *   (global (export "answer") i32 (i32.const 42)))`));
 * const imports: ModuleImportDescriptor[] = Module.imports(module);
 * const kinds: ImportExportKind[] = imports.map((i) => i.kind);
 * assert.deepEqual(kinds, ["table"]);
 * const exports: ModuleExportDescriptor[] = Module.exports(module);
 * assert.deepEqual(exports, [{ name: "answer", kind: "global" }]);
 * ```
 */
export interface ModuleExportDescriptor {
  /** The export's name. */
  name: string;
  /** What is exported. */
  kind: ImportExportKind;
}

let internalsOf: (m: Module) => CompiledModule;
/** Set while {@link moduleFromCompiled} runs the constructor. */
let adopting: CompiledModule | null = null;
const ADOPT: unique symbol = Symbol("adopt");

/**
 * A compiled (decoded and validated) WebAssembly module.
 *
 * @example
 * ```ts
 * import { Module, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = new Module(parseWat(`(module
 *   (import "env" "log" (func (param i32)))
 *   (memory (export "memory") 1))`));
 * assert.deepEqual(Module.imports(module), [{ module: "env", name: "log", kind: "function" }]);
 * assert.deepEqual(Module.exports(module), [{ name: "memory", kind: "memory" }]);
 * ```
 */
export class Module {
  #compiled: CompiledModule;

  static {
    internalsOf = (m) => {
      if (!(#compiled in m)) throw new TypeError("not a Gannet Module");
      return m.#compiled;
    };
  }

  /**
   * Compiles `bytes` (copied first). Throws TypeError for a non-buffer
   * argument and {@link CompileError} for an invalid module.
   */
  constructor(bytes: BytesSource, options?: ModuleOptions) {
    if (new.target === undefined) throw new TypeError("WebAssembly.Module must be called with new");
    if ((bytes as unknown) === ADOPT && adopting !== null) {
      this.#compiled = adopting;
      adopting = null;
      return;
    }
    if (arguments.length < 1) {
      throw new TypeError("WebAssembly.Module: Argument 0 must be a buffer source");
    }
    const copy = copyBufferSource(bytes, "WebAssembly.Module");
    this.#compiled = compileBytes(copy, resolveFeatures(options));
  }

  /** The module's imports, in order. */
  static imports(moduleObject: Module): ModuleImportDescriptor[] {
    const c = checkModule(moduleObject, "WebAssembly.Module.imports");
    return c.struct.imports.map((i) => ({
      module: i.module,
      name: i.name,
      kind: KIND_NAMES[i.desc.kind],
    }));
  }

  /** The module's exports, in order. */
  static exports(moduleObject: Module): ModuleExportDescriptor[] {
    const c = checkModule(moduleObject, "WebAssembly.Module.exports");
    return c.struct.exports.map((e) => ({ name: e.name, kind: KIND_NAMES[e.kind] }));
  }

  /** Copies of the contents of every custom section called `sectionName`. */
  static customSections(moduleObject: Module, sectionName: string): ArrayBuffer[] {
    const c = checkModule(moduleObject, "WebAssembly.Module.customSections");
    if (arguments.length < 2) {
      throw new TypeError("WebAssembly.Module.customSections: Argument 1 is required");
    }
    const name = String(sectionName);
    return c.struct.customs.filter((s) => s.name === name).map((s) => s.data.slice().buffer);
  }
}

Object.defineProperty(Module.prototype, Symbol.toStringTag, {
  value: "WebAssembly.Module",
  configurable: true,
});

function checkModule(m: unknown, api: string): CompiledModule {
  if (!(m instanceof Module)) {
    throw new TypeError(`${api}: Argument 0 must be a WebAssembly.Module`);
  }
  return internalsOf(m);
}

/** The engine's view of a {@link Module}: structure, features, validation facts, bytes. */
export function moduleInternals(m: Module): CompiledModule {
  return internalsOf(m);
}

/**
 * True when `bytes` are a valid module under the given features. TypeError
 * for a non-buffer argument, as in the JS API.
 *
 * @example
 * ```ts
 * import { parseWat, validate } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * assert.equal(validate(parseWat(`(module (func (result i32) (i32.const 1)))`)), true);
 * // The function returns nothing but declares an i32 result.
 * assert.equal(validate(parseWat(`(module (func (result i32)))`)), false);
 * // Tail calls are on by default; off, the same module is invalid.
 * const tail = parseWat(`(module (func $f (return_call $f)))`);
 * assert.equal(validate(tail), true);
 * assert.equal(validate(tail, { features: { tailCall: false } }), false);
 * ```
 */
export function validate(bytes: BytesSource, options?: ModuleOptions): boolean {
  const copy = copyBufferSource(bytes, "WebAssembly.validate");
  const features = resolveFeatures(options, "WebAssembly.validate");
  try {
    compileBytes(copy, features);
    return true;
  } catch (e) {
    if (e instanceof CompileError) return false;
    throw e;
  }
}

/**
 * Wraps an already compiled module (from {@link compileBytes}) as a
 * {@link Module}, without decoding or validating again.
 */
export function moduleFromCompiled(compiled: CompiledModule): Module {
  adopting = compiled;
  try {
    return new Module(ADOPT as unknown as BytesSource);
  } finally {
    adopting = null;
  }
}

/**
 * Compiles `bytes` into a {@link Module}. As in the JS API, the bytes are
 * copied at once and compiled after the caller's synchronous code has run;
 * every error, the TypeError for a non-buffer argument included, is a
 * rejection.
 *
 * @example
 * ```ts
 * import { compile, Module, parseWat } from "@gannet/wasm";
 * import assert from "node:assert/strict";
 *
 * const module = await compile(parseWat(`(module (func (export "f")))`));
 * assert.ok(module instanceof Module);
 * assert.deepEqual(Module.exports(module), [{ name: "f", kind: "function" }]);
 * ```
 */
export async function compile(bytes: BytesSource, options?: ModuleOptions): Promise<Module> {
  const copy = copyBufferSource(bytes, "WebAssembly.compile");
  const features = resolveFeatures(options, "WebAssembly.compile");
  await Promise.resolve();
  return moduleFromCompiled(compileBytes(copy, features));
}
