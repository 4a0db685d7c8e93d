import { test } from "node:test";
import assert from "node:assert/strict";
import { RuntimeError } from "../../errors.ts";
import { parseWat } from "../../text/parse_wat.ts";
import { Component, instantiateComponentSync } from "../component.ts";

type Fn = (...args: unknown[]) => unknown;

function run(wat: string, imports: Record<string, unknown> = {}): Record<string, Fn> {
  return instantiateComponentSync(new Component(parseWat(wat)), imports) as Record<string, Fn>;
}

function traps(f: () => unknown, message: string) {
  assert.throws(f, (e) => e instanceof RuntimeError && e.message.includes(message), message);
}

// A callback-lifted export that yields `n` times (counting the callback's
// calls in a global) and then returns n + calls through task.return.
const YIELDER = `(component
  (core module $M
    (import "" "task.return" (func $ret (param i32)))
    (global $left (mut i32) (i32.const 0))
    (global $calls (mut i32) (i32.const 0))
    (global $n (mut i32) (i32.const 0))
    (func (export "count") (param i32) (result i32)
      (global.set $n (local.get 0))
      (global.set $left (local.get 0))
      (call $step))
    (func $step (result i32)
      (if (result i32) (i32.eqz (global.get $left))
        (then (call $ret (i32.add (global.get $n) (global.get $calls))) (i32.const 0 (; EXIT ;)))
        (else (global.set $left (i32.sub (global.get $left) (i32.const 1)))
              (i32.const 1 (; YIELD ;)))))
    (func (export "count-cb") (param $event i32) (param i32 i32) (result i32)
      (if (local.get $event) (then unreachable)) ;; only NONE events
      (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
      (call $step)))
  (core func $ret (canon task.return (result u32)))
  (core instance $i (instantiate $M (with "" (instance (export "task.return" (func $ret))))))
  (func (export "count") async (param "n" u32) (result u32)
    (canon lift (core func $i "count") async (callback (core func $i "count-cb")))))`;

test("an async-lifted export with a callback runs its event loop: YIELD calls the callback, EXIT ends", () => {
  const { count } = run(YIELDER);
  assert.equal(count(0), 0);
  assert.equal(count(3), 6); // 3 + 3 callback calls (the globals count across calls)
  assert.equal(count(2), 2 + 5);
});

// Stackful async lift (no callback) returning a string through task.return,
// called by the host and, async-lowered, by a sibling component.
const STACKFUL = `(component
  (component $Callee
    (core module $M
      (import "" "task.return" (func $ret (param i32 i32)))
      (import "" "mem" (memory 1))
      (data (i32.const 64) "hello, ")
      (global $bump (mut i32) (i32.const 1024))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (global.get $bump)
        (global.set $bump (i32.add (global.get $bump) (local.get 3))))
      (func (export "greet") (param $p i32) (param $n i32)
        (memory.copy (i32.const 71) (local.get $p) (local.get $n))
        (call $ret (i32.const 64) (i32.add (i32.const 7) (local.get $n)))))
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (core func $ret (canon task.return (result string) (memory (core memory $mem "mem"))))
    (core instance $i (instantiate $M (with "" (instance
      (export "task.return" (func $ret)) (export "mem" (memory $mem "mem"))))))
    (func (export "greet") async (param "who" string) (result string)
      (canon lift (core func $i "greet") async (memory (core memory $mem "mem"))
        (realloc (core func $i "realloc")))))
  (component $Caller
    (import "greet" (func $greet async (param "who" string) (result string)))
    (core module $Libc
      (memory (export "mem") 1)
      (global $bump (mut i32) (i32.const 2048))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (global.get $bump)
        (global.set $bump (i32.add (global.get $bump) (local.get 3)))))
    (core instance $libc (instantiate $Libc))
    (core func $greet (canon lower (func $greet) async (memory (core memory $libc "mem"))
      (realloc (core func $libc "realloc"))))
    (core module $M
      (import "" "mem" (memory 1))
      (import "" "greet" (func $greet (param i32 i32 i32) (result i32)))
      (data (i32.const 16) "world")
      (func (export "run") (result i32)
        (if (i32.ne (call $greet (i32.const 16) (i32.const 5) (i32.const 32)) (i32.const 2))
          (then unreachable)) ;; RETURNED
        (i32.const 32)))
    (core instance $i (instantiate $M (with "" (instance
      (export "mem" (memory $libc "mem")) (export "greet" (func $greet))))))
    (func (export "run") (result string)
      (canon lift (core func $i "run") (memory (core memory $libc "mem")))))
  (instance $callee (instantiate $Callee))
  (instance $caller (instantiate $Caller (with "greet" (func $callee "greet"))))
  (export "greet" (func $callee "greet"))
  (export "run" (func $caller "run")))`;

test("a stackful async lift returns through task.return, to the host and to an async-lowered caller", () => {
  const { greet, run: call } = run(STACKFUL);
  assert.equal(greet("gannet"), "hello, gannet");
  assert.equal(call(), "hello, world");
});

// Misbehaving async exports, one per function.
const BAD = `(component
  (core module $M
    (import "" "task.return" (func $ret (param i32)))
    (func (export "no-return") (result i32) (i32.const 0))
    (func (export "twice") (result i32) (call $ret (i32.const 1)) (call $ret (i32.const 2))
      (i32.const 0))
    (func (export "bad-code") (result i32) (i32.const 3))
    (func (export "wait") (result i32) (i32.const 0x52 (; WAIT on set 5 ;)))
    (func (export "sync") (result i32) (call $ret (i32.const 1)) (i32.const 0))
    (func (export "ok") (result i32) (call $ret (i32.const 7)) (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core func $ret (canon task.return (result u32)))
  (core instance $i (instantiate $M (with "" (instance (export "task.return" (func $ret))))))
  (func (export "no-return") async (result u32)
    (canon lift (core func $i "no-return") async (callback (core func $i "cb"))))
  (func (export "twice") async (result u32)
    (canon lift (core func $i "twice") async (callback (core func $i "cb"))))
  (func (export "bad-code") async (result u32)
    (canon lift (core func $i "bad-code") async (callback (core func $i "cb"))))
  (func (export "wait") async (result u32)
    (canon lift (core func $i "wait") async (callback (core func $i "cb"))))
  (func (export "sync") (result u32) (canon lift (core func $i "sync")))
  (func (export "ok") async (result u32)
    (canon lift (core func $i "ok") async (callback (core func $i "cb")))))`;

test("async tasks that break the rules trap, and the trap poisons the instance", () => {
  traps(() => run(BAD).noReturn(), "exited without calling `task.return`");
  traps(() => run(BAD).twice(), "`task.return` called more than once");
  traps(() => run(BAD).badCode(), "unsupported callback code: 3");
  traps(() => run(BAD).wait(), "unknown handle index 5");
  traps(() => run(BAD).sync(), "`task.return` called from a synchronously-lifted function");
  const bad = run(BAD);
  assert.equal(bad.ok(), 7);
  assert.equal(bad.ok(), 7);
  traps(() => bad.twice(), "called more than once");
  traps(() => bad.ok(), "cannot enter component instance");
});

test("an async-lowered call of a host function returns RETURNED; a Promise from the host traps", () => {
  const wat = `(component
    (import "f" (func $f async (param "x" u32) (result u32)))
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (core func $f (canon lower (func $f) async (memory (core memory $mem "mem"))))
    (core module $M
      (import "" "mem" (memory 1))
      (import "" "f" (func $f (param i32 i32) (result i32)))
      (func (export "run") (result i32)
        (if (i32.ne (call $f (i32.const 41) (i32.const 8)) (i32.const 2)) (then unreachable))
        (i32.load (i32.const 8))))
    (core instance $i (instantiate $M (with "" (instance
      (export "mem" (memory $mem "mem")) (export "f" (func $f))))))
    (func (export "run") (result u32) (canon lift (core func $i "run"))))`;
  assert.equal(run(wat, { f: (x: number) => x + 1 }).run(), 42);
  traps(
    () => run(wat, { f: (x: number) => Promise.resolve(x) }).run(),
    "returned a Promise to an async-lowered call",
  );
});
