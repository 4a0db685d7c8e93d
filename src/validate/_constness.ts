/**
 * The constness check of constant expressions (initialisers, segment offsets
 * and elements). As the reference interpreter does, every instruction must
 * be constant before any type is looked at, so this pass runs over the whole
 * expression ahead of the type checking one.
 *
 * @module
 */
import { readOp, skipImmediates } from "../binary/decode_instr.ts";
import type { OpInfo } from "../binary/opcodes.ts";
import type { ImmediateChecks } from "./_immediates.ts";

/** Instructions allowed in constant expressions (besides `global.get` of an immutable global). */
function isConstOp(op: OpInfo, extendedConst: boolean): boolean {
  if (op.prefix === 0) {
    switch (op.code) {
      case 0x41: // i32/i64/f32/f64.const
      case 0x42:
      case 0x43:
      case 0x44:
      case 0xd0: // ref.null
      case 0xd2: // ref.func
        return true;
      case 0x6a: // i32.add/sub/mul
      case 0x6b:
      case 0x6c:
      case 0x7c: // i64.add/sub/mul
      case 0x7d:
      case 0x7e:
        return extendedConst;
    }
    return false;
  }
  if (op.prefix === 0xfd) return op.code === 0x0c; // v128.const
  if (op.prefix !== 0xfb) return false;
  // struct.new(_default), array.new(_default/_fixed), any/extern conversions, ref.i31
  return op.code <= 1 || (op.code >= 6 && op.code <= 8) || (op.code >= 26 && op.code <= 28);
}

/**
 * Fails on the first instruction of `v.r` (up to its `end`) that is not
 * constant; leaves the reader after that `end`.
 */
export function checkConstness(v: ImmediateChecks): void {
  const r = v.r;
  const f = v.ctx.features;
  for (;;) {
    const at = r.pos;
    v.at = at;
    const op = readOp(r, f);
    if (op.prefix === 0 && op.code === 0x0b) return;
    if (op.prefix === 0 && op.code === 0x23) { // global.get
      const x = r.u32();
      const g = v.global(x);
      if (g.mutable) v.fail("constant expression required (global is mutable)");
      continue;
    }
    if (!isConstOp(op, f.extendedConst)) {
      v.fail(`constant expression required (${op.name} is not constant)`);
    }
    skipImmediates(r, op, f);
  }
}
