/**
 * The component model on Gannet: components are decoded and instantiated
 * at run time (no transpile step), their core modules run on Gannet's
 * interpreter, and values cross the canonical ABI with jco's JS
 * conventions — so hosts written for jco (`@bytecodealliance/preview2-shim`
 * first of all) plug in unchanged.
 *
 * @example
 * ```ts
 * import { Component, instantiateComponent } from "@gannet/wasm/component";
 * import assert from "node:assert/strict";
 *
 * const bytes = await Deno.readFile("../shared/components/no-wasi/adder.component.wasm")
 *   .catch(() => null);
 * if (bytes !== null) {
 *   const component = new Component(bytes);
 *   assert.deepEqual(component.exports.map((e) => e.name), ["docs:adder/add@0.1.0"]);
 *   const { add } = await instantiateComponent(component) as {
 *     add: { add(a: number, b: number): number };
 *   };
 *   assert.equal(add.add(2, 3), 5);
 * }
 * ```
 *
 * @module
 */
export {
  Component,
  type ComponentInstanceOptions,
  instantiateComponent,
  instantiateComponentSync,
} from "./component.ts";
export { Store, type StoreLimits, type StoreOptions } from "../api/store.ts";
export { ComponentError } from "./component_error.ts";
export type { BytesSource, ModuleOptions } from "../api/module.ts";
export type { Features } from "../binary/features.ts";
export type * from "./types.ts";
