/**
 * The canonical built-ins a component's core code imports: `resource.new`,
 * `resource.drop`, `resource.rep` (CanonicalABI.md), and the resource
 * destructors they run. The component-model async built-ins other than
 * `task.return` (`task.ts`) are present (so components that import them
 * instantiate) but trap when called, after the may-leave check the spec
 * makes first.
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { FuncInst } from "../../runtime/func.ts";
import { symbolDispose } from "./codec_resource.ts";
import { callCore } from "./core_call.ts";
import { type ComponentState, leave } from "./instance_state.ts";
import {
  checkResourceType,
  type Destructor,
  ResourceHandle,
  type RuntimeResource,
} from "./resources.ts";

/** `canon resource.new rt`: a new owning handle for `rep` in `inst`'s table. */
export function resourceNew(rt: RuntimeResource, inst: ComponentState): (rep: number) => number {
  return (rep) => {
    inst.checkMayLeave();
    return inst.handles.add(new ResourceHandle(rt, rep, true, null));
  };
}

/** `canon resource.drop rt`: drops a handle, running the destructor of an owning one. */
export function resourceDrop(rt: RuntimeResource, inst: ComponentState): (i: number) => void {
  return (index) => {
    inst.checkMayLeave();
    const i = index >>> 0;
    const h = inst.handles.remove(i);
    checkResourceType(h, i, rt);
    if (h.lends !== 0) throw new RuntimeError("cannot remove owned resource while borrowed");
    if (h.own) rt.dtor?.(h.rep, inst);
    else if (h.scope !== null) h.scope.numBorrows--;
  };
}

/** `canon resource.rep rt`: the rep behind a handle. */
export function resourceRep(rt: RuntimeResource, inst: ComponentState): (i: number) => number {
  return (index) => {
    const i = index >>> 0;
    const h = inst.handles.get(i);
    checkResourceType(h, i, rt);
    return h.rep as number;
  };
}

/**
 * The destructor of a resource defined by `impl`: core function `dtor`
 * (if any), called like a lifted function entered from the dropping
 * instance (a trap poisons `impl`).
 */
export function guestDestructor(impl: ComponentState, dtor: FuncInst | null): Destructor {
  return (rep, caller) => {
    if (dtor === null) return;
    const entered = impl.enter(caller, false);
    try {
      callCore(dtor, [rep]);
    } catch (e) {
      impl.poisoned = true;
      throw e;
    } finally {
      leave(entered);
    }
  };
}

/**
 * The destructor of a host resource, as jco runs it: the object's
 * `Symbol.dispose`, else the class's `Symbol.for("cabiDispose")`.
 */
export function hostDestructor(hostClass: unknown): Destructor {
  const cabiDispose = Symbol.for("cabiDispose");
  return (rep) => {
    const o = rep as Record<symbol, unknown> | null;
    if (o !== null && typeof o === "object" && typeof o[symbolDispose] === "function") {
      (o[symbolDispose] as () => void).call(o);
      return;
    }
    const cls = hostClass as Record<symbol, unknown> | null;
    if (cls !== null && typeof cls === "function" && typeof cls[cabiDispose] === "function") {
      (cls[cabiDispose] as (rep: unknown) => void)(rep);
    }
  };
}

/**
 * A built-in Gannet does not run yet (component-model async, threads):
 * checks may-leave as the spec does first, then traps.
 */
export function unsupportedBuiltin(name: string, inst: ComponentState): () => never {
  return () => {
    inst.checkMayLeave();
    throw new RuntimeError(`canonical built-in \`${name}\` is not supported yet`);
  };
}
