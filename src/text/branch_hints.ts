/**
 * `(@metadata.code.branch_hint "\00"|"\01")` annotations (the branch hinting
 * proposal, via the annotations proposal): a hint placed before an
 * instruction becomes an entry of the `metadata.code.branch_hint` custom
 * section, at the instruction's byte offset from the start of the function
 * body (its local declarations included), as wasm-tools and the reference
 * interpreter encode it. Whether the hinted instruction is an `if` or
 * `br_if` is a property of the section, checked by
 * `validateCustomSections` (src/validate/custom_sections.ts), not here.
 *
 * @module
 */
import type { SList } from "./lexer.ts";
import type { Ctx } from "./_context.ts";
import { ByteWriter } from "../binary/leb_write.ts";
import type { CustomSection, ValType } from "../binary/types.ts";

/** The custom section's name. */
export const BRANCH_HINT_SECTION = "metadata.code.branch_hint";

const PREFIX = "@metadata.code.branch_hint annotation: ";

/** The hints written between the parentheses of the function `f`. */
export function hintsWithin(ctx: Ctx, f: SList): SList[] {
  if (ctx.hints.length === 0) return [];
  return ctx.hints.filter((h) => h.start > f.start && h.end <= f.end);
}

/**
 * Resolves the hints of one function. `positions` holds, for every
 * instruction written, its source offset and its offset in the body's
 * instruction bytes (pairs, in writing order): a hint applies to the
 * instruction that starts first after it in the text, which for a folded
 * `(if (cond) …)` is the `if` itself although its bytes follow the
 * condition's.
 */
export function resolveHints(
  ctx: Ctx,
  funcIndex: number,
  hints: SList[],
  positions: number[],
  locals: { count: number; type: ValType }[],
): void {
  const w = new ByteWriter(8);
  w.u32(locals.length);
  for (const l of locals) {
    w.u32(l.count);
    w.u8(l.type);
  }
  const localsSize = w.length;
  const byTarget = new Map<number, SList>();
  const out: [number, number][] = [];
  for (const h of hints) {
    ctx.claimedHints.add(h);
    const value = hintValue(ctx, h);
    let best = -1;
    for (let i = 0; i < positions.length; i += 2) {
      const at = positions[i];
      if (at > h.start && (best < 0 || at < positions[best])) best = i;
    }
    if (best < 0) ctx.fail(h, `${PREFIX}must precede an instruction`);
    if (byTarget.has(best)) ctx.fail(h, `${PREFIX}duplicate annotation`);
    byTarget.set(best, h);
    out.push([localsSize + positions[best + 1], value]);
  }
  out.sort((a, b) => a[0] - b[0]);
  ctx.branchHints.push([funcIndex, out]);
}

function hintValue(ctx: Ctx, h: SList): number {
  const v = h.items[0];
  if (v === undefined || v.kind !== "string") ctx.fail(v ?? h, `${PREFIX}missing value`);
  if (h.items.length > 1) ctx.fail(h.items[1], `${PREFIX}unexpected token`);
  const b = ctx.bytes(v, h);
  if (b.length !== 1 || b[0] > 1) ctx.fail(v, `${PREFIX}invalid value (expected "\\00" or "\\01")`);
  return b[0];
}

/**
 * The `metadata.code.branch_hint` section for the resolved hints (placed
 * just before the code section, as the proposal requires), or null when
 * there are none. A hint that no function claimed is outside every
 * function: malformed.
 */
export function branchHintSection(ctx: Ctx): CustomSection | null {
  for (const h of ctx.hints) {
    if (!ctx.claimedHints.has(h)) ctx.fail(h, `${PREFIX}not in a function`);
  }
  if (ctx.branchHints.length === 0) return null;
  const w = new ByteWriter(32);
  const funcs = [...ctx.branchHints].sort((a, b) => a[0] - b[0]);
  w.u32(funcs.length);
  for (const [index, hints] of funcs) {
    w.u32(index);
    w.u32(hints.length);
    for (const [offset, value] of hints) {
      w.u32(offset);
      w.u32(1);
      w.u8(value);
    }
  }
  // "after 12" (data count) is the slot right before the code section.
  return { name: BRANCH_HINT_SECTION, data: w.finish(), after: 12 };
}
