/**
 * Core subtyping in components (an instantiation argument's exports
 * against a module's imports, a module against a module type): function
 * types must be equal, tables and memories must fit their limits, globals
 * must match exactly; modules may import less and export more.
 *
 * @module
 */
import type { FuncType as CoreFuncType, Limits } from "../../binary/types.ts";
import { valTypeName } from "../../binary/types.ts";
import { invalid, withContext } from "./errors.ts";
import type { CoreEntity, ModuleType } from "./types.ts";

/** Core function types must be equal. */
export function coreFuncSubtype(a: CoreFuncType, b: CoreFuncType, offset: number): void {
  if (!sameCoreFunc(a, b)) {
    invalid(offset, `expected: ${showCoreFunc(b)}\nfound:    ${showCoreFunc(a)}`);
  }
}

/** Structural equality of core function types. */
export function sameCoreFunc(a: CoreFuncType, b: CoreFuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length &&
    a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i]);
}

/** A core function type as wasm-tools prints it: `(func (param i32) (result i32))`. */
export function showCoreFunc(t: CoreFuncType): string {
  let s = "(func";
  const names = (ts: readonly number[]) => ts.map((x) => valTypeName(x)).join(" ");
  if (t.params.length > 0) s += ` (param ${names(t.params)})`;
  if (t.results.length > 0) s += ` (result ${names(t.results)})`;
  return s + ")";
}

function limitsMatch(a: Limits, b: Limits): boolean {
  return a.min >= b.min && (b.max === null || (a.max !== null && a.max <= b.max));
}

/** Core extern subtyping (an import satisfied by an export). */
export function coreEntitySubtype(a: CoreEntity, b: CoreEntity, offset: number): void {
  if (a.kind !== b.kind) invalid(offset, `expected ${b.kind}, found ${a.kind}`);
  switch (a.kind) {
    case "func":
    case "tag":
      return coreFuncSubtype(a.type, (b as typeof a).type, offset);
    case "table": {
      const bt = (b as typeof a).type;
      if (a.type.elem !== bt.elem) {
        invalid(
          offset,
          `expected table element type ${valTypeName(bt.elem)}, found ${valTypeName(a.type.elem)}`,
        );
      }
      if (a.type.limits.shared !== bt.limits.shared) {
        invalid(offset, "mismatch in the shared flag for tables");
      }
      if (!limitsMatch(a.type.limits, bt.limits)) invalid(offset, "mismatch in table limits");
      return;
    }
    case "memory":
      return memorySubtype(a.type.limits, (b as typeof a).type.limits, offset);
    case "global": {
      const bg = (b as typeof a).type;
      if (a.type.mutable !== bg.mutable) invalid(offset, "global types differ in mutability");
      if (a.type.type !== bg.type) {
        invalid(
          offset,
          `expected global type ${valTypeName(bg.type)}, found ${valTypeName(a.type.type)}`,
        );
      }
      return;
    }
  }
}

/** Memory type subtyping. */
export function memorySubtype(a: Limits, b: Limits, offset: number): void {
  if (a.shared !== b.shared) invalid(offset, "mismatch in the shared flag for memories");
  if (a.index64 !== b.index64) invalid(offset, "mismatch in index type used for memories");
  if (!limitsMatch(a, b)) invalid(offset, "mismatch in memory limits");
}

/** Core modules: they may import less and must export at least what is expected. */
export function moduleSubtype(a: ModuleType, b: ModuleType, offset: number): void {
  for (const [k, ai] of a.imports) {
    const bi = b.imports.get(k);
    if (bi === undefined) invalid(offset, `missing expected import \`${ai.module}::${ai.name}\``);
    withContext(
      () => `type mismatch in import \`${ai.module}::${ai.name}\``,
      () => coreEntitySubtype(bi.type, ai.type, offset),
    );
  }
  for (const [k, be] of b.exports) {
    const ae = a.exports.get(k);
    if (ae === undefined) invalid(offset, `missing expected export \`${k}\``);
    withContext(() => `type mismatch in export \`${k}\``, () => coreEntitySubtype(ae, be, offset));
  }
}
