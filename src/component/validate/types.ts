/**
 * The validator's types: what each index space of a component holds once
 * its type indices are resolved. Object identity is type identity where the
 * component model needs it:
 *
 * - a {@link Resource} object is one abstract resource type;
 * - a {@link ResourceRef} object is one *name* of a resource (an import,
 *   export or definition makes a new one): `own`/`borrow` and `[method]`
 *   checks look at which name a type used;
 * - every other type is compared structurally, and its object identity only
 *   records whether it was given a name by an import or export (the
 *   "named types" rule of exports).
 *
 * Each type carries its {@link TypeInfo} (size, depth, whether it contains a
 * `borrow`), computed once, which bounds the work of later checks.
 *
 * @module
 */
import type {
  FuncType as CoreFuncType,
  GlobalType,
  MemType,
  TableType,
} from "../../binary/types.ts";
import type { PrimValType } from "../binary/model.ts";
import { invalid } from "./errors.ts";

/** An abstract resource type. */
export class Resource {
  private static next = 0;
  /** A number for messages. */
  readonly id: number = Resource.next++;
}

/** A name of a resource type (identity: the object). */
export interface ResourceRef {
  readonly kind: "resource";
  readonly resource: Resource;
  readonly info: TypeInfo;
}

/** Size, nesting depth and whether a `borrow` occurs, as wasm-tools tracks them. */
export interface TypeInfo {
  readonly size: number;
  readonly depth: number;
  readonly borrow: boolean;
}

/** The info of a leaf type. */
export const LEAF: TypeInfo = Object.freeze({ size: 1, depth: 1, borrow: false });

/** The largest effective type size (wasm-tools' limit). */
export const MAX_TYPE_SIZE = 1_000_000;

/** Combines type infos as wasm-tools does (size adds up, depth nests, borrow spreads). */
export function combine(infos: readonly TypeInfo[], offset: number): TypeInfo {
  let size = 1, depth = 1, borrow = false;
  for (const i of infos) {
    size += i.size;
    if (size >= MAX_TYPE_SIZE) {
      invalid(offset, `effective type size exceeds the limit of ${MAX_TYPE_SIZE}`);
    }
    depth = Math.max(depth, i.depth + 1);
    borrow ||= i.borrow;
  }
  return { size, depth, borrow };
}

/** A value type: a primitive, or a defined type. */
export type ValType = PrimValType | DefinedType;

/** A defined value type. */
export type DefinedType =
  & { readonly info: TypeInfo }
  & (
    | { readonly kind: "prim"; readonly type: PrimValType }
    | { readonly kind: "record"; readonly fields: readonly (readonly [string, ValType])[] }
    | { readonly kind: "variant"; readonly cases: readonly (readonly [string, ValType | null])[] }
    | { readonly kind: "list"; readonly element: ValType; readonly length: number | null }
    | { readonly kind: "map"; readonly key: ValType; readonly value: ValType }
    | { readonly kind: "tuple"; readonly types: readonly ValType[] }
    | { readonly kind: "flags" | "enum"; readonly names: readonly string[] }
    | { readonly kind: "option"; readonly type: ValType }
    | { readonly kind: "result"; readonly ok: ValType | null; readonly err: ValType | null }
    | { readonly kind: "own" | "borrow"; readonly resource: ResourceRef }
    | { readonly kind: "stream" | "future"; readonly element: ValType | null }
  );

/** A component function type. */
export interface FuncType {
  readonly kind: "func";
  readonly info: TypeInfo;
  readonly async: boolean;
  readonly params: readonly (readonly [string, ValType])[];
  readonly result: ValType | null;
}

/** A resource's path among the imports or exports (indices: top-level item, then instance exports). */
export type Path = readonly number[];

/** An instance type: its exports, and the resources it defines (type contexts only). */
export interface InstanceType {
  readonly kind: "instance";
  readonly info: TypeInfo;
  readonly exports: ReadonlyMap<string, Entity>;
  /** Resources introduced by `(export … (type (sub resource)))` in an instance type. */
  readonly definedResources: readonly Resource[];
  /** Where each explicitly exported resource is, among the exports. */
  readonly explicitResources: ReadonlyMap<Resource, Path>;
}

/** A component type. */
export interface ComponentType {
  readonly kind: "component";
  readonly info: TypeInfo;
  readonly imports: ReadonlyMap<string, Entity>;
  readonly exports: ReadonlyMap<string, Entity>;
  /** The resources it imports (its type parameters), with their import paths. */
  readonly importedResources: ReadonlyMap<Resource, Path>;
  /** The resources it defines and exports, with their export paths. */
  readonly definedResources: ReadonlyMap<Resource, Path>;
  readonly explicitResources: ReadonlyMap<Resource, Path>;
}

/** Anything the type index space holds. */
export type AnyType = DefinedType | FuncType | InstanceType | ComponentType | ResourceRef;

/** What an import, export or instance export is. */
export type Entity =
  | { readonly kind: "module"; readonly type: ModuleType }
  | { readonly kind: "func"; readonly type: FuncType }
  | { readonly kind: "value"; readonly type: ValType }
  /** `created` is the new name the import/export gives; `referenced` what it names. */
  | { readonly kind: "type"; readonly created: AnyType; readonly referenced: AnyType }
  | { readonly kind: "instance"; readonly type: InstanceType }
  | { readonly kind: "component"; readonly type: ComponentType };

/** A core extern's type. */
export type CoreEntity =
  | { readonly kind: "func"; readonly type: CoreFuncType }
  | { readonly kind: "table"; readonly type: TableType }
  | { readonly kind: "memory"; readonly type: MemType }
  | { readonly kind: "global"; readonly type: GlobalType }
  | { readonly kind: "tag"; readonly type: CoreFuncType };

/** A core module type: imports keyed by module and name, exports by name (in order). */
export interface ModuleType {
  readonly kind: "module";
  readonly imports: ReadonlyMap<string, { module: string; name: string; type: CoreEntity }>;
  readonly exports: ReadonlyMap<string, CoreEntity>;
}

/** A core instance's exports. */
export interface CoreInstanceType {
  readonly exports: ReadonlyMap<string, CoreEntity>;
}

/** What the core type index space holds. */
export type CoreType = { readonly kind: "func"; readonly type: CoreFuncType } | ModuleType;

/** The key of a module import in {@link ModuleType.imports}. */
export function importKey(module: string, name: string): string {
  return `${module}\u0000${name}`;
}

/** The primitive a value type is, if it is one (directly or as a defined `prim`). */
export function primOf(t: ValType): PrimValType | null {
  if (typeof t === "string") return t;
  return t.kind === "prim" ? t.type : null;
}

/** The info of a value type. */
export function valInfo(t: ValType | null): TypeInfo {
  return t === null || typeof t === "string" ? LEAF : t.info;
}

/** What an entity is called in messages. */
export function entityDesc(e: Entity): string {
  return e.kind === "module" ? "module" : e.kind;
}

/** What a type is called in messages ("record", "func type", …). */
export function anyTypeDesc(t: AnyType): string {
  switch (t.kind) {
    case "func":
      return "func type";
    case "instance":
      return "instance type";
    case "component":
      return "component type";
    case "resource":
      return "resource";
    default:
      return "defined type";
  }
}

/** What a defined type is called in messages. */
export function definedDesc(t: DefinedType): string {
  return t.kind === "prim"
    ? "primitive"
    : t.kind === "list" && t.length !== null
    ? "fixed-length list"
    : t.kind;
}
