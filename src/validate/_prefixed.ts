/**
 * Validation of the instructions after a 0xfc (bulk memory, tables,
 * saturating truncation), 0xfd (SIMD) or 0xfe (atomics) prefix.
 *
 * @module
 */
import { Imm, type OpInfo, PREFIX } from "../binary/opcodes.ts";
import { readMemIdx } from "../binary/decode_instr.ts";
import { addrOf } from "./_func_types.ts";
import { isSubVal } from "./type_store.ts";

/**
 * Binary-format type codes and the frame kinds of `_type_stack.ts`, declared
 * here on purpose: V8 folds a module's own constants into this hot code but
 * loads imported bindings each time (measured: about 3% of validation time).
 */
const I32 = 0x7f, I64 = 0x7e, V128 = 0x7b;
import type { ImmediateChecks } from "./_immediates.ts";

/** Checks prefixed instruction `op` (its opcode already read) on validator `v`. */
export function validatePrefixed(v: ImmediateChecks, op: OpInfo): void {
  if (op.prefix === PREFIX.FC) validateFc(v, op);
  else validateByImmediate(v, op);
}

/** 0xfc: the ones with index immediates are checked by hand, the rest by signature. */
function validateFc(v: ImmediateChecks, op: OpInfo): void {
  const r = v.r;
  switch (op.code) {
    case 8: { // memory.init
      const d = r.u32();
      const addr = v.memAddr(readMemIdx(r, v.ctx.features));
      v.dataIndex(d);
      v.applySig(op, addr);
      return;
    }
    case 9: // data.drop
      v.dataIndex(r.u32());
      return;
    case 10: { // memory.copy
      const dst = v.memAddr(readMemIdx(r, v.ctx.features));
      const src = v.memAddr(readMemIdx(r, v.ctx.features));
      v.popT(dst === I64 && src === I64 ? I64 : I32);
      v.popT(src);
      v.popT(dst);
      return;
    }
    case 11: // memory.fill
      v.applySig(op, v.memAddr(readMemIdx(r, v.ctx.features)));
      return;
    case 12: { // table.init
      const e = r.u32();
      const t = v.table(r.u32());
      const et = v.elemType(e);
      if (!isSubVal(et, t.elem)) {
        v.fail(
          `type mismatch: element segment's type ${v.name(et)} does not match table's element ` +
            `type ${v.name(t.elem)}`,
        );
      }
      v.popT(I32);
      v.popT(I32);
      v.popT(addrOf(t));
      return;
    }
    case 13: // elem.drop
      v.elemType(r.u32());
      return;
    case 14: { // table.copy
      const dst = v.table(r.u32());
      const src = v.table(r.u32());
      if (!isSubVal(src.elem, dst.elem)) {
        v.fail(
          `type mismatch: source element type ${v.name(src.elem)} does not match destination ` +
            `element type ${v.name(dst.elem)}`,
        );
      }
      v.popT(addrOf(dst) === I64 && addrOf(src) === I64 ? I64 : I32);
      v.popT(addrOf(src));
      v.popT(addrOf(dst));
      return;
    }
    case 15: { // table.grow
      const t = v.table(r.u32());
      v.popT(addrOf(t));
      v.popT(t.elem);
      v.push(addrOf(t));
      return;
    }
    case 16: // table.size
      v.push(addrOf(v.table(r.u32())));
      return;
    case 17: { // table.fill
      const t = v.table(r.u32());
      v.popT(addrOf(t));
      v.popT(t.elem);
      v.popT(addrOf(t));
      return;
    }
    default:
      v.applySig(op, I32);
      return;
  }
}

/** 0xfd and 0xfe: the immediate shape decides, the signature does the rest. */
function validateByImmediate(v: ImmediateChecks, op: OpInfo): void {
  const r = v.r;
  switch (op.imm) {
    case Imm.None:
      v.applySig(op, I32);
      return;
    case Imm.MemArg:
      v.applySig(op, v.memOp(op));
      return;
    case Imm.MemArgLane: {
      const addr = v.memOp(op);
      v.lane(op);
      v.applySig(op, addr);
      return;
    }
    case Imm.V128:
      r.skip(16);
      v.push(V128);
      return;
    case Imm.Shuffle: {
      for (let i = 0; i < 16; i++) {
        const at = r.pos;
        if (r.u8() >= 32) v.failAt("invalid lane index", at);
      }
      v.applySig(op, I32);
      return;
    }
    case Imm.Lane:
      v.lane(op);
      v.applySig(op, I32);
      return;
    case Imm.Zero: { // atomic.fence
      const at = r.pos;
      if (r.u8() !== 0) r.fail("zero byte expected", at);
      return;
    }
    default:
      throw new Error(`unhandled immediate shape for ${op.name}`);
  }
}
