/**
 * The free resource variables of types: the resources a type refers to and
 * does not define itself. Components use them to check that defined
 * resources do not leak into imports, that exported ones are exported
 * themselves, and that outer type aliases do not cross components with
 * resources.
 *
 * @module
 */
import type {
  AnyType,
  ComponentType,
  Entity,
  FuncType,
  InstanceType,
  Resource,
  ValType,
} from "./types.ts";

/** Adds the resources `e` refers to (free variables) to `out`. */
export function freeEntity(e: Entity, out: Set<Resource>): void {
  switch (e.kind) {
    case "module":
      return;
    case "func":
      return freeFunc(e.type, out);
    case "value":
      return freeVal(e.type, out);
    case "type":
      return freeAny(e.created, out);
    case "instance":
      return freeInstance(e.type, out);
    case "component":
      return freeComponent(e.type, out);
  }
}

function freeVal(t: ValType | null, out: Set<Resource>): void {
  if (t === null || typeof t === "string") return;
  switch (t.kind) {
    case "record":
      for (const [, f] of t.fields) freeVal(f, out);
      return;
    case "variant":
      for (const [, c] of t.cases) freeVal(c, out);
      return;
    case "tuple":
      for (const x of t.types) freeVal(x, out);
      return;
    case "list":
      return freeVal(t.element, out);
    case "map":
      freeVal(t.key, out);
      return freeVal(t.value, out);
    case "option":
      return freeVal(t.type, out);
    case "result":
      freeVal(t.ok, out);
      return freeVal(t.err, out);
    case "own":
    case "borrow":
      out.add(t.resource.resource);
      return;
    case "stream":
    case "future":
      return freeVal(t.element, out);
  }
}

function freeFunc(t: FuncType, out: Set<Resource>): void {
  for (const [, p] of t.params) freeVal(p, out);
  freeVal(t.result, out);
}

function freeInstance(t: InstanceType, out: Set<Resource>): void {
  for (const e of t.exports.values()) freeEntity(e, out);
  for (const r of t.definedResources) out.delete(r);
}

function freeComponent(t: ComponentType, out: Set<Resource>): void {
  for (const e of t.imports.values()) freeEntity(e, out);
  for (const e of t.exports.values()) freeEntity(e, out);
  for (const r of t.importedResources.keys()) out.delete(r);
  for (const r of t.definedResources.keys()) out.delete(r);
}

/** Adds the resources any type refers to (free variables) to `out`. */
export function freeAny(t: AnyType, out: Set<Resource>): void {
  switch (t.kind) {
    case "resource":
      out.add(t.resource);
      return;
    case "func":
      return freeFunc(t, out);
    case "instance":
      return freeInstance(t, out);
    case "component":
      return freeComponent(t, out);
    default:
      return freeVal(t, out);
  }
}
