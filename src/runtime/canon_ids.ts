/**
 * The canonical type id (`validate/type_store.ts`) of each type index of a
 * module, computed once per module structure. Instantiation needs them for
 * what is matched by type identity across modules (tags today).
 *
 * @module
 */
import type { ModuleStruct } from "../binary/types.ts";
import { validateTypes } from "../validate/validate_types.ts";

const cache = new WeakMap<ModuleStruct, Int32Array>();

/**
 * Canonical ids of `m`'s types, by type index. `m` must have been
 * validated: canonicalizing its groups again finds the same ids.
 */
export function canonIds(m: ModuleStruct): Int32Array {
  let ids = cache.get(m);
  if (ids === undefined) {
    ids = validateTypes(m).ids;
    cache.set(m, ids);
  }
  return ids;
}
