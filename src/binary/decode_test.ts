import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeModule } from "./decode.ts";
import { ALL_FEATURES, type Features, WASM2_FEATURES } from "./features.ts";
import { CompileError } from "../errors.ts";
import { funcTypeDef } from "./types.ts";
import {
  codeEntry,
  funcModule,
  funcType,
  HEADER,
  moduleOf,
  name,
  section,
  uleb,
  vec,
} from "../../tests/_module_builder.ts";

const I32 = 0x7f, I64 = 0x7e, FUNCREF = 0x70;

function malformed(bytes: Uint8Array, text: string, features: Features = WASM2_FEATURES): void {
  assert.throws(() => decodeModule(bytes, features), (e: unknown) => {
    assert.ok(e instanceof CompileError, `expected CompileError, got ${e}`);
    assert.ok(e.message.includes(text), `"${e.message}" should contain "${text}"`);
    assert.equal(typeof e.offset, "number");
    return true;
  });
}

describe("decodeModule: header", () => {
  it("accepts the empty module", () => {
    const m = decodeModule(moduleOf(), WASM2_FEATURES);
    assert.equal(m.types.length, 0);
    assert.equal(m.start, null);
    assert.equal(m.dataCount, null);
  });
  it("rejects bad magic, version and truncation", () => {
    malformed(new Uint8Array([]), "unexpected end");
    malformed(new Uint8Array([0, 0x61, 0x73]), "unexpected end");
    malformed(new Uint8Array([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0]), "magic header not detected");
    malformed(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0]), "unexpected end");
    malformed(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), "unknown binary version");
    // A component binary is not a core module.
    malformed(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]), "unknown binary version");
  });
});

describe("decodeModule: sections", () => {
  it("decodes every section kind", () => {
    const bytes = moduleOf(
      section(1, vec([funcType([I32, I64], [I32]), funcType([], [])])),
      section(
        2,
        vec([
          [...name("env"), ...name("f"), 0x00, 0x01],
          [...name("env"), ...name("t"), 0x01, FUNCREF, 0x01, 0x01, 0x05],
          [...name("env"), ...name("m"), 0x02, 0x00, 0x02],
          [...name("env"), ...name("g"), 0x03, I64, 0x01],
        ]),
      ),
      section(3, vec([[0x00], [0x01]])),
      section(4, vec([[0x6f, 0x00, 0x03]])),
      section(6, vec([[I32, 0x00, 0x41, 0x07, 0x0b]])),
      section(7, vec([[...name("run"), 0x00, 0x02], [...name("g"), 0x03, 0x00]])),
      section(8, [0x02]),
      section(
        9,
        vec([[0x00, 0x41, 0x00, 0x0b, ...vec([[0x01], [0x02]])], [0x01, 0x00, ...vec([])]]),
      ),
      section(12, [0x02]),
      section(10, vec([codeEntry([[2, I32]], [0x20, 0x00, 0x0b]), codeEntry([], [0x0b])])),
      section(
        11,
        vec([[0x00, 0x41, 0x10, 0x0b, ...vec([[0x61], [0x62]])], [0x01, ...vec([[0x63]])]]),
      ),
      section(0, [...name("hello"), 1, 2, 3]),
    );
    const m = decodeModule(bytes, WASM2_FEATURES);
    assert.deepEqual(m.types[0], funcTypeDef([I32, I64], [I32]));
    assert.equal(m.imports.length, 4);
    assert.deepEqual(m.imports[0].desc, { kind: 0, type: 1 });
    assert.deepEqual(m.imports[1].desc, {
      kind: 1,
      type: { elem: FUNCREF, limits: { min: 1n, max: 5n, shared: false, index64: false } },
    });
    assert.deepEqual(m.imports[3].desc, { kind: 3, type: { type: I64, mutable: true } });
    assert.deepEqual(m.funcs, [0, 1]);
    assert.equal(m.tables[0].elem, 0x6f);
    assert.deepEqual([...m.globals[0].init.bytes], [0x41, 0x07, 0x0b]);
    assert.deepEqual(m.exports[0], { name: "run", kind: 0, index: 2 });
    assert.equal(m.start, 2);
    assert.equal(m.elems[0].mode, "active");
    assert.deepEqual(m.elems[0].funcs, [1, 2]);
    assert.equal(m.elems[1].mode, "passive");
    assert.equal(m.dataCount, 2);
    assert.deepEqual(m.codes[0].locals, [{ count: 2, type: I32 }]);
    assert.deepEqual([...m.codes[0].body.bytes], [0x20, 0x00, 0x0b]);
    // Body offsets point into the binary.
    const b0 = m.codes[0].body;
    assert.deepEqual([...bytes.subarray(b0.offset, b0.offset + 3)], [0x20, 0x00, 0x0b]);
    assert.equal(m.datas[0].mode, "active");
    assert.deepEqual([...m.datas[1].bytes], [0x63]);
    assert.equal(m.customs[0].name, "hello");
    assert.equal(m.customs[0].after, 11);
    assert.deepEqual([...m.customs[0].data], [1, 2, 3]);
  });

  it("decodes all eight element segment variants", () => {
    const off = [0x41, 0x00, 0x0b];
    const refFunc = [0xd2, 0x00, 0x0b];
    const segs = [
      [0x00, ...off, ...vec([[0x00]])],
      [0x01, 0x00, ...vec([[0x00]])],
      [0x02, 0x00, ...off, 0x00, ...vec([[0x00]])],
      [0x03, 0x00, ...vec([[0x00]])],
      [0x04, ...off, ...vec([refFunc])],
      [0x05, FUNCREF, ...vec([refFunc, [0xd0, FUNCREF, 0x0b]])],
      [0x06, 0x00, ...off, FUNCREF, ...vec([refFunc])],
      [0x07, FUNCREF, ...vec([refFunc])],
    ];
    const m = decodeModule(moduleOf(section(9, vec(segs))), WASM2_FEATURES);
    assert.deepEqual(m.elems.map((e) => e.mode), [
      "active",
      "passive",
      "active",
      "declarative",
      "active",
      "passive",
      "active",
      "declarative",
    ]);
    assert.deepEqual(m.elems.map((e) => e.flags), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(m.elems[5].exprs?.length, 2);
    assert.equal(m.elems[0].funcs?.length, 1);
    malformed(moduleOf(section(9, vec([[0x08]]))), "malformed elements segment kind");
    malformed(moduleOf(section(9, vec([[0x01, 0x01, ...vec([])]]))), "malformed element kind");
    malformed(moduleOf(section(9, vec([[0x05, I32, ...vec([])]]))), "malformed reference type");
  });

  it("keeps custom sections with their position", () => {
    const m = decodeModule(
      moduleOf(section(0, name("a")), section(1, vec([])), section(0, [...name("b"), 9])),
      WASM2_FEATURES,
    );
    assert.deepEqual(m.customs.map((c) => [c.name, c.after, c.data.length]), [["a", 0, 0], [
      "b",
      1,
      1,
    ]]);
    malformed(moduleOf([0x00, 0x00]), "unexpected end");
    malformed(moduleOf(section(0, [0x01, 0xff])), "malformed UTF-8 encoding");
  });

  it("rejects bad section ids, order, duplicates and sizes", () => {
    malformed(moduleOf([0x0d, 0x00]), "malformed section id");
    malformed(
      moduleOf(section(3, vec([])), section(1, vec([]))),
      "unexpected content after last section",
    );
    malformed(
      moduleOf(section(1, vec([])), section(1, vec([]))),
      "unexpected content after last section",
    );
    // data count belongs before the code section
    malformed(
      moduleOf(section(10, vec([])), section(12, [0])),
      "unexpected content after last section",
    );
    malformed(moduleOf([0x01, 0x05, 0x00]), "length out of bounds");
    malformed(moduleOf([0x01, 0x02, 0x00, 0x00]), "section size mismatch");
    malformed(moduleOf([0x01, 0x01, 0x01, 0x60, 0x00, 0x00]), "section size mismatch");
  });

  it("checks function/code and data count consistency", () => {
    malformed(
      moduleOf(section(1, vec([funcType([], [])])), section(3, vec([[0]]))),
      "function and code section have inconsistent lengths",
    );
    malformed(
      moduleOf(section(12, [0x01])),
      "data count and data section have inconsistent lengths",
    );
  });

  it("rejects malformed entries", () => {
    malformed(moduleOf(section(1, vec([[0x61, 0x00, 0x00]]))), "malformed function type");
    malformed(moduleOf(section(1, vec([[0x60, 0x01, 0x40, 0x00]]))), "malformed value type");
    malformed(
      moduleOf(section(2, vec([[...name("a"), ...name("b"), 0x04, 0x00]]))),
      "malformed import kind",
    );
    malformed(moduleOf(section(6, vec([[I32, 0x02, 0x41, 0x00, 0x0b]]))), "malformed mutability");
    malformed(moduleOf(section(4, vec([[0x7f, 0x00, 0x00]]))), "malformed reference type");
    malformed(moduleOf(section(7, vec([[...name("x"), 0x05, 0x00]]))), "malformed export kind");
    malformed(moduleOf(section(11, vec([[0x03]]))), "malformed data segment kind");
    // A constant expression runs into the next section: its bytes are not opcodes.
    malformed(
      moduleOf(section(6, vec([[I32, 0x00, 0x41, 0x00]])), [0x0a, 0x01, 0x00]),
      "illegal opcode",
    );
  });

  it("counts locals", () => {
    const many = funcModule([0x0b], { locals: [[0xffffffff, I32], [2, I64]] });
    malformed(many, "too many locals");
    malformed(funcModule([0x0b], { locals: [[50_001, I32]] }), "too many locals");
    const ok = decodeModule(funcModule([0x0b], { locals: [[50_000, I32]] }), WASM2_FEATURES);
    assert.equal(ok.codes[0].locals[0].count, 50_000);
  });

  it("slices function bodies without reading them", () => {
    // The body holds an illegal opcode: decoding alone does not notice.
    const m = decodeModule(funcModule([0xff, 0x0b]), WASM2_FEATURES);
    assert.deepEqual([...m.codes[0].body.bytes], [0xff, 0x0b]);
  });

  it("reports a broken body before a later section's error", () => {
    // Body lacks its end; the data section after it is also truncated.
    const bytes = new Uint8Array([
      ...HEADER,
      ...section(1, vec([funcType([], [])])),
      ...section(3, vec([[0]])),
      ...section(10, vec([codeEntry([], [0x41, 0x00, 0x1a])])),
      0x0b,
      0x09,
    ]);
    malformed(bytes, "section size mismatch");
  });
});

describe("decodeModule: limits and features", () => {
  const mem = (...limits: number[]) => moduleOf(section(5, vec([limits])));
  const table = (...limits: number[]) => moduleOf(section(4, vec([[FUNCREF, ...limits]])));

  it("wasm 2.0 limit flags are a one-bit LEB128", () => {
    assert.equal(decodeModule(mem(0x01, 0x01, 0x02), WASM2_FEATURES).memories[0].limits.max, 2n);
    malformed(mem(0x02, 0x00), "integer too large");
    malformed(mem(0x81, 0x00, 0x00), "integer representation too long");
    malformed(table(0x04, 0x00), "integer too large");
  });
  it("threads: shared memories; tables cannot be shared", () => {
    const f = { ...WASM2_FEATURES, threads: true };
    const m = decodeModule(mem(0x03, 0x01, 0x02), f);
    assert.equal(m.memories[0].limits.shared, true);
    malformed(table(0x02, 0x00), "tables cannot be shared", f);
    malformed(mem(0x81, 0x00, 0x00), "malformed limits flag", f);
  });
  it("memory64: i64 address types and u64 limits", () => {
    const f = { ...WASM2_FEATURES, memory64: true };
    const m = decodeModule(mem(0x05, ...uleb(1n << 40n), ...uleb(1n << 41n)), f);
    assert.deepEqual(m.memories[0].limits, {
      min: 1n << 40n,
      max: 1n << 41n,
      shared: false,
      index64: true,
    });
    assert.equal(decodeModule(table(0x04, 0x01), f).tables[0].limits.index64, true);
    malformed(mem(0x08, 0x00), "malformed limits flags", f);
    malformed(mem(0x04, 0x00), "integer too large"); // memory64 off
  });
  it("wasm 3.0 table initialisers only with every 3.0 feature", () => {
    const init = [0x40, 0x00, FUNCREF, 0x00, 0x01, 0xd0, FUNCREF, 0x0b];
    const m = decodeModule(moduleOf(section(4, vec([init]))), ALL_FEATURES);
    assert.deepEqual([...m.tables[0].init!.bytes], [0xd0, FUNCREF, 0x0b]);
    malformed(moduleOf(section(4, vec([init]))), "malformed reference type");
  });
  it("gates proposal opcodes in constant expressions", () => {
    // A global initialised by an atomic.fence: illegal without threads.
    const g = moduleOf(section(6, vec([[I32, 0x00, 0xfe, 0x03, 0x00, 0x0b]])));
    malformed(g, "illegal opcode fe 3");
    assert.equal(decodeModule(g, { ...WASM2_FEATURES, threads: true }).globals.length, 1);
  });
});
