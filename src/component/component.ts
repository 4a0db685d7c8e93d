/**
 * The public API of components: `Component` (a decoded, compiled
 * component, with its imports and exports described at the WIT level) and
 * `instantiateComponent`, which runs it on Gannet with JS imports in
 * jco's conventions and gives its exports in the same conventions.
 *
 * @module
 */

import {
  type BytesSource,
  copyBufferSource,
  moduleFromCompiled,
  type ModuleOptions,
  resolveFeatures,
} from "../api/module.ts";
import { z } from "zod";
import { Store } from "../api/store.ts";
import { CompileError, LinkError } from "../errors.ts";
import { decodeComponent, isComponentBinary } from "./binary/decode.ts";
import { jsExports } from "./bindings.ts";
import { describeComponent } from "./describe.ts";
import { validateComponent } from "./validate/validate.ts";
import { instantiateDef } from "./instantiate.ts";
import { hostExtern, lookupImport, unwrapDefault, worldResourceHost } from "./instantiate_host.ts";
import type { ComponentDef } from "./runtime_values.ts";
import type { ExternDecl } from "./types.ts";

const internals = new WeakMap<Component, ComponentDef>();

/**
 * A compiled component: decoded, its core modules compiled by Gannet.
 *
 * @example
 * ```ts
 * import { Component } from "./component.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = await Deno.readFile("../shared/components/no-wasi/asmjs_bigint.component.wasm")
 *   .catch(() => null);
 * if (bytes !== null) {
 *   const c = new Component(bytes);
 *   assert.deepEqual(c.exports.map((e) => e.name), ["add"]);
 * }
 * ```
 */
export class Component {
  /** Its imports, at the WIT level (in declaration order). */
  readonly imports: readonly ExternDecl[];
  /** Its exports, at the WIT level (in declaration order). */
  readonly exports: readonly ExternDecl[];

  /**
   * Decodes, validates and compiles `bytes` (a `CompileError`, with the byte
   * offset, if they are not a valid component).
   *
   * @param bytes the component binary
   * @param options `features`, as for `Module` (core modules are compiled with them)
   */
  constructor(bytes: BytesSource, options?: ModuleOptions) {
    const features = resolveFeatures(options, "Component");
    const b = copyBufferSource(bytes, "Component");
    if (!isComponentBinary(b)) {
      throw new CompileError("not a component binary (a core module? use Module)", { offset: 0 });
    }
    const model = decodeComponent(b, features);
    const def: ComponentDef = { model, outer: null, modules: new WeakMap() };
    // Validation compiles every core module too; instances share those modules.
    for (const [bytes, compiled] of validateComponent(model, features).modules) {
      def.modules.set(bytes, moduleFromCompiled(compiled));
    }
    internals.set(this, def);
    const d = describeComponent(model);
    this.imports = d.imports;
    this.exports = d.exports;
  }
}

/** The decoded model and compiled modules behind a Component. */
export function componentInternals(c: Component): ComponentDef {
  const d = internals.get(c);
  if (d === undefined) throw new TypeError("not a Gannet Component");
  return d;
}

/**
 * Options of instantiating a component.
 *
 * @example
 * ```ts
 * import { type ComponentInstanceOptions } from "./component.ts";
 * import { Store } from "../api/store.ts";
 * import assert from "node:assert/strict";
 *
 * const options: ComponentInstanceOptions = { store: new Store({ fuel: 1_000_000 }) };
 * assert.equal(options.store?.fuel, 1_000_000);
 * ```
 */
export interface ComponentInstanceOptions {
  /**
   * The store its core instances belong to: fuel, the per-call deadline and
   * the limits apply to instantiation and to every call into the component.
   * Default: a store with no controls.
   */
  store?: Store;
}

const instanceOptionsSchema = z.object({
  store: z.custom<Store>((v) => v instanceof Store, { message: "must be a Store" }).optional(),
}).optional();

/** The store of component instance options (TypeError for bad options). */
function storeOf(options: unknown, api: string): Store | undefined {
  const parsed = instanceOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? ` at options.${issue.path.join(".")}` : "";
    throw new TypeError(`${api}: invalid options${where}: ${issue.message}`);
  }
  return parsed.data?.store;
}

/**
 * Instantiates `component` with `imports` (keyed by import name: an
 * interface's name with or without its version, or a semver-compatible
 * version; functions in camelCase; resources as classes) and returns its
 * exports, synchronously.
 */
export function instantiateComponentSync(
  component: Component,
  imports: Record<string, unknown> = {},
  options?: ComponentInstanceOptions,
): Record<string, unknown> {
  if (!(component instanceof Component)) throw new TypeError("expected a Component");
  if (typeof imports !== "object" || imports === null) {
    throw new TypeError("imports must be an object");
  }
  const store = storeOf(options, "instantiateComponent");
  const exports = instantiateDef(
    componentInternals(component),
    (name, desc, scope) => {
      if (desc.kind === "func" && name.startsWith("[")) {
        // A world-level resource's constructor, method or static function.
        return hostExtern(
          scope,
          desc,
          undefined,
          `world#${name}`,
          worldResourceHost(imports, name),
          name,
        );
      }
      const v = unwrapDefault(lookupImport(imports, name));
      if (v === undefined && desc.kind !== "type") throw new LinkError(`missing import "${name}"`);
      return hostExtern(scope, desc, v, name);
    },
    null,
    "",
    false,
    store,
  );
  return jsExports(exports);
}

/**
 * Compiles (when given bytes) and instantiates a component; resolves to its
 * exports in jco's conventions.
 *
 * @example
 * ```ts
 * import { instantiateComponent } from "./component.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = await Deno.readFile("../shared/components/no-wasi/asmjs_bigint.component.wasm")
 *   .catch(() => null);
 * if (bytes !== null) {
 *   const { add } = await instantiateComponent(bytes) as { add(a: bigint, b: bigint): bigint };
 *   assert.equal(add(2n ** 62n, 2n ** 62n), -(2n ** 63n));
 * }
 * ```
 */
export function instantiateComponent(
  component: Component | BytesSource,
  imports?: Record<string, unknown>,
  options?: ModuleOptions & ComponentInstanceOptions,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    try {
      const { store, ...moduleOptions } = options ?? {};
      const c = component instanceof Component
        ? component
        : new Component(component, options === undefined ? undefined : moduleOptions);
      queueMicrotask(() => {
        try {
          resolve(instantiateComponentSync(c, imports, { store }));
        } catch (e) {
          reject(e);
        }
      });
    } catch (e) {
      reject(e);
    }
  });
}
