import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { sharedComponents } from "../../../tests/_component_suite.ts";
import { CompileError } from "../../errors.ts";
import { WASM2_FEATURES } from "../../binary/features.ts";
import { decodeComponent, isComponentBinary } from "./decode.ts";
import { encodeComponent } from "./encode.ts";

const PRE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

function bin(...parts: (number[] | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "string") { for (const c of p) out.push(c.charCodeAt(0)); }
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

function malformed(bytes: Uint8Array, text: string): void {
  assert.throws(
    () => decodeComponent(bytes),
    (e) => e instanceof CompileError && e.message.includes(text),
    text,
  );
}

describe("decodeComponent", () => {
  it("decodes every definition kind and re-encodes it byte for byte", () => {
    const bytes = bin(
      PRE,
      [0x07, 0x02, 0x01, 0x73], // type section: string
      [0x06, 0x05, 0x01, 0x03, 0x02, 0x00, 0x00], // alias outer 0 0 (type)
      [0x00, 0x08, 0x07], // custom section "between"
      "between",
      [0x07, 0x03, 0x01, 0x70, 0x01], // type section: (list 1)
      [0x0a, 0x06, 0x01, 0x00, 0x01], // import section: one, name "x"
      "x",
      [0x03, 0x01], // (type (sub resource))
    );
    const c = decodeComponent(bytes);
    assert.deepEqual(c.definitions.map((d) => d.kind), ["type", "alias", "type", "import"]);
    assert.deepEqual(c.customs.map((s) => [s.name, s.before]), [["between", 2]]);
    assert.deepEqual(encodeComponent(c), bytes);
  });

  it("rejects malformed preambles and sections with wasm-tools' wording", () => {
    malformed(bin([0x00, 0x61, 0x73]), "unexpected end-of-file");
    malformed(bin([0x00, 0x41, 0x53, 0x4d, 0x0d, 0x00, 0x01, 0x00]), "magic header not detected");
    malformed(bin([0x00, 0x61, 0x73, 0x6d, 0x0e, 0x00, 0x01, 0x00]), "unknown component version");
    malformed(
      bin([0x00, 0x61, 0x73, 0x6d, 0x0c, 0x00, 0x01, 0x00]),
      "unsupported component version",
    );
    malformed(bin(PRE, [0x0d, 0x00]), "malformed section id");
    malformed(bin(PRE, [0xff]), "malformed section id");
    malformed(bin(PRE, [0x07, 0x03, 0x00]), "unexpected end-of-file");
    malformed(bin(PRE, [0x07, 0x01, 0x01, 0x73]), "unexpected end-of-file");
    malformed(bin(PRE, [0x07, 0x81, 0x80, 0x80, 0x80, 0x70, 0x00]), "integer too large");
    malformed(bin(PRE, [0x07, 0x04, 0xbf, 0x84, 0x3d, 0x73]), "unexpected end-of-file");
    malformed(bin(PRE, [0x00, 0x03, 0x02, 0xff, 0xfe]), "malformed UTF-8 encoding");
    malformed(
      bin(PRE, [0x07, 0x02, 0x01, 0x44]),
      "invalid leading byte (0x44) for component defined type",
    );
    malformed(
      bin(PRE, [0x08, 0x03, 0x01, 0x2e, 0x00]),
      "invalid leading byte (0x2e) for canonical function",
    );
    malformed(
      bin(PRE, [0x07, 0x03, 0x01, 0x73, 0x00]),
      "unexpected data at the end of the section",
    );
  });

  it("checks the headers of nested modules and components", () => {
    malformed(bin(PRE, [0x01, 0x08], PRE), "expected a version header for a module");
    malformed(
      bin(PRE, [0x04, 0x08], [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
      "expected a version header for a component",
    );
    const nested = decodeComponent(bin(PRE, [0x04, 0x08], PRE));
    assert.equal(nested.definitions[0].kind, "component");
  });

  it("is gated by the componentModel feature", () => {
    assert.ok(isComponentBinary(Uint8Array.from(PRE)));
    decodeComponent(Uint8Array.from(PRE), WASM2_FEATURES);
    assert.throws(
      () => decodeComponent(Uint8Array.from(PRE), { ...WASM2_FEATURES, componentModel: false }),
      /component model feature is not enabled/,
    );
  });

  it("round-trips every component of ../shared/components", { timeout: 300_000 }, () => {
    const all = sharedComponents();
    if (all === null) return;
    for (const { path, bytes } of all) {
      assert.ok(isComponentBinary(bytes), path);
      assert.deepEqual(encodeComponent(decodeComponent(bytes)), bytes, path);
    }
    assert.ok(all.length >= 100, `${all.length} components`);
  });
});
