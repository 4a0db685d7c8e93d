/**
 * Resolving the decoded model's type definitions (`src/component/binary`
 * indices) into WIT-level types (`types.ts`) inside a scope: a component
 * instance being instantiated, or the declarations of an instance or
 * component type. Resources are whatever the scope's type index holds —
 * run-time resources when instantiating, so a function type resolved in a
 * scope already names the real resource identities.
 *
 * Instance and component types stay unresolved ({@link TypeDefIn}) until
 * something is imported or described with them: their declarations are
 * resolved against the value bound to them.
 *
 * @module
 */

import { CompileError } from "../errors.ts";
import type {
  ComponentTypeDef,
  CoreTypeDef,
  DefValType,
  FuncTypeDef,
  InstanceTypeDef,
  ValTypeRef,
} from "./binary/model.ts";
import { type FuncType, primitive, type ResourceType, type ValType } from "./types.ts";

/** An instance or component type with the scope its declarations resolve in. */
export interface TypeDefIn {
  /** Discriminant. */
  readonly kind: "instance-type" | "component-type";
  /** The declarations. */
  readonly def: InstanceTypeDef | ComponentTypeDef;
  /** Where outer aliases inside it resolve. */
  readonly scope: TypeScope;
}

/** What a type index holds. */
export type ScopeType = ValType | FuncType | ResourceType | TypeDefIn;

/** A type index space with its enclosing scopes (for outer aliases). */
export class TypeScope {
  /** The type index space. */
  readonly types: ScopeType[] = [];
  /** The core type index space (kept for indices; core types are not needed to run). */
  readonly coreTypes: CoreTypeDef[] = [];
  /** The enclosing scope. */
  readonly parent: TypeScope | null;

  /** Creates a scope inside `parent`. */
  constructor(parent: TypeScope | null) {
    this.parent = parent;
  }

  /** The scope `count` levels out (0: this one). */
  outer(count: number): TypeScope {
    if (count === 0) return this;
    if (this.parent === null) throw new CompileError(`invalid outer alias count of ${count}`);
    return this.parent.outer(count - 1);
  }

  /** The type at index `i`. */
  type(i: number): ScopeType {
    const t = this.types[i];
    if (t === undefined) throw new CompileError(`type index out of bounds: ${i}`);
    return t;
  }

  /** The value type a `valtype` names. */
  valType(r: ValTypeRef): ValType {
    if (typeof r === "string") return primitive[r];
    const t = this.type(r);
    if (!isValType(t)) throw new CompileError(`type index ${r} is not a defined type`);
    return t;
  }

  /** The resource type at index `i`. */
  resource(i: number): ResourceType {
    const t = this.type(i);
    if (t.kind !== "resource") throw new CompileError(`type index ${i} is not a resource type`);
    return t as ResourceType;
  }

  /** The function type at index `i`. */
  funcType(i: number): FuncType {
    const t = this.type(i);
    if (t.kind !== "func") throw new CompileError(`type index ${i} is not a function type`);
    return t as FuncType;
  }

  /** The instance or component type at index `i`. */
  typeDef(i: number, kind: TypeDefIn["kind"]): TypeDefIn {
    const t = this.type(i);
    if (t.kind !== kind) {
      throw new CompileError(
        `type index ${i} is not ${kind === "instance-type" ? "an instance" : "a component"} type`,
      );
    }
    return t as TypeDefIn;
  }

  /** Resolves a `defvaltype` or function type definition. */
  resolveValOrFunc(d: DefValType | FuncTypeDef): ValType | FuncType {
    return d.kind === "func" ? this.resolveFunc(d) : this.resolveVal(d);
  }

  /** Resolves a function type definition. */
  resolveFunc(d: FuncTypeDef): FuncType {
    return {
      kind: "func",
      params: d.params.map((p) => ({ name: p.name, type: this.valType(p.type) })),
      result: d.result === null ? null : this.valType(d.result),
      async: d.async,
    };
  }

  /** Resolves a `defvaltype`. */
  resolveVal(d: DefValType): ValType {
    const v = (r: ValTypeRef) => this.valType(r);
    switch (d.kind) {
      case "prim":
        return primitive[d.type];
      case "record":
        return { kind: "record", fields: d.fields.map((f) => ({ name: f.name, type: v(f.type) })) };
      case "variant":
        return {
          kind: "variant",
          cases: d.cases.map((c) => ({ name: c.name, type: c.type === null ? null : v(c.type) })),
        };
      case "list":
        return { kind: "list", element: v(d.element), length: d.length };
      case "map":
        // map<K, V> is list<tuple<K, V>> in the ABI.
        return {
          kind: "list",
          element: { kind: "tuple", types: [v(d.key), v(d.value)] },
          length: null,
        };
      case "tuple":
        return { kind: "tuple", types: d.types.map(v) };
      case "flags":
        return { kind: "flags", names: d.names };
      case "enum":
        return { kind: "enum", names: d.names };
      case "option":
        return { kind: "option", type: v(d.type) };
      case "result":
        return {
          kind: "result",
          ok: d.ok === null ? null : v(d.ok),
          error: d.err === null ? null : v(d.err),
        };
      case "own":
        return { kind: "own", resource: this.resource(d.resource) };
      case "borrow":
        return { kind: "borrow", resource: this.resource(d.resource) };
      case "stream":
        return { kind: "stream", type: d.element === null ? null : v(d.element) };
      case "future":
        return { kind: "future", type: d.element === null ? null : v(d.element) };
    }
  }
}

const VAL_KINDS = new Set<string>([
  ...Object.keys(primitive),
  ...["list", "record", "tuple", "variant", "enum", "option", "result", "flags", "own", "borrow"],
  ...["stream", "future"],
]);

/** Whether a scope type is a value type. */
export function isValType(t: ScopeType): t is ValType {
  return VAL_KINDS.has(t.kind);
}
