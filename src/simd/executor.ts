/**
 * The interpreter's SIMD executor: runs the register IR's `simd` instruction
 * (see `simdOp` in `src/interp/translate_body.ts`) with the lane semantics of
 * this folder. Layout of the instruction in the code array:
 *
 * `simd opIndex count w…`, where the `count` words `w` are the result's
 * word (frame-relative, if the op has a result), the operands' words in
 * signature order, then the immediates: lane index; shuffle: 4 words of lane
 * indices; memarg: memory index, offset low, offset high (then the lane
 * index of the `*_lane` forms).
 *
 * Word `w` of the frame at `fp` is byte `(fp + w) * 4` of the register file.
 *
 * @module
 */
import { Imm, opByName, OPCODES } from "../binary/opcodes.ts";
import { f32x4Add, f32x4Mul } from "./f32x4.ts";
import { i32x4Add, i32x4Mul } from "./i32x4.ts";
import { v128Load } from "./memory.ts";
import { RuntimeError, Trap } from "../errors.ts";
import { effectiveAddress } from "../interp/address.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import type { Machine } from "../runtime/machine.ts";
import { shuffleWords } from "./lanes.ts";
import { SIMD_MEM_OPS_BY_INDEX, SIMD_OPS_BY_INDEX } from "./table.ts";
import { registerViews } from "./views.ts";

// How each row's words are laid out (by OpInfo.index).
const GENERIC = 1, LANE = 2, SHUFFLE = 3, LOAD = 4, STORE = 5;
const kind = new Uint8Array(OPCODES.length);
const nParams = new Uint8Array(OPCODES.length);
const bytes = new Uint8Array(OPCODES.length);

for (const op of OPCODES) {
  if (op.feature !== "simd" && op.feature !== "relaxed-simd") continue;
  const sig = op.sig!;
  nParams[op.index] = sig.indexOf(":");
  if (op.align >= 0) {
    kind[op.index] = sig.endsWith(":") ? STORE : LOAD;
    // Bytes touched: a lane, a splat/zero element, 8 for the extending loads, else 16.
    const m = /(8|16|32|64)(x\d)?_(lane|splat|zero|s|u)$/.exec(op.name);
    bytes[op.index] = m === null ? 16 : m[2] ? 8 : Number(m[1]) / 8;
  } else {
    kind[op.index] = op.imm === Imm.Lane ? LANE : op.imm === Imm.Shuffle ? SHUFFLE : GENERIC;
  }
}

const HOT_LOAD = opByName("v128.load")!.index;
const HOT_F32_ADD = opByName("f32x4.add")!.index;
const HOT_F32_MUL = opByName("f32x4.mul")!.index;
const HOT_I32_ADD = opByName("i32x4.add")!.index;
const HOT_I32_MUL = opByName("i32x4.mul")!.index;

/**
 * Executes the `simd` instruction at `pc` and returns the next pc. Traps
 * (out-of-bounds memory) throw a `RuntimeError`. The interpreter calls it
 * for SIMD instructions its own SIMD loop (`src/interp/simd_run.ts`) leaves.
 */
export function simdExecute(
  m: Machine,
  inst: InstanceState,
  fp: number,
  code: Int32Array,
  pc: number,
): number {
  const index = code[pc + 1], count = code[pc + 2], w = pc + 3;
  const r = registerViews(m.buf);
  // The hottest operations (from the SIMD benchmark) are called directly, a
  // call site the host JIT can inline, instead of through the table.
  switch (index) {
    case HOT_LOAD: {
      const mem = inst.memories[code[w + 2]];
      const ea = effectiveAddress(r.i32, fp + code[w + 1], mem.index64, code[w + 3], code[w + 4]);
      if (!mem.covers(ea + 16)) throw new RuntimeError(Trap.memoryOutOfBounds);
      v128Load(r, (fp + code[w]) << 2, mem.u8, ea);
      return w + count;
    }
    case HOT_F32_ADD:
      f32x4Add(r, (fp + code[w]) << 2, (fp + code[w + 1]) << 2, (fp + code[w + 2]) << 2);
      return w + count;
    case HOT_F32_MUL:
      f32x4Mul(r, (fp + code[w]) << 2, (fp + code[w + 1]) << 2, (fp + code[w + 2]) << 2);
      return w + count;
    case HOT_I32_ADD:
      i32x4Add(r, (fp + code[w]) << 2, (fp + code[w + 1]) << 2, (fp + code[w + 2]) << 2);
      return w + count;
    case HOT_I32_MUL:
      i32x4Mul(r, (fp + code[w]) << 2, (fp + code[w + 1]) << 2, (fp + code[w + 2]) << 2);
      return w + count;
  }
  switch (kind[index]) {
    case GENERIC: {
      const n = nParams[index];
      const a = (fp + code[w + 1]) << 2;
      const b = n > 1 ? (fp + code[w + 2]) << 2 : 0;
      const c = n > 2 ? (fp + code[w + 3]) << 2 : 0;
      SIMD_OPS_BY_INDEX[index]!(r, (fp + code[w]) << 2, a, b, c);
      break;
    }
    case LANE: {
      // extract_lane: result, vector, lane; replace_lane: result, vector, scalar, lane.
      const n = nParams[index];
      const b = n > 1 ? (fp + code[w + 2]) << 2 : 0;
      SIMD_OPS_BY_INDEX[index]!(
        r,
        (fp + code[w]) << 2,
        (fp + code[w + 1]) << 2,
        b,
        code[w + 1 + n],
      );
      break;
    }
    case SHUFFLE:
      shuffleWords(
        r,
        (fp + code[w]) << 2,
        (fp + code[w + 1]) << 2,
        (fp + code[w + 2]) << 2,
        code[w + 3],
        code[w + 4],
        code[w + 5],
        code[w + 6],
      );
      break;
    case LOAD: {
      // result, address, [vector,] memidx, offset lo, offset hi, [lane]
      const n = nParams[index];
      const mem = inst.memories[code[w + 1 + n]];
      const ea = effectiveAddress(
        r.i32,
        fp + code[w + 1],
        mem.index64,
        code[w + 2 + n],
        code[w + 3 + n],
      );
      if (!mem.covers(ea + bytes[index])) throw new RuntimeError(Trap.memoryOutOfBounds);
      const src = n > 1 ? (fp + code[w + 2]) << 2 : 0;
      const lane = count > 4 + n ? code[w + 4 + n] : 0;
      SIMD_MEM_OPS_BY_INDEX[index]!(r, (fp + code[w]) << 2, mem.u8, ea, lane, src);
      break;
    }
    case STORE: {
      // address, vector, memidx, offset lo, offset hi, [lane]
      const mem = inst.memories[code[w + 2]];
      const ea = effectiveAddress(r.i32, fp + code[w], mem.index64, code[w + 3], code[w + 4]);
      if (!mem.covers(ea + bytes[index])) throw new RuntimeError(Trap.memoryOutOfBounds);
      const lane = count > 5 ? code[w + 5] : 0;
      SIMD_MEM_OPS_BY_INDEX[index]!(r, (fp + code[w + 1]) << 2, mem.u8, ea, lane, 0);
      break;
    }
    default:
      throw new RuntimeError(`instruction ${OPCODES[index]?.name} is not a SIMD instruction`);
  }
  return w + count;
}
