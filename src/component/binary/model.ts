/**
 * The decoded component: what `decodeComponent` returns and what the text
 * parser builds before encoding. It mirrors the binary format
 * (component-model `design/mvp/Binary.md`): a component is its definitions
 * in binary order — the order builds the index spaces, so it is kept as one
 * list — plus custom sections and the `component-name` section.
 *
 * Indices are as written in the binary (not resolved); `src/component/validate`
 * checks them and computes the types each index space holds.
 *
 * @module
 */

import type { FuncType, GlobalType, MemType, TableType } from "../../binary/types.ts";
import type { PrimitiveKind } from "../types.ts";

/** Primitive value types (`primvaltype`), by their text names (as in the WIT-level types). */
export type PrimValType = PrimitiveKind;

/** A `valtype`: a primitive, or a type index (which must name a defined value type). */
export type ValTypeRef = PrimValType | number;

/** A named, typed field: record fields and function parameters. */
export interface LabeledType {
  name: string;
  type: ValTypeRef;
}

/** A variant case (`case ::= l t? 0x00`). */
export interface VariantCase {
  name: string;
  type: ValTypeRef | null;
}

/** `defvaltype`: the value types a type definition can give. */
export type DefValType =
  | { kind: "prim"; type: PrimValType }
  | { kind: "record"; fields: LabeledType[] }
  | { kind: "variant"; cases: VariantCase[] }
  /** `length` is non-null for a fixed-length list (`0x67`). */
  | { kind: "list"; element: ValTypeRef; length: number | null }
  | { kind: "map"; key: ValTypeRef; value: ValTypeRef }
  | { kind: "tuple"; types: ValTypeRef[] }
  | { kind: "flags"; names: string[] }
  | { kind: "enum"; names: string[] }
  | { kind: "option"; type: ValTypeRef }
  | { kind: "result"; ok: ValTypeRef | null; err: ValTypeRef | null }
  /** `resource` is a type index that must name a resource type. */
  | { kind: "own"; resource: number }
  | { kind: "borrow"; resource: number }
  | { kind: "stream"; element: ValTypeRef | null }
  | { kind: "future"; element: ValTypeRef | null };

/** A component function type (`functype`). */
export interface FuncTypeDef {
  kind: "func";
  async: boolean;
  params: LabeledType[];
  result: ValTypeRef | null;
}

/** `resourcetype`: the representation (always i32 today) and an optional destructor core func. */
export interface ResourceTypeDef {
  kind: "resource";
  /** The core value type code of the representation (0x7f for i32). */
  rep: number;
  dtor: number | null;
}

/** A component type: a scope of declarations, imports included. */
export interface ComponentTypeDef {
  kind: "component";
  decls: TypeDecl[];
}

/** An instance type: a scope of declarations without imports. */
export interface InstanceTypeDef {
  kind: "instance";
  decls: TypeDecl[];
}

/** A `deftype`: what a component type definition (type section entry) defines. */
export type TypeDef =
  | DefValType
  | FuncTypeDef
  | ComponentTypeDef
  | InstanceTypeDef
  | ResourceTypeDef;

/**
 * A declaration inside a component or instance type (`componentdecl` /
 * `instancedecl`). `import` appears in component types only.
 */
export type TypeDecl =
  | { kind: "coreType"; type: CoreTypeDef; offset: number }
  | { kind: "type"; type: TypeDef; offset: number }
  | { kind: "alias"; alias: Alias; offset: number }
  | { kind: "export"; name: ExternName; desc: ExternDesc; offset: number }
  | { kind: "import"; name: ExternName; desc: ExternDesc; offset: number };

/** `typebound`: `(eq i)` or `(sub resource)`. */
export type TypeBound = { kind: "eq"; type: number } | { kind: "subResource" };

/** `valuebound`: `(eq i)` (a value index) or a value type. */
export type ValueBound = { kind: "eq"; value: number } | { kind: "type"; type: ValTypeRef };

/** `externtype`: what an import or export is, with its type. */
export type ExternDesc =
  /** A core module of core type index `type`. */
  | { kind: "module"; type: number }
  | { kind: "func"; type: number }
  | { kind: "value"; bound: ValueBound }
  | { kind: "type"; bound: TypeBound }
  | { kind: "component"; type: number }
  | { kind: "instance"; type: number };

/**
 * An import or export name with its attributes (`nameattributes`).
 * `encoding` is the leading byte the binary used (0, 1 or 2), kept so that
 * re-encoding is byte-identical.
 */
export interface ExternName {
  name: string;
  /** 🏷️ `(implements "i")`. */
  implements: string | null;
  /** 🔗 `(versionsuffix "s")`. */
  versionSuffix: string | null;
  /** 🏷️ `(external-id "n")`. */
  externalId: string | null;
  encoding: 0 | 1 | 2;
}

/** The sorts of the component level (`sort`); `module` is `core module`. */
export type ComponentSort = "module" | "func" | "value" | "type" | "component" | "instance";

/** The core sorts an instance can export (`core:sort` 0x00–0x04). */
export type CoreExternSort = "func" | "table" | "memory" | "global" | "tag";

/** Every core sort (`core:sort`). */
export type CoreSort = CoreExternSort | "type" | "module" | "instance";

/** A component-level `sortidx`. */
export interface SortIdx {
  sort: ComponentSort;
  index: number;
}

/** What an outer alias can alias: `core module`, `core type`, `type`, `component`. */
export type OuterAliasSort = "module" | "coreType" | "type" | "component";

/** An alias definition or declarator. */
export type Alias =
  /** `(alias export i "n" (sort))`: an export of a component instance. */
  | { kind: "export"; sort: ComponentSort; instance: number; name: string }
  /** `(alias core export i "n" (core sort))`: an export of a core instance. */
  | { kind: "coreExport"; sort: CoreExternSort; instance: number; name: string }
  /** `(alias outer ct idx (sort))`. */
  | { kind: "outer"; sort: OuterAliasSort; count: number; index: number };

/** A core instantiation argument: `(with "n" (instance i))`. */
export interface CoreInstantiateArg {
  name: string;
  instance: number;
}

/** A core export: name, sort and index (core instance from exports). */
export interface CoreInlineExport {
  name: string;
  sort: CoreExternSort;
  index: number;
}

/** `core:instance`. */
export type CoreInstanceExpr =
  | { kind: "instantiate"; module: number; args: CoreInstantiateArg[] }
  | { kind: "exports"; exports: CoreInlineExport[] };

/** A component instantiation argument: `(with "n" (sort i))`. */
export interface InstantiateArg {
  name: string;
  sort: ComponentSort;
  index: number;
}

/** An inline export of an instance made from exports. */
export interface InlineExport {
  name: ExternName;
  sort: ComponentSort;
  index: number;
}

/** `instance`. */
export type InstanceExpr =
  | { kind: "instantiate"; component: number; args: InstantiateArg[] }
  | { kind: "exports"; exports: InlineExport[] };

/** `core:moduledecl`: one declaration of a core module type. */
export type ModuleTypeDecl =
  | { kind: "import"; module: string; name: string; desc: CoreExternDesc; offset: number }
  | { kind: "type"; type: FuncType; sub?: SubtypeForm; offset: number }
  /** `(alias outer ct idx (type))`. */
  | { kind: "alias"; count: number; index: number; offset: number }
  | { kind: "export"; name: string; desc: CoreExternDesc; offset: number };

/** A core `externtype` (`kind` is the core extern kind code; 4 is a tag of function type `type`). */
export type CoreExternDesc =
  | { kind: 0; type: number }
  | { kind: 1; type: TableType }
  | { kind: 2; type: MemType }
  | { kind: 3; type: GlobalType }
  | { kind: 4; type: number };

/**
 * How a core function type was written when it is a GC subtype without
 * supertypes (`(sub final? (func …))`), kept so that it re-encodes.
 */
export type SubtypeForm = "final" | "nonFinal";

/**
 * `core:type`: a core function type or a core module type. (GC types —
 * struct, array, rec groups, subtypes with supertypes — are rejected as
 * unsupported.)
 */
export type CoreTypeDef =
  | { kind: "func"; type: FuncType; sub?: SubtypeForm }
  | { kind: "module"; decls: ModuleTypeDecl[] };

/** `string-encoding=…`. */
export type StringEncoding = "utf8" | "utf16" | "latin1+utf16";

/** `canonopt`s, in binary order (validation rejects duplicates and conflicts). */
export type CanonOpt =
  | { kind: "string-encoding"; encoding: StringEncoding }
  | { kind: "memory"; index: number }
  | { kind: "realloc"; index: number }
  | { kind: "post-return"; index: number }
  | { kind: "async" }
  | { kind: "callback"; index: number }
  /** wasm-tools extension (GC ABI): `(core-type i)`. */
  | { kind: "core-type"; index: number }
  /** wasm-tools extension (GC ABI): `gc`. */
  | { kind: "gc" };

/**
 * A canonical definition (`canon`). `lift` defines a component function;
 * every other one defines a core function. Built-ins beyond the resource
 * ones (component-model async, threads) keep their opcode-named `kind`
 * and immediates so that they decode, validate and re-encode.
 */
export type Canon =
  | { kind: "lift"; coreFunc: number; options: CanonOpt[]; type: number }
  | { kind: "lower"; func: number; options: CanonOpt[] }
  | { kind: "resource.new"; resource: number }
  | { kind: "resource.drop"; resource: number }
  | { kind: "resource.rep"; resource: number }
  | { kind: "backpressure.inc" }
  | { kind: "backpressure.dec" }
  | { kind: "task.return"; result: ValTypeRef | null; options: CanonOpt[] }
  | { kind: "task.cancel" }
  | { kind: "context.get"; type: number; slot: number }
  | { kind: "context.set"; type: number; slot: number }
  | { kind: "subtask.cancel"; async: boolean }
  | { kind: "subtask.drop" }
  | { kind: "stream.new" | "future.new"; type: number }
  | {
    kind: "stream.read" | "stream.write" | "future.read" | "future.write";
    type: number;
    options: CanonOpt[];
  }
  | {
    kind:
      | "stream.cancel-read"
      | "stream.cancel-write"
      | "future.cancel-read"
      | "future.cancel-write";
    type: number;
    async: boolean;
  }
  | {
    kind:
      | "stream.drop-readable"
      | "stream.drop-writable"
      | "future.drop-readable"
      | "future.drop-writable";
    type: number;
  }
  | { kind: "error-context.new" | "error-context.debug-message"; options: CanonOpt[] }
  | { kind: "error-context.drop" }
  | { kind: "waitable-set.new" | "waitable-set.drop" | "waitable.join" }
  | { kind: "waitable-set.wait" | "waitable-set.poll"; cancellable: boolean; memory: number }
  | { kind: "thread.index" | "thread.resume-later" }
  | { kind: "thread.new-indirect"; type: number; table: number }
  | {
    kind:
      | "thread.suspend"
      | "thread.yield"
      | "thread.suspend-then-resume"
      | "thread.yield-then-resume"
      | "thread.suspend-then-promote"
      | "thread.yield-then-promote";
    cancellable: boolean;
  }
  | { kind: "thread.spawn-ref"; shared: boolean; type: number }
  | { kind: "thread.spawn-indirect"; shared: boolean; type: number; table: number }
  | { kind: "thread.available-parallelism"; shared: boolean };

/** 🪙 `start`: a component function applied to values, its results appended to the value space. */
export interface StartDef {
  func: number;
  args: number[];
  results: number;
}

/** 🪙 A value definition: its type and the encoded value bytes (`val(t)`). */
export interface ValueDef {
  type: ValTypeRef;
  bytes: Uint8Array;
}

/** A core module embedded in a component: its bytes (header included) and where they start. */
export interface CoreModuleBytes {
  bytes: Uint8Array;
  /** Offset of `bytes` in the outermost binary (for error messages). */
  offset: number;
}

/**
 * One definition of a component, in binary order. `offset` is where it
 * starts in the outermost binary (0 for components built from text before
 * encoding).
 */
export type Definition =
  | { kind: "coreModule"; module: CoreModuleBytes; offset: number }
  | { kind: "coreInstance"; instance: CoreInstanceExpr; offset: number }
  | { kind: "coreType"; type: CoreTypeDef; offset: number }
  | { kind: "component"; component: ComponentModel; offset: number }
  | { kind: "instance"; instance: InstanceExpr; offset: number }
  | { kind: "alias"; alias: Alias; offset: number }
  | { kind: "type"; type: TypeDef; offset: number }
  | { kind: "canon"; canon: Canon; offset: number }
  | { kind: "start"; start: StartDef; offset: number }
  | { kind: "import"; name: ExternName; desc: ExternDesc; offset: number }
  /** `desc` is the optional ascribed type. */
  | { kind: "export"; name: ExternName; item: SortIdx; desc: ExternDesc | null; offset: number }
  | { kind: "value"; value: ValueDef; offset: number };

/**
 * A custom section. `before` is how many definitions precede it, so that
 * the encoder can put it back in place.
 */
export interface ComponentCustomSection {
  name: string;
  data: Uint8Array;
  before: number;
}

/** A sort of the `component-name` section's name maps (`sort` of Binary.md). */
export type NameSort =
  | `core ${CoreSort}`
  | ComponentSort;

/** The `component-name` custom section, when present and well-formed. */
export interface ComponentNames {
  /** The component's own name. */
  component: string | null;
  /** Index → name, per sort. */
  sorts: Map<NameSort, Map<number, string>>;
}

/** A decoded component. */
export interface ComponentModel {
  /** Every definition, in binary order. */
  definitions: Definition[];
  /** Custom sections (the `component-name` section included, raw). */
  customs: ComponentCustomSection[];
  /** The decoded `component-name` section, if any and well-formed (validity is not required). */
  names: ComponentNames | null;
  /** Where the component's preamble starts in the outermost binary. */
  offset: number;
  /** Where the component's bytes end in the outermost binary. */
  end: number;
}

/** An empty component, to be filled in. */
export function emptyComponent(offset = 0): ComponentModel {
  return { definitions: [], customs: [], names: null, offset, end: offset };
}
