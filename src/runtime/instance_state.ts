/**
 * The runtime state of one module instance: its index spaces resolved to
 * instances (imports first), and its segments. The interpreter reads it
 * directly; the JS `Instance` object wraps it.
 *
 * @module
 */

import type { Features } from "../binary/features.ts";
import type { ModuleStruct } from "../binary/types.ts";
import type { FuncInst } from "./func.ts";
import type { GlobalInst } from "./globals.ts";
import { type MemInst, NO_MEMORY } from "./memory.ts";
import { DEFAULT_STORE, type StoreState } from "./store.ts";
import type { TableInst } from "./table.ts";
import type { TagInst } from "./tags.ts";

/** An instance's state. */
export class InstanceState {
  /** The module it instantiates. */
  readonly module: ModuleStruct;
  /** Enabled features (translation needs them). */
  readonly features: Readonly<Features>;
  /** Function index space. */
  funcs: FuncInst[] = [];
  /** Table index space. */
  tables: TableInst[] = [];
  /** Memory index space. */
  memories: MemInst[] = [];
  /** Memory 0, or an empty stand-in: the interpreter caches its views. */
  mem0: MemInst = NO_MEMORY;
  /** Global index space. */
  globals: GlobalInst[] = [];
  /** Tag index space. */
  tags: TagInst[] = [];
  /** Element segments' values (emptied by elem.drop). */
  elems: unknown[][] = [];
  /** Data segments' bytes (emptied by data.drop). */
  datas: Uint8Array[] = [];
  /** Canonical signature id of each type index. */
  typeIds: number[] = [];
  /** The store it belongs to (fuel, limits, interruption). */
  readonly store: StoreState;

  /**
   * An empty state, filled in by instantiation.
   *
   * @param module the module structure
   * @param features enabled features
   * @param store its store
   */
  constructor(module: ModuleStruct, features: Readonly<Features>, store = DEFAULT_STORE) {
    this.module = module;
    this.features = features;
    this.store = store;
  }
}
