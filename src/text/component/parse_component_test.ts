import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseComponentStruct, parseComponentWat } from "./parse_component.ts";
import { parseWat, WatSyntaxError } from "../parse_wat.ts";
import { decodeComponent } from "../../component/binary/decode.ts";
import type { ComponentModel, Definition } from "../../component/binary/model.ts";

function model(src: string): ComponentModel {
  const r = parseComponentStruct(src);
  assert.ok(!(r instanceof Uint8Array));
  return r;
}

/** A short description of each definition, in order. */
function shape(defs: Definition[]): string[] {
  return defs.map((d) => {
    switch (d.kind) {
      case "type":
        return `type ${d.type.kind}`;
      case "alias":
        return `alias ${d.alias.kind} ${d.alias.sort}`;
      case "canon":
        return `canon ${d.canon.kind}`;
      case "export":
        return `export ${d.name.name} ${d.item.sort} ${d.item.index}`;
      case "import":
        return `import ${d.name.name} ${d.desc.kind}`;
      case "instance":
      case "coreInstance":
        return `${d.kind} ${d.instance.kind}`;
      default:
        return d.kind;
    }
  });
}

function syntaxError(src: string, reason: RegExp): void {
  assert.throws(
    () => parseComponentWat(src),
    (e) => e instanceof WatSyntaxError && reason.test(e.reason),
    String(reason),
  );
}

describe("parseComponentWat", () => {
  it("expands inline types before their user, inner types first", () => {
    const c = model(`(component
      (import "f" (func (param "x" (list (list u8))) (result string))))`);
    assert.deepEqual(shape(c.definitions), [
      "type list",
      "type list",
      "type func",
      "import f func",
    ]);
    const [inner, outer, func] = c.definitions;
    assert.deepEqual(inner.kind === "type" && inner.type, {
      kind: "list",
      element: "u8",
      length: null,
    });
    assert.deepEqual(outer.kind === "type" && outer.type, {
      kind: "list",
      element: 0,
      length: null,
    });
    assert.deepEqual(func.kind === "type" && func.type, {
      kind: "func",
      async: false,
      params: [{ name: "x", type: 1 }],
      result: "string",
    });
  });

  it("appends inline exports after every field, and turns aliases into definitions", () => {
    const c = model(`(component
      (core module $m (func (export "f")))
      (core instance $i (instantiate $m))
      (func $f (export "a") (export "b") (canon lift (core func $i "f")))
      (type $t (export "t") u32))`);
    assert.deepEqual(shape(c.definitions), [
      "coreModule",
      "coreInstance instantiate",
      "type func",
      "alias coreExport func",
      "canon lift",
      "type prim",
      "export a func 0",
      "export b func 0",
      "export t type 1",
    ]);
  });

  it("inserts an outer alias for a name of an enclosing scope", () => {
    const c = model(`(component
      (type $s string)
      (type (instance (export "f" (func (param "p" $s))))))`);
    const it = c.definitions[1];
    assert.ok(it.kind === "type" && it.type.kind === "instance");
    assert.deepEqual(it.type.decls[0].kind === "alias" && it.type.decls[0].alias, {
      kind: "outer",
      sort: "type",
      count: 1,
      index: 0,
    });
  });

  it("builds instance bundles for inline instantiation arguments", () => {
    const c = model(`(component
      (import "f" (func $f))
      (component $C (import "i" (instance (export "f" (func)))))
      (instance (instantiate $C (with "i" (instance (export "f" (func $f)))))))`);
    assert.deepEqual(shape(c.definitions).slice(-2), ["instance exports", "instance instantiate"]);
  });

  it("round-trips through the decoder", () => {
    const bytes = parseComponentWat(`(component
      (type $r (resource (rep i32)))
      (core func $new (canon resource.new $r))
      (type (record (field "a" u32) (field "b" (option string))))
      (type (variant (case "x") (case "y" s64)))
      (type (result (error string)))
      (type (flags "a" "b"))
      (type (enum "a"))
      (type (own $r))
      (type (borrow $r)))`);
    const again = decodeComponent(bytes);
    assert.equal(again.definitions.length, 10);
  });

  it("accepts binary and quote forms, and parseWat delegates components", () => {
    const bytes = parseComponentWat(`(component binary "\\00asm" "\\0d\\00\\01\\00")`);
    assert.deepEqual([...bytes], [0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
    assert.deepEqual(
      parseComponentWat(`(component quote "(type string)")`),
      parseWat(`(component (type string))`),
    );
  });

  it("reports unknown names, misplaced outer references and bad syntax", () => {
    syntaxError(
      `(component (export "x" (func $nope)))`,
      /unknown func: failed to find name `\$nope`/,
    );
    syntaxError(
      `(component (import "x" (func $x)) (component (export "x" (func $x))))`,
      /outer item `x` is not a module, type, or component/,
    );
    syntaxError(`(component (type (record (field "a"))))`, /unexpected token/);
    syntaxError(`(component (type $t u8) (type $t u8))`, /duplicate type identifier/);
  });
});
