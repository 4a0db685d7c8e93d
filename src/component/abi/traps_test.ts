import { test } from "node:test";
import assert from "node:assert/strict";
import { RuntimeError } from "../../errors.ts";
import { primitive, type ValType } from "../types.ts";
import { codecOf } from "./codec.ts";
import { ResourceHandle, RuntimeResource } from "./resources.ts";
import { testEnv } from "./_test_env.ts";

const { u32, string, char } = primitive;

function traps(f: () => unknown, message: string) {
  assert.throws(f, (e) => e instanceof RuntimeError && e.message.includes(message), message);
}

test("bad lifted values trap with a clear message, and the instance stays usable", () => {
  const env = testEnv();
  const cx = () => env.cx();
  const u8 = env.mem.u8;
  // invalid char: a surrogate, and a value past U+10FFFF
  traps(() => codecOf(char).lift(cx(), [0xd800]), "invalid `char` bit pattern");
  traps(() => codecOf(char).lift(cx(), [0x110000]), "invalid `char` bit pattern");
  // out-of-range discriminants
  const v: ValType = {
    kind: "variant",
    cases: [{ name: "a", type: u32 }, { name: "b", type: null }],
  };
  traps(() => codecOf(v).lift(cx(), [2, 0]), "invalid variant discriminant");
  u8[100] = 3;
  traps(
    () => codecOf({ kind: "enum", names: ["a", "b", "c"] }).load(cx(), 100),
    "invalid variant discriminant",
  );
  traps(
    () => codecOf({ kind: "option", type: u32 }).lift(cx(), [-1, 0]),
    "invalid variant discriminant",
  );
  // bad utf-8: an invalid byte, and a sequence cut short
  u8.set([0x61, 0xff], 200);
  traps(() => codecOf(string).lift(cx(), [200, 2]), "invalid utf-8");
  u8.set([0x61, 0xe2, 0x98], 210);
  traps(() => codecOf(string).lift(cx(), [210, 3]), "incomplete utf-8 byte sequence");
  // lists: unaligned, out of bounds (host and component messages)
  const list: ValType = { kind: "list", element: u32, length: null };
  traps(() => codecOf(list).lift(cx(), [2, 1]), "unaligned pointer");
  traps(() => codecOf(list).lift(cx(), [65532, 2]), "list pointer/length out of bounds of memory");
  traps(() => codecOf(list).lift(env.cx(0, false), [65532, 2]), "list content out-of-bounds");
  traps(() => codecOf(list).lift(cx(), [0, 0x8000000]), "list content out-of-bounds");
  traps(() => codecOf(string).lift(cx(), [-1, 1]), "string pointer/length out of bounds of memory");
  // dangling, wrong-typed and lent handles
  const rt = new RuntimeResource("r", env.inst, null);
  const other = new RuntimeResource("s", env.inst, null);
  const own: ValType = { kind: "own", resource: rt };
  traps(() => codecOf(own).lift(cx(), [7]), "unknown handle index 7");
  traps(() => codecOf(own).lift(cx(), [0]), "unknown handle index 0");
  const h = env.inst.handles.add(new ResourceHandle(other, 5, true, null));
  traps(
    () => codecOf(own).lift(cx(), [h]),
    `handle index ${h} used with the wrong type, expected guest-defined resource but found a different guest-defined resource`,
  );
  const mine = env.inst.handles.add(new ResourceHandle(rt, 6, true, null));
  env.inst.handles.get(mine).lends++;
  traps(() => codecOf(own).lift(cx(), [mine]), "cannot remove owned resource while borrowed");
  env.inst.handles.get(mine).lends--;
  // Still usable: the handle lifts now, and values round-trip.
  assert.ok(codecOf(own).lift(cx(), [mine]) !== undefined);
  assert.equal(env.inst.handles.size, 1);
  const c = cx();
  const out: unknown[] = [];
  codecOf(string).lower(c, "fine", out);
  c.pos = 0;
  assert.equal(codecOf(string).lift(c, out), "fine");
});

test("realloc results are checked", () => {
  const env = testEnv(`
    (func (export "bad-align") (param i32 i32 i32 i32) (result i32) (i32.const 2))
    (func (export "bad-end") (param i32 i32 i32 i32) (result i32) (i32.const -4))`);
  const list: ValType = { kind: "list", element: u32, length: null };
  const withRealloc = (name: string, peerIsHost: boolean) => {
    const cx = env.cx(0, peerIsHost);
    return Object.assign(cx, { opts: { ...cx.opts, realloc: env.func(name) } });
  };
  traps(
    () => codecOf(list).lower(withRealloc("bad-align", true), [1], []),
    "realloc return: result not aligned",
  );
  traps(
    () => codecOf(list).lower(withRealloc("bad-end", true), [1], []),
    "realloc return: beyond end of memory",
  );
  traps(
    () => codecOf(list).lower(withRealloc("bad-end", true), [], []),
    "realloc return: beyond end of memory",
  );
  traps(() => codecOf(list).lower(withRealloc("bad-align", false), [1], []), "unaligned pointer");
  traps(
    () => codecOf(list).lower(withRealloc("bad-end", false), [1], []),
    "list content out-of-bounds",
  );
});
