/**
 * Which engine runs components in the WASI 0.2 suites: `GANNET_P2_ENGINE`
 * = `jco` (jco-transpiled glue on the host's native WebAssembly, the oracle
 * and the stand-in until Gannet's component runtime runs these components).
 */
import process from "node:process";
import type { InstantiateComponent } from "../src/wasip2/run.ts";
import { jcoInstantiate } from "./_jco.ts";

/** The engine's name and how it instantiates a component. */
export interface ComponentEngine {
  name: string;
  instantiate: InstantiateComponent;
}

/** The engine `GANNET_P2_ENGINE` names (default: jco). */
export function componentEngine(): ComponentEngine {
  const name = process.env.GANNET_P2_ENGINE ?? "jco";
  if (name === "jco") return { name, instantiate: jcoInstantiate };
  throw new Error(`GANNET_P2_ENGINE must be jco, not ${name}`);
}
