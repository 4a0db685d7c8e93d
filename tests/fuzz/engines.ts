/**
 * The two sides of the differential fuzzer as {@link EngineApi}s: Gannet
 * (its public API) and the host's native `WebAssembly` (V8 under Deno,
 * JavaScriptCore under Bun), or null on a host without one (jitless).
 *
 * @module
 */
import * as gannet from "../../mod.ts";
import process from "node:process";
import type { EngineApi } from "./execute.ts";

/** Gannet's API. Tag/Exception/JSTag are picked up once `mod.ts` exports them. */
export function gannetApi(): EngineApi {
  const g = gannet as unknown as Record<string, unknown>;
  return {
    name: "gannet",
    Module: gannet.Module,
    Instance: gannet.Instance,
    RuntimeError: gannet.RuntimeError,
    Global: gannet.Global,
    Tag: g["Tag"],
    Exception: g["Exception"],
    JSTag: g["JSTag"],
  };
}

/** The host's name for its wasm engine: "v8" or "jsc". */
export function nativeEngineName(): string {
  return process.versions.bun !== undefined ? "jsc" : "v8";
}

/** The host's native `WebAssembly`, or null when it has none. */
export function nativeApi(): EngineApi | null {
  // deno-lint-ignore no-explicit-any
  const wa = (globalThis as { WebAssembly?: any }).WebAssembly;
  if (wa === undefined || typeof wa.Module !== "function") return null;
  return {
    name: nativeEngineName(),
    Module: wa.Module,
    Instance: wa.Instance,
    RuntimeError: wa.RuntimeError,
    Global: wa.Global,
    Tag: wa.Tag,
    Exception: wa.Exception,
    JSTag: wa.JSTag,
  };
}

/**
 * Probe runners for the feature probes (`features.ts`): Gannet's, and the
 * native engine's when there is one. A probe passes when its module
 * compiles, instantiates and its `run` export returns.
 */
export function probers(native: EngineApi | null): ((b: Uint8Array) => boolean)[] {
  const run = (api: EngineApi) => (bytes: Uint8Array) => {
    try {
      const instance = new api.Instance(new api.Module(bytes), {});
      (instance.exports.run as () => unknown)();
      return true;
    } catch {
      return false;
    }
  };
  return native === null ? [run(gannetApi())] : [run(gannetApi()), run(native)];
}

/** Probe checks that only validate: Gannet's, and the native engine's when there is one. */
export function validators(native: EngineApi | null): ((b: Uint8Array) => boolean)[] {
  const check = (api: EngineApi) => (bytes: Uint8Array) => {
    try {
      new api.Module(bytes);
      return true;
    } catch {
      return false;
    }
  };
  return native === null ? [check(gannetApi())] : [check(gannetApi()), check(native)];
}

/** `validate` of the host's native engine, or null without one. */
export function nativeValidate(): ((b: Uint8Array) => boolean) | null {
  // deno-lint-ignore no-explicit-any
  const wa = (globalThis as { WebAssembly?: any }).WebAssembly;
  return wa === undefined || typeof wa.validate !== "function"
    ? null
    : (b: Uint8Array) => wa.validate(b) as boolean;
}
