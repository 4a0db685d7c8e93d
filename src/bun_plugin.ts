/**
 * `gannet/bun-plugin`: import `.wasm` and `.wat` files in Bun, compiled and
 * run by Gannet (not by Bun's native WebAssembly).
 *
 * Register the plugin in a preload script named in `bunfig.toml` (add it
 * under `[test]` too for `bun test`):
 *
 * ```toml
 * preload = ["./gannet.ts"]
 * [test]
 * preload = ["./gannet.ts"]
 * ```
 *
 * Then `import { add } from "./math.wasm"` gives the export `add`, and
 * `import mod from "./x.wasm"` the whole exports object. A module that
 * imports `wasi_snapshot_preview1` (or `wasi_unstable`) gets a `WASI`
 * instance: a reactor is initialized while it is imported; a command's
 * `_start` export runs the program and returns its exit status. Other
 * imports come from the `imports` option, or, for module names that are
 * paths (`"./glue.js"`), from importing that ES module — as the wasm
 * ESM-integration proposal does (wasm-bindgen's `bundler` output works).
 *
 * A `.wasm` file that is a component is instantiated by Gannet's component
 * runtime: `import { add } from "./adder.component.wasm"` gives its
 * exports in jco's shapes, WASI 0.2 imports come from the `wasi` options
 * and other interfaces from `imports` (keyed by interface name).
 *
 * @example gannet.ts, the preload script
 * ```ts
 * import { gannetPlugin } from "@gannet/wasm/bun-plugin";
 *
 * const plugin = gannetPlugin({
 *   imports: { env: { log: (x: number) => console.log(x) } },
 *   wasi: { env: { LANG: "C" }, preopens: { "/data": "./data" } },
 *   files: { "./tools/cli.wasm": { wasi: { args: ["cli", "--quiet"] } } },
 * });
 * // Only Bun has a plugin API; elsewhere the preload does nothing.
 * const bun = (globalThis as { Bun?: { plugin(p: typeof plugin): unknown } }).Bun;
 * bun?.plugin(plugin);
 * ```
 *
 * @module
 */
import { resolve } from "node:path";
import {
  type GannetPluginOptions,
  type ImportObject,
  parsePluginOptions,
  type WasmFileOptions,
} from "./bun_plugin/_options.ts";
import { finishFile, prepareFile } from "./bun_plugin/_load.ts";
import { isComponentFile, loadComponentFile } from "./bun_plugin/_component.ts";
import { generatedModule } from "./bun_plugin/_esm.ts";
import { Module } from "./api/module.ts";

export type { GannetPluginOptions, ImportObject, WasmFileOptions };

/**
 * What the plugin's `onLoad` callback returns: an ES module given by its
 * exports or, for a module that imports ES modules, as JavaScript source.
 *
 * @example
 * ```ts
 * import {
 *   type BunPlugin,
 *   gannetPlugin,
 *   type OnLoadResult,
 *   type PluginBuilder,
 * } from "@gannet/wasm/bun-plugin";
 * import assert from "node:assert/strict";
 *
 * // What Bun does with the plugin, played by a stand-in builder.
 * const plugin: BunPlugin = gannetPlugin();
 * let loader: ((args: { path: string }) => Promise<OnLoadResult>) | undefined;
 * const builder: PluginBuilder = {
 *   onLoad: ({ filter }, callback) => {
 *     assert.ok(filter.test("math.wasm") && filter.test("math.wat"));
 *     loader = callback;
 *   },
 * };
 * plugin.setup(builder);
 * assert.equal(typeof loader, "function");
 * ```
 */
export type OnLoadResult = {
  /** Bun's loader for a module given as an object of exports. */
  loader: "object";
  /** The module's named exports, and `default` (the whole exports object). */
  exports: Record<string, unknown>;
} | {
  /** Bun's JavaScript loader. */
  loader: "js";
  /** A module that imports the ES modules, then instantiates the wasm with them. */
  contents: string;
};

/**
 * The part of Bun's `PluginBuilder` the plugin uses (typed here so that
 * nothing imports `bun`).
 *
 * @example
 * ```ts
 * import {
 *   type BunPlugin,
 *   gannetPlugin,
 *   type OnLoadResult,
 *   type PluginBuilder,
 * } from "@gannet/wasm/bun-plugin";
 * import assert from "node:assert/strict";
 *
 * // What Bun does with the plugin, played by a stand-in builder.
 * const plugin: BunPlugin = gannetPlugin();
 * let loader: ((args: { path: string }) => Promise<OnLoadResult>) | undefined;
 * const builder: PluginBuilder = {
 *   onLoad: ({ filter }, callback) => {
 *     assert.ok(filter.test("math.wasm") && filter.test("math.wat"));
 *     loader = callback;
 *   },
 * };
 * plugin.setup(builder);
 * assert.equal(typeof loader, "function");
 * ```
 */
export interface PluginBuilder {
  /** Registers a loader for the paths `constraints.filter` matches. */
  onLoad(
    constraints: { filter: RegExp; namespace?: string },
    callback: (args: { path: string }) => Promise<OnLoadResult>,
  ): unknown;
  /** Set by `Bun.build` (the bundler), absent for runtime plugins. */
  config?: unknown;
}

/**
 * A Bun plugin, as `Bun.plugin(...)` takes it.
 *
 * @example
 * ```ts
 * import {
 *   type BunPlugin,
 *   gannetPlugin,
 *   type OnLoadResult,
 *   type PluginBuilder,
 * } from "@gannet/wasm/bun-plugin";
 * import assert from "node:assert/strict";
 *
 * // What Bun does with the plugin, played by a stand-in builder.
 * const plugin: BunPlugin = gannetPlugin();
 * let loader: ((args: { path: string }) => Promise<OnLoadResult>) | undefined;
 * const builder: PluginBuilder = {
 *   onLoad: ({ filter }, callback) => {
 *     assert.ok(filter.test("math.wasm") && filter.test("math.wat"));
 *     loader = callback;
 *   },
 * };
 * plugin.setup(builder);
 * assert.equal(typeof loader, "function");
 * ```
 */
export interface BunPlugin {
  /** The plugin's name, for Bun's messages. */
  name: string;
  /** Called by Bun with the builder to register loaders on. */
  setup(build: PluginBuilder): void;
}

/**
 * Creates the runtime plugin that loads `.wasm`/`.wat` files through
 * Gannet. Options are checked at once (TypeError naming the bad option);
 * each file is compiled and instantiated when it is first imported, and
 * errors name the file.
 *
 * @param options Imports, WASI options, per-file overrides; see {@link GannetPluginOptions}.
 * @returns A plugin for `Bun.plugin(...)` (not for `Bun.build`: the
 *   modules are instantiated at run time).
 *
 * @example
 * ```ts
 * import { gannetPlugin } from "@gannet/wasm/bun-plugin";
 *
 * const plugin = gannetPlugin({ wasi: false });
 * console.log(plugin.name); // "gannet"
 * ```
 */
export function gannetPlugin(options?: GannetPluginOptions): BunPlugin {
  const config = parsePluginOptions(options);
  return {
    name: "gannet",
    setup(build: PluginBuilder): void {
      if (build.config !== undefined) {
        throw new TypeError(
          "gannet/bun-plugin is a runtime plugin: register it with Bun.plugin() " +
            "(a bunfig.toml preload), not in Bun.build()",
        );
      }
      build.onLoad({ filter: config.filter }, async ({ path }): Promise<OnLoadResult> => {
        const options = config.optionsFor(path);
        if (await isComponentFile(path)) {
          const exports = await loadComponentFile(path, options);
          return { loader: "object", exports: { ...exports, default: exports } };
        }
        const { module, esModules } = await prepareFile(path, options);
        if (esModules.length > 0) {
          const names = Module.exports(module).map((e) => e.name);
          return {
            loader: "js",
            contents: generatedModule(path, module, options, esModules, names),
          };
        }
        const exports = finishFile(path, module, options);
        return { loader: "object", exports: { ...exports, default: exports } };
      });
    },
  };
}

/**
 * Registers {@link gannetPlugin} with Bun: the one line a preload script
 * needs. Throws a TypeError outside Bun.
 *
 * @param options As for {@link gannetPlugin}.
 *
 * @example
 * ```ts
 * import { register } from "@gannet/wasm/bun-plugin";
 *
 * if ("Bun" in globalThis) register({ wasi: { env: { HOME: "/" } } });
 * ```
 */
export function register(options?: GannetPluginOptions): void {
  const bun = (globalThis as { Bun?: { plugin?(plugin: BunPlugin): unknown } }).Bun;
  if (typeof bun?.plugin !== "function") {
    throw new TypeError("gannet/bun-plugin: register() needs Bun (globalThis.Bun.plugin)");
  }
  bun.plugin(gannetPlugin(options));
}

/**
 * Loads a `.wasm` or `.wat` file exactly as an import through the plugin
 * would, in any runtime: useful in Deno, in tests, and for files chosen at
 * run time. Returns the exports object (frozen, null prototype; a WASI
 * command's `_start` returns the exit status). Unlike the plugin, it does
 * not import ES modules the wasm module names by path: pass them in
 * `imports` (`{ "./glue.js": await import("./glue.js") }`).
 *
 * @param path The file (relative to the working directory, or absolute).
 * @param options As for {@link gannetPlugin} (`files` entries apply too).
 * @returns The module's exports.
 *
 * @example
 * ```ts
 * import { loadWasmFile } from "@gannet/wasm/bun-plugin";
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const path = join(mkdtempSync(join(tmpdir(), "gannet-")), "math.wat");
 * writeFileSync(path, `(module (func (export "add") (param i32 i32) (result i32)
 *   (i32.add (local.get 0) (local.get 1))))`);
 * const { add } = await loadWasmFile(path) as { add: (a: number, b: number) => number };
 * console.log(add(2, 3)); // 5
 * ```
 */
export async function loadWasmFile(
  path: string,
  options?: GannetPluginOptions,
): Promise<Record<string, unknown>> {
  const absolute = resolve(path);
  const o = parsePluginOptions(options).optionsFor(absolute);
  if (await isComponentFile(absolute)) return await loadComponentFile(absolute, o);
  const { module } = await prepareFile(absolute, o);
  return finishFile(absolute, module, o);
}
