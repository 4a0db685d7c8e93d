import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { encodeModule } from "./encode.ts";
import { ByteWriter } from "./leb_write.ts";
import { emptyModule, type Expr, funcTypeDef, type ModuleStruct } from "./types.ts";

const expr = (...bytes: number[]): Expr => ({
  bytes: Uint8Array.from([...bytes, 0x0b]),
  offset: 0,
});
const i32 = (v: number) => expr(0x41, v);

describe("ByteWriter", () => {
  it("writes minimal LEB128", () => {
    const w = new ByteWriter(1);
    w.u32(0);
    w.u32(127);
    w.u32(128);
    w.u32(0xffffffff);
    w.s32(-1);
    w.s32(63);
    w.s32(64);
    w.s32(-0x80000000);
    w.s64(-(2n ** 63n));
    w.u64(2n ** 64n - 1n);
    assert.deepEqual(
      [...w.finish()],
      [
        0x00,
        0x7f,
        0x80,
        0x01,
        0xff,
        0xff,
        0xff,
        0xff,
        0x0f,
        0x7f,
        0x3f,
        0xc0,
        0x00,
        0x80,
        0x80,
        0x80,
        0x80,
        0x78,
        ...[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f],
        ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      ],
    );
  });
});

describe("encodeModule", () => {
  it("writes every section and segment variant as wasm-tools does", async () => {
    const m: ModuleStruct = emptyModule();
    m.types.push(funcTypeDef([0x7f], []), funcTypeDef([], [0x7e, 0x7b]));
    m.recs.push(1, 1);
    m.recWritten.push(false, false);
    m.imports.push(
      { module: "m", name: "f", desc: { kind: 0, type: 0 } },
      {
        module: "m",
        name: "t",
        desc: {
          kind: 1,
          type: { elem: 0x6f, limits: { min: 1n, max: null, shared: false, index64: true } },
        },
      },
      {
        module: "m",
        name: "mem",
        desc: { kind: 2, type: { limits: { min: 1n, max: 2n, shared: true, index64: false } } },
      },
      { module: "m", name: "g", desc: { kind: 3, type: { type: 0x7d, mutable: true } } },
    );
    m.funcs.push(0);
    m.tables.push(
      { elem: 0x70, limits: { min: 2n, max: 3n, shared: false, index64: false } },
      {
        elem: 0x70,
        limits: { min: 1n, max: null, shared: false, index64: false },
        init: expr(0xd2, 1),
      },
    );
    m.memories.push({ limits: { min: 0n, max: 2n ** 40n, shared: false, index64: true } });
    m.globals.push({ type: { type: 0x7f, mutable: false }, init: i32(5) });
    m.exports.push({ name: "run", kind: 0, index: 1 }, { name: "héllo", kind: 3, index: 1 });
    m.start = 1;
    const ref = expr(0xd2, 1);
    m.elems.push(
      { mode: "active", table: 0, offset: i32(0), type: 0x70, funcs: [1], exprs: null, flags: 0 },
      { mode: "passive", table: 0, offset: null, type: 0x70, funcs: [0, 1], exprs: null, flags: 1 },
      { mode: "active", table: 2, offset: i32(1), type: 0x70, funcs: [1], exprs: null, flags: 2 },
      {
        mode: "declarative",
        table: 0,
        offset: null,
        type: 0x70,
        funcs: [1],
        exprs: null,
        flags: 3,
      },
      { mode: "active", table: 0, offset: i32(0), type: 0x70, funcs: null, exprs: [ref], flags: 4 },
      { mode: "passive", table: 0, offset: null, type: 0x70, funcs: null, exprs: [ref], flags: 5 },
      { mode: "active", table: 1, offset: i32(0), type: 0x70, funcs: null, exprs: [ref], flags: 6 },
      {
        mode: "declarative",
        table: 0,
        offset: null,
        type: 0x70,
        funcs: null,
        exprs: [ref],
        flags: 7,
      },
    );
    m.dataCount = 3;
    m.codes.push({
      locals: [{ count: 2, type: 0x7f }, { count: 1, type: 0x7b }],
      body: expr(0xfc, 0x09, 0x00),
    });
    m.datas.push(
      { mode: "active", memory: 0, offset: i32(0), bytes: Uint8Array.of(1, 2), flags: 0 },
      { mode: "passive", memory: 0, offset: null, bytes: Uint8Array.of(3), flags: 1 },
      { mode: "active", memory: 0, offset: expr(0x42, 8), bytes: new Uint8Array(0), flags: 2 },
    );
    m.customs.push(
      { name: "first", data: Uint8Array.of(1), after: 0 },
      { name: "mid", data: Uint8Array.of(2, 3), after: 6 },
      { name: "last", data: new Uint8Array(0), after: 11 },
    );
    const text = `(module
      (@custom "first" (before first) "\\01")
      (type (func (param i32))) (type (func (result i64 v128)))
      (import "m" "f" (func (type 0)))
      (import "m" "t" (table i64 1 externref))
      (import "m" "mem" (memory 1 2 shared))
      (import "m" "g" (global (mut f32)))
      (func (type 0) (local i32 i32 v128) data.drop 0)
      (table 2 3 funcref)
      (table 1 funcref (ref.func 1))
      (memory i64 0 0x100_0000_0000)
      (global i32 (i32.const 5))
      (@custom "mid" (after global) "\\02\\03")
      (export "run" (func 1)) (export "héllo" (global 1))
      (start 1)
      (elem (i32.const 0) 1)
      (elem func 0 1)
      (elem (table 2) (i32.const 1) func 1)
      (elem declare func 1)
      (elem (i32.const 0) funcref (ref.func 1))
      (elem funcref (ref.func 1))
      (elem (table 1) (i32.const 0) funcref (ref.func 1))
      (elem declare funcref (ref.func 1))
      (data (i32.const 0) "\\01\\02")
      (data "\\03")
      (data (memory 0) (i64.const 8) "")
      (@custom "last" (after data) ""))`;
    const theirs = await parse(text);
    // wasm-tools writes the third data segment with flags 0 (memory 0); ours keeps flags 2.
    const ours = encodeModule(m);
    const patched = encodeModule({
      ...m,
      datas: m.datas.map((d, k) => k === 2 ? { ...d, flags: 0 } : d),
    });
    assert.deepEqual(patched, theirs);
    assert.notDeepEqual(ours, theirs);
    assert.equal(ours.length, theirs.length + 1); // the explicit memory index byte
  });
  it("omits empty sections", () => {
    assert.deepEqual(encodeModule(emptyModule()), Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
  });
});
