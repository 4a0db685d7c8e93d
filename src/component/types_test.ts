import { test } from "node:test";
import assert from "node:assert/strict";
import { primitive, type ResourceType, type ValType, witTypeName } from "./types.ts";

test("witTypeName spells anonymous types as WIT does", () => {
  const { u8, string, s32 } = primitive;
  const point: ValType = {
    kind: "record",
    fields: [{ name: "x", type: s32 }, { name: "y", type: s32 }],
  };
  const file: ResourceType = { kind: "resource", name: "file" };
  assert.equal(witTypeName({ kind: "list", element: u8, length: null }), "list<u8>");
  assert.equal(witTypeName({ kind: "list", element: u8, length: 4 }), "list<u8, 4>");
  assert.equal(witTypeName({ kind: "option", type: string }), "option<string>");
  assert.equal(witTypeName({ kind: "result", ok: null, error: null }), "result");
  assert.equal(witTypeName({ kind: "result", ok: u8, error: null }), "result<u8>");
  assert.equal(witTypeName({ kind: "tuple", types: [u8, string] }), "tuple<u8, string>");
  assert.equal(witTypeName(point), "record { x: s32, y: s32 }");
  const names = new Map<unknown, string>([[point, "point"]]);
  const named = (t: ValType | ResourceType) => names.get(t);
  assert.equal(witTypeName({ kind: "list", element: point, length: null }, named), "list<point>");
  assert.equal(witTypeName({ kind: "own", resource: file }), "file");
  assert.equal(witTypeName({ kind: "borrow", resource: file }), "borrow<file>");
});
