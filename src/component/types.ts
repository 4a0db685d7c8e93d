/**
 * Component-model types at the WIT level, as the component decoder produces
 * them once type indices are resolved, and as the canonical ABI, the
 * instantiator and the WIT printer read them.
 *
 * Contract between the decoder and its readers:
 *
 * - A type index resolves to **the same object** every time it is used, so
 *   object identity names a type: the WIT printer finds a record's name from
 *   the `(export "point" (type (eq T)))` that exports that object, and the ABI
 *   caches layouts per object. Structurally equal types need not be the same
 *   object.
 * - A {@link ResourceType} object **is** a resource identity: every use of one
 *   abstract resource (an imported `(sub resource)`, a locally defined
 *   `(resource (rep i32) …)`, an export of an instance) refers to one object,
 *   and each generative site (a definition, an import) gets its own. The
 *   instantiator maps these static identities to run-time resources per
 *   component instance.
 * - Names are kept as written in the binary (kebab-case); JS bindings derive
 *   camelCase names from them.
 *
 * @module
 */

/** Kinds of the primitive value types. */
export type PrimitiveKind =
  | "bool"
  | "s8"
  | "u8"
  | "s16"
  | "u16"
  | "s32"
  | "u32"
  | "s64"
  | "u64"
  | "f32"
  | "f64"
  | "char"
  | "string"
  | "error-context";

/** A primitive value type (`bool`, the integers, the floats, `char`, `string`). */
export interface PrimitiveType {
  /** Which primitive. */
  readonly kind: PrimitiveKind;
}

/** `list<T>` (or the fixed-length `list<T, N>`). */
export interface ListType {
  /** Discriminant. */
  readonly kind: "list";
  /** The element type. */
  readonly element: ValType;
  /** The length of a fixed-length list, or null for `list<T>`. */
  readonly length: number | null;
}

/** One field of a record. */
export interface Field {
  /** The field's label (kebab-case). */
  readonly name: string;
  /** The field's type. */
  readonly type: ValType;
}

/** `record { … }`: labelled fields, at least one. */
export interface RecordType {
  /** Discriminant. */
  readonly kind: "record";
  /** The fields in declaration order. */
  readonly fields: readonly Field[];
}

/** `tuple<…>`: unlabelled fields, at least one. */
export interface TupleType {
  /** Discriminant. */
  readonly kind: "tuple";
  /** The element types. */
  readonly types: readonly ValType[];
}

/** One case of a variant. */
export interface Case {
  /** The case's label (kebab-case). */
  readonly name: string;
  /** Its payload type, or null for a case without payload. */
  readonly type: ValType | null;
}

/** `variant { … }`: tagged cases, at least one. */
export interface VariantType {
  /** Discriminant. */
  readonly kind: "variant";
  /** The cases; a case's discriminant is its position. */
  readonly cases: readonly Case[];
}

/** `enum { … }`: cases without payload. */
export interface EnumType {
  /** Discriminant. */
  readonly kind: "enum";
  /** The labels (kebab-case); a label's discriminant is its position. */
  readonly names: readonly string[];
}

/** `option<T>`. */
export interface OptionType {
  /** Discriminant. */
  readonly kind: "option";
  /** The payload of `some`. */
  readonly type: ValType;
}

/** `result<T, E>`; either side may be absent (`result`, `result<T>`, `result<_, E>`). */
export interface ResultType {
  /** Discriminant. */
  readonly kind: "result";
  /** The `ok` payload, or null. */
  readonly ok: ValType | null;
  /** The `error` payload, or null. */
  readonly error: ValType | null;
}

/** `flags { … }`: a set of named booleans. */
export interface FlagsType {
  /** Discriminant. */
  readonly kind: "flags";
  /** The labels (kebab-case); a label's bit is its position. */
  readonly names: readonly string[];
}

/**
 * A resource type: an identity (see the module notes), not a structure.
 * The instantiator creates run-time resources that also satisfy this
 * interface and substitutes them for the static ones.
 */
export interface ResourceType {
  /** Discriminant. */
  readonly kind: "resource";
  /** The name it was declared or imported under (for messages and WIT), or "". */
  readonly name: string;
}

/** `own<R>`: a handle that transfers ownership. */
export interface OwnType {
  /** Discriminant. */
  readonly kind: "own";
  /** The resource. */
  readonly resource: ResourceType;
}

/** `borrow<R>`: a handle lent for the duration of a call. */
export interface BorrowType {
  /** Discriminant. */
  readonly kind: "borrow";
  /** The resource. */
  readonly resource: ResourceType;
}

/** `stream<T>` (component-model async; decoded, not yet executed). */
export interface StreamType {
  /** Discriminant. */
  readonly kind: "stream";
  /** The element type, or null for `stream`. */
  readonly type: ValType | null;
}

/** `future<T>` (component-model async; decoded, not yet executed). */
export interface FutureType {
  /** Discriminant. */
  readonly kind: "future";
  /** The payload type, or null for `future`. */
  readonly type: ValType | null;
}

/** Any component value type. */
export type ValType =
  | PrimitiveType
  | ListType
  | RecordType
  | TupleType
  | VariantType
  | EnumType
  | OptionType
  | ResultType
  | FlagsType
  | OwnType
  | BorrowType
  | StreamType
  | FutureType;

/** One named parameter of a function. */
export interface Param {
  /** The parameter's name (kebab-case). */
  readonly name: string;
  /** Its type. */
  readonly type: ValType;
}

/** A component function type. */
export interface FuncType {
  /** Discriminant. */
  readonly kind: "func";
  /** The parameters in order. */
  readonly params: readonly Param[];
  /** The result type, or null for a function without result. */
  readonly result: ValType | null;
  /** An `async` function type (component-model async). */
  readonly async: boolean;
}

/** What an import or export of a component or instance is. */
export type ExternType =
  | FuncType
  | InstanceType
  | ComponentType
  | CoreModuleType
  | ValueType
  | TypeBound;

/** A named import or export. */
export interface ExternDecl {
  /** The import/export name, e.g. `wasi:cli/stdout@0.2.0`, `get-a`, `[method]y.get-a`. */
  readonly name: string;
  /** What it is. */
  readonly type: ExternType;
}

/** An instance type: what an instance exports. */
export interface InstanceType {
  /** Discriminant. */
  readonly kind: "instance";
  /** Its exports in declaration order. */
  readonly exports: readonly ExternDecl[];
}

/** A component type: its imports and exports. */
export interface ComponentType {
  /** Discriminant. */
  readonly kind: "component";
  /** The imports in declaration order. */
  readonly imports: readonly ExternDecl[];
  /** The exports in declaration order. */
  readonly exports: readonly ExternDecl[];
}

/** A core module's import or export, as the component type system describes it. */
export interface CoreExternDecl {
  /** The import's module name ("" for exports). */
  readonly module: string;
  /** The field name. */
  readonly name: string;
  /** `func`, `table`, `memory`, `global` or `tag`. */
  readonly kind: "func" | "table" | "memory" | "global" | "tag";
}

/** A core module type (an import or export of a core module). */
export interface CoreModuleType {
  /** Discriminant. */
  readonly kind: "module";
  /** The module's imports. */
  readonly imports: readonly CoreExternDecl[];
  /** The module's exports. */
  readonly exports: readonly CoreExternDecl[];
}

/** A value import or export (🪙 value imports). */
export interface ValueType {
  /** Discriminant. */
  readonly kind: "value";
  /** The value's type. */
  readonly type: ValType;
}

/**
 * A type import or export: `(type (eq T))` names a defined type (a value
 * type, or a resource re-exported under a new name); a `(type (sub
 * resource))` is the {@link ResourceType} itself.
 */
export type TypeBound = EqBound | ResourceType;

/** `(type (eq T))`. */
export interface EqBound {
  /** Discriminant. */
  readonly kind: "eq";
  /** The type it equals. */
  readonly type: ValType | ResourceType;
}

/** The primitive types, one object each. */
export const primitive: Readonly<Record<PrimitiveKind, PrimitiveType>> = Object.freeze({
  bool: { kind: "bool" },
  s8: { kind: "s8" },
  u8: { kind: "u8" },
  s16: { kind: "s16" },
  u16: { kind: "u16" },
  s32: { kind: "s32" },
  u32: { kind: "u32" },
  s64: { kind: "s64" },
  u64: { kind: "u64" },
  f32: { kind: "f32" },
  f64: { kind: "f64" },
  char: { kind: "char" },
  string: { kind: "string" },
  "error-context": { kind: "error-context" },
});

/**
 * The WIT spelling of a value type (`list<u8>`, `option<string>`,
 * `result<_, string>`); a record, variant, enum, flags or resource is
 * spelled by `nameOf` when it gives a name, else structurally.
 *
 * @example
 * ```ts
 * import { primitive, witTypeName } from "./types.ts";
 * import assert from "node:assert/strict";
 *
 * const t = { kind: "result", ok: null, error: primitive.string } as const;
 * assert.equal(witTypeName(t), "result<_, string>");
 * ```
 */
export function witTypeName(
  t: ValType | ResourceType,
  nameOf: (t: ValType | ResourceType) => string | undefined = () => undefined,
): string {
  const named = nameOf(t);
  if (named !== undefined) return named;
  const n = (u: ValType | ResourceType) => witTypeName(u, nameOf);
  switch (t.kind) {
    case "list":
      return t.length === null ? `list<${n(t.element)}>` : `list<${n(t.element)}, ${t.length}>`;
    case "tuple":
      return `tuple<${t.types.map(n).join(", ")}>`;
    case "option":
      return `option<${n(t.type)}>`;
    case "result":
      if (t.ok === null && t.error === null) return "result";
      if (t.error === null) return `result<${n(t.ok!)}>`;
      return `result<${t.ok === null ? "_" : n(t.ok)}, ${n(t.error)}>`;
    case "own":
      return n(t.resource);
    case "borrow":
      return `borrow<${n(t.resource)}>`;
    case "stream":
    case "future":
      return t.type === null ? t.kind : `${t.kind}<${n(t.type)}>`;
    case "record":
      return `record { ${t.fields.map((f) => `${f.name}: ${n(f.type)}`).join(", ")} }`;
    case "variant":
      return `variant { ${
        t.cases.map((c) => c.type === null ? c.name : `${c.name}(${n(c.type)})`).join(", ")
      } }`;
    case "enum":
      return `enum { ${t.names.join(", ")} }`;
    case "flags":
      return `flags { ${t.names.join(", ")} }`;
    case "resource":
      return t.name === "" ? "resource" : t.name;
    default:
      return t.kind;
  }
}
