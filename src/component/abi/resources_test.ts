import { test } from "node:test";
import assert from "node:assert/strict";
import { RuntimeError } from "../../errors.ts";
import { type FuncType, primitive, type ValType } from "../types.ts";
import {
  guestDestructor,
  hostDestructor,
  resourceDrop,
  resourceNew,
  resourceRep,
} from "./builtins.ts";
import { liftFunction } from "./call.ts";
import { symbolDispose } from "./codec_resource.ts";
import { RuntimeResource } from "./resources.ts";
import { funcType, testEnv } from "./_test_env.ts";

const { u32 } = primitive;
const fn = funcType;

const CORE = `
  (global $dropped (export "dropped") (mut i32) (i32.const -1))
  (func (export "dtor") (param i32) (global.set $dropped (local.get 0)))
  (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
  (func (export "rep-of-handle") (param i32) (result i32) (call $rep (local.get 0)))
  (func (export "get") (param i32) (result i32) (local.get 0))
  (func (export "keep") (param i32))
  (func (export "drop-host") (param i32) (call $drop-h (local.get 0)))`;
const IMPORTS = `
  (import "res" "new" (func $new (param i32) (result i32)))
  (import "res" "rep" (func $rep (param i32) (result i32)))
  (import "res" "drop-h" (func $drop-h (param i32)))`;

class Thing {
  disposed = 0;
  [Symbol.dispose]() {
    this.disposed++;
  }
}

function setup() {
  const late: Record<string, (...a: never[]) => unknown> = {};
  const env = testEnv(CORE, IMPORTS, {
    res: {
      new: (r: never) => late.new(r),
      rep: (h: never) => late.rep(h),
      "drop-h": (h: never) => late.dropH(h),
    },
  });
  const R = new RuntimeResource("r", env.inst, null);
  R.dtor = guestDestructor(env.inst, env.func("dtor"));
  const H = new RuntimeResource("thing", null, hostDestructor(Thing), Thing);
  late.new = resourceNew(R, env.inst);
  late.rep = resourceRep(R, env.inst);
  late.dropH = resourceDrop(H, env.inst);
  const lift = (name: string, t: FuncType) => liftFunction(env.func(name), t, env.opts(), env.inst);
  return { env, R, H, lift };
}

test("component-defined resources: JS objects own them; Symbol.dispose runs the destructor", () => {
  const { env, R, lift } = setup();
  const own: ValType = { kind: "own", resource: R };
  const make = lift("make", fn([u32], own));
  const get = lift("get", fn([{ kind: "borrow", resource: R }], u32));
  const r = make.js(42) as { [k: symbol]: () => void };
  assert.equal(env.inst.handles.size, 0, "the own handle moved out to JS");
  assert.equal(get.js(r), 42, "a borrow of its own resource reaches the component as the rep");
  r[symbolDispose]();
  assert.equal((env.exports.dropped as { value: number }).value, 42);
  assert.throws(() => get.js(r), TypeError, "a dropped resource cannot be used");
  assert.throws(() => get.js({}), TypeError);
  // Passed back as own: the component gets a handle to it again.
  const r2 = make.js(7);
  const repOf = lift("rep-of-handle", fn([own], u32));
  assert.equal(repOf.js(r2), 7);
  assert.equal(env.inst.handles.size, 1);
  assert.throws(() => repOf.js(r2), TypeError, "moved: no longer the caller's");
});

test("host resources: borrows must be dropped before the call returns; own handles dispose the host object", () => {
  const { env, H, lift } = setup();
  const keep = lift("keep", fn([{ kind: "borrow", resource: H }]));
  const dropBorrow = lift("drop-host", fn([{ kind: "borrow", resource: H }]));
  const dropOwn = lift("drop-host", fn([{ kind: "own", resource: H }]));
  const t = new Thing();
  dropBorrow.js(t);
  assert.equal(t.disposed, 0, "dropping a borrow does not destroy");
  assert.equal(env.inst.handles.size, 0);
  dropOwn.js(t);
  assert.equal(t.disposed, 1, "dropping the owning handle calls Symbol.dispose");
  assert.throws(() => dropOwn.js({}), TypeError, "not a Thing");
  assert.throws(
    () => keep.js(t),
    (e) =>
      e instanceof RuntimeError &&
      e.message === "borrow handles still remain at the end of the call",
  );
});

test("an owned component resource collected without Symbol.dispose is dropped (as jco does)", async (t) => {
  const gc = (globalThis as { gc?: () => void }).gc ??
    ((globalThis as { Bun?: { gc(force: boolean): void } }).Bun
      ? () => (globalThis as unknown as { Bun: { gc(force: boolean): void } }).Bun.gc(true)
      : undefined);
  if (gc === undefined) {
    t.skip("needs a way to force garbage collection (Bun, or --expose-gc)");
    return;
  }
  const { env, R, lift } = setup();
  const make = lift("make", fn([u32], { kind: "own", resource: R }));
  (() => {
    make.js(99);
  })();
  for (let i = 0; i < 20 && (env.exports.dropped as { value: number }).value !== 99; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal((env.exports.dropped as { value: number }).value, 99);
});
