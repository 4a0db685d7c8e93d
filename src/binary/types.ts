/**
 * The module structure shared by the decoder (binary → structure), the text
 * parser (WAT → structure → encoder) and everything downstream (validator,
 * instantiation, translation). It mirrors the binary format's sections;
 * function bodies and constant expressions stay as raw expression bytes so
 * that a large module opens without parsing its code.
 *
 * @module
 */

/** Value type codes, as in the binary format (see `valtype.ts` for reference types). */
export const ValType = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
} as const;
/**
 * A value type, encoded as `valtype.ts` describes: a number type's binary
 * code, or a reference type (heap type, plus a non-null bit).
 */
export type ValType = number;
/** A reference type, encoded as {@link ValType}. */
export type RefType = number;

export { valTypeName } from "./valtype.ts";

/** A function signature. */
export interface FuncType {
  params: ValType[];
  results: ValType[];
}

/** Kinds of composite types. */
export const TypeKind = { func: 0, struct: 1, array: 2 } as const;
/** A composite type kind. */
export type TypeKind = typeof TypeKind[keyof typeof TypeKind];

/** A struct field or an array's element: a value type, or packed `i8`/`i16`. */
export interface FieldType {
  type: number;
  mutable: boolean;
}

/**
 * One entry of the type section: a composite type (function, struct or
 * array) with its subtyping header. Every entry has the function fields
 * (empty unless `kind` is func), so code that knows it holds a function
 * type reads `params`/`results` directly.
 */
export interface TypeDef extends FuncType {
  kind: TypeKind;
  /** Struct fields; an array's element type as the only entry; empty for functions. */
  fields: FieldType[];
  /** False when written `sub` without `final` (it may have subtypes). */
  final: boolean;
  /** Index of the declared supertype, or -1. */
  supertype: number;
}

/** A final function type with no supertype (what MVP type sections hold). */
export function funcTypeDef(params: ValType[], results: ValType[]): TypeDef {
  return { kind: TypeKind.func, params, results, fields: [], final: true, supertype: -1 };
}

/**
 * Limits of a memory or table. Sizes are bigint because memory64/table64
 * limits are u64 and must not lose precision; `max` is null when absent.
 */
export interface Limits {
  min: bigint;
  max: bigint | null;
  /** threads: a shared memory */
  shared: boolean;
  /** memory64/table64: the address type is i64 */
  index64: boolean;
}

/** A table's type. */
export interface TableType {
  elem: RefType;
  limits: Limits;
  /**
   * wasm 3.0: a defined table's initialiser expression (binary prefix
   * `0x40 0x00`, text `(table 10 funcref (ref.null func))`); absent when
   * the table is initialised with null.
   */
  init?: Expr;
}

/** A memory's type (limits in 64 KiB pages). */
export interface MemType {
  limits: Limits;
}

/** A global's type. */
export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

/** External kinds, as in the binary format's import/export descriptors. */
export const ExternKind = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;
/** An external kind code. */
export type ExternKind = typeof ExternKind[keyof typeof ExternKind];

/** What an import provides. */
export type ImportDesc =
  | { kind: 0; type: number } // func: type index
  | { kind: 1; type: TableType }
  | { kind: 2; type: MemType }
  | { kind: 3; type: GlobalType }
  | { kind: 4; type: number }; // tag: type index of its function type

/** One import. */
export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
}

/** One export. `index` is in the kind's index space (imports first). */
export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
}

/**
 * A constant expression or function body: the raw instruction bytes,
 * including the final `end` (0x0b). `offset` is where they start in the
 * original binary (0 for modules built from text), for error messages.
 */
export interface Expr {
  bytes: Uint8Array;
  offset: number;
}

/** A defined global. */
export interface Global {
  type: GlobalType;
  init: Expr;
}

/** Element segment mode. */
export type SegmentMode = "passive" | "active" | "declarative";

/**
 * An element segment. Exactly one of `funcs` (the `vec(funcidx)` forms) and
 * `exprs` (the `vec(expr)` forms) is non-null. `flags` is the binary
 * encoding's variant (0–7), kept so that encoding round-trips.
 */
export interface Elem {
  mode: SegmentMode;
  table: number;
  offset: Expr | null;
  type: RefType;
  funcs: number[] | null;
  exprs: Expr[] | null;
  flags: number;
}

/** A data segment. `flags` is the binary variant (0–2). */
export interface Data {
  mode: "passive" | "active";
  memory: number;
  offset: Expr | null;
  bytes: Uint8Array;
  flags: number;
}

/** A function body from the code section. */
export interface Code {
  /** Run-length local declarations, as in the binary format. */
  locals: { count: number; type: ValType }[];
  /** The body's instruction bytes (ending in `end`). */
  body: Expr;
}

/**
 * A custom section. `after` is the id of the last known section that
 * precedes it (0 if none), so the encoder can put it back in place.
 */
export interface CustomSection {
  name: string;
  data: Uint8Array;
  after: number;
}

/** A whole module, section by section. */
export interface ModuleStruct {
  types: TypeDef[];
  /** The size of each recursion group, in order (they add up to `types.length`). */
  recs: number[];
  /**
   * Whether each recursion group was written as one (binary 0x4e, text
   * `rec`) — a lone type may be either — kept so that encoding round-trips.
   */
  recWritten: boolean[];
  imports: Import[];
  /** Type index of each defined (non-imported) function. */
  funcs: number[];
  tables: TableType[];
  memories: MemType[];
  /** Type index of each defined (non-imported) tag. */
  tags: number[];
  globals: Global[];
  exports: Export[];
  start: number | null;
  elems: Elem[];
  /** The data count section's value, or null if absent. */
  dataCount: number | null;
  codes: Code[];
  datas: Data[];
  customs: CustomSection[];
}

/** An empty module structure, to be filled in. */
export function emptyModule(): ModuleStruct {
  return {
    types: [],
    recs: [],
    recWritten: [],
    imports: [],
    funcs: [],
    tables: [],
    memories: [],
    tags: [],
    globals: [],
    exports: [],
    start: null,
    elems: [],
    dataCount: null,
    codes: [],
    datas: [],
    customs: [],
  };
}
