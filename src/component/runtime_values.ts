/**
 * The values that fill a component instance's index spaces while it is
 * instantiated, and what a component instance exports: functions (lifted
 * or host), instances, types (resources included), components, core
 * modules and values.
 *
 * @module
 */

import type { Module } from "../api/module.ts";
import type { ComponentFunc } from "./abi/call.ts";
import type { ComponentModel } from "./binary/model.ts";
import type { ScopeType, TypeScope } from "./instantiate_types.ts";

/** A component definition and the scope its outer aliases resolve in. */
export interface ComponentDef {
  /** The decoded component. */
  readonly model: ComponentModel;
  /** The enclosing instance's scope (null for a top-level component). */
  readonly outer: OuterScope | null;
  /** Compiled core modules, shared by every instantiation. */
  readonly modules: WeakMap<object, Module>;
}

/** What outer aliases of components and modules see in an enclosing scope. */
export interface OuterScope extends TypeScope {
  /** The component index space. */
  readonly components: ComponentDef[];
  /** The core module index space. */
  readonly coreModules: Module[];
}

/** One exported or imported item. */
export type Extern =
  | { readonly sort: "func"; readonly value: ComponentFunc }
  | { readonly sort: "instance"; readonly value: RuntimeInstance }
  | { readonly sort: "type"; readonly value: ScopeType }
  | { readonly sort: "component"; readonly value: ComponentDef }
  | { readonly sort: "module"; readonly value: Module }
  | { readonly sort: "value"; readonly value: unknown };

/** A component instance's exports, by name. */
export type RuntimeInstance = Map<string, Extern>;
