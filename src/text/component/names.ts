/**
 * The `component-name` section of a component built from text: the
 * `$identifiers` of each index space, and the component's own name.
 *
 * @module
 */
import type { ComponentNames, NameSort } from "../../component/binary/model.ts";
import type { Ns, Scope } from "./scope.ts";

/** The name-map sort of each namespace. */
const SORT_OF_NS: Readonly<Record<Ns, NameSort>> = {
  "core func": "core func",
  "core global": "core global",
  "core table": "core table",
  "core memory": "core memory",
  "core type": "core type",
  "core tag": "core tag",
  "core instance": "core instance",
  "core module": "core module",
  "func": "func",
  "type": "type",
  "instance": "instance",
  "component": "component",
  "value": "value",
};

/** The names of a finished component scope. */
export function componentNames(s: Scope, id: string | null): ComponentNames | null {
  const sorts = new Map<NameSort, Map<number, string>>();
  for (const [ns, names] of s.names) sorts.set(SORT_OF_NS[ns], names);
  if (id === null && sorts.size === 0) return null;
  return { component: id, sorts };
}
