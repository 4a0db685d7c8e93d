/**
 * Validation of the typed function references' one-byte instructions:
 * `ref.eq`, `ref.as_non_null`, `br_on_null` and `br_on_non_null`, which
 * refine a reference's nullability on the operand stack.
 *
 * @module
 */
import { heapOf, isRef, NON_NULL } from "../binary/valtype.ts";
import type { ImmediateChecks } from "./_immediates.ts";

const I32 = 0x7f;
const EQREF = 0x6d;

/** Checks typed-reference instruction `code` (0xd3–0xd6, its opcode already read). */
export function validateTypedRef(v: ImmediateChecks, code: number): void {
  switch (code) {
    case 0xd3:
      v.popT(EQREF);
      v.popT(EQREF);
      v.push(I32);
      return;
    case 0xd4:
      v.push(heapOf(v.popRef()) | NON_NULL);
      return;
    case 0xd5: {
      const ts = v.labelTypes(v.r.u32());
      const t = v.popRef();
      v.popVals(ts);
      v.pushVals(ts);
      v.push(heapOf(t) | NON_NULL);
      return;
    }
    case 0xd6: {
      const ts = v.labelTypes(v.r.u32());
      const last = ts[ts.length - 1];
      if (last === undefined || !isRef(last)) {
        v.fail(
          `type mismatch: instruction requires reference type but label has ${v.names(ts)}`,
        );
      }
      v.popT(heapOf(last));
      for (let i = ts.length - 2; i >= 0; i--) v.popT(ts[i]);
      for (let i = 0; i < ts.length - 1; i++) v.push(ts[i]);
      return;
    }
  }
}
