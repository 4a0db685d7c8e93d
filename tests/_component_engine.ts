/**
 * Which engine runs components in the WASI 0.2 suites: `GANNET_P2_ENGINE`
 * = `gannet` (default: Gannet's component runtime on its interpreter) or
 * `jco` (jco-transpiled glue on the host's native WebAssembly: the oracle,
 * to tell host faults from runtime faults).
 */
import process from "node:process";
import { instantiateComponent } from "../src/component/component.ts";
import type { InstantiateComponent } from "../src/wasip2/run.ts";
import { jcoInstantiate } from "./_jco.ts";

/** The engine's name and how it instantiates a component. */
export interface ComponentEngine {
  name: string;
  instantiate: InstantiateComponent;
}

/** The engine `GANNET_P2_ENGINE` names (default: gannet). */
export function componentEngine(): ComponentEngine {
  const name = process.env.GANNET_P2_ENGINE ?? "gannet";
  if (name === "jco") return { name, instantiate: jcoInstantiate };
  if (name === "gannet") {
    return { name, instantiate: (bytes, imports) => instantiateComponent(bytes, imports) };
  }
  throw new Error(`GANNET_P2_ENGINE must be gannet or jco, not ${name}`);
}
