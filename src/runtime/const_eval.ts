/**
 * Evaluation of constant expressions (global initialisers, segment offsets
 * and elements, table initialisers) at instantiation. The module has been
 * validated, so only constant instructions appear.
 *
 * @module
 */

import type { Expr } from "../binary/types.ts";
import { globalStore } from "./globals.ts";
import type { InstanceState } from "./instance_state.ts";
import { evalGcConst } from "./const_gc.ts";

/**
 * A constant's value: `w` holds its bits as int32 words (i32/f32: w[0];
 * i64/f64: w[0..1]; v128: w[0..3]), `ref` a reference value.
 */
export interface ConstValue {
  /** Bits as int32 words. */
  w: Int32Array;
  /** Reference value (null for numbers and null references). */
  ref: unknown;
}

/** Evaluates `expr` in `inst` (globals, functions). */
export function evalConst(expr: Expr, inst: InstanceState): ConstValue {
  const b = expr.bytes;
  let p = 0;
  const stack: ConstValue[] = [];
  const u32 = (): number => {
    let r = 0, shift = 0, x: number;
    do {
      x = b[p++];
      r |= (x & 0x7f) << shift;
      shift += 7;
    } while (x & 0x80);
    return r >>> 0;
  };
  const sleb = (): [number, number] => {
    let lo = 0, hi = 0, shift = 0, x: number;
    do {
      x = b[p++];
      const v = x & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else if (shift < 64) hi |= v << (shift - 32);
      shift += 7;
    } while (x & 0x80);
    if (shift < 64 && (x & 0x40)) {
      if (shift < 32) {
        lo |= -1 << shift;
        hi = -1;
      } else hi |= -1 << (shift - 32);
    }
    return [lo | 0, hi | 0];
  };
  const word = (): number => {
    const v = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
    p += 4;
    return v;
  };
  const val = (...words: number[]): ConstValue => ({ w: Int32Array.from(words), ref: null });
  for (;;) {
    const op = b[p++];
    switch (op) {
      case 0x0b:
        return stack[stack.length - 1];
      case 0x41: {
        const [lo] = sleb();
        stack.push(val(lo, 0));
        break;
      }
      case 0x42:
        stack.push(val(...sleb()));
        break;
      case 0x43:
        stack.push(val(word(), 0));
        break;
      case 0x44: {
        const lo = word();
        stack.push(val(lo, word()));
        break;
      }
      case 0x23: {
        const g = inst.globals[u32()];
        const w = new Int32Array(4);
        const c = g.cell * 2;
        const n = g.type.type === 0x7b ? 4 : 2;
        for (let i = 0; i < n; i++) w[i] = globalStore.i32[c + i];
        stack.push({ w, ref: globalStore.refs[g.cell] });
        break;
      }
      case 0xd0:
        sleb(); // the heap type: an abstract type's byte or an s33 type index
        stack.push({ w: new Int32Array(2), ref: null });
        break;
      case 0xfb:
        evalGcConst(u32(), u32, stack, inst);
        break;
      case 0xd2:
        stack.push({ w: new Int32Array(2), ref: inst.funcs[u32()] });
        break;
      case 0x6a:
      case 0x6b:
      case 0x6c: {
        const y = stack.pop()!, x = stack.pop()!;
        const r = op === 0x6a
          ? (x.w[0] + y.w[0]) | 0
          : op === 0x6b
          ? (x.w[0] - y.w[0]) | 0
          : Math.imul(x.w[0], y.w[0]);
        stack.push(val(r, 0));
        break;
      }
      case 0x7c:
      case 0x7d:
      case 0x7e: {
        // Not hot (once per instantiation): the definition, in BigInt.
        const y = stack.pop()!, x = stack.pop()!;
        const a = BigInt.asIntN(64, (BigInt(x.w[1]) << 32n) | BigInt(x.w[0] >>> 0));
        const b = BigInt.asIntN(64, (BigInt(y.w[1]) << 32n) | BigInt(y.w[0] >>> 0));
        const v = op === 0x7c ? a + b : op === 0x7d ? a - b : a * b;
        stack.push(val(Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))));
        break;
      }
      case 0xfd: {
        // v128.const (0xfd 0x0c, LEB-encoded as one byte).
        u32();
        stack.push(val(word(), word(), word(), word()));
        break;
      }
      default:
        throw new Error(`gannet: opcode 0x${op.toString(16)} in a constant expression`);
    }
  }
}

/** Evaluates an i32/i64 offset expression as a non-negative number (exact below 2^53). */
export function evalOffset(expr: Expr, inst: InstanceState, is64: boolean): number {
  const v = evalConst(expr, inst);
  if (!is64) return v.w[0] >>> 0;
  const hi = v.w[1] >>> 0;
  return hi >= 0x200000 ? Infinity : hi * 4294967296 + (v.w[0] >>> 0);
}

/** Writes a constant into a global's cell. */
export function writeGlobalCell(cell: number, type: number, v: ConstValue): void {
  const c = cell * 2;
  const n = type === 0x7b ? 4 : 2;
  for (let i = 0; i < n; i++) globalStore.i32[c + i] = v.w[i];
  globalStore.refs[cell] = v.ref;
}
