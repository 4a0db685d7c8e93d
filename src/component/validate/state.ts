/**
 * The state of one scope being validated — a component, a component type
 * or an instance type: its index spaces, its imports and exports, and what
 * it knows about resources (imported, defined, explicitly exported) and
 * about which types have names (the "named types" rule of exports). The
 * rules follow wasm-tools' validator, whose messages the suite expects.
 *
 * @module
 */
import type {
  FuncType as CoreFuncType,
  GlobalType,
  Limits,
  TableType,
} from "../../binary/types.ts";
import type { ExternDesc, ExternName, ValTypeRef } from "../binary/model.ts";
import { invalid } from "./errors.ts";
import {
  type AnyType,
  type ComponentType,
  type CoreInstanceType,
  type CoreType,
  type DefinedType,
  type Entity,
  type FuncType,
  type InstanceType,
  LEAF,
  type ModuleType,
  type Path,
  Resource,
  type ResourceRef,
  type TypeInfo,
  type ValType,
} from "./types.ts";
import { NameContext, validateExtern } from "./externs.ts";
import { remapEntity, Remapping } from "./remap.ts";
import { allNamed, funcNamed, valNamed } from "./named_types.ts";
import { freeEntity } from "./free_resources.ts";

/** What kind of scope is validated. */
export type ScopeKind = "component" | "componentType" | "instanceType";

/** Index spaces and facts of one scope. */
export class ComponentState {
  readonly kind: ScopeKind;

  readonly coreTypes: CoreType[] = [];
  readonly coreFuncs: CoreFuncType[] = [];
  readonly coreTags: CoreFuncType[] = [];
  readonly coreModules: ModuleType[] = [];
  readonly coreInstances: CoreInstanceType[] = [];
  readonly coreMemories: Limits[] = [];
  readonly coreTables: TableType[] = [];
  readonly coreGlobals: GlobalType[] = [];

  readonly types: AnyType[] = [];
  readonly funcs: FuncType[] = [];
  readonly values: { type: ValType; used: boolean }[] = [];
  readonly instances: InstanceType[] = [];
  readonly components: ComponentType[] = [];

  readonly imports = new Map<string, Entity>();
  readonly importNames = new Map<string, string>();
  readonly exports = new Map<string, Entity>();
  readonly exportNames = new Map<string, string>();

  /** Imported resources ("type variables") and their import paths. */
  readonly importedResources = new Map<Resource, Path>();
  /** Resources defined here (or by instances made here), with their representation if known. */
  readonly definedResources = new Map<Resource, number | null>();
  /** Resources exported explicitly, with their export paths. */
  readonly explicitResources = new Map<Resource, Path>();
  /** Type names that exports may use. */
  readonly exportedTypes = new Set<AnyType>();
  /** Type names that imports may use. */
  readonly importedTypes = new Set<AnyType>();
  readonly exportedResourceNames = new NameContext();
  readonly importedResourceNames = new NameContext();
  /** The type of `context.get`/`context.set` slots, once one is seen. */
  contextType: number | null = null;
  /** Combined info of the imports and exports (type size accounting). */
  info: TypeInfo = LEAF;

  constructor(kind: ScopeKind) {
    this.kind = kind;
  }

  // --- index spaces ---

  coreTypeAt(i: number, offset: number): CoreType {
    return this.coreTypes[i] ?? invalid(offset, `unknown type ${i}: type index out of bounds`);
  }
  typeAt(i: number, offset: number): AnyType {
    return this.types[i] ?? invalid(offset, `unknown type ${i}: type index out of bounds`);
  }
  funcTypeAt(i: number, offset: number): FuncType {
    const t = this.typeAt(i, offset);
    if (t.kind !== "func") invalid(offset, `type index ${i} is not a function type`);
    return t;
  }
  definedTypeAt(i: number, offset: number): DefinedType {
    const t = this.typeAt(i, offset);
    if (
      t.kind === "func" || t.kind === "instance" || t.kind === "component" || t.kind === "resource"
    ) {
      invalid(offset, `type index ${i} is not a defined type`);
    }
    return t;
  }
  resourceAt(i: number, offset: number): ResourceRef {
    const t = this.typeAt(i, offset);
    if (t.kind !== "resource") invalid(offset, `type index ${i} is not a resource type`);
    return t;
  }
  funcAt(i: number, offset: number): FuncType {
    return this.funcs[i] ?? invalid(offset, `unknown function ${i}: function index out of bounds`);
  }
  componentAt(i: number, offset: number): ComponentType {
    return this.components[i] ??
      invalid(offset, `unknown component ${i}: component index out of bounds`);
  }
  instanceAt(i: number, offset: number): InstanceType {
    return this.instances[i] ??
      invalid(offset, `unknown instance ${i}: instance index out of bounds`);
  }
  valueAt(i: number, offset: number): ValType {
    const v = this.values[i];
    if (v === undefined) invalid(offset, `unknown value ${i}: value index out of bounds`);
    if (v.used) invalid(offset, `value ${i} cannot be used more than once`);
    v.used = true;
    return v.type;
  }
  coreFuncAt(i: number, offset: number): CoreFuncType {
    return this.coreFuncs[i] ??
      invalid(offset, `unknown core function ${i}: function index out of bounds`);
  }
  moduleAt(i: number, offset: number): ModuleType {
    return this.coreModules[i] ??
      invalid(offset, `unknown module ${i}: module index out of bounds`);
  }
  coreInstanceAt(i: number, offset: number): CoreInstanceType {
    return this.coreInstances[i] ??
      invalid(offset, `unknown core instance ${i}: instance index out of bounds`);
  }
  memoryAt(i: number, offset: number): Limits {
    return this.coreMemories[i] ??
      invalid(offset, `unknown memory ${i}: memory index out of bounds`);
  }
  tableAt(i: number, offset: number): TableType {
    return this.coreTables[i] ?? invalid(offset, `unknown table ${i}: table index out of bounds`);
  }

  // --- types ---

  /** A value type reference. */
  valType(t: ValTypeRef, offset: number): ValType {
    if (typeof t === "string") return t;
    return this.definedTypeAt(t, offset);
  }

  // --- imports and exports ---

  /** The entity an `externtype` describes. */
  externEntity(d: ExternDesc, offset: number): Entity {
    switch (d.kind) {
      case "module": {
        const t = this.coreTypeAt(d.type, offset);
        if (t.kind !== "module") invalid(offset, `core type index ${d.type} is not a module type`);
        return { kind: "module", type: t };
      }
      case "func":
        return { kind: "func", type: this.funcTypeAt(d.type, offset) };
      case "value":
        invalid(offset, "support for component model `value`s is not enabled");
        break;
      case "type": {
        if (d.bound.kind === "subResource") {
          const r: ResourceRef = { kind: "resource", resource: new Resource(), info: LEAF };
          return { kind: "type", created: r, referenced: r };
        }
        const referenced = this.typeAt(d.bound.type, offset);
        return { kind: "type", created: withUnique(referenced), referenced };
      }
      case "instance": {
        const t = this.typeAt(d.type, offset);
        if (t.kind !== "instance") invalid(offset, `type index ${d.type} is not an instance type`);
        return { kind: "instance", type: t };
      }
      case "component": {
        const t = this.typeAt(d.type, offset);
        if (t.kind !== "component") invalid(offset, `type index ${d.type} is not a component type`);
        return { kind: "component", type: t };
      }
    }
  }

  /** Adds an import. */
  addImport(name: ExternName, entity: Entity, offset: number): void {
    entity = this.addEntity(entity, name.name, "import", offset);
    validateExtern(this, name, "import", entity, offset);
  }

  /** Adds an export. */
  addExport(name: ExternName, entity: Entity, offset: number): void {
    entity = this.addEntity(entity, name.name, "export", offset);
    validateExtern(this, name, "export", entity, offset);
  }

  /**
   * Adds an item to its index space. With `extern`, it is an import or
   * export: instances are prepared (their resources freshened), and the
   * types it uses must be named.
   */
  addEntity(
    e: Entity,
    name: string | null,
    extern: "import" | "export" | null,
    offset: number,
  ): Entity {
    switch (e.kind) {
      case "module":
        this.coreModules.push(e.type);
        break;
      case "component":
        this.components.push(e.type);
        break;
      case "instance": {
        let t = e.type;
        if (extern === "import") t = this.prepareInstanceImport(t);
        else if (extern === "export") t = this.prepareInstanceExport(t);
        e = { kind: "instance", type: t };
        this.instances.push(t);
        break;
      }
      case "func":
        this.funcs.push(e.type);
        break;
      case "value":
        invalid(offset, "support for component model `value`s is not enabled");
        break;
      case "type": {
        this.types.push(e.created);
        if (e.created.kind === "resource") {
          const r = e.created.resource;
          if (extern === "import" && e.created === e.referenced) {
            this.importedResources.set(r, [this.imports.size]);
          } else if (extern === "export") {
            if (e.created === e.referenced) this.definedResources.set(r, null);
            this.explicitResources.set(r, [this.exports.size]);
          }
        }
        break;
      }
    }
    if (extern !== null && !this.registerNamedTypes(name, extern, e)) {
      invalid(offset, `${e.kind} not valid to be used as ${extern}`);
    }
    return e;
  }

  /**
   * Checks that the types `e` refers to are named by earlier imports or
   * exports, and records the names `e` gives.
   */
  registerNamedTypes(name: string | null, kind: "import" | "export", e: Entity): boolean {
    if (e.kind === "type" && name !== null && e.created.kind === "resource") {
      const cx = kind === "import" ? this.importedResourceNames : this.exportedResourceNames;
      cx.register(name, e.created);
    }
    if (this.kind === "instanceType") return true;
    const set = kind === "import" ? this.importedTypes : this.exportedTypes;
    switch (e.kind) {
      case "type":
        if (!allNamed(e.referenced, set)) return false;
        if (kind === "import") this.importedTypes.add(e.created);
        this.exportedTypes.add(e.created);
        return true;
      case "instance":
        for (const x of e.type.exports.values()) {
          if (!this.registerNamedTypes(null, kind, x)) return false;
        }
        return true;
      case "func":
        return funcNamed(e.type, set);
      case "value":
        return valNamed(e.type, set);
      default:
        return true;
    }
  }

  /** An imported instance type gets fresh resources for those it defines. */
  private prepareInstanceImport(t: InstanceType): InstanceType {
    if (t.definedResources.length === 0) return t;
    const m = new Remapping();
    for (const old of t.definedResources) {
      const fresh = new Resource();
      m.resources.set(old, fresh);
      this.importedResources.set(fresh, [
        this.imports.size,
        ...(t.explicitResources.get(old) ?? []),
      ]);
    }
    return freshenInstance(t, m);
  }

  /** An exported instance type (in a type context) defines fresh resources here. */
  private prepareInstanceExport(t: InstanceType): InstanceType {
    if (t.definedResources.length > 0) {
      const m = new Remapping();
      for (const old of t.definedResources) {
        const fresh = new Resource();
        m.resources.set(old, fresh);
        this.definedResources.set(fresh, null);
      }
      t = freshenInstance(t, m);
    }
    for (const [r, path] of t.explicitResources) {
      this.explicitResources.set(r, [this.exports.size, ...path]);
    }
    return t;
  }

  /** Completes a component (or component type) scope: its type, with the resource checks. */
  finish(offset: number): ComponentType {
    const free = new Set<Resource>();
    for (const e of this.imports.values()) freeEntity(e, free);
    for (const r of this.definedResources.keys()) {
      if (free.has(r)) invalid(offset, "local resource type found in imports");
    }
    free.clear();
    for (const e of this.exports.values()) freeEntity(e, free);
    const defined = new Map<Resource, Path>();
    for (const r of this.definedResources.keys()) {
      if (!free.has(r)) continue;
      const path = this.explicitResources.get(r);
      if (path === undefined) {
        invalid(offset, "local resource type found in export but not exported itself");
      }
      defined.set(r, path);
    }
    return {
      kind: "component",
      info: this.info,
      imports: this.imports,
      exports: this.exports,
      importedResources: this.importedResources,
      definedResources: defined,
      explicitResources: this.explicitResources,
    };
  }
}

function freshenInstance(t: InstanceType, m: Remapping): InstanceType {
  const exports = new Map<string, Entity>();
  for (const [k, e] of t.exports) exports.set(k, remapEntity(e, m));
  const explicit = new Map<Resource, Path>();
  for (const [r, p] of t.explicitResources) explicit.set(m.resources.get(r) ?? r, p);
  return { ...t, exports, definedResources: [], explicitResources: explicit };
}

/** A new name for a type (a resource keeps its identity; another type is copied). */
export function withUnique(t: AnyType): AnyType {
  return t.kind === "resource"
    ? { kind: "resource", resource: t.resource, info: t.info }
    : { ...t };
}
