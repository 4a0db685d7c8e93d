/**
 * Run-time instantiation of a decoded component: its definitions run in
 * binary order, each filling one index space — core modules compiled by
 * Gannet (once per component, shared by its instances), core instances,
 * aliases, nested components and their instances, types (each resource
 * definition makes a new run-time resource per instance), canonical
 * functions, imports, exports and start functions.
 *
 * @module
 */

import { memOf } from "../api/_internals.ts";
import { Instance } from "../api/instance.ts";
import { Module } from "../api/module.ts";
import type { Store } from "../api/store.ts";
import { CompileError, LinkError, RuntimeError } from "../errors.ts";
import { funcInstOf } from "../api/exported.ts";
import { hostFunction } from "../api/host.ts";
import type { FuncInst } from "../runtime/func.ts";
import {
  guestDestructor,
  resourceDrop,
  resourceNew,
  resourceRep,
  unsupportedBuiltin,
} from "./abi/builtins.ts";
import { liftAsyncFunction, lowerAsyncFunction } from "./abi/async_call.ts";
import { ComponentFunc, liftFunction, lowerFunction } from "./abi/call.ts";
import { type CanonOptions, LATIN1_UTF16, UTF16, UTF8 } from "./abi/context.ts";
import { ComponentState } from "./abi/instance_state.ts";
import { coreSignature } from "./abi/layout.ts";
import { RuntimeResource } from "./abi/resources.ts";
import { taskReturn } from "./abi/task.ts";
import type {
  Alias,
  Canon,
  CanonOpt,
  ComponentSort,
  CoreExternSort,
  Definition,
  ExternDesc,
} from "./binary/model.ts";
import { TypeScope } from "./instantiate_types.ts";
import type { ComponentDef, Extern, OuterScope, RuntimeInstance } from "./runtime_values.ts";

/** Resolves an import of the component being instantiated. */
export type ImportResolver = (name: string, desc: ExternDesc, scope: TypeScope) => Extern;

/** Every index space of one component instance while it is being instantiated. */
class InstanceScope extends TypeScope implements OuterScope {
  readonly coreModules: Module[] = [];
  readonly coreInstances: Record<string, unknown>[] = [];
  readonly core: Record<CoreExternSort, unknown[]> = {
    func: [],
    table: [],
    memory: [],
    global: [],
    tag: [],
  };
  readonly funcs: ComponentFunc[] = [];
  readonly values: unknown[] = [];
  readonly components: ComponentDef[] = [];
  readonly instances: RuntimeInstance[] = [];
  readonly exports: RuntimeInstance = new Map();
  readonly state: ComponentState;
  readonly def: ComponentDef;
  /** Types only: no core code is compiled or run (describing a component). */
  readonly dry: boolean;
  /** The store the core instances belong to (undefined: the default store). */
  readonly store: Store | undefined;

  constructor(def: ComponentDef, state: ComponentState, dry: boolean, store: Store | undefined) {
    super(def.outer);
    this.def = def;
    this.state = state;
    this.dry = dry;
    this.store = store;
  }

  /** The item at `index` of component-level index space `sort`. */
  item(sort: ComponentSort, index: number): Extern {
    const space: unknown[] = sort === "func"
      ? this.funcs
      : sort === "instance"
      ? this.instances
      : sort === "type"
      ? this.types
      : sort === "component"
      ? this.components
      : sort === "module"
      ? this.coreModules
      : this.values;
    if (index >= space.length) throw new CompileError(`${sort} index out of bounds: ${index}`);
    return { sort, value: space[index] } as Extern;
  }

  /** Appends `e` to its index space. */
  push(e: Extern): void {
    switch (e.sort) {
      case "func":
        this.funcs.push(e.value);
        return;
      case "instance":
        this.instances.push(e.value);
        return;
      case "type":
        this.types.push(e.value);
        return;
      case "component":
        this.components.push(e.value);
        return;
      case "module":
        this.coreModules.push(e.value);
        return;
      case "value":
        this.values.push(e.value);
        return;
    }
  }

  coreItem(sort: CoreExternSort, index: number): unknown {
    const space = this.core[sort];
    if (index >= space.length) throw new CompileError(`core ${sort} index out of bounds: ${index}`);
    return space[index];
  }

  /** The core function at `index` as a function instance. */
  coreFunc(index: number): FuncInst | null {
    return funcInstOf(this.coreItem("func", index)) ?? null;
  }
}

/**
 * Instantiates component `def` inside `parent` (null: at top level),
 * resolving its imports with `resolve`; returns its exports. `dry`
 * instantiation computes the types of everything without compiling or
 * running core code (functions are stubs that throw). Core instances
 * belong to `store` (fuel, deadlines, limits).
 */
export function instantiateDef(
  def: ComponentDef,
  resolve: ImportResolver,
  parent: ComponentState | null,
  name = "",
  dry = false,
  store?: Store,
): RuntimeInstance {
  const scope = new InstanceScope(def, new ComponentState(parent, name), dry, store);
  for (const d of def.model.definitions) define(scope, d, resolve);
  return scope.exports;
}

function define(s: InstanceScope, d: Definition, resolve: ImportResolver): void {
  if (s.dry && defineDry(s, d)) return;
  switch (d.kind) {
    case "coreModule": {
      let m = s.def.modules.get(d.module);
      if (m === undefined) {
        m = new Module(d.module.bytes);
        s.def.modules.set(d.module, m);
      }
      s.coreModules.push(m);
      return;
    }
    case "coreInstance": {
      const e = d.instance;
      if (e.kind === "instantiate") {
        const imports: Record<string, unknown> = {};
        for (const a of e.args) imports[a.name] = s.coreInstances[a.instance];
        const m = s.coreModules[e.module];
        if (m === undefined) throw new CompileError(`module index out of bounds: ${e.module}`);
        s.coreInstances.push(new Instance(m, imports, { store: s.store }).exports);
      } else {
        const o: Record<string, unknown> = Object.create(null);
        for (const x of e.exports) o[x.name] = s.coreItem(x.sort, x.index);
        s.coreInstances.push(o);
      }
      return;
    }
    case "coreType":
      s.coreTypes.push(d.type);
      return;
    case "component":
      s.components.push({ model: d.component, outer: s, modules: s.def.modules });
      return;
    case "instance": {
      const e = d.instance;
      if (e.kind === "instantiate") {
        const c = s.components[e.component];
        if (c === undefined) {
          throw new CompileError(`component index out of bounds: ${e.component}`);
        }
        const args = new Map<string, Extern>(e.args.map((a) => [a.name, s.item(a.sort, a.index)]));
        const argResolver: ImportResolver = (name) => {
          const a = args.get(name);
          if (a === undefined) throw new LinkError(`missing instantiation argument "${name}"`);
          return a;
        };
        s.instances.push(
          instantiateDef(c, argResolver, s.state, `#${s.instances.length}`, s.dry, s.store),
        );
      } else {
        s.instances.push(new Map(e.exports.map((x) => [x.name.name, s.item(x.sort, x.index)])));
      }
      return;
    }
    case "alias":
      alias(s, d.alias);
      return;
    case "type": {
      const t = d.type;
      if (t.kind === "resource") {
        const dtor = t.dtor === null ? null : s.coreFunc(t.dtor);
        const rt = new RuntimeResource(typeName(s, s.types.length), s.state, null);
        rt.dtor = guestDestructor(s.state, dtor);
        s.types.push(rt);
      } else if (t.kind === "instance" || t.kind === "component") {
        s.types.push({ kind: `${t.kind}-type`, def: t, scope: s });
      } else s.types.push(s.resolveValOrFunc(t));
      return;
    }
    case "canon":
      canon(s, d.canon);
      return;
    case "start": {
      const f = s.funcs[d.start.func];
      const args = d.start.args.map((i) => s.values[i]);
      const r = f.call !== null ? f.call(s.state, args) : f.js(...args);
      if (d.start.results > 0) s.values.push(r);
      return;
    }
    case "import":
      s.push(resolve(d.name.name, d.desc, s));
      return;
    case "export": {
      const e = s.item(d.item.sort, d.item.index);
      s.exports.set(d.name.name, e);
      s.push(e);
      return;
    }
    case "value":
      // 🪙 value definitions are decoded and validated; their values are not used at run time yet.
      s.values.push(undefined);
      return;
  }
}

/** The core-level definitions in a dry run: placeholders keep the indices right. */
function defineDry(s: InstanceScope, d: Definition): boolean {
  switch (d.kind) {
    case "coreModule":
      s.coreModules.push(undefined as unknown as Module);
      return true;
    case "coreInstance":
      s.coreInstances.push({});
      return true;
    case "alias":
      if (d.alias.kind !== "coreExport") return false;
      s.core[d.alias.sort].push(undefined);
      return true;
    case "type":
      if (d.type.kind !== "resource") return false;
      s.types.push(new RuntimeResource(typeName(s, s.types.length), s.state, null));
      return true;
    case "canon": {
      const c = d.canon;
      if (c.kind === "lift") s.funcs.push(uncallable(s.funcType(c.type), DESCRIPTION));
      else s.core.func.push(undefined);
      return true;
    }
    case "start":
      if (d.start.results > 0) s.values.push(undefined);
      return true;
    default:
      return false;
  }
}

function typeName(s: InstanceScope, index: number): string {
  return s.def.model.names?.sorts.get("type")?.get(index) ?? "";
}

function alias(s: InstanceScope, a: Alias): void {
  switch (a.kind) {
    case "export": {
      const inst = s.instances[a.instance];
      if (inst === undefined) throw new CompileError(`instance index out of bounds: ${a.instance}`);
      const e = inst.get(a.name);
      if (e === undefined) {
        throw new LinkError(`instance ${a.instance} has no export named "${a.name}"`);
      }
      if (e.sort !== a.sort) {
        throw new LinkError(`export "${a.name}" is a ${e.sort}, not a ${a.sort}`);
      }
      s.push(e);
      return;
    }
    case "coreExport": {
      const inst = s.coreInstances[a.instance];
      if (inst === undefined) {
        throw new CompileError(`core instance index out of bounds: ${a.instance}`);
      }
      const v = inst[a.name];
      if (v === undefined) {
        throw new LinkError(`core instance ${a.instance} has no export named "${a.name}"`);
      }
      s.core[a.sort].push(v);
      return;
    }
    case "outer": {
      const o = s.outer(a.count) as InstanceScope;
      switch (a.sort) {
        case "type":
          s.types.push(o.type(a.index));
          return;
        case "coreType":
          s.coreTypes.push(o.coreTypes[a.index]);
          return;
        case "module":
          s.coreModules.push(o.coreModules[a.index]);
          return;
        case "component":
          s.components.push(o.components[a.index]);
          return;
      }
    }
  }
}

function options(s: InstanceScope, opts: readonly CanonOpt[]): CanonOptions {
  let memory = null, realloc = null, postReturn = null;
  let encoding: CanonOptions["encoding"] = UTF8;
  for (const o of opts) {
    switch (o.kind) {
      case "memory":
        memory = memOf.get(s.coreItem("memory", o.index) as object) ?? null;
        break;
      case "realloc":
        realloc = s.coreFunc(o.index);
        break;
      case "post-return":
        postReturn = s.coreFunc(o.index);
        break;
      case "string-encoding":
        encoding = o.encoding === "utf8" ? UTF8 : o.encoding === "utf16" ? UTF16 : LATIN1_UTF16;
        break;
    }
  }
  return { memory, realloc, postReturn, encoding };
}

function canon(s: InstanceScope, c: Canon): void {
  const state = s.state;
  switch (c.kind) {
    case "lift": {
      const type = s.funcType(c.type);
      const async = c.options.some((o) => o.kind === "async");
      const cb = c.options.find((o) => o.kind === "callback");
      const raw = s.coreItem("func", c.coreFunc);
      let core = funcInstOf(raw);
      if (core === undefined) {
        // A core function that is not a wasm export (a lowered import lifted again).
        const sig = coreSignature(type, "lift", async ? { callback: cb !== undefined } : null);
        core = hostFunction(raw as (...a: unknown[]) => unknown, sig);
      }
      const opts = options(s, c.options);
      if (async) {
        const callback = cb === undefined ? null : s.coreFunc(cb.index);
        s.funcs.push(liftAsyncFunction(core, callback, type, opts, state));
      } else s.funcs.push(liftFunction(core, type, opts, state));
      return;
    }
    case "lower": {
      const f = s.funcs[c.func];
      if (f === undefined) throw new CompileError(`func index out of bounds: ${c.func}`);
      const opts = options(s, c.options);
      s.core.func.push(
        c.options.some((o) => o.kind === "async")
          ? lowerAsyncFunction(f, opts, state)
          : lowerFunction(f, opts, state),
      );
      return;
    }
    case "task.return": {
      const t = c.result === null ? null : s.valType(c.result);
      s.core.func.push(taskReturn(t, options(s, c.options), state));
      return;
    }
    case "resource.new":
    case "resource.drop":
    case "resource.rep": {
      const rt = s.resource(c.resource);
      if (!(rt instanceof RuntimeResource)) {
        throw new CompileError(`type index ${c.resource} is not a local resource`);
      }
      const make = c.kind === "resource.new"
        ? resourceNew
        : c.kind === "resource.drop"
        ? resourceDrop
        : resourceRep;
      s.core.func.push(make(rt, state));
      return;
    }
    default:
      s.core.func.push(unsupportedBuiltin(c.kind, state));
  }
}

const DESCRIPTION = "a function of a component description cannot be called";

/** A function that traps when called (in a dry run). */
function uncallable(type: ComponentFunc["type"], why: string): ComponentFunc {
  const fail = () => {
    throw new RuntimeError(why);
  };
  return new ComponentFunc(type, fail, fail);
}
