import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseWast, wastModuleBytes } from "./wast.ts";
import { WatSyntaxError } from "./errors.ts";

describe("parseWast", () => {
  it("parses modules in all their forms", () => {
    const cmds = parseWast(`
(module $a (func))
(module binary "\\00asm" "\\01\\00\\00\\00")
(module $q quote "(func" ")")
(module definition $d (memory 1))
(module instance $i $d)
(register "reg" $a)`);
    assert.deepEqual(cmds.map((c) => [c.line, c.type]), [
      [2, "module"],
      [3, "module"],
      [4, "module"],
      [5, "module"],
      [6, "module_instance"],
      [7, "register"],
    ]);
    const [a, b, q, d, i, r] = cmds;
    assert.ok(a.type === "module" && a.name === "a" && a.module.kind === "text");
    assert.equal(a.module.source, "(module $a (func))");
    assert.ok(b.type === "module" && b.module.kind === "binary");
    assert.deepEqual(wastModuleBytes(b.module), Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    assert.ok(q.type === "module" && q.module.kind === "quote" && q.module.source === "(func)");
    assert.deepEqual(wastModuleBytes(q.module), wastModuleBytes(a.module));
    assert.ok(d.type === "module" && d.definition && d.name === "d");
    assert.ok(wastModuleBytes(d.module).length > 8);
    assert.deepEqual(i, { line: 6, type: "module_instance", instance: "i", module: "d" });
    assert.deepEqual(r, { line: 7, type: "register", as: "reg", module: "a" });
  });
  it("parses actions, constants and result patterns", () => {
    const [c] = parseWast(
      `(assert_return (invoke $m "f" (i32.const -1) (i64.const 0xffffffffffffffff)
      (f32.const -0x0p+0) (f64.const nan:0x1) (v128.const i16x8 1 2 3 4 5 6 7 -1)
      (ref.null extern) (ref.extern 7))
      (f32.const nan:canonical) (f64.const nan:arithmetic) (ref.func) (ref.extern)
      (v128.const f32x4 nan:canonical 1 -0 inf) (either (i32.const 1) (i32.const 2)) (ref.null))`,
    );
    assert.ok(c.type === "assert_return");
    assert.ok(c.action.type === "invoke");
    assert.equal(c.action.module, "m");
    assert.equal(c.action.field, "f");
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint16(14, 0xffff, true);
    for (let k = 0; k < 7; k++) bytes[2 * k] = k + 1;
    assert.deepEqual(c.action.args, [
      { type: "i32", value: -1 },
      { type: "i64", value: -1n },
      { type: "f32", bits: 0x80000000 },
      { type: "f64", bits: 0x7ff0000000000001n },
      { type: "v128", bytes },
      { type: "ref.null", ref: "extern" },
      { type: "ref.extern", value: 7 },
    ]);
    assert.deepEqual(c.expected, [
      { type: "f32", nan: "canonical" },
      { type: "f64", nan: "arithmetic" },
      { type: "ref.func" },
      { type: "ref.extern" },
      {
        type: "v128",
        shape: "f32x4",
        lanes: [
          { type: "f32", nan: "canonical" },
          { type: "f32", bits: 0x3f800000 },
          { type: "f32", bits: 0x80000000 },
          { type: "f32", bits: 0x7f800000 },
        ],
      },
      { type: "either", options: [{ type: "i32", value: 1 }, { type: "i32", value: 2 }] },
      { type: "ref.null", ref: null },
    ]);
  });
  it("parses every assertion form, threads and waits", () => {
    const cmds = parseWast(`
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (start 0) (func unreachable)) "unreachable")
(assert_exhaustion (invoke "e") "call stack exhausted")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func") "unexpected end")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_return (get "g") (i32.const 1))
(get $m "g")
(thread $T (shared (module $Mem)) (register "mem" $Mem) (invoke "run"))
(wait $T)`);
    assert.deepEqual(cmds.map((c) => c.type), [
      "assert_trap",
      "assert_trap_module",
      "assert_exhaustion",
      "assert_invalid",
      "assert_malformed",
      "assert_unlinkable",
      "assert_return",
      "action",
      "thread",
      "wait",
    ]);
    const t = cmds[8];
    assert.ok(t.type === "thread");
    assert.equal(t.name, "T");
    assert.deepEqual(t.shared, ["Mem"]);
    assert.deepEqual(t.commands.map((c) => c.type), ["register", "action"]);
    const m = cmds[4];
    assert.ok(m.type === "assert_malformed");
    assert.throws(() => wastModuleBytes(m.module), WatSyntaxError);
  });
  it("treats a script of bare module fields as one module", () => {
    const cmds = parseWast(`(func) (memory 0)`);
    assert.equal(cmds.length, 1);
    assert.ok(cmds[0].type === "module");
    assert.equal(
      wastModuleBytes(cmds[0].module).length,
      parseWastBytesOf("(module (func) (memory 0))"),
    );
  });
  it("reports malformed scripts with file:line:column", () => {
    assert.throws(
      () => parseWast(`(module)\n  (bogus)`, "x.wast"),
      /^WatSyntaxError: x\.wast:2:4: unknown command/,
    );
    assert.throws(
      () => parseWast(`(assert_return (invoke "f" (i32.const 1x)))`),
      /unknown operator/,
    );
    assert.throws(
      () => parseWast(`(assert_return (invoke "f" (i32.const 4294967296)))`),
      /out of range/,
    );
    assert.throws(
      () => parseWast(`(assert_return (invoke "f") (v128.const i32x4 1 2))`),
      /wrong number/,
    );
    assert.throws(() => parseWast(`(invoke "f"`), /unexpected end of input/);
    assert.throws(
      () => parseWast(`\n  "\\q"`, "y.wast"),
      /^WatSyntaxError: y\.wast:2:4: illegal escape/,
    );
  });
});

function parseWastBytesOf(src: string): number {
  const [c] = parseWast(src);
  assert.ok(c.type === "module");
  return wastModuleBytes(c.module).length;
}
