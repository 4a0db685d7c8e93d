import { test } from "node:test";
import assert from "node:assert/strict";
import { RuntimeError } from "../../errors.ts";
import { ComponentError } from "../component_error.ts";
import { type FuncType, primitive } from "../types.ts";
import { ComponentFunc, liftFunction, lowerFunction } from "./call.ts";
import { NO_OPTIONS } from "./context.ts";
import { funcType, testEnv } from "./_test_env.ts";

const { u32, string } = primitive;

const fn = funcType;

const CORE = `
  (global $post (export "post") (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "echo") (param i32 i32) (result i32)
    (i32.store (i32.const 8) (local.get 0)) (i32.store (i32.const 12) (local.get 1)) (i32.const 8))
  (func (export "sum17") (param $p i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 17))))
    (local.get $s))
  (func (export "post-return") (param i32) (global.set $post (i32.add (global.get $post) (i32.const 1))))
  (func (export "checked-div") (param i32 i32) (result i32)
    (if (i32.eqz (local.get 1))
      (then (i32.store8 (i32.const 16) (i32.const 1))
            (i32.store (i32.const 20) (i32.const 40)) (i32.store (i32.const 24) (i32.const 11)))
      (else (i32.store8 (i32.const 16) (i32.const 0))
            (i32.store (i32.const 20) (i32.div_u (local.get 0) (local.get 1)))))
    (i32.const 16))
  (data (i32.const 40) "div by zero")
  (func (export "shout") (param i32 i32) (result i32)
    (call $upper (local.get 0) (local.get 1) (i32.const 32)) (i32.const 32))
  (func (export "call-out") (call $out))
  (func (export "trap") unreachable)
  (func (export "realloc-calling-out") (param i32 i32 i32 i32) (result i32) (call $out) (i32.const 64))`;
const IMPORTS = `
  (import "host" "upper" (func $upper (param i32 i32 i32)))
  (import "host" "out" (func $out))`;

function setup(hostOut: () => void = () => {}) {
  const late: Record<string, (...a: unknown[]) => unknown> = {};
  const env = testEnv(CORE, IMPORTS, {
    host: {
      upper: (...a: unknown[]) => late.upper(...a),
      out: (...a: unknown[]) => late.out(...a),
    },
  });
  const upper = ComponentFunc.host(fn([string], string), (s) => (s as string).toUpperCase());
  late.upper = lowerFunction(upper, env.opts(), env.inst);
  late.out = lowerFunction(ComponentFunc.host(fn([]), hostOut), NO_OPTIONS, env.inst);
  const lift = (name: string, type: FuncType, postReturn?: string) =>
    liftFunction(env.func(name), type, env.opts(0, postReturn), env.inst);
  return { env, lift };
}

test("canon lift: scalars, strings through a return pointer, spilled parameters, post-return", () => {
  const { env, lift } = setup();
  assert.equal(lift("add", fn([u32, u32], u32)).js(2, 0xffffffff), 1);
  const echo = lift("echo", fn([string], string), "post-return");
  assert.equal(echo.js("héllo ☃ 🍰"), "héllo ☃ 🍰");
  assert.equal(echo.js(""), "");
  assert.equal((env.exports.post as { value: number }).value, 2, "post-return ran after each call");
  const sum = lift("sum17", fn(Array(17).fill(u32), u32));
  assert.equal(sum.js(...Array.from({ length: 17 }, (_, i) => i + 1)), 153);
});

test("a result is returned or thrown as ComponentError (jco)", () => {
  const { lift } = setup();
  const div = lift("checked-div", fn([u32, u32], { kind: "result", ok: u32, error: string }));
  assert.equal(div.js(7, 2), 3);
  assert.throws(
    () => div.js(1, 0),
    (e) => e instanceof ComponentError && e.payload === "div by zero",
  );
  // Another component's lowered import gets the tagged value directly.
  assert.deepEqual(div.call!(null, [1, 0]), { tag: "err", val: "div by zero" });
});

test("canon lower: the host function gets lifted arguments; its result is lowered through the return pointer", () => {
  const { lift } = setup();
  assert.equal(lift("shout", fn([string], string)).js("gannet 🐦"), "GANNET 🐦");
});

test("re-entering an instance traps; so does calling out of realloc; a trap poisons the instance", () => {
  let reenter: () => unknown = () => {};
  const { env, lift } = setup(() => reenter());
  const callOut = lift("call-out", fn([]));
  const add = lift("add", fn([u32, u32], u32));
  reenter = () => add.js(1, 2);
  assert.throws(
    () => callOut.js(),
    (e) => e instanceof RuntimeError && e.message === "cannot enter component instance",
  );
  const { env: env2, lift: lift2 } = setup();
  const badOpts = { ...env2.opts(), realloc: env2.func("realloc-calling-out") };
  const echo = liftFunction(env2.func("echo"), fn([string], string), badOpts, env2.inst);
  assert.throws(
    () => echo.js("x"),
    (e) => e instanceof RuntimeError && e.message === "cannot leave component instance",
  );
  assert.equal(
    lift2("add", fn([u32, u32], u32)).js(1, 1),
    2,
    "a failed argument lowering does not poison",
  );
  const trap = lift("trap", fn([]));
  assert.throws(() => trap.js(), RuntimeError);
  assert.throws(
    () => add.js(1, 2),
    (e) => e instanceof RuntimeError && e.message === "cannot enter component instance",
  );
  assert.ok(env.inst.poisoned);
});
