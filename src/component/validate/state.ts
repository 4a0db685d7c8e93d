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
import type {
  DefValType,
  ExternDesc,
  ExternName,
  PrimValType,
  TypeDef,
  ValTypeRef,
} from "../binary/model.ts";
import { invalid } from "./errors.ts";
import {
  type AnyType,
  combine,
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
  valInfo,
  type ValType,
} from "./types.ts";
import { isKebab } from "./names.ts";
import { layout, MAX_ELEM_SIZE } from "./layout.ts";
import { NameContext, validateExtern } from "./externs.ts";
import { remapEntity, Remapping } from "./subtype.ts";

/** What kind of scope is validated. */
export type ScopeKind = "component" | "componentType" | "instanceType";

const MAX_TYPE_DEPTH = 100;

function kebabLabel(s: string, desc: string, offset: number): string {
  if (isKebab(s)) return s;
  if (s === "") invalid(offset, `${desc} name cannot be empty`);
  invalid(offset, `${desc} name \`${s}\` is not in kebab case`);
}

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
    if (typeof t === "string") {
      checkPrim(t, offset);
      return t;
    }
    return this.definedTypeAt(t, offset);
  }

  private optValType(t: ValTypeRef | null, offset: number): ValType | null {
    return t === null ? null : this.valType(t, offset);
  }

  /** Builds a defined value type; its size in memory must stay under 2^28 bytes. */
  definedType(d: DefValType, offset: number): DefinedType {
    const t = this.buildDefined(d, offset);
    if (layout(t).size >= MAX_ELEM_SIZE) {
      invalid(offset, "type exceeds maximum byte size (elem_size(t, i64) must be less than 2^28)");
    }
    return t;
  }

  private buildDefined(d: DefValType, offset: number): DefinedType {
    const val = (t: ValTypeRef) => this.valType(t, offset);
    switch (d.kind) {
      case "prim":
        checkPrim(d.type, offset);
        return { kind: "prim", type: d.type, info: LEAF };
      case "record": {
        if (d.fields.length === 0) invalid(offset, "record type must have at least one field");
        const seen = new Map<string, string>();
        const fields = d.fields.map((f) => {
          const name = kebabLabel(f.name, "record field", offset);
          const type = val(f.type);
          const prev = seen.get(name.toLowerCase());
          if (prev !== undefined) {
            invalid(
              offset,
              `record field name \`${f.name}\` conflicts with previous field name \`${prev}\``,
            );
          }
          seen.set(name.toLowerCase(), name);
          return [name, type] as const;
        });
        return { kind: "record", fields, info: combine(fields.map(([, t]) => valInfo(t)), offset) };
      }
      case "variant": {
        if (d.cases.length === 0) invalid(offset, "variant type must have at least one case");
        const seen = new Map<string, string>();
        const cases = d.cases.map((c) => {
          const name = kebabLabel(c.name, "variant case", offset);
          const type = c.type === null ? null : val(c.type);
          const prev = seen.get(name.toLowerCase());
          if (prev !== undefined) {
            invalid(
              offset,
              `variant case name \`${c.name}\` conflicts with previous case name \`${prev}\``,
            );
          }
          seen.set(name.toLowerCase(), name);
          return [name, type] as const;
        });
        return { kind: "variant", cases, info: combine(cases.map(([, t]) => valInfo(t)), offset) };
      }
      case "list": {
        if (d.length !== null && d.length < 1) {
          invalid(offset, "Fixed-length lists must have more than zero elements");
        }
        if (d.length !== null && d.length > 1_073_741_824) {
          invalid(offset, "fixed-length list element count exceeds limit of 1073741824");
        }
        const element = val(d.element);
        return {
          kind: "list",
          element,
          length: d.length,
          info: combine([valInfo(element)], offset),
        };
      }
      case "map": {
        const key = val(d.key);
        const value = val(d.value);
        return { kind: "map", key, value, info: combine([valInfo(key), valInfo(value)], offset) };
      }
      case "tuple": {
        if (d.types.length === 0) invalid(offset, "tuple type must have at least one type");
        const types = d.types.map(val);
        return { kind: "tuple", types, info: combine(types.map(valInfo), offset) };
      }
      case "flags": {
        if (d.names.length === 0) invalid(offset, "flags must have at least one entry");
        if (d.names.length > 32) invalid(offset, "cannot have more than 32 flags");
        checkLabels(d.names, "flag", "flag name", "previous flag name", offset);
        return { kind: "flags", names: d.names, info: LEAF };
      }
      case "enum": {
        if (d.names.length === 0) invalid(offset, "enum type must have at least one variant");
        checkLabels(d.names, "enum tag", "enum tag name", "previous tag name", offset);
        return { kind: "enum", names: d.names, info: LEAF };
      }
      case "option": {
        const type = val(d.type);
        return { kind: "option", type, info: combine([valInfo(type)], offset) };
      }
      case "result": {
        const ok = this.optValType(d.ok, offset);
        const err = this.optValType(d.err, offset);
        return { kind: "result", ok, err, info: combine([valInfo(ok), valInfo(err)], offset) };
      }
      case "own":
        return { kind: "own", resource: this.resourceAt(d.resource, offset), info: LEAF };
      case "borrow":
        return {
          kind: "borrow",
          resource: this.resourceAt(d.resource, offset),
          info: { size: 1, depth: 1, borrow: true },
        };
      case "stream":
      case "future": {
        const element = this.optValType(d.element, offset);
        if (d.kind === "stream" && element !== null) {
          const p = typeof element === "string"
            ? element
            : element.kind === "prim"
            ? element.type
            : null;
          if (p === "char") {
            invalid(
              offset,
              "`stream<char>` is not valid at this time, use `stream<u8>` with a defined by encoding instead for now",
            );
          }
        }
        return { kind: d.kind, element, info: combine([valInfo(element)], offset) };
      }
    }
  }

  /** Builds a function type. */
  funcType(d: TypeDef & { kind: "func" }, offset: number): FuncType {
    const seen = new Map<string, string>();
    const infos: TypeInfo[] = [];
    const params = d.params.map((p) => {
      const name = kebabLabel(p.name, "function parameter", offset);
      const prev = seen.get(name.toLowerCase());
      if (prev !== undefined) {
        invalid(
          offset,
          `function parameter name \`${name}\` conflicts with previous parameter name \`${prev}\``,
        );
      }
      seen.set(name.toLowerCase(), name);
      const type = this.valType(p.type, offset);
      infos.push(valInfo(type));
      return [name, type] as const;
    });
    const result = d.result === null ? null : this.valType(d.result, offset);
    if (result !== null) {
      if (valInfo(result).borrow) invalid(offset, "function result cannot contain a `borrow` type");
      infos.push(valInfo(result));
    }
    return { kind: "func", async: d.async, params, result, info: combine(infos, offset) };
  }

  /** Checks a type's nesting depth. */
  static checkDepth(t: AnyType, offset: number): void {
    if (t.info.depth > MAX_TYPE_DEPTH) invalid(offset, "type nesting is too deep");
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

function checkPrim(p: PrimValType, offset: number): void {
  void p;
  void offset;
}

function checkLabels(
  names: readonly string[],
  desc: string,
  what: string,
  prevWhat: string,
  offset: number,
): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    kebabLabel(n, desc, offset);
    const prev = seen.get(n.toLowerCase());
    if (prev !== undefined) {
      invalid(offset, `${what} \`${n}\` conflicts with ${prevWhat} \`${prev}\``);
    }
    seen.set(n.toLowerCase(), n);
  }
}

/** A new name for a type (a resource keeps its identity; another type is copied). */
export function withUnique(t: AnyType): AnyType {
  return t.kind === "resource"
    ? { kind: "resource", resource: t.resource, info: t.info }
    : { ...t };
}

/** Whether a value type only uses named types (records, variants, enums, flags, resources). */
export function valNamed(t: ValType, set: ReadonlySet<AnyType>): boolean {
  if (typeof t === "string") return true;
  switch (t.kind) {
    case "prim":
      return true;
    case "flags":
    case "enum":
    case "record":
    case "variant":
      return set.has(t);
    case "tuple":
      return t.types.every((x) => valNamed(x, set));
    case "result":
      return (t.ok === null || valNamed(t.ok, set)) && (t.err === null || valNamed(t.err, set));
    case "list":
    case "option":
      return valNamed(t.kind === "list" ? t.element : t.type, set);
    case "map":
      return valNamed(t.key, set) && valNamed(t.value, set);
    case "own":
    case "borrow":
      return set.has(t.resource);
    case "stream":
    case "future":
      return t.element === null || valNamed(t.element, set);
  }
}

/** The "first layer" of a defined type: its parts must be named (it need not be itself). */
function definedPartsNamed(t: DefinedType, set: ReadonlySet<AnyType>): boolean {
  switch (t.kind) {
    case "prim":
    case "flags":
    case "enum":
      return true;
    case "record":
      return t.fields.every(([, f]) => valNamed(f, set));
    case "variant":
      return t.cases.every(([, c]) => c === null || valNamed(c, set));
    case "own":
    case "borrow":
      return set.has(t.resource);
    default:
      return valNamed(t, set);
  }
}

function funcNamed(t: FuncType, set: ReadonlySet<AnyType>): boolean {
  return t.params.every(([, p]) => valNamed(p, set)) &&
    (t.result === null || valNamed(t.result, set));
}

function allNamed(t: AnyType, set: ReadonlySet<AnyType>): boolean {
  switch (t.kind) {
    case "resource":
    case "component":
      return true;
    case "func":
      return funcNamed(t, set);
    case "instance":
      for (const e of t.exports.values()) {
        if (e.kind === "func" && !funcNamed(e.type, set)) return false;
        if (e.kind === "type" && !allNamed(e.created, set)) return false;
        if (e.kind === "value" && typeof e.type !== "string" && !definedPartsNamed(e.type, set)) {
          return false;
        }
        if (e.kind === "instance" && !allNamed(e.type, set)) return false;
      }
      return true;
    default:
      return definedPartsNamed(t, set);
  }
}

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
