/**
 * Translation of direct and indirect calls, and their tail-call forms. The
 * arguments are materialized in their canonical slots, which are the
 * callee's parameter slots: its frame starts at the first argument's slot,
 * so the call copies nothing.
 *
 * @module
 */

import type { OpInfo } from "../binary/opcodes.ts";
import { IR } from "./ir_defs.ts";
import { CONST, type Translator } from "./translator.ts";
import { setUnreachable } from "./translate_control.ts";

/** Translates `call`, `return_call`, `call_indirect` and `return_call_indirect`. */
export function callOp(t: Translator, op: OpInfo): void {
  switch (op.name) {
    case "call":
    case "return_call": {
      const f = t.u32();
      const type = t.inst.funcs[f].type;
      const k = type.params.length;
      for (let h = t.sp - k; h < t.sp; h++) t.materialize(h);
      const base = t.slotAt(t.sp - k);
      const imported = f < t.inst.funcs.length && t.inst.funcs[f].inst !== t.inst;
      if (op.name === "call") {
        t.emit(imported ? IR["call_import"] : IR["call"], f, base);
      } else {
        t.emit(imported ? IR["return_call_import"] : IR["return_call"], f, base, 0);
      }
      t.popTo(t.sp - k);
      for (const r of type.results) t.push(r);
      if (op.name === "return_call") setUnreachable(t);
      break;
    }
    case "call_indirect":
    case "return_call_indirect": {
      const typeIdx = t.u32();
      const table = t.u32();
      const type = t.inst.module.types[typeIdx];
      if (t.vk[t.sp - 1] === CONST) t.materialize(t.sp - 1);
      const c = t.operand(t.sp - 1, "w");
      t.pop();
      const k = type.params.length;
      for (let h = t.sp - k; h < t.sp; h++) t.materialize(h);
      const base = t.slotAt(t.sp - k);
      const id = t.inst.typeIds[typeIdx];
      if (op.name === "call_indirect") t.emit(IR["call_indirect"], table, id, base, c);
      else t.emit(IR["return_call_indirect"], table, id, base, c, 0);
      t.popTo(t.sp - k);
      for (const r of type.results) t.push(r);
      if (op.name === "return_call_indirect") setUnreachable(t);
      break;
    }
  }
}
