/**
 * The functions that constant expressions (global and table initialisers,
 * segment elements) name: the spec's C.refs, which `ref.func` in code may
 * use. (Constant expressions themselves are checked by
 * `FuncValidator.validateConst`.)
 *
 * @module
 */
import { readOp, skipImmediates } from "../binary/decode_instr.ts";
import { Reader } from "../binary/reader.ts";
import type { Expr } from "../binary/types.ts";
import type { ModuleContext } from "./context.ts";

/** Reads a u32 immediate without consuming it (skipImmediates does that). */
function peekU32(r: Reader): number {
  const p = r.pos;
  const x = r.u32();
  r.pos = p;
  return x;
}

/**
 * Marks in `refs` every function that `ref.func` names in a constant
 * expression (such functions are "declared" for `ref.func` in code).
 */
export function collectRefs(ctx: ModuleContext, expr: Expr, refs: Uint8Array): void {
  const r = new Reader(expr.bytes);
  r.base = expr.offset;
  while (!r.eof()) {
    const op = readOp(r, ctx.features);
    if (op.prefix === 0 && op.code === 0xd2) {
      const x = peekU32(r);
      if (x < refs.length) refs[x] = 1;
    }
    skipImmediates(r, op, ctx.features);
  }
}
