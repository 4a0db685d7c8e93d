import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { validateCustomSections } from "./custom_sections.ts";
import { decodeModule } from "../binary/decode.ts";
import { encodeModule } from "../binary/encode.ts";
import { ALL_FEATURES } from "../binary/features.ts";
import type { ModuleStruct } from "../binary/types.ts";
import { CompileError } from "../errors.ts";
import { parseWat } from "../text/parse_wat.ts";

const F = ALL_FEATURES;
const HINT = "(@metadata.code.branch_hint";

function struct(wat: string): ModuleStruct {
  return decodeModule(parseWat(wat), F);
}

/** The module with its hint section's payload replaced by `data`. */
function withHints(wat: string, data: number[]): ModuleStruct {
  const m = struct(wat);
  m.customs = [{ name: "metadata.code.branch_hint", data: Uint8Array.from(data), after: 12 }];
  return decodeModule(encodeModule(m), F);
}

function problem(m: ModuleStruct): string {
  try {
    validateCustomSections(m, F);
  } catch (e) {
    assert.ok(e instanceof CompileError, String(e));
    return e.message;
  }
  assert.fail("accepted");
}

// One import, then function 1: (local i32) local.get 0 if end br_if... offsets:
// locals vector `01 01 7f` (3 bytes), local.get 0 at 3, `if` at 5, `end` at 7,
// i32.const 1 at 8, br_if 0 at 10, end at 12.
const MOD = `(module (import "m" "f" (func)) (func (param i32) (local i32)
  local.get 0 if end i32.const 1 br_if 0))`;

describe("validateCustomSections: metadata.code.branch_hint", () => {
  it("accepts hints on if and br_if, from the text and from bytes", () => {
    validateCustomSections(
      struct(`(module (func (param i32) (local i64) local.get 0 ${HINT} "\\01") if end
        (block ${HINT} "\\00") (br_if 0 (local.get 0))))
        (func (param i32) (result i32) ${HINT} "\\00")
          (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 0)))))`),
      F,
    );
    validateCustomSections(withHints(MOD, [1, 1, 2, 5, 1, 0, 10, 1, 1]), F);
    validateCustomSections(struct(`(module (func))`), F);
  });

  it("rejects a hint whose target is not an if or br_if", () => {
    const m = struct(`(module (func (param i32) (local i32) local.get 1 local.get 0
      ${HINT} "\\01") i32.eq drop))`);
    assert.match(problem(m), /^@metadata\.code\.branch_hint annotation: invalid target/);
    // Offsets inside an instruction, at the end, or inside the locals.
    for (const offset of [6, 4, 13, 40, 1]) {
      assert.match(problem(withHints(MOD, [1, 1, 1, offset, 1, 0])), /invalid target/);
    }
  });

  it("rejects malformed payloads", () => {
    assert.match(problem(withHints(MOD, [1, 0, 1, 5, 1, 0])), /unknown function 0/);
    assert.match(problem(withHints(MOD, [1, 2, 1, 5, 1, 0])), /unknown function 2/);
    assert.match(problem(withHints(MOD, [1, 1, 1, 5, 2, 0, 0])), /invalid hint size 2/);
    assert.match(problem(withHints(MOD, [1, 1, 1, 5, 1, 2])), /invalid value 2/);
    assert.match(problem(withHints(MOD, [1, 1, 2, 10, 1, 0, 5, 1, 0])), /out of order/);
    assert.match(problem(withHints(MOD, [2, 1, 0, 1, 0])), /function 1 out of order/);
    assert.match(problem(withHints(MOD, [1, 1, 1, 5, 1])), /unexpected end/);
    assert.match(problem(withHints(MOD, [0, 7])), /unexpected content/);
  });

  it("ignores other custom sections", () => {
    const m = struct(`(module (@custom "metadata.code.other" "\\ff") (func))`);
    validateCustomSections(m, F);
  });
});
