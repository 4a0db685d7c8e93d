/**
 * Loading one `.wasm`/`.wat` file the way the plugin does: compile with
 * Gannet's `Module`, gather its imports (options, a `WASI` instance, or ES
 * modules named by path as in the wasm ESM-integration proposal),
 * instantiate with Gannet's `Instance`, and build the exports object the
 * importing module sees.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Module, type ModuleImportDescriptor } from "../api/module.ts";
import { Instance } from "../api/instance.ts";
import { CompileError, LinkError, RuntimeError } from "../errors.ts";
import { parseWat, WatSyntaxError } from "../text/parse_wat.ts";
import { WASI, WasiExit } from "../wasi/wasi.ts";
import type { ResolvedFileOptions } from "./_options.ts";

const WASI_MODULES: Record<string, "preview1" | "unstable"> = {
  wasi_snapshot_preview1: "preview1",
  wasi_unstable: "unstable",
};

/** Says which file an engine error is about, keeping its class (and `offset`, `line`, …). */
function inFile(e: unknown, path: string): unknown {
  const engine = e instanceof CompileError || e instanceof LinkError ||
    e instanceof RuntimeError || e instanceof WatSyntaxError;
  if (!engine || e.message.startsWith(path)) return e;
  const old = `${e.name}: ${e.message}`;
  e.message = `${path}: ${e.message}`;
  if (typeof e.stack === "string" && e.stack.startsWith(old)) {
    e.stack = `${e.name}: ${e.message}${e.stack.slice(old.length)}`;
  }
  return e;
}

async function compileFile(path: string, o: ResolvedFileOptions): Promise<Module> {
  const bytes = await readFile(path);
  const options = o.features === undefined ? undefined : { features: o.features };
  if (!path.endsWith(".wat")) return new Module(bytes, options);
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  return new Module(parseWat(text, options), options);
}

/** A relative or absolute module name: an ES module to import, as ESM integration does. */
function isPathSpecifier(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || name.startsWith("/") ||
    name.startsWith("file:");
}

function moduleUrl(name: string, from: string): string {
  const bun = (globalThis as { Bun?: { resolveSync?(s: string, dir: string): string } }).Bun;
  if (typeof bun?.resolveSync === "function") return bun.resolveSync(name, dirname(from));
  if (name.startsWith("file:")) return name;
  return pathToFileURL(isAbsolute(name) ? name : resolve(dirname(from), name)).href;
}

function describeMissing(name: string, wanted: ModuleImportDescriptor[]): string {
  const items = wanted.filter((i) => i.module === name).map((i) => `${i.kind} "${i.name}"`);
  const more = items.length > 4 ? `, … (${items.length} in all)` : "";
  return `"${name}" (${items.slice(0, 4).join(", ")}${more})`;
}

interface Gathered {
  imports: Record<string, object>;
  wasi: WASI | undefined;
}

async function gatherImports(
  path: string,
  module: Module,
  o: ResolvedFileOptions,
): Promise<Gathered> {
  const wanted = Module.imports(module);
  const imports: Record<string, object> = {};
  let wasi: WASI | undefined;
  const missing: string[] = [];
  for (const name of new Set(wanted.map((i) => i.module))) {
    if (Object.hasOwn(o.imports, name)) {
      imports[name] = o.imports[name];
    } else if (Object.hasOwn(WASI_MODULES, name) && o.wasi !== false) {
      let w: WASI;
      try {
        w = new WASI({ args: [basename(path)], ...o.wasi, version: WASI_MODULES[name] });
      } catch (e) {
        throw new TypeError(`${path}: ${(e as Error).message}`, { cause: e });
      }
      wasi ??= w;
      imports[name] = w.wasiImport;
    } else if (isPathSpecifier(name)) {
      let url: string;
      try {
        url = moduleUrl(name, path);
        imports[name] = await import(url);
      } catch (e) {
        throw new LinkError(
          `${path}: cannot import module "${name}": ${(e as Error)?.message ?? String(e)}`,
        );
      }
    } else {
      missing.push(describeMissing(name, wanted));
    }
  }
  if (missing.length > 0) {
    const which = missing.length === 1 ? "module" : "modules";
    const off = o.wasi === false && wanted.some((i) => Object.hasOwn(WASI_MODULES, i.module))
      ? " (WASI is off for this file)"
      : "";
    throw new LinkError(
      `${path}: nothing provides the import ${which} ${missing.join(", ")}${off}; ` +
        "give it in the plugin's `imports` option (or per file, in `files`)",
    );
  }
  return { imports, wasi };
}

function exportsObject(
  path: string,
  instance: Instance,
  wasi: WASI | undefined,
  start: boolean,
): Record<string, unknown> {
  const source = instance.exports;
  const out: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(source)) out[name] = source[name];
  const run = source._start;
  if (wasi !== undefined) {
    if (typeof run === "function") {
      // A command: `_start` runs it through WASI (memory bound, exit caught) and returns its status.
      out._start = (): number => wasi.start(instance);
    } else if (source.memory !== undefined) {
      wasi.initialize(instance);
    }
  }
  if (start && typeof out._start === "function") {
    const status = (out._start as () => unknown)();
    if (typeof status === "number" && status !== 0) {
      throw new Error(`${path}: the WASI program exited with status ${status}`, {
        cause: new WasiExit(status),
      });
    }
  }
  return Object.freeze(out);
}

/**
 * Compiles and instantiates the file at `path` with the given options and
 * returns its exports object (frozen, null prototype).
 */
export async function instantiateFile(
  path: string,
  o: ResolvedFileOptions,
): Promise<Record<string, unknown>> {
  try {
    const module = await compileFile(path, o);
    const { imports, wasi } = await gatherImports(path, module, o);
    const instance = new Instance(module, imports);
    return exportsObject(path, instance, wasi, o.start);
  } catch (e) {
    throw inFile(e, path);
  }
}
