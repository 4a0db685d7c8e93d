/**
 * Components through the Bun plugin: a `.wasm` file that is a component
 * binary is instantiated at run time with Gannet's component runtime, its
 * WASI 0.2 imports from the plugin's `wasi` options (a per-instance
 * `WasiP2Host`) and its other imports from `imports` (jco's shapes: an
 * interface's functions by its name, with or without version); the module
 * gets the exports in jco's shapes (`import { add } from
 * "./adder.component.wasm"`).
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { Component, instantiateComponentSync } from "../component/component.ts";
import { isComponentBinary } from "../component/binary/decode.ts";
import { CompileError, LinkError, RuntimeError } from "../errors.ts";
import type { WasiOptions } from "../wasi/options.ts";
import { WasiP2Host } from "../wasip2/host.ts";
import type { WasiP2Options } from "../wasip2/options.ts";
import type { ResolvedFileOptions } from "./_options.ts";

/** Whether the file at `path` is a component binary (by its preamble). */
export async function isComponentFile(path: string): Promise<boolean> {
  if (!path.endsWith(".wasm")) return false;
  const bytes = await readFile(path);
  return isComponentBinary(
    new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(8, bytes.length)),
  );
}

/** The preview1 options that carry over to WASI 0.2 (strings for preopens). */
function p2Options(o: WasiOptions): WasiP2Options {
  const preopens: Record<string, string> = {};
  for (const [guest, host] of Object.entries(o.preopens ?? {})) {
    if (typeof host !== "string") {
      throw new TypeError(`wasi.preopens["${guest}"]: a component's preopens are host paths`);
    }
    preopens[guest] = host;
  }
  return { args: o.args, env: o.env, preopens, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr };
}

/** Instantiates the component at `path`; returns its exports (jco's shapes). */
export async function loadComponentFile(
  path: string,
  o: ResolvedFileOptions,
): Promise<Record<string, unknown>> {
  try {
    const bytes = await readFile(path);
    const options = o.features === undefined ? undefined : { features: o.features };
    const component = new Component(bytes, options);
    const wasi = o.wasi === false
      ? {}
      : new WasiP2Host(p2Options(o.wasi)).importObject(component.imports.map((i) => i.name));
    return instantiateComponentSync(component, { ...wasi, ...o.imports });
  } catch (e) {
    const engine = e instanceof CompileError || e instanceof LinkError || e instanceof RuntimeError;
    if (engine && !e.message.startsWith(path)) e.message = `${path}: ${e.message}`;
    throw e;
  }
}
