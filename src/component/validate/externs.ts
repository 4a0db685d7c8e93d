/**
 * Import and export names in context: the name must be well-formed, unique
 * in its scope (strongly-unique, and as a string), allowed for the kind of
 * item (`[constructor]`/`[method]`/`[static]` names need functions of the
 * right shape on a resource named in the same scope), and its attributes
 * (`implements`, `versionsuffix`) must fit.
 *
 * @module
 */
import type { ExternName } from "../binary/model.ts";
import { invalid, withContext } from "./errors.ts";
import {
  type ComponentName,
  interfaceVersion,
  NameError,
  nameKey,
  parseComponentName,
  semverError,
} from "./names.ts";
import { combine, type Entity, type ResourceRef } from "./types.ts";
import type { ComponentState } from "./state.ts";

/** The resources named in one scope's imports (or exports), for method-name checks. */
export class NameContext {
  private readonly byResource = new Map<ResourceRef, number>();
  private readonly names: string[] = [];

  /** Records that the resource name `r` is imported or exported as `name`. */
  register(name: string, r: ResourceRef): void {
    this.byResource.set(r, this.names.length);
    this.names.push(name);
  }

  /** True when some resource is named `name` here. */
  knows(name: string): boolean {
    return this.names.includes(name);
  }

  /** Checks that `r` is the resource named `name` here. */
  checkResourceName(r: ResourceRef, name: string, offset: number): void {
    const i = this.byResource.get(r);
    if (i === undefined) {
      invalid(offset, "resource used in function does not have a name in this context");
    }
    if (this.names[i] !== name) {
      invalid(offset, `function does not match expected resource name \`${this.names[i]}\``);
    }
  }
}

function parseName(name: string, offset: number, context: string): ComponentName {
  try {
    return parseComponentName(name);
  } catch (e) {
    if (e instanceof NameError) invalid(offset, `${context}: ${e.message}`);
    throw e;
  }
}

/**
 * The checks of an import or export name for `e` in a scope; records the
 * name in `names` (strong uniqueness) and `items` (string uniqueness).
 */
export function checkExternName(
  cx: NameContext,
  n: ExternName,
  kind: "import" | "export",
  e: Entity,
  offset: number,
  names: Map<string, string>,
  items: Map<string, Entity>,
): void {
  const name = parseName(n.name, offset, `${kind} name \`${n.name}\` is not a valid extern name`);
  if (
    kind === "export" && (name.kind === "hash" || name.kind === "url" || name.kind === "dependency")
  ) {
    invalid(offset, `name \`${n.name}\` is not a valid export name`);
  }
  if (n.implements !== null) {
    if (name.kind !== "label") {
      invalid(offset, `name \`${n.name}\` is not valid with \`implements\``);
    }
    if (e.kind !== "instance") invalid(offset, "only instances can have an `implements`");
    const i = parseName(n.implements, offset, `\`${n.implements}\` is not a valid name`);
    if (i.kind !== "interface") invalid(offset, `name \`${n.implements}\` must be an interface`);
  }
  if (n.versionSuffix !== null && e.kind !== "instance") {
    invalid(offset, "only instances can have an `versionsuffix`");
  }
  withContext(
    () => `${kind} name \`${n.name}\` is not valid`,
    () => checkNameFor(cx, name, n, e, offset),
  );
  const key = nameKey(name);
  const prev = names.get(key);
  if (prev !== undefined) {
    invalid(offset, `${kind} name \`${n.name}\` conflicts with previous name \`${prev}\``);
  }
  names.set(key, n.name);
  if (items.has(n.name)) {
    invalid(offset, `${kind} name \`${n.name}\` conflicts with previous name \`${n.name}\``);
  }
  items.set(n.name, e);
}

/** {@link checkExternName} for a scope's own imports or exports, also counting their size. */
export function validateExtern(
  s: ComponentState,
  n: ExternName,
  kind: "import" | "export",
  e: Entity,
  offset: number,
): void {
  const cx = kind === "import" ? s.importedResourceNames : s.exportedResourceNames;
  const names = kind === "import" ? s.importNames : s.exportNames;
  const items = kind === "import" ? s.imports : s.exports;
  checkExternName(cx, n, kind, e, offset, names, items);
  if (e.kind !== "value" && e.kind !== "module") {
    const info = e.kind === "type" ? e.created.info : e.type.info;
    s.info = combine([s.info, info], offset);
  }
}

function checkNameFor(
  cx: NameContext,
  name: ComponentName,
  n: ExternName,
  e: Entity,
  offset: number,
): void {
  const func = () => {
    if (e.kind !== "func") invalid(offset, "item is not a func");
    return e.type;
  };
  switch (name.kind) {
    case "interface": {
      const v = interfaceVersion(n.name, n.versionSuffix);
      const e = v === null ? null : semverError(v);
      if (e !== null) invalid(offset, `invalid interface version: ${e}`);
      return;
    }
    case "constructor": {
      const f = func();
      if (f.async) invalid(offset, "constructor function cannot be async");
      const r = f.result;
      if (r === null) invalid(offset, "function should return one value");
      let own: ResourceRef | null = null;
      if (typeof r !== "string") {
        if (r.kind === "own") own = r.resource;
        else if (
          r.kind === "result" && r.ok !== null && typeof r.ok !== "string" && r.ok.kind === "own"
        ) {
          own = r.ok.resource;
        }
      }
      if (own === null) invalid(offset, "function should return `(own $T)` or `(result (own $T))`");
      return cx.checkResourceName(own, name.resource!, offset);
    }
    case "method": {
      const f = func();
      if (f.params.length === 0) invalid(offset, "function should have at least one argument");
      const [pname, ptype] = f.params[0];
      if (pname !== "self") invalid(offset, "function should have a first argument called `self`");
      if (typeof ptype === "string" || ptype.kind !== "borrow") {
        invalid(offset, "function should take a first argument of `(borrow $T)`");
      }
      return cx.checkResourceName(ptype.resource, name.resource!, offset);
    }
    case "static":
      func();
      if (!cx.knows(name.resource!)) {
        invalid(offset, "static resource name is not known in this context");
      }
      return;
  }
}
