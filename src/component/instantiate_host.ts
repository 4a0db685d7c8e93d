/**
 * Host imports: finding a component's import in the JS import object
 * (exact name, then the unversioned name as jco's bindings use it, then a
 * semver-compatible version: `wasi:cli/stdout@0.2.0` is satisfied by
 * `wasi:cli/stdout@0.2.3`), and turning the JS values into run-time
 * values of the declared type, with jco's conventions: functions by
 * camelCase name, resources as classes (`[constructor]y` → `new Y(…)`,
 * `[method]y.get-a` → `self.getA(…)`, `[static]y.add` → `Y.add(…)`).
 * A missing or mistyped import is a `LinkError` naming it.
 *
 * @module
 */

import { Module } from "../api/module.ts";
import { LinkError } from "../errors.ts";
import { hostDestructor } from "./abi/builtins.ts";
import { ComponentFunc, type JsFunction } from "./abi/call.ts";
import { RuntimeResource } from "./abi/resources.ts";
import type { ExternDesc, TypeDecl } from "./binary/model.ts";
import { type TypeDefIn, TypeScope } from "./instantiate_types.ts";
import { camelCase, upperCamelCase } from "./js_names.ts";
import type { Extern, RuntimeInstance } from "./runtime_values.ts";
import type { FuncType } from "./types.ts";

/** Splits `ns:pkg/iface@1.2.3` into the unversioned name and the version ("" if none). */
export function splitVersion(name: string): [string, string] {
  const at = name.lastIndexOf("@");
  return at <= 0 ? [name, ""] : [name.slice(0, at), name.slice(at + 1)];
}

function parseSemver(v: string): number[] | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(v);
  return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * Whether a provider of version `have` satisfies an import of `want`:
 * the same major version (the same minor for 0.x, the same patch for
 * 0.0.x), and not older.
 */
export function semverCompatible(want: string, have: string): boolean {
  const a = parseSemver(want), b = parseSemver(have);
  if (a === null || b === null) return want === have;
  if (a[0] !== b[0]) return false;
  if (a[0] === 0 && a[1] !== b[1]) return false;
  if (a[0] === 0 && a[1] === 0 && a[2] !== b[2]) return false;
  return b[1] > a[1] || (b[1] === a[1] && b[2] >= a[2]);
}

/**
 * A world-level function or resource as jco's import objects give it:
 * itself, or the `default` member of an object under its name.
 */
export function unwrapDefault(v: unknown): unknown {
  if (typeof v === "object" && v !== null && "default" in v) {
    return (v as { default: unknown }).default;
  }
  return v;
}

/**
 * The object holding a world-level resource's class (under its
 * UpperCamelCase name), for `[constructor]r`, `[method]r.m`, `[static]r.s`
 * imports: jco's `{ r: { default: R } }`, or `{ R }`.
 */
export function worldResourceHost(
  imports: Record<string, unknown>,
  name: string,
): Record<string, unknown> {
  const m = /^\[[a-z]+\]([^.]*)/.exec(name);
  const resource = m === null ? name : m[1];
  return { [upperCamelCase(resource)]: unwrapDefault(lookupImport(imports, resource)) };
}

/** The import object's value for import `name` (undefined if there is none). */
export function lookupImport(imports: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(imports, name)) return imports[name];
  const [base, version] = splitVersion(name);
  if (version !== "" && Object.hasOwn(imports, base)) return imports[base];
  if (version !== "") {
    let best: string | null = null;
    for (const key of Object.keys(imports)) {
      const [kb, kv] = splitVersion(key);
      if (kb !== base || kv === "" || !semverCompatible(version, kv)) continue;
      if (best === null || semverCompatible(splitVersion(best)[1], kv)) best = key;
    }
    if (best !== null) return imports[best];
  }
  for (const key of [camelCase(name), upperCamelCase(name)]) {
    if (Object.hasOwn(imports, key)) return imports[key];
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

/** What a function import's name says about how to call the host (jco's resource conventions). */
function hostFunction(
  host: Record<string, unknown>,
  name: string,
  where: string,
): JsFunction {
  const m = /^\[(constructor|method|static)\]([^.]*)(?:\.(.*))?$/.exec(name);
  const need = (v: unknown, what: string): JsFunction => {
    if (typeof v !== "function") {
      throw new LinkError(
        `${where}: ${v === undefined ? "missing" : "not a function:"} ${what} for "${name}"`,
      );
    }
    return v as JsFunction;
  };
  if (m === null) return need(host[camelCase(name)], camelCase(name));
  const cls = need(host[upperCamelCase(m[2])], `class ${upperCamelCase(m[2])}`);
  const member = camelCase(m[3] ?? "");
  switch (m[1]) {
    case "constructor":
      return (...args) => Reflect.construct(cls, args);
    case "static": {
      const f = need(cls[member as keyof typeof cls], `${upperCamelCase(m[2])}.${member}`);
      return (...args) => f.apply(cls, args);
    }
    default:
      return (self, ...args) => {
        const f = (self as Record<string, unknown> | null)?.[member];
        if (typeof f !== "function") {
          throw new TypeError(`${where}: the resource object has no method ${member}`);
        }
        return f.apply(self, args);
      };
  }
}

/**
 * The run-time instance a host object provides for an import of instance
 * type `t` (named `where` in messages).
 */
export function hostInstance(t: TypeDefIn, host: unknown, where: string): RuntimeInstance {
  if (!isObject(host)) throw new LinkError(`missing import "${where}" (an instance: an object)`);
  const scope = new TypeScope(t.scope);
  const out: RuntimeInstance = new Map();
  for (const d of t.def.decls) declare(scope, d, host, where, out);
  return out;
}

function declare(
  scope: TypeScope,
  d: TypeDecl,
  host: Record<string, unknown>,
  where: string,
  out: RuntimeInstance,
): void {
  switch (d.kind) {
    case "coreType":
      scope.coreTypes.push(d.type);
      return;
    case "type": {
      const t = d.type;
      scope.types.push(
        t.kind === "instance" || t.kind === "component"
          ? { kind: `${t.kind}-type`, def: t, scope }
          : t.kind === "resource"
          ? new RuntimeResource("", null, null)
          : scope.resolveValOrFunc(t),
      );
      return;
    }
    case "alias": {
      const a = d.alias;
      if (a.kind !== "outer" || a.sort !== "type") {
        throw new LinkError(`${where}: unsupported alias in an instance type`);
      }
      scope.types.push(scope.outer(a.count).type(a.index));
      return;
    }
    case "export":
    case "import": {
      const name = d.name.name;
      const e = hostExtern(
        scope,
        d.desc,
        host[jsKey(name, d.desc)],
        `${where}#${name}`,
        host,
        name,
      );
      if (e.sort === "type") scope.types.push(e.value);
      if (d.kind === "export") out.set(name, e);
      return;
    }
  }
}

/** The JS property a member of an interface is found under. */
function jsKey(name: string, desc: ExternDesc): string {
  return desc.kind === "type" ? upperCamelCase(name) : camelCase(name);
}

/**
 * Converts host value `v` for an import described by `desc` (resolved in
 * `scope`) into a run-time value. `container`/`name` locate a function
 * inside an interface object (for resource methods).
 */
export function hostExtern(
  scope: TypeScope,
  desc: ExternDesc,
  v: unknown,
  where: string,
  container: Record<string, unknown> | null = null,
  name = "",
): Extern {
  switch (desc.kind) {
    case "func": {
      const type: FuncType = scope.funcType(desc.type);
      const fn = container !== null
        ? hostFunction(container, name, where.slice(0, where.lastIndexOf("#")))
        : typeof v === "function"
        ? v as JsFunction
        : null;
      if (fn === null) throw new LinkError(`missing import "${where}" (a function)`);
      return { sort: "func", value: ComponentFunc.host(type, fn) };
    }
    case "instance":
      return {
        sort: "instance",
        value: hostInstance(scope.typeDef(desc.type, "instance-type"), v, where),
      };
    case "type": {
      if (desc.bound.kind === "eq") return { sort: "type", value: scope.type(desc.bound.type) };
      if (typeof v !== "function") {
        throw new LinkError(`missing import "${where}" (a resource: its class)`);
      }
      const cls = v as abstract new (...a: never[]) => unknown;
      const label = where.slice(where.lastIndexOf("#") + 1);
      return { sort: "type", value: new RuntimeResource(label, null, hostDestructor(cls), cls) };
    }
    case "module":
      if (!(v instanceof Module)) throw new LinkError(`missing import "${where}" (a core module)`);
      return { sort: "module", value: v };
    case "value":
      if (v === undefined) throw new LinkError(`missing import "${where}" (a value)`);
      return { sort: "value", value: v };
    case "component":
      throw new LinkError(`import "${where}": components cannot be imported from the host yet`);
  }
}
