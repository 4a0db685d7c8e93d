import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type BytesSource,
  compile,
  Module,
  moduleFromCompiled,
  moduleInternals,
  validate,
} from "./module.ts";
import { WASM2_FEATURES } from "../binary/features.ts";
import { CompileError } from "../errors.ts";
import { funcModule, funcType, moduleOf, name, section, vec } from "../../tests/_module_builder.ts";

const sample = moduleOf(
  section(1, vec([funcType([], [])])),
  section(
    2,
    vec([
      [...name("env"), ...name("f"), 0x00, 0x00],
      [...name("env"), ...name("mem"), 0x02, 0x00, 0x01],
      [...name("env"), ...name("tab"), 0x01, 0x70, 0x00, 0x00],
      [...name("env"), ...name("g"), 0x03, 0x7f, 0x00],
    ]),
  ),
  section(3, vec([[0x00]])),
  section(7, vec([[...name("run"), 0x00, 0x01], [...name("memory"), 0x02, 0x00]])),
  section(10, vec([[0x02, 0x00, 0x0b]])),
  section(0, [...name("meta"), 1, 2]),
  section(0, [...name("meta"), 3]),
);

describe("Module", () => {
  it("lists imports, exports and custom sections", () => {
    const m = new Module(sample);
    assert.deepEqual(Module.imports(m), [
      { module: "env", name: "f", kind: "function" },
      { module: "env", name: "mem", kind: "memory" },
      { module: "env", name: "tab", kind: "table" },
      { module: "env", name: "g", kind: "global" },
    ]);
    assert.deepEqual(Module.exports(m), [
      { name: "run", kind: "function" },
      { name: "memory", kind: "memory" },
    ]);
    const cs = Module.customSections(m, "meta");
    assert.equal(cs.length, 2);
    assert.ok(cs[0] instanceof ArrayBuffer);
    assert.deepEqual([...new Uint8Array(cs[0])], [1, 2]);
    assert.deepEqual(Module.customSections(m, "other"), []);
    assert.equal(Object.prototype.toString.call(m), "[object WebAssembly.Module]");
  });

  it("copies its input", () => {
    const bytes = sample.slice();
    const m = new Module(bytes);
    bytes.fill(0);
    assert.equal(Module.exports(m).length, 2);
    assert.notEqual(moduleInternals(m).bytes, bytes);
  });

  it("accepts ArrayBuffer, typed arrays and DataView", () => {
    const padded = new Uint8Array(sample.length + 4);
    padded.set(sample, 2);
    new Module(padded.subarray(2, 2 + sample.length));
    new Module(sample.slice().buffer);
    new Module(new DataView(padded.buffer, 2, sample.length));
  });

  it("throws TypeError for non-buffer arguments", () => {
    for (
      const bad of [undefined, null, 42, "wasm", [0, 97, 115, 109], {}, new SharedArrayBuffer(8)]
    ) {
      assert.throws(() => new Module(bad as unknown as BytesSource), TypeError);
      assert.throws(() => validate(bad as unknown as BytesSource), TypeError);
    }
    assert.throws(() => Module.imports({} as Module), TypeError);
    assert.throws(() => Module.exports(null as unknown as Module), TypeError);
    const m = new Module(sample);
    assert.throws(
      () => (Module.customSections as (m: Module) => ArrayBuffer[])(m),
      TypeError,
    );
    assert.throws(() => (Module as unknown as () => void)(), TypeError);
  });

  it("throws CompileError with an offset for bad modules", () => {
    assert.throws(() => new Module(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])), (e: unknown) => {
      assert.ok(e instanceof CompileError);
      assert.equal(e.offset, 4);
      assert.match(e.message, /unknown binary version/);
      return true;
    });
    assert.throws(() => new Module(funcModule([0x6a, 0x0b])), CompileError);
  });

  it("validates options", () => {
    assert.throws(
      () => new Module(sample, { features: { threads: "yes" } } as never),
      /options\.features\.threads/,
    );
    assert.throws(() => new Module(sample, { features: { stringref: true } } as never), TypeError);
    // unknown top-level options are ignored, as the JS API does
    new Module(sample, { builtins: [] } as never);
  });

  it("exposes internals for the engine", () => {
    const c = moduleInternals(new Module(sample, { features: WASM2_FEATURES }));
    assert.equal(c.features.threads, false);
    assert.equal(c.struct.imports.length, 4);
    assert.equal(c.info.funcs.length, 1);
    assert.equal(c.info.funcs[0].index, 1);
    assert.equal(c.info.context.funcTypes.length, 2);
    assert.throws(() => moduleInternals({} as Module), TypeError);
  });
});

describe("validate and compile", () => {
  it("validate returns booleans", () => {
    assert.equal(validate(sample), true);
    assert.equal(validate(new Uint8Array([1, 2, 3])), false);
    assert.equal(validate(funcModule([0x6a, 0x0b])), false);
  });
  it("honours features", () => {
    const tail = funcModule([0x12, 0x00, 0x0b]);
    assert.equal(validate(tail), true); // default: every proposal on
    assert.equal(validate(tail, { features: { tailCall: false } }), false);
    assert.equal(validate(tail, { features: WASM2_FEATURES }), false);
  });
  it("compile copies synchronously and compiles later", async () => {
    const bytes = sample.slice();
    const pending = compile(bytes);
    bytes.fill(0); // must not affect the pending compilation
    assert.equal(Module.exports(await pending).length, 2);
  });
  it("moduleFromCompiled wraps compiled internals", () => {
    const c = moduleInternals(new Module(sample));
    const m = moduleFromCompiled(c);
    assert.ok(m instanceof Module);
    assert.equal(moduleInternals(m), c);
  });
  it("compile resolves or rejects", async () => {
    const m = await compile(sample);
    assert.ok(m instanceof Module);
    await assert.rejects(compile(new Uint8Array(4)), CompileError);
    await assert.rejects(compile(42 as unknown as BytesSource), TypeError);
  });
});
