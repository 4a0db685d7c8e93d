/**
 * JS names for WIT names, as jco spells them: `get-a` → `getA` (functions,
 * record fields, flags), `kebab-case` → `KebabCase` (resource classes), and
 * an interface's short name (`wasi:cli/stdout@0.2.0` → `stdout`).
 *
 * @module
 */

function words(name: string): string[] {
  return name.split("-").filter((w) => w !== "");
}

/**
 * `lowerCamelCase` of a kebab-case WIT name.
 *
 * @example
 * ```ts
 * import { camelCase } from "./js_names.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(camelCase("list-in-record1"), "listInRecord1");
 * assert.equal(camelCase("get-URL"), "getUrl");
 * ```
 */
export function camelCase(name: string): string {
  const ws = words(name);
  return ws.map((w, i) => i === 0 ? w.toLowerCase() : capital(w)).join("");
}

/** `UpperCamelCase` of a kebab-case WIT name (resource classes). */
export function upperCamelCase(name: string): string {
  return words(name).map(capital).join("");
}

function capital(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
}

/** The interface part of `ns:pkg/iface@1.2.3` in camelCase (`iface`), or the plain name's. */
export function shortName(name: string): string {
  const slash = name.lastIndexOf("/");
  const at = name.indexOf("@", slash + 1);
  return camelCase(name.slice(slash + 1, at < 0 ? undefined : at));
}
