import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeModule } from "../binary/decode.ts";
import { ALL_FEATURES, type Features, WASM2_FEATURES } from "../binary/features.ts";
import { CompileError } from "../errors.ts";
import { validateModule } from "./validate_module.ts";
import type { ValidationInfo } from "./context.ts";
import {
  funcModule,
  type FuncModuleOptions,
  funcType,
  moduleOf,
  name,
  section,
  sleb,
  uleb,
  vec,
} from "../../tests/_module_builder.ts";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, V128 = 0x7b, FUNCREF = 0x70, EXTERNREF = 0x6f;
const END = 0x0b;
const i32c = (n: number) => [0x41, ...sleb(n)];

function check(bytes: Uint8Array, features: Features = WASM2_FEATURES): ValidationInfo {
  return validateModule(decodeModule(bytes, features), features, bytes);
}

function rejects(bytes: Uint8Array, text: string, features: Features = WASM2_FEATURES): void {
  assert.throws(() => check(bytes, features), (e: unknown) => {
    assert.ok(e instanceof CompileError, `expected CompileError, got ${e}`);
    // The class itself, as `new WebAssembly.Module` throws (found by GC
    // fuzzing: an invalid binaryen module gave an InvalidError subclass).
    assert.equal(e.constructor, CompileError);
    assert.ok(e.message.includes(text), `"${e.message}" should contain "${text}"`);
    return true;
  });
}

const body = (code: number[], o?: FuncModuleOptions) => funcModule([...code, END], o);
const memSec = section(5, vec([[0x00, 0x01]]));

describe("function bodies: types", () => {
  it("accepts well-typed code and reports stack facts", () => {
    const info = check(body([...i32c(1), ...i32c(2), 0x6a, ...i32c(3), 0x6a], { results: [I32] }));
    assert.equal(info.funcs[0].maxStackHeight, 2);
    assert.equal(info.funcs[0].maxControlDepth, 1);
    const nested = check(
      body(
        [0x02, 0x40, 0x03, 0x40, ...i32c(1), ...i32c(2), ...i32c(3), 0x1a, 0x1a, 0x1a, END, END],
        {
          params: [I64],
          locals: [[2, F32], [1, I32]],
        },
      ),
    );
    assert.equal(nested.funcs[0].maxStackHeight, 3);
    assert.equal(nested.funcs[0].maxControlDepth, 3);
    assert.deepEqual([...nested.funcs[0].localTypes], [I64, F32, F32, I32]);
  });
  it("rejects operand type and count mismatches", () => {
    rejects(body([0x42, 0x00], { results: [I32] }), "type mismatch");
    rejects(body([0x6a]), "type mismatch");
    rejects(body([...i32c(1)]), "type mismatch"); // value left over
    rejects(body([], { results: [I32] }), "type mismatch");
    rejects(body([0x02, I32, END], { results: [I32] }), "type mismatch"); // empty block with result
  });
  it("types the rest of a block as polymorphic after unreachable/br/return", () => {
    check(body([0x00, 0x6a], { results: [I32] }));
    check(body([...i32c(0), 0x0f, 0x1a, 0x6a, 0x45], { results: [I32] }));
    check(body([0x02, I32, ...i32c(0), 0x0c, 0x00, 0x6a, END], { results: [I32] }));
    rejects(body([0x00, 0x42, 0x00, 0x6a]), "type mismatch"); // known i64 under the polymorphic base
  });
  it("checks if/else arms and if without else", () => {
    check(body([...i32c(1), 0x04, I32, ...i32c(2), 0x05, ...i32c(3), END], { results: [I32] }));
    rejects(body([...i32c(1), 0x04, I32, ...i32c(2), END], { results: [I32] }), "type mismatch");
    rejects(body([...i32c(1), 0x04, I32, ...i32c(2), 0x05, 0x42, 0x00, END]), "type mismatch");
    rejects(body([0x02, 0x40, 0x05, END]), "END opcode expected"); // else outside if
  });
  it("supports multi-value block types by type index", () => {
    // type 0: [] -> [], type 1: [i32 i32] -> [i32]
    const bytes = moduleOf(
      section(1, vec([funcType([], [I32]), funcType([I32, I32], [I32])])),
      section(3, vec([[0x00]])),
      section(10, vec([[...codeBody([...i32c(1), ...i32c(2), 0x02, 0x01, 0x6a, END, END])]])),
    );
    check(bytes);
    const unknown = moduleOf(
      section(1, vec([funcType([], [])])),
      section(3, vec([[0x00]])),
      section(10, vec([[...codeBody([0x02, 0x05, END, END])]])),
    );
    rejects(unknown, "unknown type");
  });
  it("checks branches and labels", () => {
    rejects(body([0x0c, 0x01]), "unknown label");
    rejects(body([0x02, I32, ...i32c(0), 0x0d, 0x00, END, 0x1a, 0x42, 0x00]), "type mismatch");
    check(body([0x02, 0x40, ...i32c(0), 0x0e, 0x01, 0x00, 0x01, END]));
    rejects(
      body([0x02, I32, 0x02, 0x40, ...i32c(0), 0x0e, 0x01, 0x00, 0x01, END, ...i32c(1), END, 0x1a]),
      "type mismatch",
    );
  });
  it("checks select, typed select and drop", () => {
    check(body([...i32c(1), ...i32c(2), ...i32c(0), 0x1b], { results: [I32] }));
    rejects(body([...i32c(1), 0x42, 0x00, ...i32c(0), 0x1b, 0x1a]), "type mismatch");
    rejects(body([0xd0, FUNCREF, 0xd0, FUNCREF, ...i32c(0), 0x1b, 0x1a]), "type mismatch");
    check(body([0xd0, FUNCREF, 0xd0, FUNCREF, ...i32c(0), 0x1c, 0x01, FUNCREF, 0x1a]));
    rejects(
      body([...i32c(0), ...i32c(0), ...i32c(0), 0x1c, 0x02, I32, I32, 0x1a]),
      "invalid result arity",
    );
    rejects(body([0x1a]), "type mismatch");
  });
  it("checks locals and globals", () => {
    rejects(body([0x20, 0x01, 0x1a], { params: [I32] }), "unknown local 1");
    rejects(body([0x42, 0x00, 0x21, 0x00], { params: [I32] }), "type mismatch");
    const g = (mut: number) => section(6, vec([[I32, mut, ...i32c(0), END]]));
    check(body([...i32c(0), 0x24, 0x00], { middle: [g(1)] }));
    rejects(body([...i32c(0), 0x24, 0x00], { middle: [g(0)] }), "global is immutable");
    rejects(body([0x23, 0x01, 0x1a], { middle: [g(0)] }), "unknown global 1");
  });
  it("checks ref instructions", () => {
    rejects(body([...i32c(0), 0xd1, 0x1a]), "type mismatch");
    check(body([0xd0, EXTERNREF, 0xd1, 0x1a]));
    rejects(body([0xd2, 0x00, 0x1a]), "undeclared function reference");
    const declare = section(9, vec([[0x03, 0x00, ...vec([[0x00]])]]));
    check(body([0xd2, 0x00, 0x1a], { middle: [declare] }));
    rejects(body([0xd2, 0x05, 0x1a]), "unknown function 5");
  });
});

function codeBody(code: number[]): number[] {
  const content = [0x00, ...code];
  return [...uleb(content.length), ...content];
}

describe("function bodies: memory, tables, segments", () => {
  it("checks memory existence, alignment and offsets", () => {
    const load = (align: number) => [...i32c(0), 0x28, align, 0x00, 0x1a];
    check(body(load(2), { middle: [memSec] }));
    rejects(body(load(3), { middle: [memSec] }), "alignment must not be larger than natural");
    rejects(body(load(2)), "unknown memory 0");
    rejects(body([0x3f, 0x00, 0x1a]), "unknown memory");
    rejects(body([0x3f, 0x01, 0x1a], { middle: [memSec] }), "zero byte expected");
    rejects(
      body([...i32c(0), 0x28, 0x40, 0x00, 0x00, 0x1a], { middle: [memSec] }),
      "malformed memop flags",
    );
  });
  it("multi-memory: memory indices in memargs and memory.size", () => {
    const f = { ...WASM2_FEATURES, multiMemory: true };
    const two = section(5, vec([[0x00, 0x01], [0x00, 0x01]]));
    check(body([...i32c(0), 0x28, 0x42, 0x01, 0x00, 0x1a, 0x3f, 0x01, 0x1a], { middle: [two] }), f);
    rejects(
      body([...i32c(0), 0x28, 0x42, 0x02, 0x00, 0x1a], { middle: [two] }),
      "unknown memory 2",
      f,
    );
    rejects(body([], { middle: [two] }), "multiple memories", WASM2_FEATURES); // two memories, feature off
  });
  it("memory64: i64 addresses and offset range", () => {
    const f = { ...WASM2_FEATURES, memory64: true };
    const mem64 = section(5, vec([[0x04, 0x01]]));
    check(body([0x42, 0x00, 0x28, 0x02, 0x00, 0x1a], { middle: [mem64] }), f);
    rejects(body([...i32c(0), 0x28, 0x02, 0x00, 0x1a], { middle: [mem64] }), "type mismatch", f);
    const bigOffset = [0x80, 0x80, 0x80, 0x80, 0x10]; // 2^32
    rejects(
      body([...i32c(0), 0x28, 0x02, ...bigOffset, 0x1a], { middle: [memSec] }),
      "offset out of range",
      f,
    );
    check(body([0x42, 0x00, 0x28, 0x02, ...bigOffset, 0x1a], { middle: [mem64] }), f);
  });
  it("requires a data count section for memory.init and data.drop", () => {
    const passive = section(11, vec([[0x01, ...vec([[0x01]])]]));
    rejects(
      body([0xfc, 0x09, 0x00], { middle: [memSec], after: [passive] }),
      "data count section required",
    );
    check(body([0xfc, 0x09, 0x00], { middle: [memSec, section(12, [0x01])], after: [passive] }));
    rejects(
      body([0xfc, 0x09, 0x01], { middle: [memSec, section(12, [0x01])], after: [passive] }),
      "unknown data segment 1",
    );
  });
  it("checks table instructions and element segments", () => {
    const tab = section(4, vec([[FUNCREF, 0x00, 0x01]]));
    const elem = section(9, vec([[0x05, EXTERNREF, ...vec([])]]));
    check(body([...i32c(0), 0x25, 0x00, 0x1a], { middle: [tab] }));
    rejects(body([...i32c(0), 0x25, 0x01, 0x1a], { middle: [tab] }), "unknown table 1");
    rejects(
      body([...i32c(0), ...i32c(0), ...i32c(0), 0xfc, 0x0c, 0x00, 0x00], { middle: [tab, elem] }),
      "type mismatch",
    );
    rejects(body([0xfc, 0x0d, 0x01], { middle: [tab, elem] }), "unknown elem segment 1");
    rejects(
      body([...i32c(0), 0x11, 0x00, 0x00], {
        middle: [section(4, vec([[EXTERNREF, 0x00, 0x01]]))],
      }),
      "type mismatch",
    );
  });
  it("checks lane indices", () => {
    const v = [0xfd, 0x0c, ...new Array(16).fill(0)];
    check(body([...v, 0xfd, 0x15, 15, 0x1a]));
    rejects(body([...v, 0xfd, 0x15, 16, 0x1a]), "invalid lane index");
    rejects(
      body([...v, ...v, 0xfd, 0x0d, ...new Array(15).fill(0), 32, 0x1a]),
      "invalid lane index",
    );
    const mem = { middle: [memSec] };
    rejects(body([...i32c(0), ...v, 0xfd, 0x57, 0x03, 0x00, 2, 0x1a], mem), "invalid lane index");
    check(body([...i32c(0), ...v, 0xfd, 0x57, 0x03, 0x00, 1, 0x1a], mem));
    check(body([...v, 0xfd, 0x62, 0x1a]), WASM2_FEATURES); // i8x16.popcnt
    assert.equal(V128, 0x7b);
  });
});

describe("proposal gating", () => {
  it("tail calls", () => {
    const tc = body([0x12, 0x00]);
    rejects(tc, "illegal opcode 12");
    check(tc, { ...WASM2_FEATURES, tailCall: true });
    rejects(body([0x12, 0x00], { results: [I32] }), "illegal opcode", WASM2_FEATURES);
  });
  it("threads: atomics need natural alignment", () => {
    const f = { ...WASM2_FEATURES, threads: true };
    const shared = section(5, vec([[0x03, 0x01, 0x01]]));
    const load = (align: number) => [...i32c(0), 0xfe, 0x10, align, 0x00, 0x1a];
    check(body(load(2), { middle: [shared] }), f);
    rejects(body(load(1), { middle: [shared] }), "atomic alignment must be natural", f);
    rejects(body(load(2), { middle: [memSec] }), "illegal opcode fe 10");
    rejects(moduleOf(section(5, vec([[0x02, 0x01]]))), "integer too large");
    rejects(moduleOf(section(5, vec([[0x02, 0x01]]))), "shared memory must have maximum", f);
  });
  it("relaxed SIMD", () => {
    const v = [0xfd, 0x0c, ...new Array(16).fill(0)];
    const relaxed = body([...v, ...v, 0xfd, 0x80, 0x02, 0x1a]); // i8x16.relaxed_swizzle
    rejects(relaxed, "illegal opcode fd 100");
    check(relaxed, { ...WASM2_FEATURES, relaxedSimd: true });
  });
  it("extended constant expressions", () => {
    const g = moduleOf(section(6, vec([[I32, 0x00, ...i32c(1), ...i32c(2), 0x6a, END]])));
    rejects(g, "constant expression required");
    check(g, { ...WASM2_FEATURES, extendedConst: true });
  });
});

describe("module-level checks", () => {
  it("constant expressions", () => {
    rejects(moduleOf(section(6, vec([[I32, 0x00, 0x42, 0x00, END]]))), "type mismatch");
    rejects(moduleOf(section(6, vec([[I32, 0x00, END]]))), "type mismatch");
    rejects(
      moduleOf(section(6, vec([[I32, 0x00, 0x01, ...i32c(0), END]]))),
      "constant expression required",
    );
    rejects(moduleOf(section(6, vec([[I32, 0x00, 0x23, 0x00, END]]))), "unknown global 0");
    const two = section(6, vec([[I32, 0x00, ...i32c(0), END], [I32, 0x00, 0x23, 0x00, END]]));
    rejects(moduleOf(two), "unknown global 0"); // 2.0: only imported globals
    check(moduleOf(two), ALL_FEATURES); // 3.0: earlier globals too
    const mutImport = section(2, vec([[...name("m"), ...name("g"), 0x03, I32, 0x01]]));
    rejects(
      moduleOf(mutImport, section(6, vec([[I32, 0x00, 0x23, 0x00, END]]))),
      "constant expression required",
    );
  });
  it("limits", () => {
    rejects(
      moduleOf(section(5, vec([[0x00, ...sleb(65537)]]))),
      "memory size must be at most 65536 pages (4GiB)",
    );
    rejects(
      moduleOf(section(5, vec([[0x01, 0x02, 0x01]]))),
      "size minimum must not be greater than maximum",
    );
    rejects(
      moduleOf(section(4, vec([[FUNCREF, 0x01, 0x02, 0x01]]))),
      "size minimum must not be greater than maximum",
    );
  });
  it("segments", () => {
    rejects(moduleOf(section(11, vec([[0x00, ...i32c(0), END, ...vec([])]]))), "unknown memory 0");
    rejects(moduleOf(section(9, vec([[0x00, ...i32c(0), END, ...vec([])]]))), "unknown table 0");
    const tab = section(4, vec([[EXTERNREF, 0x00, 0x01]]));
    rejects(moduleOf(tab, section(9, vec([[0x00, ...i32c(0), END, ...vec([])]]))), "type mismatch");
    rejects(moduleOf(section(9, vec([[0x01, 0x00, ...vec([[0x03]])]]))), "unknown function 3");
  });
  it("start, exports and types", () => {
    const ft = section(1, vec([funcType([I32], [])]));
    rejects(
      moduleOf(
        ft,
        section(3, vec([[0x00]])),
        section(8, [0x00]),
        section(10, vec([[0x02, 0x00, END]])),
      ),
      "start function",
    );
    rejects(moduleOf(section(8, [0x00])), "unknown function 0");
    rejects(
      moduleOf(section(3, vec([[0x00]])), section(10, vec([[0x02, 0x00, END]]))),
      "unknown type",
    );
    rejects(moduleOf(section(7, vec([[...name("a"), 0x02, 0x00]]))), "unknown memory 0");
    const mem = section(5, vec([[0x00, 0x01]]));
    rejects(
      moduleOf(mem, section(7, vec([[...name("a"), 0x02, 0x00], [...name("a"), 0x02, 0x00]]))),
      "duplicate export name",
    );
  });
});

describe("limits of the implementation", () => {
  it("grows its operand stack past its initial size", () => {
    const n = 1000;
    const code = [...new Array(n).fill(i32c(7)).flat(), ...new Array(n).fill(0x1a)];
    assert.equal(check(body(code)).funcs[0].maxStackHeight, n);
  });
  it("types extended constant expressions", () => {
    const f = { ...WASM2_FEATURES, extendedConst: true };
    const g = (...code: number[]) => moduleOf(section(6, vec([[I32, 0x00, ...code, END]])));
    rejects(g(0x42, 0x00, ...i32c(1), 0x6a), "type mismatch", f);
    rejects(g(...i32c(1), 0x6a), "type mismatch", f);
  });
  it("checks atomic.fence's reserved byte", () => {
    const f = { ...WASM2_FEATURES, threads: true };
    check(body([0xfe, 0x03, 0x00]), f);
    rejects(body([0xfe, 0x03, 0x01]), "zero byte expected", f);
  });
  it("re-reads bodies within their own bytes when the binary is not at hand", () => {
    const bytes = moduleOf(
      section(1, vec([funcType([], [])])),
      section(3, vec([[0x00], [0x00]])),
      section(10, vec([[0x03, 0x00, 0x6a, END], [0x02, 0x00, 0xff]])),
    );
    const m = decodeModule(bytes, WASM2_FEATURES);
    assert.throws(() => validateModule(m, WASM2_FEATURES), /illegal opcode ff/);
  });
  it("names the function in body errors", () => {
    assert.throws(() => check(body([0x6a])), /type mismatch.* in function 0/);
  });
});

describe("malformed wins over invalid", () => {
  it("reports a later body's decoding error over an earlier type error", () => {
    const bytes = moduleOf(
      section(1, vec([funcType([], [])])),
      section(3, vec([[0x00], [0x00]])),
      section(10, vec([[0x03, 0x00, 0x6a, END], [0x02, 0x00, 0xff]])),
    );
    rejects(bytes, "illegal opcode ff");
  });
  it("reports a missing end the way the reference decoder does", () => {
    const bytes = moduleOf(
      section(1, vec([funcType([], [])])),
      section(3, vec([[0x00], [0x00]])),
      section(10, vec([[0x04, 0x00, 0x41, 0x01, 0x1a], [0x05, 0x00, 0x41, 0x01, 0x1a, END]])),
    );
    rejects(bytes, "END opcode expected");
    const atEof = moduleOf(
      section(1, vec([funcType([], [])])),
      section(3, vec([[0x00]])),
      section(10, vec([[0x04, 0x00, 0x41, 0x01, 0x1a]])),
    );
    rejects(atEof, "unexpected end of section or function");
  });
});
