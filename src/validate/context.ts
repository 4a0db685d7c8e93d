/**
 * What validation knows about a module (its index spaces) and what it
 * hands on to translation (per-function facts).
 *
 * @module
 */
import type { Features } from "../binary/features.ts";
import type { GlobalType, MemType, TableType } from "../binary/types.ts";
import type { CanonType } from "./type_store.ts";

/**
 * The index spaces of a module, imports first (the spec's context C). Every
 * value type in it is canonical (`type_store.ts`): reference types name
 * canonical type ids, not the module's type indices.
 */
export interface ModuleContext {
  features: Readonly<Features>;
  /** Wasm 3.0 rules that no single proposal flag covers (see `isWasm3` in decode.ts). */
  wasm3: boolean;
  /** The canonical definition of each type index. */
  types: CanonType[];
  /** The canonical id of each type index. */
  typeIds: Int32Array;
  /** Type index of every function (imported, then defined). */
  funcTypes: Uint32Array;
  tables: TableType[];
  memories: MemType[];
  globals: GlobalType[];
  /** Canonical id of the function type of every tag (imported, then defined). */
  tags: number[];
  /** Element type of every element segment. */
  elemTypes: number[];
  /** Number of data segments as declared by the data count section, or null without one. */
  dataCount: number | null;
  /** Number of data segments in the data section. */
  datas: number;
  /** 1 where a function may be named by `ref.func` in code (the spec's C.refs). */
  refs: Uint8Array;
}

/** What the translator needs about one defined function. */
export interface FuncInfo {
  /** Index in the function index space (imports first). */
  index: number;
  /** Index of its type in the type section. */
  typeIndex: number;
  /** Its signature (canonical). */
  type: CanonType;
  /** Value types of the parameters, then of the declared locals (canonical). */
  localTypes: Int32Array;
  /** Most operand-stack values live at once (locals not included). */
  maxStackHeight: number;
  /** Deepest nesting of control frames (the function's own frame counts 1). */
  maxControlDepth: number;
}

/** The result of validating a module. */
export interface ValidationInfo {
  /** The index spaces. */
  context: ModuleContext;
  /** One entry per defined function, in order. */
  funcs: FuncInfo[];
}
