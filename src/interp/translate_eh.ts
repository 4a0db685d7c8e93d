/**
 * Translation of exception handling: `throw`, `throw_ref`, `try_table`,
 * and the legacy `try`/`catch`/`catch_all`/`delegate`/`rethrow`.
 *
 * A try block costs nothing where nothing is thrown: it emits no code. It
 * becomes a record of the code range it protects and its clauses (what it
 * catches, where the caught values go, where execution continues), which
 * `unwind.ts` searches when an exception is thrown. Caught values go to the
 * slots where the target label expects them (as a branch's values would),
 * so a handler's target is an ordinary label. A legacy `catch` clause is a
 * block whose first, hidden, stack entry holds the caught exception (for
 * `rethrow`), followed by the tag's payload.
 *
 * @module
 */
import { CompileError } from "../errors.ts";
import { IR } from "./ir_defs.ts";
import { BLOCK, CATCH, type Ctl, FUNC, LOOP, type Translator, TRY } from "./translator.ts";
import { branchMoves, labelCtl, patchEnd, pushCtl, setUnreachable } from "./translate_control.ts";
import { BLOCK_WORDS, CATCH_LEGACY, CATCH_REF, CATCH_TAG, CLAUSE_WORDS } from "./unwind.ts";

const EXNREF = 0x69;
/** `try_table` catch kinds (binary 0–3) as clause flags. */
const TRY_TABLE_KINDS = [CATCH_TAG, CATCH_TAG | CATCH_REF, 0, CATCH_REF];

/** The parameter types (module encoding) of tag `x` of the function's module. */
function tagParams(t: Translator, x: number): readonly number[] {
  const m = t.inst.module;
  let type = -1;
  for (const imp of m.imports) {
    if (imp.desc.kind === 4 && x-- === 0) type = imp.desc.type;
  }
  if (type < 0) type = m.tags[x];
  return m.types[type].params;
}

/** Opens a try block at the current position, inside the current one. */
function openTry(t: Translator): number {
  t.tryBlocks.push({ start: t.label(), end: -1, parent: t.curTry, clauses: [], delegate: -2 });
  t.curTry = t.tryBlocks.length - 1;
  return t.curTry;
}

/** Ends the protected range of `c`'s try block here (once). */
export function closeTry(t: Translator, c: Ctl): void {
  const b = t.tryBlocks[c.tryBlock];
  if (b.end >= 0) return;
  b.end = t.n;
  t.curTry = b.parent;
}

/** Adds a clause to try block `b`: values to `slot`, continuing at `target`. */
function addClause(
  t: Translator,
  b: number,
  kind: number,
  tag: number,
  slot: number,
  target: number,
): number {
  const k = t.clauses.length / 4;
  t.clauses.push(kind, tag, slot, target);
  t.tryBlocks[b].clauses.push(k);
  return k;
}

/** `throw x`: the payload is the top entries, as a call's arguments. */
export function throwOp(t: Translator): void {
  const x = t.u32();
  const k = tagParams(t, x).length;
  for (let h = t.sp - k; h < t.sp; h++) t.materialize(h);
  t.emit(IR["throw"], x, t.slotAt(t.sp - k));
  t.popTo(t.sp - k);
  setUnreachable(t);
}

/** `throw_ref`. */
export function throwRefOp(t: Translator): void {
  t.emit(IR["throw_ref"], t.operand(t.sp - 1, "s"));
  t.pop();
  setUnreachable(t);
}

/** `try_table bt catch*`: a block whose clauses branch to enclosing labels. */
export function tryTable(t: Translator): void {
  const [params, results] = t.blockType();
  const n = t.u32();
  const catches: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = t.byte();
    catches.push(k, k < 2 ? t.u32() : -1, t.u32());
  }
  t.materializeForControl(params.length);
  const b = openTry(t);
  for (let i = 0; i < catches.length; i += 3) {
    // Labels count from outside the try_table (its own label is not in scope).
    const c = labelCtl(t, catches[i + 2]);
    const kind = TRY_TABLE_KINDS[catches[i]];
    if (c.kind === FUNC) t.returnClauses.push(addClause(t, b, kind, catches[i + 1], 0, -1));
    else if (c.kind === LOOP) addClause(t, b, kind, catches[i + 1], t.slotAt(c.base), c.target);
    else {
      const slot = c.home >= 0 ? c.home : t.slotAt(c.base);
      c.hpatches.push(addClause(t, b, kind, catches[i + 1], slot, -1));
    }
  }
  const c = pushCtl(t, BLOCK, params, results);
  c.tryBlock = b;
  c.inside = b;
}

/** Legacy `try bt`: a block whose clauses follow its body. */
export function legacyTry(t: Translator): void {
  const [params, results] = t.blockType();
  t.materializeForControl(params.length);
  const b = openTry(t);
  const c = pushCtl(t, TRY, params, results);
  c.tryBlock = b;
  c.inside = b;
}

/**
 * At the end of a legacy `catch` clause: its results sit above the hidden
 * exception entry, so they move down to the label's slots.
 */
export function catchResults(t: Translator, c: Ctl): void {
  if (!c.unreachable) branchMoves(t, c);
}

/** Ends the body or the previous clause of the innermost legacy `try` (as `else` does). */
function endClause(t: Translator, c: Ctl): void {
  closeTry(t, c);
  if (c.unreachable) return;
  if (c.kind === CATCH) catchResults(t, c);
  else for (let h = t.sp - c.results.length; h < t.sp; h++) t.materialize(h);
  t.emit(IR["br"], -1);
  c.patches.push(t.n - 1);
}

/** Legacy `catch x` / `catch_all`. */
export function legacyCatch(t: Translator, all: boolean): void {
  const x = all ? -1 : t.u32();
  const c = t.ctl[t.ctl.length - 1];
  if (c.kind !== TRY && c.kind !== CATCH) throw new CompileError("catch outside a try");
  endClause(t, c);
  const here = t.label();
  t.popTo(c.base);
  t.push(EXNREF);
  const slot = t.vs[c.base];
  if (!all) { for (const p of tagParams(t, x)) t.push(p); }
  const kind = all ? CATCH_LEGACY : CATCH_LEGACY | CATCH_TAG;
  addClause(t, c.tryBlock, kind, x, slot, here);
  c.kind = CATCH;
  c.unreachable = false;
  // Code in a clause is outside its try block's handlers.
  c.inside = t.tryBlocks[c.tryBlock].parent;
}

/** Legacy `delegate l`: ends a `try` whose exceptions go to the handlers around label `l`. */
export function delegate(t: Translator): void {
  const l = t.u32();
  const c = t.ctl[t.ctl.length - 1];
  closeTry(t, c);
  if (!c.unreachable) {
    for (let h = t.sp - c.results.length; h < t.sp; h++) t.materialize(h);
  }
  t.ctl.pop();
  // The label counts from outside the try.
  const d = labelCtl(t, l);
  t.tryBlocks[c.tryBlock].delegate = d.kind === FUNC ? -1 : d.inside;
  patchEnd(t, c);
  t.popTo(c.base);
  for (const r of c.results) t.push(r);
}

/** Legacy `rethrow l`: throws the exception caught by the clause labelled `l`. */
export function rethrow(t: Translator): void {
  const c = labelCtl(t, t.u32());
  t.emit(IR["throw_ref"], t.vs[c.base]);
  setUnreachable(t);
}

/**
 * After the body: points the clauses that return from the function at a
 * `return` appended to the code, and stores the handler table on the
 * function. Returns the positions bundling must keep apart (handler
 * targets and range bounds).
 */
export function finishHandlers(t: Translator): number[] {
  if (t.tryBlocks.length === 0) return [];
  if (t.returnClauses.length > 0) {
    const here = t.label();
    t.emit(IR["return"]);
    for (const k of t.returnClauses) t.clauses[k * 4 + 3] = here;
  }
  const blocks = new Int32Array(t.tryBlocks.length * BLOCK_WORDS);
  const clauses = new Int32Array(t.clauses.length);
  const marks: number[] = [];
  let k = 0;
  t.tryBlocks.forEach((b, i) => {
    const at = i * BLOCK_WORDS;
    blocks.set([b.start, b.end, b.parent, k, b.clauses.length, b.delegate], at);
    marks.push(b.start, b.end);
    for (const c of b.clauses) {
      clauses.set(t.clauses.slice(c * 4, c * 4 + 4), k * CLAUSE_WORDS);
      marks.push(t.clauses[c * 4 + 3]);
      k++;
    }
  });
  t.fn.handlers = { blocks, clauses };
  return marks;
}
