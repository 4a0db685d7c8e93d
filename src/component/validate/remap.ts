/**
 * Substitution of resources in types (wasm-tools' `Remapping`): when a
 * component is instantiated or opened for subtyping, its imported and
 * defined resources are replaced by the ones supplied. Types that change
 * become new objects — once each, so identities stay consistent — and
 * types that do not change stay the same objects.
 *
 * @module
 */
import type {
  AnyType,
  ComponentType,
  DefinedType,
  Entity,
  FuncType,
  InstanceType,
  Path,
  Resource,
  ResourceRef,
  ValType,
} from "./types.ts";

/** A substitution: resources to resources, and types already mapped (keeping identities). */
export class Remapping {
  readonly resources = new Map<Resource, Resource>();
  types = new Map<object, object>();
}

function remapMap<K, V>(m: ReadonlyMap<K, V>, f: (v: V) => V): [Map<K, V>, boolean] {
  const out = new Map<K, V>();
  let changed = false;
  for (const [k, v] of m) {
    const w = f(v);
    if (w !== v) changed = true;
    out.set(k, w);
  }
  return [out, changed];
}

function remapKeys(m: ReadonlyMap<Resource, Path>, r: Remapping): [Map<Resource, Path>, boolean] {
  const out = new Map<Resource, Path>();
  let changed = false;
  for (const [k, v] of m) {
    const n = r.resources.get(k);
    if (n !== undefined) changed = true;
    out.set(n ?? k, v);
  }
  return [out, changed];
}

/** Applies `r` to a value type. */
export function remapVal(t: ValType, r: Remapping): ValType {
  return typeof t === "string" ? t : remapDefined(t, r);
}

function remapOptVal(t: ValType | null, r: Remapping): ValType | null {
  return t === null ? null : remapVal(t, r);
}

function memo<T extends object>(t: T, r: Remapping, compute: () => T): T {
  const hit = r.types.get(t);
  if (hit !== undefined) return hit as T;
  const out = compute();
  r.types.set(t, out);
  return out;
}

/** Applies `r` to a resource name. */
export function remapResource(t: ResourceRef, r: Remapping): ResourceRef {
  return memo(t, r, () => {
    const n = r.resources.get(t.resource);
    return n === undefined ? t : { kind: "resource", resource: n, info: t.info };
  });
}

function remapDefined(t: DefinedType, r: Remapping): DefinedType {
  return memo(t, r, (): DefinedType => {
    switch (t.kind) {
      case "prim":
      case "flags":
      case "enum":
        return t;
      case "record": {
        const fields = t.fields.map(([n, v]) => [n, remapVal(v, r)] as const);
        return fields.some(([, v], i) => v !== t.fields[i][1]) ? { ...t, fields } : t;
      }
      case "variant": {
        const cases = t.cases.map(([n, v]) => [n, remapOptVal(v, r)] as const);
        return cases.some(([, v], i) => v !== t.cases[i][1]) ? { ...t, cases } : t;
      }
      case "tuple": {
        const types = t.types.map((v) => remapVal(v, r));
        return types.some((v, i) => v !== t.types[i]) ? { ...t, types } : t;
      }
      case "list": {
        const element = remapVal(t.element, r);
        return element !== t.element ? { ...t, element } : t;
      }
      case "map": {
        const key = remapVal(t.key, r);
        const value = remapVal(t.value, r);
        return key !== t.key || value !== t.value ? { ...t, key, value } : t;
      }
      case "option": {
        const type = remapVal(t.type, r);
        return type !== t.type ? { ...t, type } : t;
      }
      case "result": {
        const ok = remapOptVal(t.ok, r);
        const err = remapOptVal(t.err, r);
        return ok !== t.ok || err !== t.err ? { ...t, ok, err } : t;
      }
      case "own":
      case "borrow": {
        const resource = remapResource(t.resource, r);
        return resource !== t.resource ? { ...t, resource } : t;
      }
      case "stream":
      case "future": {
        const element = remapOptVal(t.element, r);
        return element !== t.element ? { ...t, element } : t;
      }
    }
  });
}

/** Applies `r` to a function type. */
export function remapFunc(t: FuncType, r: Remapping): FuncType {
  return memo(t, r, () => {
    const params = t.params.map(([n, v]) => [n, remapVal(v, r)] as const);
    const result = remapOptVal(t.result, r);
    const changed = result !== t.result || params.some(([, v], i) => v !== t.params[i][1]);
    return changed ? { ...t, params, result } : t;
  });
}

/** Applies `r` to an instance type. */
export function remapInstance(t: InstanceType, r: Remapping): InstanceType {
  return memo(t, r, () => {
    const [exports, c1] = remapMap(t.exports, (e) => remapEntity(e, r));
    const defined = t.definedResources.map((x) => r.resources.get(x) ?? x);
    const c2 = defined.some((x, i) => x !== t.definedResources[i]);
    const [explicit, c3] = remapKeys(t.explicitResources, r);
    if (!c1 && !c2 && !c3) return t;
    return { ...t, exports, definedResources: defined, explicitResources: explicit };
  });
}

/** Applies `r` to a component type. */
export function remapComponent(t: ComponentType, r: Remapping): ComponentType {
  return memo(t, r, () => {
    const [imports, c1] = remapMap(t.imports, (e) => remapEntity(e, r));
    const [exports, c2] = remapMap(t.exports, (e) => remapEntity(e, r));
    const [importedResources, c3] = remapKeys(t.importedResources, r);
    const [definedResources, c4] = remapKeys(t.definedResources, r);
    const [explicitResources, c5] = remapKeys(t.explicitResources, r);
    if (!c1 && !c2 && !c3 && !c4 && !c5) return t;
    return { ...t, imports, exports, importedResources, definedResources, explicitResources };
  });
}

/** Applies `r` to any type. */
export function remapAny(t: AnyType, r: Remapping): AnyType {
  switch (t.kind) {
    case "resource":
      return remapResource(t, r);
    case "func":
      return remapFunc(t, r);
    case "instance":
      return remapInstance(t, r);
    case "component":
      return remapComponent(t, r);
    default:
      return remapDefined(t, r);
  }
}

/** Applies `r` to an entity. */
export function remapEntity(e: Entity, r: Remapping): Entity {
  switch (e.kind) {
    case "module":
      return e;
    case "func": {
      const type = remapFunc(e.type, r);
      return type === e.type ? e : { kind: "func", type };
    }
    case "value": {
      const type = remapVal(e.type, r);
      return type === e.type ? e : { kind: "value", type };
    }
    case "instance": {
      const type = remapInstance(e.type, r);
      return type === e.type ? e : { kind: "instance", type };
    }
    case "component": {
      const type = remapComponent(e.type, r);
      return type === e.type ? e : { kind: "component", type };
    }
    case "type": {
      const referenced = remapAny(e.referenced, r);
      const created = e.created === e.referenced ? referenced : remapAny(e.created, r);
      return referenced === e.referenced && created === e.created
        ? e
        : { kind: "type", created, referenced };
    }
  }
}
