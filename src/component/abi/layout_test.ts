import { test } from "node:test";
import assert from "node:assert/strict";
import { primitive, type ValType } from "../types.ts";
import { layout } from "../validate/layout.ts";
import { F32, F64, I32, I64, layoutOf, tupleLayout } from "./layout.ts";

const { u8, u16, u32, u64, f32, f64, string } = primitive;

test("sizes, alignments and flattenings follow CanonicalABI.md", () => {
  const cases: [ValType, number, number, number[]][] = [
    [string, 8, 4, [I32, I32]],
    [{ kind: "record", fields: [{ name: "a", type: u8 }, { name: "b", type: u32 }] }, 8, 4, [
      I32,
      I32,
    ]],
    [{ kind: "option", type: u64 }, 16, 8, [I32, I64]],
    [{ kind: "result", ok: null, error: string }, 12, 4, [I32, I32, I32]],
    [{ kind: "result", ok: null, error: null }, 1, 1, [I32]],
    [{ kind: "option", type: f32 }, 8, 4, [I32, F32]],
    [{ kind: "variant", cases: [{ name: "a", type: f32 }, { name: "b", type: f64 }] }, 16, 8, [
      I32,
      I64,
    ]],
    [{ kind: "variant", cases: [{ name: "a", type: f32 }, { name: "b", type: u32 }] }, 8, 4, [
      I32,
      I32,
    ]],
    [{ kind: "tuple", types: [f64, f64] }, 16, 8, [F64, F64]],
    [{ kind: "flags", names: Array.from({ length: 8 }, (_, i) => `f${i}`) }, 1, 1, [I32]],
    [{ kind: "flags", names: Array.from({ length: 9 }, (_, i) => `f${i}`) }, 2, 2, [I32]],
    [{ kind: "flags", names: Array.from({ length: 33 }, (_, i) => `f${i}`) }, 8, 4, [I32, I32]],
    [{ kind: "enum", names: Array.from({ length: 257 }, (_, i) => `e${i}`) }, 2, 2, [I32]],
    [{ kind: "list", element: u16, length: 3 }, 6, 2, [I32, I32, I32]],
    [{ kind: "list", element: u16, length: null }, 8, 4, [I32, I32]],
  ];
  for (const [t, size, align, flat] of cases) {
    assert.deepEqual(
      { ...layoutOf(t) },
      { ...layoutOf(t), size, align, flat },
      JSON.stringify(t),
    );
  }
});

test("tuple offsets pad each element to its alignment", () => {
  const l = tupleLayout([u8, u16, u8, u64]);
  assert.deepEqual(l.offsets, [0, 2, 4, 8]);
  assert.equal(l.size, 16);
  assert.equal(l.align, 8);
});

test("validation's element sizes (64-bit pointers) follow the same rules", () => {
  const info = {} as never;
  const rec = { info, kind: "record", fields: [["a", "u8"], ["b", "string"]] } as const;
  assert.deepEqual(
    layoutOf({ kind: "record", fields: [{ name: "a", type: u8 }, { name: "b", type: string }] })
      .size,
    12,
  );
  assert.deepEqual(layout(rec), { size: 24, align: 8, offsets: [0, 8] });
  const opt = { info, kind: "option", type: "u64" } as const;
  assert.deepEqual({ ...layout(opt) }, { size: 16, align: 8, discSize: 1, payloadOffset: 8 });
  const flags = {
    info,
    kind: "flags",
    names: ["a", "b", "c", "d", "e", "f", "g", "h", "i"],
  } as const;
  assert.deepEqual(layout(flags), { size: 2, align: 2 });
  const fixed = { info, kind: "list", element: rec, length: 3 } as const;
  assert.deepEqual(layout(fixed), { size: 72, align: 8 });
});
