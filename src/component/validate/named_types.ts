/**
 * The "named types" rule of imports and exports (Binary.md): every record,
 * variant, enum, flags and resource that an import or export uses must
 * itself have been imported or exported before, so that bindings can name
 * it. Tuples, lists, options and results may stay anonymous, but their
 * parts must be named.
 *
 * @module
 */
import type { AnyType, DefinedType, FuncType, ValType } from "./types.ts";

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

export function funcNamed(t: FuncType, set: ReadonlySet<AnyType>): boolean {
  return t.params.every(([, p]) => valNamed(p, set)) &&
    (t.result === null || valNamed(t.result, set));
}

export function allNamed(t: AnyType, set: ReadonlySet<AnyType>): boolean {
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
