/**
 * Translation of typed function references: `call_ref`,
 * `return_call_ref`, `ref.as_non_null`, `br_on_null`, `br_on_non_null`.
 * (Non-null locals, and the typed `select` and table forms, need nothing
 * beyond what `translate_body.ts` does for every reference.)
 *
 * @module
 */
import { NON_NULL } from "../binary/valtype.ts";
import type { OpInfo } from "../binary/opcodes.ts";
import { CompileError } from "../errors.ts";
import { IR } from "./ir_defs.ts";
import { LOCAL, type Translator } from "./translator.ts";
import { setUnreachable } from "./translate_control.ts";
import { emitBrIf, I32 } from "./translate_numeric.ts";

const ANY = 0x6e;

/** `ref.test` of the top reference against its whole hierarchy, `f` its flags: into a new entry above it. */
function testNull(t: Translator, negate: boolean): void {
  const a = t.srcSlot(t.sp - 1);
  t.push(I32);
  // Every non-null reference passes a test against `any` (gc_access.ts's refTest).
  t.emit(IR["ref.test"], t.vs[t.sp - 1] * 2, a, ANY, negate ? 2 : 0);
}

/** Translates one typed-function-reference instruction. */
export function refOp(t: Translator, op: OpInfo): void {
  switch (op.name) {
    case "call_ref":
    case "return_call_ref": {
      const type = t.inst.module.types[t.u32()];
      const c = t.srcSlot(t.sp - 1);
      t.pop();
      const k = type.params.length;
      for (let h = t.sp - k; h < t.sp; h++) t.materialize(h);
      const base = t.slotAt(t.sp - k);
      if (op.name === "call_ref") t.emit(IR["call_ref"], base, c);
      else t.emit(IR["return_call_ref"], base, c, 0);
      t.popTo(t.sp - k);
      for (const r of type.results) t.push(r);
      if (op.name === "return_call_ref") setUnreachable(t);
      return;
    }
    case "ref.as_non_null":
      // A check only: the value stays where it is, now typed non-null.
      t.emit(IR["ref.as_non_null"], t.srcSlot(t.sp - 1));
      t.vt[t.sp - 1] |= NON_NULL;
      return;
    case "br_on_non_null": {
      // The reference is the branch's last value: a test above it, `br_if`
      // on the test, and the null left on the fall-through path is dropped.
      const depth = t.u32();
      testNull(t, false);
      emitBrIf(t, depth);
      t.pop();
      return;
    }
    case "br_on_null": {
      // The branch carries the values below the reference: the test's
      // result (above the reference) stands in for it as the condition,
      // read from its slot; the reference comes back, non-null, after.
      const depth = t.u32();
      testNull(t, true);
      const cond = t.vs[t.sp - 1];
      t.pop();
      const h = t.sp - 1, type = t.vt[h] | NON_NULL, kind = t.vk[h], v = t.vv[h];
      t.pop();
      t.push(I32, LOCAL, cond);
      emitBrIf(t, depth);
      t.push(type, kind, v);
      return;
    }
  }
  throw new CompileError(`instruction ${op.name} is not supported by the interpreter`);
}
