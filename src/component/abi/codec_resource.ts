/**
 * `own<R>` and `borrow<R>` (CanonicalABI.md `lift_own`, `lift_borrow`,
 * `lower_own`, `lower_borrow`), and the JS values that stand for them:
 * a host-defined resource is the host's own object (its rep); a
 * component-defined resource is an object of the resource's JS class
 * holding the rep, whose `Symbol.dispose` drops it (jco's conventions).
 *
 * @module
 */

import { RuntimeError } from "../../errors.ts";
import type { BorrowType, OwnType } from "../types.ts";
import type { Codec } from "./codec.ts";
import type { Context } from "./context.ts";
import type { Layout } from "./layout.ts";
import { checkResourceType, ResourceHandle, RuntimeResource } from "./resources.ts";

/** What a JS object standing for a component-defined resource holds. */
interface Slot {
  rt: RuntimeResource;
  rep: number;
  /** An owning reference the JS side must drop (false: a borrow, or already moved/dropped). */
  owned: boolean;
  /** False once moved into a component or dropped. */
  live: boolean;
}

const slots = new WeakMap<object, Slot>();

/** `Symbol.dispose`, or the registered symbol jco falls back to where the host lacks it. */
export const symbolDispose: symbol = (Symbol as { dispose?: symbol }).dispose ??
  Symbol.for("dispose");

/**
 * Drops a resource whose owning JS object was collected without
 * `Symbol.dispose`, as jco's bindings do (a destructor that cannot run now,
 * its instance poisoned or busy, is skipped).
 */
const collected = typeof FinalizationRegistry === "function"
  ? new FinalizationRegistry<Slot>((s) => {
    if (!s.owned || !s.live) return;
    s.live = false;
    s.owned = false;
    try {
      s.rt.dtor?.(s.rep, null);
    } catch {
      // Nothing to report to: the object is gone.
    }
  })
  : null;

/** `o` no longer owns its resource (dropped or moved into a component). */
function release(o: object, s: Slot): void {
  s.live = false;
  s.owned = false;
  collected?.unregister(o);
}

/** Drops the component-defined resource `o` stands for, if `o` owns it (its `Symbol.dispose`). */
export function disposeGuestResource(o: object): void {
  const s = slots.get(o);
  if (s === undefined || !s.owned || !s.live) return;
  release(o, s);
  s.rt.dtor?.(s.rep, null);
}

/** The base class of the JS objects for component-defined resources. */
export class GuestResource {}
Object.defineProperty(GuestResource.prototype, symbolDispose, {
  value: function (this: object) {
    disposeGuestResource(this);
  },
  writable: true,
  configurable: true,
});

/** A new JS object for rep `rep` of component-defined resource `rt`. */
export function wrapGuestResource(rt: RuntimeResource, rep: number, owned: boolean): object {
  const o = Object.create((rt.jsClass ?? GuestResource).prototype) as object;
  const s: Slot = { rt, rep, owned, live: true };
  slots.set(o, s);
  if (owned) collected?.register(o, s, o);
  return o;
}

function guestSlot(v: unknown, rt: RuntimeResource): Slot {
  const s = v !== null && typeof v === "object" ? slots.get(v) : undefined;
  if (s === undefined || s.rt !== rt) {
    throw new TypeError(`expected a resource of type ${rt.name || "(anonymous)"}`);
  }
  if (!s.live) throw new TypeError(`resource ${rt.name} was already dropped or moved`);
  return s;
}

/** The rep a JS value stands for, as resource `rt` (TypeError if it is not one). */
export function repOf(v: unknown, rt: RuntimeResource): unknown {
  if (rt.impl !== null) return guestSlot(v, rt).rep;
  const cls = rt.hostClass;
  if (v === null || (typeof v !== "object" && typeof v !== "function")) {
    throw new TypeError(
      `expected a resource of type ${rt.name}, got ${v === null ? "null" : typeof v}`,
    );
  }
  if (typeof cls === "function" && !(v instanceof cls)) {
    throw new TypeError(`Resource error: Not a valid "${rt.name}" resource.`);
  }
  return v;
}

/** The JS value for rep `rep` of `rt`. */
function jsValue(rt: RuntimeResource, rep: unknown, owned: boolean): unknown {
  return rt.impl === null ? rep : wrapGuestResource(rt, rep as number, owned);
}

/** The codec of `own<R>` / `borrow<R>` (R must be a run-time resource). */
export function resourceCodec(t: OwnType | BorrowType, l: Layout): Codec {
  const rt = t.resource;
  if (!(rt instanceof RuntimeResource)) {
    throw new TypeError(`resource type ${rt.name} is not bound to a run-time resource`);
  }
  const own = t.kind === "own";
  const lift = own
    ? (cx: Context, i: number): unknown => {
      const h = cx.inst.handles.get(i);
      checkResourceType(h, i, rt);
      if (h.lends !== 0) throw new RuntimeError("cannot remove owned resource while borrowed");
      if (!h.own) throw new RuntimeError(`handle index ${i} is a borrow, expected an owned handle`);
      cx.inst.handles.remove(i);
      return jsValue(rt, h.rep, true);
    }
    : (cx: Context, i: number): unknown => {
      const h = cx.inst.handles.get(i);
      checkResourceType(h, i, rt);
      if (cx.lenders !== null) {
        h.lends++;
        cx.lenders.handles.push(h);
      }
      return jsValue(rt, h.rep, false);
    };
  const lower = own
    ? (cx: Context, v: unknown): number => {
      let rep: unknown;
      if (rt.impl !== null) {
        const s = guestSlot(v, rt);
        if (!s.owned) throw new TypeError(`cannot pass a borrowed ${rt.name} as an owned resource`);
        release(v as object, s);
        rep = s.rep;
      } else rep = repOf(v, rt);
      return cx.inst.handles.add(new ResourceHandle(rt, rep, true, null));
    }
    : (cx: Context, v: unknown): number => {
      const rep = repOf(v, rt);
      if (cx.inst === rt.impl) return rep as number;
      const scope = cx.scope;
      if (scope !== null) scope.numBorrows++;
      return cx.inst.handles.add(new ResourceHandle(rt, rep, false, scope));
    };
  return {
    ...l,
    lift: (cx, src) => lift(cx, (src[cx.pos++] as number) >>> 0),
    lower: (cx, v, out) => {
      out.push(lower(cx, v));
    },
    load: (cx, p) => lift(cx, cx.mem.dv.getUint32(p, true)),
    store: (cx, v, p) => cx.mem.dv.setUint32(p, lower(cx, v), true),
  };
}
