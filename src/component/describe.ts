/**
 * A component's imports and exports at the WIT level, computed by a dry
 * instantiation (types only: no core module is compiled or run): each
 * import gets abstract resources of its own, so the exports' types name
 * the same resource objects as the imports they come from.
 *
 * @module
 */

import type { Module } from "../api/module.ts";
import { type ComponentModel, emptyComponent } from "./binary/model.ts";
import { instantiateDef } from "./instantiate.ts";
import { hostExtern } from "./instantiate_host.ts";
import type { Extern } from "./runtime_values.ts";
import type { ExternDecl, ExternType, ValType } from "./types.ts";

/** A stand-in host value that has every member (a function, so also a class). */
const ANY: unknown = new Proxy(function () {}, { get: () => ANY });

/** The imports and exports of `model`, in declaration order. */
export function describeComponent(
  model: ComponentModel,
): { imports: ExternDecl[]; exports: ExternDecl[] } {
  const imports: ExternDecl[] = [];
  const exports = instantiateDef(
    { model, outer: null, modules: new WeakMap() },
    (name, desc, scope) => {
      // Core modules and components are not described further: placeholders keep the indices.
      const e: Extern = desc.kind === "component"
        ? {
          sort: "component",
          value: { model: emptyComponent(), outer: null, modules: new WeakMap() },
        }
        : desc.kind === "module"
        ? { sort: "module", value: undefined as unknown as Module }
        : hostExtern(scope, desc, ANY, name);
      imports.push({ name, type: externType(e) });
      return e;
    },
    null,
    "",
    true,
  );
  return { imports, exports: [...exports].map(([name, e]) => ({ name, type: externType(e) })) };
}

/** The WIT-level type of a run-time (or dry) value. */
export function externType(e: Extern): ExternType {
  switch (e.sort) {
    case "func":
      return e.value.type;
    case "instance":
      return {
        kind: "instance",
        exports: [...e.value].map(([name, x]) => ({ name, type: externType(x) })),
      };
    case "type": {
      const t = e.value;
      if (t.kind === "resource") return t as ExternType;
      if (t.kind === "instance-type" || t.kind === "component-type" || t.kind === "func") {
        return { kind: "instance", exports: [] };
      }
      return { kind: "eq", type: t as ValType };
    }
    case "component":
      return { kind: "component", imports: [], exports: [] };
    case "module":
      return { kind: "module", imports: [], exports: [] };
    case "value":
      return { kind: "value", type: { kind: "bool" } };
  }
}
