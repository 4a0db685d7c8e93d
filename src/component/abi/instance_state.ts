/**
 * The run-time state the canonical ABI keeps per component instance
 * (CanonicalABI.md "Component Instances"): the handle table, the
 * may-enter / may-leave guards and the parent link that decides which
 * instances a call enters. A trap poisons the instance: later calls into it
 * trap too (as in Wasmtime and jco).
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import { HandleTable } from "./resources.ts";

/** Message of a call into an instance that cannot be entered. */
export const CANNOT_ENTER = "cannot enter component instance";
/** Message of a call out of an instance that may not leave (realloc, post-return, destructors). */
export const CANNOT_LEAVE = "cannot leave component instance";

/** One component instance's ABI state. */
export class ComponentState {
  /** Resource handles (and, later, waitables) owned by this instance. */
  readonly handles: HandleTable = new HandleTable();
  /** The enclosing component instance, if this one is nested. */
  readonly parent: ComponentState | null;
  /** False while a synchronous call is inside this instance (re-entry traps). */
  mayEnter = true;
  /** False while realloc, post-return or a destructor runs (calls out trap). */
  mayLeave = true;
  /** Set once a call into this instance trapped. */
  poisoned = false;
  /** For messages: the instance's name in its parent, or "". */
  readonly name: string;

  /**
   * Creates the state of a new instance.
   *
   * @param parent the enclosing instance, if any
   * @param name its name, for messages
   */
  constructor(parent: ComponentState | null = null, name = "") {
    this.parent = parent;
    this.name = name;
  }

  /**
   * The instances a call from `caller` into this one enters: this one and
   * its ancestors, minus those the caller is already inside.
   */
  enteringSet(caller: ComponentState | null): ComponentState[] {
    const set: ComponentState[] = [this];
    for (let s = this.parent; s !== null; s = s.parent) set.push(s);
    if (caller === null) return set;
    const callerSide = new Set<ComponentState>();
    for (let s: ComponentState | null = caller; s !== null; s = s.parent) callerSide.add(s);
    return set.filter((s) => !callerSide.has(s));
  }

  /** Whether this instance is `other` or one of its ancestors. */
  encloses(other: ComponentState): boolean {
    for (let s: ComponentState | null = other; s !== null; s = s.parent) {
      if (s === this) return true;
    }
    return false;
  }

  /**
   * Enters from `caller`, trapping if any instance entered is busy or
   * poisoned; returns what to leave. A call between an instance and its own
   * ancestor or descendant (either way) traps as well: the component-model
   * test suite requires it (`async/trap-on-reenter.wast`, "for now"), as
   * Wasmtime does and as the spec did before it allowed donut-wrapping
   * reentrance. `call` is false for a destructor run by `resource.drop`,
   * which the spec enters by the entering-set rule alone.
   */
  enter(caller: ComponentState | null, call = true): ComponentState[] {
    if (call && caller !== null && (caller.encloses(this) || this.encloses(caller))) {
      throw new RuntimeError(CANNOT_ENTER);
    }
    if (this.parent === null && caller === null) {
      // The common case: a top-level instance called by the host.
      if (!this.mayEnter || this.poisoned) throw new RuntimeError(CANNOT_ENTER);
      this.mayEnter = false;
      return [this];
    }
    const set = this.enteringSet(caller);
    for (const s of set) if (!s.mayEnter || s.poisoned) throw new RuntimeError(CANNOT_ENTER);
    for (const s of set) s.mayEnter = false;
    return set;
  }

  /** Traps unless this instance may call out right now. */
  checkMayLeave(): void {
    if (!this.mayLeave) throw new RuntimeError(CANNOT_LEAVE);
  }
}

/** Leaves the instances {@link ComponentState.enter} entered. */
export function leave(set: readonly ComponentState[]): void {
  for (let i = 0; i < set.length; i++) set[i].mayEnter = true;
}
