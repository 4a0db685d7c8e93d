/**
 * The options of `gannetPlugin(...)`: validated once, when the plugin is
 * created (a mistake in a preload script shows up at start-up, naming the
 * option), then resolved per file when a module is loaded.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import process from "node:process";
import { z } from "zod";
import type { Features } from "../binary/features.ts";
import { resolveFeatures } from "../api/module.ts";
import { parseOptions, type WasiOptions } from "../wasi/options.ts";

/**
 * Import namespaces by module name, as `new WebAssembly.Instance(module, imports)` takes them.
 *
 * @example
 * ```ts
 * import { gannetPlugin, type ImportObject } from "@gannet/wasm/bun-plugin";
 *
 * const imports: ImportObject = { env: { log: (x: number) => console.log(x) } };
 * gannetPlugin({ imports });
 * ```
 */
export type ImportObject = Record<string, object>;

/**
 * Options that can be given for all files and overridden per file.
 *
 * @example
 * ```ts
 * import { gannetPlugin, type WasmFileOptions } from "@gannet/wasm/bun-plugin";
 *
 * const legacy: WasmFileOptions = { wasi: false, features: { threads: false } };
 * gannetPlugin({ files: { "./legacy.wasm": legacy } });
 * ```
 */
export interface WasmFileOptions {
  /**
   * Import namespaces (module name → object of functions, memories, tables,
   * globals). Per-file namespaces are merged over the plugin's, name by name.
   */
  imports?: ImportObject;
  /**
   * Options of the `WASI` instance given to a module that imports
   * `wasi_snapshot_preview1` (or `wasi_unstable`), or `false` to give it none.
   * Default: `args` = the file's name, no environment, no preopened
   * directories, inherited stdio. Per-file options are merged over the
   * plugin's, option by option.
   */
  wasi?: WasiOptions | false;
  /**
   * Run the module's `_start` while it is imported (a WASI command's exit
   * status other than 0 then fails the import). Default: false — `_start`
   * is exported, and calling it runs the program and returns its status.
   */
  start?: boolean;
  /** Proposals to switch on or off, as `new Module(bytes, { features })` takes them. */
  features?: Partial<Features>;
}

/**
 * Options of `gannetPlugin(...)`.
 *
 * @example
 * ```ts
 * import { gannetPlugin, type GannetPluginOptions } from "@gannet/wasm/bun-plugin";
 *
 * const options: GannetPluginOptions = {
 *   imports: { env: { now: () => Date.now() } },
 *   wasi: { env: { TZ: "UTC" } },
 *   // Per file: tool.wasm runs while it is imported, with its own arguments.
 *   files: (path) =>
 *     path.endsWith("/tool.wasm") ? { start: true, wasi: { args: ["tool", "-v"] } } : undefined,
 * };
 * gannetPlugin(options);
 * ```
 */
export interface GannetPluginOptions extends WasmFileOptions {
  /** Which paths the plugin loads. Default: `/\.(wasm|wat)$/` (`.wat` is parsed as text). */
  filter?: RegExp;
  /**
   * Per-file overrides: a record keyed by path (relative to `root`, or
   * absolute), or a function from the absolute path to overrides (or
   * `undefined` for none).
   */
  files?:
    | Record<string, WasmFileOptions>
    | ((path: string) => WasmFileOptions | undefined);
  /** The folder relative `files` keys are resolved against. Default: the working directory. */
  root?: string;
}

/** The options that apply to one file, after merging. */
export interface ResolvedFileOptions {
  /** Import namespaces by module name. */
  imports: ImportObject;
  /** WASI options, or false for no WASI. */
  wasi: WasiOptions | false;
  /** Run `_start` while importing. */
  start: boolean;
  /** Feature overrides. */
  features: Partial<Features> | undefined;
}

/** Validated plugin options, ready for per-file lookups. */
export interface PluginConfig {
  /** The path filter. */
  filter: RegExp;
  /** Finds the options for an absolute path. */
  optionsFor(path: string): ResolvedFileOptions;
}

const isObject = (v: unknown): v is object =>
  (typeof v === "object" || typeof v === "function") && v !== null;

const fileShape = {
  imports: z.record(
    z.string(),
    z.custom<object>(isObject, { message: "an import namespace must be an object" }),
  ).optional(),
  wasi: z.union([z.literal(false), z.record(z.string(), z.unknown())], {
    message: "expected WASI options (an object) or false",
  }).optional(),
  start: z.boolean().optional(),
  features: z.record(z.string(), z.unknown()).optional(),
};

const fileSchema = z.strictObject(fileShape);

const pluginSchema = z.strictObject({
  ...fileShape,
  filter: z.instanceof(RegExp, { message: "expected a RegExp" }).optional(),
  files: z.union([
    z.record(z.string(), z.unknown()),
    z.custom<(path: string) => unknown>((v) => typeof v === "function"),
  ], { message: "expected a record of per-file options or a function" }).optional(),
  root: z.string().optional(),
});

function fail(where: string, message: string): never {
  throw new TypeError(`gannet/bun-plugin: invalid options: ${where}: ${message}`);
}

function check<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = [where, ...issue.path.map(String)].filter((s) => s !== "").join(".");
  return fail(at === "" ? "options" : at, issue.message);
}

/** Checks the parts zod cannot: WASI options and features, with the engine's own validators. */
function checkFile(o: WasmFileOptions, where: string): WasmFileOptions {
  const prefix = where === "" ? "" : `${where}.`;
  if (o.wasi !== undefined && o.wasi !== false) {
    try {
      parseOptions(o.wasi);
    } catch (e) {
      fail(`${prefix}wasi`, (e as Error).message);
    }
  }
  if (o.features !== undefined) {
    try {
      resolveFeatures({ features: o.features }, "features");
    } catch (e) {
      fail(`${prefix}features`, (e as Error).message);
    }
  }
  return o;
}

function merge(base: WasmFileOptions, over: WasmFileOptions | undefined): ResolvedFileOptions {
  const wasi = over?.wasi === false || base.wasi === false && over?.wasi === undefined
    ? false
    : { ...(base.wasi || {}), ...(over?.wasi || {}) };
  return {
    imports: { ...base.imports, ...over?.imports },
    wasi,
    start: over?.start ?? base.start ?? false,
    features: base.features === undefined && over?.features === undefined
      ? undefined
      : { ...base.features, ...over?.features },
  };
}

/** Validates the plugin's options (TypeError naming the bad option) and prepares lookups. */
export function parsePluginOptions(options: GannetPluginOptions | undefined): PluginConfig {
  const o = checkFile(check(pluginSchema, options, ""), "") as GannetPluginOptions;
  const root = resolve(o.root ?? process.cwd());
  const base: WasmFileOptions = o;
  const files = o.files;
  let lookup: (path: string) => WasmFileOptions | undefined;
  if (typeof files === "function") {
    lookup = (path) => {
      const over = files(path);
      const where = `files(${JSON.stringify(path)})`;
      return over === undefined ? undefined : checkFile(check(fileSchema, over, where), where);
    };
  } else {
    const byPath = new Map<string, WasmFileOptions>();
    for (const [key, over] of Object.entries(files ?? {})) {
      const where = `files[${JSON.stringify(key)}]`;
      const path = isAbsolute(key) ? resolve(key) : resolve(root, key);
      byPath.set(path, checkFile(check(fileSchema, over, where), where));
    }
    lookup = (path) => byPath.get(resolve(path));
  }
  return {
    filter: o.filter ?? /\.(wasm|wat)$/,
    optionsFor: (path) => merge(base, lookup(path)),
  };
}
