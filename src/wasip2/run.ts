/**
 * Running a `wasi:cli/run` component (a "command") with a {@link WasiP2Host}:
 * instantiate it with the host's imports, call `run`, and turn the outcome
 * into an exit status as wasmtime does.
 *
 * @module
 */
import { exitStatus, type ImportObject, WasiP2Host } from "./host.ts";
import type { WasiP2Options } from "./options.ts";
import type { Store } from "../api/store.ts";

/**
 * Instantiates a component with an import object, its core instances in
 * `store` if given (fuel, deadline, limits); resolves to its exports (jco's
 * shape).
 */
export type InstantiateComponent = (
  bytes: Uint8Array,
  imports: ImportObject,
  store?: Store,
) => Promise<Record<string, unknown>>;

/** The `wasi:cli/run` interface among a component's exports (any 0.2.x version), or null. */
export function runExport(exports: Record<string, unknown>): { run(): void } | null {
  const key = Object.keys(exports).find((k) => /^wasi:cli\/run@0\.2\.\d+/.test(k)) ?? "run";
  const run = exports[key] as { run?: unknown } | undefined;
  return run !== undefined && typeof run.run === "function" ? run as { run(): void } : null;
}

/**
 * Instantiates `bytes` (a command component) with a fresh host configured by
 * `options`, calls its `run`, and returns the exit status: 0 after `ok`, 1
 * after `err`, the status of `exit`/`exit-with-code`. A trap is rethrown.
 *
 * @param instantiate How to instantiate (Gannet's component runtime, or a test's).
 * @param bytes The component.
 * @param options The host's configuration, plus the component's import names
 *   (`importNames`) to provide versioned keys for.
 */
export async function runCommandComponent(
  instantiate: InstantiateComponent,
  bytes: Uint8Array,
  options: WasiP2Options & { importNames?: Iterable<string> } = {},
): Promise<number> {
  const { importNames, ...hostOptions } = options;
  const host = new WasiP2Host(hostOptions);
  const exports = await instantiate(bytes, host.importObject(importNames));
  const run = runExport(exports);
  if (run === null) throw new TypeError("not a command component: no wasi:cli/run export");
  try {
    run.run();
    return exitStatus({});
  } catch (error) {
    return exitStatus({ error });
  }
}
