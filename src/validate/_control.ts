/**
 * Validation of the control instructions whose checks go beyond a table
 * signature: `br_table` (every label against the same operands), the calls
 * through a table or a reference, and the tail calls, whose callee must
 * return what the current function returns.
 *
 * @module
 */
import type { FuncType } from "../binary/types.ts";
import { addrOf } from "./_func_types.ts";
import type { ImmediateChecks } from "./_immediates.ts";
import { isSubResult, isSubVal } from "./type_store.ts";

const I32 = 0x7f;
const FUNCREF = 0x70;

/** `br_table l* l`. */
export function validateBrTable(v: ImmediateChecks): void {
  const r = v.r;
  const n = r.len();
  // Labels are checked as they are read, so the first bad one is reported.
  let arity = -1;
  const start = r.pos;
  for (let i = 0; i <= n; i++) r.u32();
  const after = r.pos;
  r.pos = start;
  v.popT(I32);
  for (let i = 0; i <= n; i++) {
    const ts = v.labelTypes(r.u32());
    if (arity < 0) arity = ts.length;
    else if (ts.length !== arity) {
      v.fail("type mismatch: br_table labels have different arities");
    }
    v.checkTop(ts);
  }
  r.pos = after;
  v.setUnreachable();
}

/** `call_indirect x t` (`return_call_indirect` when `tail`). */
export function validateCallIndirect(v: ImmediateChecks, tail: boolean): void {
  const r = v.r;
  const x = r.u32();
  const tableIdx = r.u32();
  const table = v.table(tableIdx);
  const t = v.funcTypeAt(x);
  if (!isSubVal(table.elem, FUNCREF)) {
    v.fail(
      "type mismatch: instruction requires table of function type but table has element type " +
        v.name(table.elem),
    );
  }
  v.popT(addrOf(table));
  if (tail) {
    validateTailCall(v, t);
  } else {
    v.popVals(t.params);
    v.pushVals(t.results);
  }
}

/** `call_ref x` (`return_call_ref` when `tail`), its opcode already read. */
export function validateCallRef(v: ImmediateChecks, tail: boolean): void {
  const x = v.r.u32();
  const t = v.funcTypeAt(x);
  if (tail) {
    checkTailResults(v, t);
    v.popT(v.refTo(x, true));
    v.popVals(t.params);
    v.setUnreachable();
  } else {
    v.popT(v.refTo(x, true));
    v.popVals(t.params);
    v.pushVals(t.results);
  }
}

/** A tail call of a function of type `t`, its callee already checked. */
export function validateTailCall(v: ImmediateChecks, t: FuncType): void {
  checkTailResults(v, t);
  v.popVals(t.params);
  v.setUnreachable();
}

/** A tail call's callee must return what the current function returns. */
function checkTailResults(v: ImmediateChecks, t: FuncType): void {
  const mine = v.frames[0].results;
  if (!isSubResult(t.results, mine)) {
    v.fail(
      `type mismatch: current function requires result type ${v.names(mine)} ` +
        `but callee returns ${v.names(t.results)}`,
    );
  }
}
