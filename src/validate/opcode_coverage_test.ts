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
// The context's types: 0 is the function's () -> (), then these.
const STRUCT = 1, ARRAY = 2, I8_ARRAY = 3, FUNC_ARRAY = 4;
const GC_TYPES = [
  [0x5f, ...vec([[0x7f, 0x01], [0x78, 0x01]])], // struct (mut i32) (mut i8)
  [0x5e, 0x7f, 0x01], // array (mut i32)
  [0x5e, 0x78, 0x01], // array (mut i8)
  [0x5e, FUNCREF, 0x01], // array (mut funcref)
];

/** The type index a type-immediate instruction is tested with. */
function typeFor(op: OpInfo): number {
  if (op.name.startsWith("struct.")) return STRUCT;
  if (op.name === "array.get_s" || op.name === "array.get_u") return I8_ARRAY;
  if (op.name.startsWith("array.")) return ARRAY;
  return 0;
}

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
    case Imm.HeapType:
      return [FUNCREF];
    case Imm.SelectT:
      return [0x01, 0x7f];
    case Imm.Zero:
    case Imm.Tag:
      return [0x00];
    case Imm.TryTable:
      return [0x40, 0x00];
    case Imm.Type:
      return [typeFor(op)];
    case Imm.TypeField:
      return [STRUCT, op.name === "struct.get_s" || op.name === "struct.get_u" ? 1 : 0];
    case Imm.TypeCount:
    case Imm.TypeData:
      return [ARRAY, 0x00];
    case Imm.TypeElem:
      return [FUNC_ARRAY, 0x00];
    case Imm.TypeType:
      return [ARRAY, ARRAY];
    case Imm.BrOnCast: // funcref to funcref, both nullable, to label 0
      return [0x03, 0x00, FUNCREF, FUNCREF];
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
    case "try":
    case "try_table":
      return [0x00, ...code, 0x0b, 0x0b];
    case "catch":
    case "catch_all":
      return [0x06, 0x40, ...code, 0x0b, 0x0b];
    case "delegate":
      return [0x06, 0x40, ...code, 0x0b];
    case "rethrow":
      return [0x06, 0x40, 0x19, ...code, 0x0b, 0x0b];
    case "br_on_non_null":
    case "br_on_cast":
    case "br_on_cast_fail": // in a block whose label takes a funcref
      return [0x02, FUNCREF, 0x00, ...code, 0x1a, 0x0b, 0x1a, 0x0b];
    case "else":
      return [0x00, 0x04, 0x40, ...code, 0x0b, 0x0b];
    case "end":
      return [0x00, ...code];
    default: // the drop takes the result, if any (the stack is polymorphic)
      return [0x00, ...code, 0x1a, 0x0b];
  }
}

/**
 * Context: a funcref table, a (shared) memory, a tag, a mutable global, one
 * passive data and elem segment, and GC types (`wasm3`: tag and GC types,
 * which wasm 2.0 cannot decode).
 */
function moduleFor(op: OpInfo, shared = true, wasm3 = true): Uint8Array {
  return funcModule(bodyFor(op), {
    locals: [[1, 0x7f]],
    types: wasm3 ? GC_TYPES : [],
    middle: [
      section(4, vec([[FUNCREF, 0x00, 0x01]])),
      section(5, vec([shared ? [0x03, 0x01, 0x01] : [0x00, 0x01]])),
      ...(wasm3 ? [section(13, vec([[0x00, 0x00]]))] : []),
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

/** The proposals that make up wasm 2.0. */
const WASM2_SETS = new Set([
  "mvp",
  "sign-ext",
  "sat-float-to-int",
  "bulk-memory",
  "reference-types",
  "simd",
]);

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
      "exceptions": "exceptions",
      "legacy-exceptions": "legacyExceptions",
      "function-references": "functionReferences",
      "gc": "gc",
    };
    // Proposals whose instructions another one also enables.
    const alsoOff: Partial<Record<keyof Features, Partial<Features>>> = {
      exceptions: { legacyExceptions: false },
      functionReferences: { gc: false },
    };
    let checked = 0;
    for (const op of OPCODES) {
      const flag = gated[op.feature];
      if (flag === undefined) continue;
      const features = { ...ALL_FEATURES, [flag]: false, ...alsoOff[flag] };
      // Threads' shared memory needs the feature itself: use a plain memory; tags and
      // GC types need their proposals.
      const bytes = moduleFor(
        op,
        flag !== "threads",
        !["exceptions", "gc", "functionReferences"].includes(flag),
      );
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
      if (!WASM2_SETS.has(op.feature)) continue;
      const r = validates(moduleFor(op, false, false), WASM2_FEATURES);
      assert.equal(r, true, `${op.name}: ${r === true ? "" : r.message}`);
      checked++;
    }
    assert.ok(checked > 400);
  });
});
