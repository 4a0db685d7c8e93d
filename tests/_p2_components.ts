/**
 * Test components built at test time: a core module in WAT (assembled by
 * Gannet) with the world it implements from `tests/components/*.wit`,
 * embedded and wrapped into a component by jco-transpile's wasm-tools
 * (`componentEmbed` + `componentNew`), as `wasm-tools component embed/new`
 * would. Nothing is built ahead of time, so CI needs no wasm toolchain.
 */
import fs from "node:fs";
import path from "node:path";
import { jcoTool } from "./_native_tools.ts";
import { parseWat } from "../src/text/parse_wat.ts";
import { repoDir } from "./_shared.ts";

const built = new Map<string, Uint8Array>();

/** The component of `tests/components/NAME.wat` implementing `world` of the WASI subset WIT. */
export async function testComponent(name: string, world: string): Promise<Uint8Array> {
  const key = `${name}:${world}`;
  const hit = built.get(key);
  if (hit !== undefined) return hit;
  const dir = path.join(repoDir(), "tests", "components");
  const wat = fs.readFileSync(path.join(dir, `${name}.wat`), "utf8");
  const witSource = fs.readFileSync(path.join(dir, "wasi_subset.wit"), "utf8");
  const binary = new Uint8Array(parseWat(wat));
  const embedded = await jcoTool<Uint8Array>("componentEmbed", { binary, witSource, world });
  const component = await jcoTool<Uint8Array>("componentNew", embedded);
  built.set(key, component);
  return component;
}
