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

/** Gannet's execution tiers as `--jit` selects them (the engine option of DESIGN.md). */
export const JIT_MODES: readonly string[] = ["auto", "off", "eager"];

/**
 * Whether this build's `Store` takes a `jit` option (the JIT tier, issue 18).
 * Until it does, `new Store({ jit })` is a TypeError (unknown option) and
 * the fuzzer's `--jit` refuses to start rather than fuzz the wrong tier.
 */
export function storeTakesJit(): boolean {
  try {
    new gannet.Store({ jit: "off" } as gannet.StoreOptions);
    return true;
  } catch {
    return false;
  }
}

/**
 * Gannet's API. Tag/Exception/JSTag are picked up once `mod.ts` exports them.
 * With `jit`, every instance is created in its own `Store({ jit })`, so the
 * whole case runs in that tier (throws when the build has no JIT option).
 */
export function gannetApi(jit?: string): EngineApi {
  const g = gannet as unknown as Record<string, unknown>;
  let Instance: unknown = gannet.Instance;
  if (jit !== undefined) {
    if (!JIT_MODES.includes(jit)) {
      throw new Error(`--jit=${jit}: expected one of ${JIT_MODES.join(", ")}`);
    }
    if (!storeTakesJit()) {
      throw new Error(
        `--jit=${jit}: this build has no JIT tier yet (Store takes no jit option; issue 18)`,
      );
    }
    const options = { jit } as gannet.StoreOptions;
    Instance = class extends gannet.Instance {
      constructor(module: gannet.Module, imports?: object) {
        super(module, imports, { store: new gannet.Store(options) });
      }
    };
  }
  return {
    name: jit === undefined ? "gannet" : `gannet(jit=${jit})`,
    Module: gannet.Module,
    Instance,
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
