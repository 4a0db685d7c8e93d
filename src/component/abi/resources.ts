/**
 * Run-time resources (CanonicalABI.md "Resource State", "Table State"):
 * resource types with their owning instance and destructor, the
 * per-component-instance handle table, and the handles in it.
 *
 * A handle's `rep` is the i32 representation for a resource a component
 * defines, and the host's JS object for a resource the host defines (so
 * passing a host object in and getting it back out keeps its identity, as
 * jco does).
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { ResourceType } from "../types.ts";
import type { ComponentState } from "./instance_state.ts";

/** A resource type of a running component graph (one per generative definition and instance). */
export class RuntimeResource implements ResourceType {
  /** Discriminant. */
  readonly kind = "resource" as const;
  /** The name it was defined or imported under. */
  readonly name: string;
  /** The component instance that defines it, or null for a host-defined resource. */
  readonly impl: ComponentState | null;
  /**
   * The destructor, called with the rep when an owning handle is dropped,
   * and the instance dropping it (null: the host): a core function of
   * `impl` for component-defined resources, entered from `caller`; the
   * host object's `Symbol.dispose` for host resources.
   */
  dtor: Destructor | null;
  /** For host resources: the JS class whose instances are its values (checked on lowering). */
  readonly hostClass: (abstract new (...args: never[]) => unknown) | null;
  /** For component-defined resources seen by JS: the class of the JS objects that stand for them. */
  jsClass: (new (...args: never[]) => unknown) | null = null;

  /**
   * Creates a resource type.
   *
   * @param name its name, for messages
   * @param impl the defining component instance (null: the host)
   * @param dtor destructor
   * @param hostClass JS class of host-defined values
   */
  constructor(
    name: string,
    impl: ComponentState | null,
    dtor: Destructor | null,
    hostClass: (abstract new (...args: never[]) => unknown) | null = null,
  ) {
    this.name = name;
    this.impl = impl;
    this.dtor = dtor;
    this.hostClass = hostClass;
  }
}

/** A resource destructor (see {@link RuntimeResource.dtor}). */
export type Destructor = (rep: unknown, caller: ComponentState | null) => void;

/** A borrow scope: a call that lent handles (its callee must drop them before returning). */
export interface BorrowScope {
  /** Borrow handles created in the callee's table for this call and not yet dropped. */
  numBorrows: number;
}

/** An entry of a handle table. */
export class ResourceHandle {
  /** Its resource type. */
  readonly rt: RuntimeResource;
  /** The representation. */
  readonly rep: unknown;
  /** Owning (true) or borrowed. */
  readonly own: boolean;
  /** For a borrow handle: the call whose end it must not outlive. */
  readonly scope: BorrowScope | null;
  /** How many ongoing calls this handle is lent to. */
  lends = 0;

  /**
   * Creates a handle.
   *
   * @param rt resource type
   * @param rep representation
   * @param own owning or borrowed
   * @param scope for borrows, the lending call
   */
  constructor(rt: RuntimeResource, rep: unknown, own: boolean, scope: BorrowScope | null) {
    this.rt = rt;
    this.rep = rep;
    this.own = own;
    this.scope = scope;
  }
}

/** The largest handle index (2^28 − 1). */
export const MAX_HANDLES = 2 ** 28 - 1;

/** A component instance's handle table: index 0 is never used; freed indices are reused LIFO. */
export class HandleTable {
  private readonly array: (ResourceHandle | null)[] = [null];
  private readonly free: number[] = [];

  /** The entry at `i` (traps on an unknown index). */
  get(i: number): ResourceHandle {
    const e = i > 0 && i < this.array.length ? this.array[i] : null;
    if (e === null) throw new RuntimeError(`unknown handle index ${i >>> 0}`);
    return e;
  }

  /** Adds `e`, returning its index. */
  add(e: ResourceHandle): number {
    const i = this.free.pop();
    if (i !== undefined) {
      this.array[i] = e;
      return i;
    }
    if (this.array.length > MAX_HANDLES) throw new RuntimeError("handle table is full");
    this.array.push(e);
    return this.array.length - 1;
  }

  /** Removes and returns the entry at `i` (traps on an unknown index). */
  remove(i: number): ResourceHandle {
    const e = this.get(i);
    this.array[i] = null;
    this.free.push(i);
    return e;
  }

  /** Number of live entries. */
  get size(): number {
    return this.array.length - 1 - this.free.length;
  }
}

/** Traps unless handle `i` (already fetched as `h`) has resource type `rt`. */
export function checkResourceType(h: ResourceHandle, i: number, rt: RuntimeResource): void {
  if (h.rt === rt) return;
  const side = (r: RuntimeResource) => r.impl === null ? "host-defined" : "guest-defined";
  const other = side(h.rt) === side(rt) ? `a different ${side(h.rt)}` : side(h.rt);
  throw new RuntimeError(
    `handle index ${i} used with the wrong type, expected ${
      side(rt)
    } resource but found ${other} resource`,
  );
}
