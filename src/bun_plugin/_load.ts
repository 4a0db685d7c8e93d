/**
 * Loading one `.wasm`/`.wat` file the way the plugin does: compile with
 * Gannet's `Module` ({@link prepareFile}), then gather its imports (options,
 * a `WASI` instance, ES modules the caller imported for module names that
 * are paths), instantiate with Gannet's `Instance`, and build the exports
 * object the importing module sees ({@link finishFile}).
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
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
export function isPathSpecifier(name: string): boolean {
  return name.startsWith("./") || name.startsWith("../") || name.startsWith("/") ||
    name.startsWith("file:");
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

function gatherImports(
  path: string,
  module: Module,
  o: ResolvedFileOptions,
  esm: Record<string, object>,
): Gathered {
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
    } else if (Object.hasOwn(esm, name)) {
      imports[name] = esm[name];
    } else {
      missing.push(describeMissing(name, wanted));
    }
  }
  if (missing.length > 0) {
    const which = missing.length === 1 ? "module" : "modules";
    let off = o.wasi === false && wanted.some((i) => Object.hasOwn(WASI_MODULES, i.module))
      ? " (WASI is off for this file)"
      : "";
    if (wanted.some((i) => isPathSpecifier(i.module) && !Object.hasOwn(imports, i.module))) {
      off += " (loadWasmFile does not import ES modules: import them and pass their namespaces)";
    }
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

/** A compiled file and what it needs before it can be instantiated. */
export interface PreparedFile {
  /** The compiled module. */
  module: Module;
  /** Import module names that are paths no option provides: ES modules to import first. */
  esModules: string[];
}

/** Reads and compiles the file at `path`; lists the ES modules it imports. */
export async function prepareFile(path: string, o: ResolvedFileOptions): Promise<PreparedFile> {
  try {
    const module = await compileFile(path, o);
    const names = new Set(Module.imports(module).map((i) => i.module));
    const esModules = [...names].filter((n) => isPathSpecifier(n) && !Object.hasOwn(o.imports, n));
    return { module, esModules };
  } catch (e) {
    throw inFile(e, path);
  }
}

/**
 * Instantiates a prepared file with its imports (`esm`: the namespaces of
 * the ES modules it names) and returns its exports object (frozen, null
 * prototype).
 */
export function finishFile(
  path: string,
  module: Module,
  o: ResolvedFileOptions,
  esm: Record<string, object> = {},
): Record<string, unknown> {
  try {
    const { imports, wasi } = gatherImports(path, module, o, esm);
    const instance = new Instance(module, imports);
    return exportsObject(path, instance, wasi, o.start);
  } catch (e) {
    throw inFile(e, path);
  }
}
