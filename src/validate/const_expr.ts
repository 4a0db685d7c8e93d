/**
 * Constant expressions (global initialisers, segment offsets and element
 * initialisers): the constness rule, then their type.
 *
 * @module
 */
import { readOp, skipImmediates } from "../binary/decode_instr.ts";
import { Reader } from "../binary/reader.ts";
import { type Expr, valTypeName } from "../binary/types.ts";
import { invalid } from "./_errors.ts";
import type { ModuleContext } from "./context.ts";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;

/**
 * Validates a constant expression that must produce one value of type
 * `expected`. Only the first `visibleGlobals` globals may be read (wasm
 * 2.0: the imported ones). As in the reference interpreter, every
 * instruction must be constant before the types are looked at.
 */
export function validateConstExpr(
  ctx: ModuleContext,
  expr: Expr,
  expected: number,
  visibleGlobals: number,
  where: string,
): void {
  const r = new Reader(expr.bytes);
  r.base = expr.offset;
  const stack: number[] = [];
  let typeError: { message: string; at: number } | null = null;
  const mismatch = (message: string, at: number) => {
    if (typeError === null) typeError = { message: `type mismatch: ${message}`, at };
  };
  const pop = (t: number, at: number) => {
    const got = stack.pop();
    if (got === undefined) mismatch(`expected ${valTypeName(t)}, found nothing`, at);
    else if (got !== t) mismatch(`expected ${valTypeName(t)}, found ${valTypeName(got)}`, at);
  };
  for (;;) {
    const at = r.pos;
    const op = readOp(r, ctx.features);
    const b = op.prefix === 0 ? op.code : -1;
    if (b === 0x0b) break;
    switch (b) {
      case 0x41:
        stack.push(I32);
        break;
      case 0x42:
        stack.push(I64);
        break;
      case 0x43:
        stack.push(F32);
        break;
      case 0x44:
        stack.push(F64);
        break;
      case 0xd0:
        stack.push(r.bytes[r.pos]);
        break;
      case 0xd2: {
        const x = peekU32(r);
        if (x >= ctx.funcTypes.length) invalid(`unknown function ${x}`, at + r.base, where);
        stack.push(0x70);
        break;
      }
      case 0x23: {
        const x = peekU32(r);
        const g = x < visibleGlobals ? ctx.globals[x] : undefined;
        if (g === undefined) invalid(`unknown global ${x}`, at + r.base, where);
        if (g.mutable) {
          invalid("constant expression required (global is mutable)", at + r.base, where);
        }
        stack.push(g.type);
        break;
      }
      case 0x6a: // i32.add
      case 0x6b: // i32.sub
      case 0x6c: // i32.mul
      case 0x7c: // i64.add
      case 0x7d: // i64.sub
      case 0x7e: { // i64.mul
        if (!ctx.features.extendedConst) {
          invalid("constant expression required", at + r.base, where);
        }
        const t = b < 0x70 ? I32 : I64;
        pop(t, at);
        pop(t, at);
        stack.push(t);
        break;
      }
      default:
        if (op.prefix === 0xfd && op.code === 0x0c) {
          stack.push(V128);
          break;
        }
        invalid(`constant expression required (${op.name} is not constant)`, at + r.base, where);
    }
    skipImmediates(r, op, ctx.features);
  }
  const endAt = r.pos - 1;
  if (stack.length === 0) mismatch(`expected ${valTypeName(expected)}, found nothing`, endAt);
  else if (stack.length > 1) mismatch(`${stack.length} values where one is expected`, endAt);
  else if (stack[0] !== expected) {
    mismatch(`expected ${valTypeName(expected)}, found ${valTypeName(stack[0])}`, endAt);
  }
  if (typeError !== null) {
    const e = typeError as { message: string; at: number };
    invalid(e.message, e.at + r.base, where);
  }
}

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
