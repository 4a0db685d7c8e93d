import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { sharedComponents } from "../../../tests/_component_suite.ts";
import { CompileError } from "../../errors.ts";
import { parseComponentWat } from "../../text/component/parse_component.ts";
import { decodeComponent } from "../binary/decode.ts";
import { validateComponent } from "./validate.ts";
import { semverError } from "./names.ts";

function check(src: string) {
  return validateComponent(decodeComponent(parseComponentWat(src)));
}

function invalid(src: string, text: string): void {
  assert.throws(
    () => check(src),
    (e) => e instanceof CompileError && e.message.includes(text),
    text,
  );
}

describe("validateComponent", () => {
  it("accepts a component with a lifted function and returns its compiled modules", () => {
    const v = check(`(component
      (core module $m
        (memory (export "mem") 1)
        (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
        (func (export "f") (param i32 i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (func (export "f") (param "s" string) (result u32)
        (canon lift (core func $i "f") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`);
    assert.deepEqual([...v.type.exports.keys()], ["f"]);
    assert.equal(v.modules.size, 1);
  });

  it("checks lifted signatures and canonical options", () => {
    invalid(
      `(component (core module $m (func (export "f")))
        (core instance $i (instantiate $m))
        (func (export "f") (param "x" u32) (canon lift (core func $i "f"))))`,
      "lowered parameter types `[I32]` do not match parameter types `[]`",
    );
    invalid(
      `(component (core module $m (func (export "f") (param i32 i32)))
        (core instance $i (instantiate $m))
        (func (export "f") (param "x" string) (canon lift (core func $i "f"))))`,
      "canonical option `memory` is required",
    );
    invalid(
      `(component (import "f" (func $f))
        (core func (canon lower (func $f) string-encoding=utf8 string-encoding=utf16)))`,
      "canonical encoding option `utf8` conflicts with option `utf16`",
    );
  });

  it("requires exported types to be named, and resources to be the same", () => {
    invalid(
      `(component (type $r (record (field "a" u32))) (import "f" (func (param "r" $r))))`,
      "func not valid to be used as import",
    );
    check(`(component (type $r (record (field "a" u32)))
      (import "r" (type $r' (eq $r))) (import "f" (func (param "r" $r'))))`);
    invalid(
      `(component
        (import "a" (type $a (sub resource)))
        (import "b" (type $b (sub resource)))
        (component $c (import "x" (type (sub resource))) (import "y" (type (eq 0))))
        (instance (instantiate $c (with "x" (type $a)) (with "y" (type $b)))))`,
      "resource types are not the same",
    );
  });

  it("checks names: kebab case, uniqueness, [method] shapes, versions", () => {
    invalid(`(component (import "Ab" (func)))`, "is not in kebab case");
    invalid(`(component (import "a" (func)) (import "A" (func)))`, "conflicts with previous name");
    invalid(
      `(component (import "r" (type $r (sub resource))) (import "[method]r.m" (func (param "x" u32))))`,
      "function should have a first argument called `self`",
    );
    invalid(`(component (import "a:b/c@1.x" (instance)))`, "invalid interface version");
    assert.equal(semverError("1.2.3-rc.1+build.5"), null);
    assert.equal(semverError("1."), "unexpected end of input while parsing minor version number");
    assert.equal(semverError("01.2.3"), "invalid leading zero in major version number");
  });

  it("rejects outer aliases of resource-carrying types across components", () => {
    invalid(
      `(component (type $r (resource (rep i32))) (type $o (own $r))
        (component (alias outer 1 $o (type))))`,
      "transitively refers to resources not defined in the current component",
    );
  });

  it("reports errors of embedded core modules at their offset in the component", () => {
    const bytes = parseComponentWat(`(component (core module (func (result i32))))`);
    assert.throws(() => validateComponent(decodeComponent(bytes)), (e) => {
      assert.ok(e instanceof CompileError);
      const at = e.offset!;
      assert.ok(at > 8 && at < bytes.length, `offset ${at}`);
      return true;
    });
  });

  it("validates every component of ../shared/components", { timeout: 300_000 }, () => {
    const all = sharedComponents();
    if (all === null) return;
    for (const { bytes } of all) validateComponent(decodeComponent(bytes));
    assert.ok(all.length >= 100, `${all.length} components`);
  });
});
