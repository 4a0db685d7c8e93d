/**
 * Validation of the definitions that build a scope's index spaces: core
 * and component instances (instantiation type-checks the arguments against
 * the imports and substitutes the resources they supply), aliases (export,
 * core export and outer, with the rule that an outer type alias crossing a
 * component boundary may not carry resources), types (including component
 * and instance types, validated in their own scopes), and core types.
 *
 * @module
 */
import type {
  Alias,
  CoreInstanceExpr,
  CoreTypeDef,
  InstanceExpr,
  TypeDecl,
  TypeDef,
} from "../binary/model.ts";
import { invalid, withContext } from "./errors.ts";
import { checkExternName, NameContext } from "./externs.ts";
import { createModuleType } from "./core.ts";
import { ComponentState, withUnique } from "./state.ts";
import { checkDepth, defineFuncType, defineValueType } from "./value_types.ts";
import { freeAny } from "./free_resources.ts";
import { openInstanceType } from "./subtype.ts";
import { coreEntitySubtype } from "./core_subtype.ts";
import { remapEntity } from "./remap.ts";
import {
  type AnyType,
  combine,
  type ComponentType,
  type CoreEntity,
  type CoreInstanceType,
  type CoreType,
  type Entity,
  type InstanceType,
  LEAF,
  type Path,
  Resource,
  type TypeInfo,
} from "./types.ts";

/** The scopes being validated, innermost last. */
export type Stack = ComponentState[];

/** The innermost scope. */
export function top(stack: Stack): ComponentState {
  return stack[stack.length - 1];
}

/** Adds a core instance: an instantiation (imports checked) or a bundle of exports. */
export function addCoreInstance(s: ComponentState, expr: CoreInstanceExpr, offset: number): void {
  if (expr.kind === "exports") {
    const exports = new Map<string, CoreEntity>();
    for (const e of expr.exports) {
      let t: CoreEntity;
      switch (e.sort) {
        case "func":
          t = { kind: "func", type: s.coreFuncAt(e.index, offset) };
          break;
        case "table":
          t = { kind: "table", type: s.tableAt(e.index, offset) };
          break;
        case "memory":
          t = { kind: "memory", type: { limits: s.memoryAt(e.index, offset) } };
          break;
        case "global":
          t = {
            kind: "global",
            type: s.coreGlobals[e.index] ??
              invalid(offset, `unknown global ${e.index}: global index out of bounds`),
          };
          break;
        case "tag":
          t = {
            kind: "tag",
            type: s.coreTags[e.index] ??
              invalid(offset, `unknown tag ${e.index}: tag index out of bounds`),
          };
          break;
      }
      if (exports.has(e.name)) {
        invalid(offset, `duplicate instantiation export name \`${e.name}\` already defined`);
      }
      exports.set(e.name, t);
    }
    s.coreInstances.push({ exports });
    return;
  }
  const module = s.moduleAt(expr.module, offset);
  const args = new Map<string, CoreInstanceType>();
  for (const a of expr.args) {
    const inst = s.coreInstanceAt(a.instance, offset);
    if (args.has(a.name)) {
      invalid(offset, `duplicate module instantiation argument named \`${a.name}\``);
    }
    args.set(a.name, inst);
  }
  for (const imp of module.imports.values()) {
    const inst = args.get(imp.module);
    if (inst === undefined) {
      invalid(offset, `missing module instantiation argument named \`${imp.module}\``);
    }
    const arg = inst.exports.get(imp.name);
    if (arg === undefined) {
      invalid(
        offset,
        `module instantiation argument \`${imp.module}\` does not export an item named \`${imp.name}\``,
      );
    }
    withContext(
      () =>
        `type mismatch for export \`${imp.name}\` of module instantiation argument \`${imp.module}\``,
      () => coreEntitySubtype(arg, imp.type, offset),
    );
  }
  s.coreInstances.push({ exports: module.exports });
}

/**
 * The entity an item of a scope is, by sort and index. With `rename`, a
 * type gets a new name (an export's), as wasm-tools' `with_unique`.
 */
export function sortEntity(
  s: ComponentState,
  sort: string,
  index: number,
  offset: number,
  rename = false,
): Entity {
  switch (sort) {
    case "module":
      return { kind: "module", type: s.moduleAt(index, offset) };
    case "component":
      return { kind: "component", type: s.componentAt(index, offset) };
    case "instance":
      return { kind: "instance", type: s.instanceAt(index, offset) };
    case "func":
      return { kind: "func", type: s.funcAt(index, offset) };
    case "value":
      return invalid(offset, "support for component model `value`s is not enabled");
    default: {
      const t = s.typeAt(index, offset);
      return { kind: "type", created: rename ? withUnique(t) : t, referenced: t };
    }
  }
}

/** Adds a component instance: an instantiation or a bundle of exports. */
export function addInstance(s: ComponentState, expr: InstanceExpr, offset: number): void {
  if (expr.kind === "exports") {
    const exports = new Map<string, Entity>();
    const explicit = new Map<Resource, Path>();
    const names = new Map<string, string>();
    const cx = new NameContext();
    for (const e of expr.exports) {
      const entity = sortEntity(s, e.sort, e.index, offset);
      if (entity.kind === "instance") {
        for (const [r, path] of entity.type.explicitResources) {
          explicit.set(r, [exports.size, ...path]);
        }
      } else if (entity.kind === "type" && entity.created.kind === "resource") {
        explicit.set(entity.created.resource, [exports.size]);
      }
      checkExternName(cx, e.name, "export", entity, offset, names, exports);
    }
    s.instances.push({
      kind: "instance",
      info: combine([...exports.values()].map(entityInfo), offset),
      exports,
      definedResources: [],
      explicitResources: explicit,
    });
    return;
  }
  const ct = s.componentAt(expr.component, offset);
  const args = new Map<string, Entity>();
  for (const a of expr.args) {
    const entity = sortEntity(s, a.sort, a.index, offset);
    if (args.has(a.name)) {
      invalid(
        offset,
        `instantiation argument \`${a.name}\` conflicts with previous argument \`${a.name}\``,
      );
    }
    args.set(a.name, entity);
  }
  const mapping = openInstanceType(args, ct, "import", offset);
  const fresh: Resource[] = [];
  for (const old of ct.definedResources.keys()) {
    const r = new Resource();
    fresh.push(r);
    mapping.resources.set(old, r);
  }
  const exports = new Map<string, Entity>();
  for (const [k, e] of ct.exports) exports.set(k, remapEntity(e, mapping));
  const explicit = new Map<Resource, Path>();
  for (const [r, p] of ct.explicitResources) explicit.set(mapping.resources.get(r) ?? r, p);
  for (const r of fresh) s.definedResources.set(r, null);
  s.instances.push({
    kind: "instance",
    info: combine([...ct.exports.values()].map(entityInfo), offset),
    exports,
    definedResources: [],
    explicitResources: explicit,
  });
}

/** The type info an entity contributes. */
export function entityInfo(e: Entity): TypeInfo {
  switch (e.kind) {
    case "module":
      return LEAF;
    case "value":
      return typeof e.type === "string" ? LEAF : e.type.info;
    case "type":
      return e.created.info;
    default:
      return e.type.info;
  }
}

/** Adds an alias. */
export function addAlias(stack: Stack, a: Alias, offset: number): void {
  const s = top(stack);
  if (s.kind !== "component") {
    const ok = (a.kind === "export" && (a.sort === "type" || a.sort === "instance")) ||
      (a.kind === "outer" && (a.sort === "type" || a.sort === "coreType"));
    if (!ok) {
      invalid(
        offset,
        "aliases in a component or instance type may only refer to types or instances",
      );
    }
  }
  switch (a.kind) {
    case "export": {
      if (a.sort === "value") {
        invalid(offset, "support for component model `value`s is not enabled");
      }
      const e = s.instanceAt(a.instance, offset).exports.get(a.name);
      if (e === undefined) {
        invalid(offset, `instance ${a.instance} has no export named \`${a.name}\``);
      }
      const want = a.sort === "module" ? "module" : a.sort;
      if (e.kind !== want) {
        invalid(offset, `export \`${a.name}\` for instance ${a.instance} is not a ${a.sort}`);
      }
      s.addEntity(e, null, null, offset);
      return;
    }
    case "coreExport": {
      const e = s.coreInstanceAt(a.instance, offset).exports.get(a.name);
      if (e === undefined) {
        invalid(offset, `core instance ${a.instance} has no export named \`${a.name}\``);
      }
      const names = {
        func: "function",
        table: "table",
        memory: "memory",
        global: "global",
        tag: "tag",
      };
      if (e.kind !== a.sort) {
        invalid(
          offset,
          `export \`${a.name}\` for core instance ${a.instance} is not a ${names[a.sort]}`,
        );
      }
      switch (e.kind) {
        case "func":
          s.coreFuncs.push(e.type);
          break;
        case "table":
          s.coreTables.push(e.type);
          break;
        case "memory":
          s.coreMemories.push(e.type.limits);
          break;
        case "global":
          s.coreGlobals.push(e.type);
          break;
        case "tag":
          s.coreTags.push(e.type);
          break;
      }
      return;
    }
    case "outer": {
      if (a.count >= stack.length) invalid(offset, `invalid outer alias count of ${a.count}`);
      const target = stack[stack.length - 1 - a.count];
      switch (a.sort) {
        case "module":
          s.coreModules.push(target.moduleAt(a.index, offset));
          return;
        case "component":
          s.components.push(target.componentAt(a.index, offset));
          return;
        case "coreType":
          s.coreTypes.push(target.coreTypeAt(a.index, offset));
          return;
        case "type": {
          const t = target.typeAt(a.index, offset);
          const after = stack[stack.length - a.count];
          if (after !== undefined && after.kind === "component") {
            const free = new Set<Resource>();
            freeAny(t, free);
            if (free.size > 0) {
              invalid(
                offset,
                "cannot alias outer type which transitively refers to resources not defined in the current component",
              );
            }
          }
          s.types.push(t);
          return;
        }
      }
    }
  }
}

/** Adds a core type (a function type, or a module type validated in place). */
export function addCoreType(stack: Stack, t: CoreTypeDef, offset: number): void {
  const s = top(stack);
  if (t.kind === "func") {
    s.coreTypes.push({ kind: "func", type: t.type });
    return;
  }
  const outer = (count: number, index: number, at: number): CoreType => {
    if (count >= stack.length) invalid(at, `invalid outer alias count of ${count}`);
    return stack[stack.length - 1 - count].coreTypeAt(index, at);
  };
  s.coreTypes.push(createModuleType(t.decls, outer, offset));
}

/** Adds a type definition. */
export function addType(stack: Stack, t: TypeDef, offset: number): void {
  const s = top(stack);
  let type: AnyType;
  switch (t.kind) {
    case "func":
      type = defineFuncType(s, t, offset);
      break;
    case "component":
      type = declsType(stack, t.decls, "componentType", offset) as ComponentType;
      break;
    case "instance":
      type = declsType(stack, t.decls, "instanceType", offset) as InstanceType;
      break;
    case "resource": {
      if (s.kind !== "component") {
        invalid(offset, "resources can only be defined within a concrete component");
      }
      if (t.rep === 0x7e) {
        invalid(offset, "resources with `i64` require the `cm64` feature to be enabled");
      }
      if (t.rep !== 0x7f) invalid(offset, "resources can only be represented by `i32` or `i64`");
      if (t.dtor !== null) {
        const f = s.coreFuncAt(t.dtor, offset);
        if (f.params.length !== 1 || f.params[0] !== 0x7f || f.results.length !== 0) {
          invalid(offset, `core function ${t.dtor} has wrong signature for a destructor`);
        }
      }
      const r = new Resource();
      s.definedResources.set(r, t.rep);
      type = { kind: "resource", resource: r, info: LEAF };
      break;
    }
    default:
      type = defineValueType(s, t, offset);
      checkDepth(type, offset);
  }
  s.types.push(type);
}

/** Validates the declarations of a component or instance type in a new scope. */
function declsType(
  stack: Stack,
  decls: readonly TypeDecl[],
  kind: "componentType" | "instanceType",
  offset: number,
): ComponentType | InstanceType {
  const s = new ComponentState(kind);
  stack.push(s);
  try {
    for (const d of decls) {
      const at = d.offset || offset;
      switch (d.kind) {
        case "coreType":
          addCoreType(stack, d.type, at);
          break;
        case "type":
          addType(stack, d.type, at);
          break;
        case "alias":
          addAlias(stack, d.alias, at);
          break;
        case "import":
          s.addImport(d.name, s.externEntity(d.desc, at), at);
          break;
        case "export":
          s.addExport(d.name, s.externEntity(d.desc, at), at);
          break;
      }
    }
  } finally {
    stack.pop();
  }
  if (kind === "componentType") return s.finish(offset);
  return {
    kind: "instance",
    info: s.info,
    exports: s.exports,
    definedResources: [...s.definedResources.keys()],
    explicitResources: s.explicitResources,
  };
}
