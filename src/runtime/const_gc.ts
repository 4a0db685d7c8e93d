/**
 * The GC instructions of constant expressions (`struct.new`,
 * `struct.new_default`, `array.new`, `array.new_default`,
 * `array.new_fixed`, `ref.i31`, `any.convert_extern`,
 * `extern.convert_any`), on the constant evaluator's value stack: the same
 * allocation and layout as the interpreter's (`gc_objects.ts`,
 * `gc_arrays.ts`).
 *
 * @module
 */
import { canonType } from "../validate/type_store.ts";
import type { ConstValue } from "./const_eval.ts";
import { newArray, newArrayFilled } from "./gc_arrays.ts";
import {
  type ArrayStore,
  elementStorage,
  GcStruct,
  i31Of,
  Storage,
  structLayout,
  wordsOf,
} from "./gc_objects.ts";
import type { InstanceState } from "./instance_state.ts";

/** Writes constant `c` as storage kind `k` into `out[at…]` (word form, packed kinds truncated). */
function store(c: ConstValue, k: Storage, out: ArrayStore | unknown[], at: number): void {
  switch (k) {
    case Storage.ref:
      out[at] = c.ref;
      return;
    case Storage.i8:
      out[at] = c.w[0] & 0xff;
      return;
    case Storage.i16:
      out[at] = c.w[0] & 0xffff;
      return;
    default:
      for (let i = 0; i < wordsOf(k); i++) out[at + i] = c.w[i];
  }
}

/** A constant holding reference `ref`. */
function refValue(ref: unknown): ConstValue {
  return { w: new Int32Array(4), ref };
}

/**
 * Evaluates the 0xfb-prefixed instruction `sub` (its immediates read with
 * `u32`) on `stack`, in instance `inst`. Throws for an instruction that is
 * not constant (validation has ruled those out).
 */
export function evalGcConst(
  sub: number,
  u32: () => number,
  stack: ConstValue[],
  inst: InstanceState,
): void {
  switch (sub) {
    case 0: // struct.new
    case 1: { // struct.new_default
      const t = canonType(inst.typeIds[u32()]);
      const l = structLayout(t);
      if (sub === 1) {
        stack.push(refValue(new GcStruct(t, l.defaults.slice())));
        return;
      }
      const args = stack.splice(stack.length - l.kinds.length);
      const v: unknown[] = new Array(l.words);
      args.forEach((c, i) => store(c, l.kinds[i] as Storage, v, l.offsets[i]));
      stack.push(refValue(new GcStruct(t, v)));
      return;
    }
    case 6: { // array.new
      const t = canonType(inst.typeIds[u32()]);
      const n = stack.pop()!, c = stack.pop()!;
      const words: unknown[] = [null, 0, 0, 0];
      store(c, elementStorage(t), words, 0);
      stack.push(
        refValue(newArrayFilled(t, n.w[0], words[0], c.w[1], c.w[2], c.w[3])),
      );
      return;
    }
    case 7: { // array.new_default
      const t = canonType(inst.typeIds[u32()]);
      stack.push(refValue(newArray(t, stack.pop()!.w[0])));
      return;
    }
    case 8: { // array.new_fixed
      const t = canonType(inst.typeIds[u32()]);
      const n = u32();
      const args = stack.splice(stack.length - n);
      const a = newArray(t, n);
      const k = elementStorage(t);
      const stride = k === Storage.i8 || k === Storage.i16 || k === Storage.ref ? 1 : wordsOf(k);
      args.forEach((c, i) => store(c, k, a.v, i * stride));
      stack.push(refValue(a));
      return;
    }
    case 26: // any.convert_extern
    case 27: // extern.convert_any: the same value in both hierarchies
      return;
    case 28: // ref.i31
      stack.push(refValue(i31Of(stack.pop()!.w[0])));
      return;
    default:
      throw new Error(`gannet: GC instruction 0xfb ${sub} in a constant expression`);
  }
}
