/**
 * Name resolution of the component text format: the index spaces of one
 * scope (a component, a component or instance type, a core module type),
 * and the resolver that turns `$names` into indices the way wasm-tools
 * does — a name found in an enclosing scope becomes an `(alias outer …)`
 * inserted before the definition that uses it, and a reference through
 * instance exports (`(func $i "a" "b")`) becomes a chain of export aliases.
 *
 * @module
 */
import type { SAtom, SNode } from "../lexer.ts";
import type { Ctx } from "../_context.ts";
import type {
  Alias,
  ComponentSort,
  CoreExternSort,
  CoreTypeDef,
  Definition,
  ModuleTypeDecl,
  OuterAliasSort,
  TypeDecl,
  TypeDef,
} from "../../component/binary/model.ts";

/** The namespaces (index spaces) of a scope. */
export type Ns =
  | "core func"
  | "core global"
  | "core table"
  | "core memory"
  | "core type"
  | "core tag"
  | "core instance"
  | "core module"
  | "func"
  | "type"
  | "instance"
  | "component"
  | "value";

/** The component-level namespace of each sort. */
export const NS_OF_SORT: Readonly<Record<ComponentSort, Ns>> = {
  module: "core module",
  func: "func",
  value: "value",
  type: "type",
  component: "component",
  instance: "instance",
};

/** The namespace of each core extern sort. */
export const NS_OF_CORE_SORT: Readonly<Record<CoreExternSort, Ns>> = {
  func: "core func",
  table: "core table",
  memory: "core memory",
  global: "core global",
  tag: "core tag",
};

const OUTER_SORT: Partial<Record<Ns, OuterAliasSort>> = {
  "core module": "module",
  "core type": "coreType",
  "type": "type",
  "component": "component",
};

/** One index space: its size and its `$names`. */
class Space {
  count = 0;
  readonly ids = new Map<string, number>();
}

/** What a scope is. */
export type ScopeKind = "component" | "componentType" | "instanceType" | "moduleType";

/** A reference to an item: an index or `$name`, in a namespace. */
export interface IndexRef {
  /** The `$name` or number token. */
  node: SAtom;
}

/** A scope being filled in: its namespaces and the definitions or declarations emitted so far. */
export class Scope {
  readonly ctx: Ctx;
  readonly kind: ScopeKind;
  /** The scope's `$name` (for `(alias outer $name …)`). */
  readonly id: string | null;
  readonly parent: Scope | null;
  private readonly spaces = new Map<Ns, Space>();
  /** Component scopes: the definitions. */
  readonly defs: Definition[] = [];
  /** Component and instance type scopes: the declarations. */
  readonly decls: TypeDecl[] = [];
  /** Core module type scopes: the declarations. */
  readonly moduleDecls: ModuleTypeDecl[] = [];
  /** Names given to items, per namespace (for the name section). */
  readonly names = new Map<Ns, Map<number, string>>();

  constructor(ctx: Ctx, kind: ScopeKind, id: string | null, parent: Scope | null) {
    this.ctx = ctx;
    this.kind = kind;
    this.id = id;
    this.parent = parent;
  }

  private space(ns: Ns): Space {
    let s = this.spaces.get(ns);
    if (s === undefined) {
      s = new Space();
      this.spaces.set(ns, s);
    }
    return s;
  }

  /** Allocates the next index of `ns`, naming it `id` when given. */
  register(ns: Ns, id: SAtom | null): number {
    const s = this.space(ns);
    const index = s.count++;
    if (id !== null) {
      if (s.ids.has(id.text)) this.ctx.fail(id, `duplicate ${ns} identifier`);
      s.ids.set(id.text, index);
      let m = this.names.get(ns);
      if (m === undefined) this.names.set(ns, m = new Map());
      m.set(index, id.text);
    }
    return index;
  }

  /** The index of `$name` in `ns` of this scope alone, or undefined. */
  lookup(ns: Ns, name: string): number | undefined {
    return this.spaces.get(ns)?.ids.get(name);
  }

  /** Emits an alias (definition or declaration) and registers it. */
  pushAlias(alias: Alias, id: SAtom | null): number {
    switch (this.kind) {
      case "component":
        this.defs.push({ kind: "alias", alias, offset: 0 });
        break;
      case "moduleType":
        if (alias.kind !== "outer") throw new RangeError("module types alias outer types only");
        this.moduleDecls.push({ kind: "alias", count: alias.count, index: alias.index, offset: 0 });
        break;
      default:
        this.decls.push({ kind: "alias", alias, offset: 0 });
    }
    return this.register(aliasNs(alias), id);
  }

  /** Emits a type definition (or declaration) and registers it. */
  pushType(type: TypeDef, id: SAtom | null): number {
    if (this.kind === "component") this.defs.push({ kind: "type", type, offset: 0 });
    else this.decls.push({ kind: "type", type, offset: 0 });
    return this.register("type", id);
  }

  /** Emits a core type definition (or declaration) and registers it. */
  pushCoreType(type: CoreTypeDef, id: SAtom | null): number {
    if (this.kind === "component") this.defs.push({ kind: "coreType", type, offset: 0 });
    else this.decls.push({ kind: "coreType", type, offset: 0 });
    return this.register("core type", id);
  }

  /** This scope, then each enclosing one. */
  *chain(): Generator<Scope> {
    yield this;
    if (this.parent !== null) yield* this.parent.chain();
  }

  /** A number token's value, or the resolved `$name` (looking outward, aliasing in). */
  resolve(ref: IndexRef, ns: Ns): number {
    const node = ref.node;
    if (node.kind !== "id") return this.ctx.u32(node, node);
    let depth = 0;
    for (const s of this.chain()) {
      const found = s.lookup(ns, node.text);
      if (found !== undefined) {
        if (depth === 0) return found;
        const sort = OUTER_SORT[ns];
        if (sort === undefined) {
          this.ctx.fail(node, `outer item \`${node.text}\` is not a module, type, or component`);
        }
        return this.pushAlias({ kind: "outer", sort, count: depth, index: found }, node);
      }
      depth++;
    }
    this.ctx.fail(node, `unknown ${ns}: failed to find name \`$${node.text}\``);
  }

  /** Resolves the scope named by an outer alias: `$name` or a count. */
  outerDepth(node: SAtom): number {
    if (node.kind !== "id") return this.ctx.u32(node, node);
    let depth = 0;
    for (const s of this.chain()) {
      if (s.id === node.text) return depth;
      depth++;
    }
    this.ctx.fail(node, `outer component \`${node.text}\` not found`);
  }

  /** The scope `depth` levels out. */
  outer(depth: number, at: SNode): Scope {
    let i = 0;
    for (const s of this.chain()) if (i++ === depth) return s;
    this.ctx.fail(at, `outer count of \`${depth}\` is too large`);
  }
}

/** The namespace an alias adds to. */
export function aliasNs(a: Alias): Ns {
  switch (a.kind) {
    case "export":
      return NS_OF_SORT[a.sort];
    case "coreExport":
      return NS_OF_CORE_SORT[a.sort];
    case "outer":
      return a.sort === "module"
        ? "core module"
        : a.sort === "coreType"
        ? "core type"
        : a.sort === "type"
        ? "type"
        : "component";
  }
}
