/**
 * Walks the instruction table and proves every row is decoded and
 * validated: each instruction, with well-formed immediates, is placed in a
 * function after `unreachable` (so any operands are acceptable) and the
 * module must validate; with its proposal off, it must be rejected.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeModule } from "../binary/decode.ts";
import { ALL_FEATURES, type Features, WASM2_FEATURES } from "../binary/features.ts";
import { Imm, OPCODES, type OpInfo } from "../binary/opcodes.ts";
import { validateModule } from "./validate_module.ts";
import { CompileError } from "../errors.ts";
import { funcModule, section, uleb, vec } from "../../tests/_module_builder.ts";

const FUNCREF = 0x70;

/** Immediates that are valid in the test module's context. */
function immediates(op: OpInfo): number[] {
  switch (op.imm) {
    case Imm.None:
      return [];
    case Imm.BlockType:
      return [0x40];
    case Imm.Label:
    case Imm.Func:
    case Imm.Local:
    case Imm.Global:
    case Imm.Table:
    case Imm.Elem:
    case Imm.Data:
    case Imm.Mem:
      return [0x00];
    case Imm.BrTable:
      return [0x01, 0x00, 0x00];
    case Imm.CallIndirect:
    case Imm.TableInit:
    case Imm.TableCopy:
    case Imm.MemInit:
    case Imm.MemCopy:
      return [0x00, 0x00];
    case Imm.MemArg:
      return [op.align, 0x00];
    case Imm.MemArgLane:
      return [op.align, 0x00, 0x00];
    case Imm.I32:
    case Imm.I64:
      return [0x00];
    case Imm.F32:
      return [0, 0, 0, 0];
    case Imm.F64:
      return new Array(8).fill(0);
    case Imm.V128:
    case Imm.Shuffle:
      return new Array(16).fill(0);
    case Imm.Lane:
      return [0x00];
    case Imm.RefType:
      return [FUNCREF];
    case Imm.SelectT:
      return [0x01, 0x7f];
    case Imm.Zero:
      return [0x00];
  }
  throw new Error(`no immediates for ${op.name}`);
}

function encode(op: OpInfo): number[] {
  const opcode = op.prefix === 0 ? [op.code] : [op.prefix, ...uleb(op.code)];
  return [...opcode, ...immediates(op)];
}

function bodyFor(op: OpInfo): number[] {
  const code = encode(op);
  switch (op.name) {
    case "block":
    case "loop":
    case "if":
      return [0x00, ...code, 0x0b, 0x0b];
    case "else":
      return [0x00, 0x04, 0x40, ...code, 0x0b, 0x0b];
    case "end":
      return [0x00, ...code];
    default: // the drop takes the result, if any (the stack is polymorphic)
      return [0x00, ...code, 0x1a, 0x0b];
  }
}

/** Context: a shared memory, a funcref table, a mutable global, one passive data and elem segment. */
function moduleFor(op: OpInfo): Uint8Array {
  return funcModule(bodyFor(op), {
    locals: [[1, 0x7f]],
    middle: [
      section(4, vec([[FUNCREF, 0x00, 0x01]])),
      section(5, vec([[0x03, 0x01, 0x01]])),
      section(6, vec([[0x7f, 0x01, 0x41, 0x00, 0x0b]])),
      section(9, vec([[0x01, 0x00, ...vec([[0x00]])]])),
      section(12, [0x01]),
    ],
    after: [section(11, vec([[0x01, ...vec([[0x2a]])]]))],
  });
}

function validates(bytes: Uint8Array, features: Features): true | CompileError {
  try {
    validateModule(decodeModule(bytes, features), features, bytes);
    return true;
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
}

describe("every instruction-table row", () => {
  it("is decoded and validated with all features on", () => {
    const failures: string[] = [];
    for (const op of OPCODES) {
      const r = validates(moduleFor(op), ALL_FEATURES);
      if (r !== true) failures.push(`${op.name}: ${r.message}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(OPCODES.length > 500);
  });

  it("is rejected when its proposal is off", () => {
    const gated: Record<string, keyof Features> = {
      "relaxed-simd": "relaxedSimd",
      "threads": "threads",
      "tail-call": "tailCall",
    };
    let checked = 0;
    for (const op of OPCODES) {
      const flag = gated[op.feature];
      if (flag === undefined) continue;
      // Threads' shared memory needs the feature itself: use a plain memory.
      const features = { ...ALL_FEATURES, [flag]: false, threads: flag !== "threads" };
      const bytes = flag === "threads" ? withPlainMemory(op) : moduleFor(op);
      const r = validates(bytes, features);
      assert.ok(r !== true, `${op.name} accepted with ${flag} off`);
      assert.ok(r.message.includes("illegal opcode"), `${op.name}: ${r.message}`);
      checked++;
    }
    assert.ok(checked > 80);
  });

  it("of the wasm 2.0 set validates with the 2.0 baseline", () => {
    let checked = 0;
    for (const op of OPCODES) {
      if (op.feature === "relaxed-simd" || op.feature === "threads" || op.feature === "tail-call") {
        continue;
      }
      const r = validates(withPlainMemory(op), WASM2_FEATURES);
      assert.equal(r, true, `${op.name}: ${r === true ? "" : r.message}`);
      checked++;
    }
    assert.ok(checked > 400);
  });
});

function withPlainMemory(op: OpInfo): Uint8Array {
  return funcModule(bodyFor(op), {
    locals: [[1, 0x7f]],
    middle: [
      section(4, vec([[FUNCREF, 0x00, 0x01]])),
      section(5, vec([[0x00, 0x01]])),
      section(6, vec([[0x7f, 0x01, 0x41, 0x00, 0x0b]])),
      section(9, vec([[0x01, 0x00, ...vec([[0x00]])]])),
      section(12, [0x01]),
    ],
    after: [section(11, vec([[0x01, ...vec([[0x2a]])]]))],
  });
}
