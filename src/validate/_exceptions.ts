/**
 * Validation of exception handling: `throw`, `throw_ref`, `try_table` and
 * its catch clauses, and the legacy `try`/`catch`/`catch_all`/`delegate`/
 * `rethrow` (the decoder has already checked that legacy clauses sit in a
 * `try`, in order).
 *
 * @module
 */
import { Heap, NON_NULL } from "../binary/valtype.ts";
import type { ImmediateChecks } from "./_immediates.ts";
import { isSubResult } from "./type_store.ts";

const K_BLOCK = 0, K_TRY = 5, K_CATCH = 6, K_CATCH_ALL = 7;
const EXNREF = Heap.exn;
const EXN_NON_NULL = Heap.exn | NON_NULL;

/** `throw x`. */
export function validateThrow(v: ImmediateChecks): void {
  v.popVals(v.tag(v.r.u32()).params);
  v.setUnreachable();
}

/** `throw_ref`. */
export function validateThrowRef(v: ImmediateChecks): void {
  v.popT(EXNREF);
  v.setUnreachable();
}

/** `try_table bt catch*`: the clauses are checked against the labels outside the block. */
export function validateTryTable(v: ImmediateChecks): void {
  const bt = v.readBlockType();
  const r = v.r;
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const kind = r.u8(); // catch, catch_ref, catch_all, catch_all_ref
    if (kind > 3) r.fail("malformed catch clause", at);
    const carried = kind < 2 ? [...v.tag(r.u32()).params] : [];
    if ((kind & 1) !== 0) carried.push(EXN_NON_NULL);
    const label = v.labelTypes(r.u32());
    if (!isSubResult(carried, label)) {
      v.fail(
        `type mismatch: catch handler requires ${v.names(label)} but label has ${v.names(carried)}`,
      );
    }
  }
  v.popVals(bt.params);
  v.pushFrame(K_BLOCK, bt.params, bt.results);
  v.pushVals(bt.params);
}

/** Legacy `catch x` or `catch_all` (`tag` -1): ends the previous clause, starts this one. */
export function validateCatch(v: ImmediateChecks, all: boolean): void {
  const f = v.frames[v.depth - 1];
  if (f.kind !== K_TRY && f.kind !== K_CATCH) v.fail("catch outside a try block");
  const params = all ? [] : v.tag(v.r.u32()).params;
  const results = f.results, tryParams = f.params;
  v.popFrame();
  v.pushFrame(all ? K_CATCH_ALL : K_CATCH, tryParams, results);
  v.pushVals(params);
}

/** Legacy `delegate l`: ends a `try` and names a label outside it. */
export function validateDelegate(v: ImmediateChecks): void {
  const f = v.frames[v.depth - 1];
  if (f.kind !== K_TRY) v.fail("delegate outside a try block");
  const l = v.r.u32();
  const results = f.results;
  v.popFrame();
  v.labelTypes(l);
  v.pushVals(results);
}

/** Legacy `rethrow l`: `l` must name an enclosing catch clause. */
export function validateRethrow(v: ImmediateChecks): void {
  const l = v.r.u32();
  if (l >= v.depth) v.fail(`unknown label ${l}`);
  const k = v.frames[v.depth - 1 - l].kind;
  if (k !== K_CATCH && k !== K_CATCH_ALL) v.fail("invalid rethrow label");
  v.setUnreachable();
}
