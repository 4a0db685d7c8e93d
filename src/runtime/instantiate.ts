/**
 * Instantiation after the imports are resolved to runtime objects: checks
 * their types (LinkError), allocates the module's own functions, tables,
 * memories and globals, initialises segments (a failing active segment
 * traps, leaving earlier writes in place, as the spec requires) and runs the
 * start function.
 *
 * @module
 */

import type { Features } from "../binary/features.ts";
import type { ImportDesc, Limits, ModuleStruct } from "../binary/types.ts";
import { valTypeName } from "../binary/types.ts";
import { canonVal } from "../validate/validate_types.ts";
import { LinkError, RuntimeError, Trap } from "../errors.ts";
import { evalConst, evalOffset, writeGlobalCell } from "./const_eval.ts";
import { FuncInst } from "./func.ts";
import type { ModuleContext } from "../validate/context.ts";
import { isSubId, isSubVal } from "../validate/type_store.ts";
import { GlobalInst } from "./globals.ts";
import { InstanceState } from "./instance_state.ts";
import { MemInst } from "./memory.ts";
import {
  countInstance,
  DEFAULT_STORE,
  limitedMemory,
  limitedTable,
  type StoreState,
} from "./store.ts";
import { TableInst } from "./table.ts";
import { TagInst } from "./tags.ts";
import { canonType } from "../validate/type_store.ts";

/** A resolved import value. */
export type ExternVal = FuncInst | TableInst | MemInst | GlobalInst | TagInst;

function incompatible(imp: { module: string; name: string }, why: string): never {
  throw new LinkError(`incompatible import type for "${imp.module}"."${imp.name}": ${why}`);
}

/**
 * Whether actual limits (current size `size`, declared maximum `max`) match
 * the imported ones. The declared maximum, not the allocation cap, counts.
 */
function limitsMatch(size: number, max: number | null, want: Limits): boolean {
  if (size < Number(want.min)) return false;
  if (want.max === null) return true;
  return max !== null && max <= Number(want.max);
}

/**
 * Checks one resolved import against its declaration (import `i` of the
 * module whose validated index spaces are `ctx`): types compare as
 * canonical types, with subtyping where the spec allows it (a function or
 * an immutable global may be of a subtype; table elements and mutable
 * globals must match exactly).
 */
export function checkImport(
  ctx: ModuleContext,
  imp: { module: string; name: string; desc: ImportDesc },
  v: ExternVal,
): void {
  const d = imp.desc;
  switch (d.kind) {
    case 0: {
      if (!(v instanceof FuncInst)) incompatible(imp, "expected a function");
      if (!isSubId(v.typeId, ctx.typeIds[d.type])) {
        incompatible(imp, "function signature differs");
      }
      return;
    }
    case 1: {
      if (!(v instanceof TableInst)) incompatible(imp, "expected a table");
      if (v.elemType !== canonOf(ctx, d.type.elem)) {
        incompatible(imp, "table element type differs");
      }
      if (v.index64 !== d.type.limits.index64) incompatible(imp, "table index type differs");
      if (!limitsMatch(v.elems.length, v.declaredMax, d.type.limits)) {
        incompatible(imp, "table limits do not match");
      }
      return;
    }
    case 2: {
      if (!(v instanceof MemInst)) incompatible(imp, "expected a memory");
      const l = d.type.limits;
      if (v.index64 !== l.index64) incompatible(imp, "memory index type differs");
      if (v.shared !== l.shared) incompatible(imp, "memory sharedness differs");
      if (!limitsMatch(v.pages, v.declaredMax, l)) {
        incompatible(imp, "memory limits do not match");
      }
      return;
    }
    case 3: {
      if (!(v instanceof GlobalInst)) incompatible(imp, "expected a global");
      const want = canonOf(ctx, d.type.type);
      const fits = d.type.mutable ? v.type.type === want : isSubVal(v.type.type, want);
      if (!fits || v.type.mutable !== d.type.mutable) {
        const show = (t: { type: number; mutable: boolean }) =>
          `${t.mutable ? "mut " : ""}${valTypeName(t.type)}`;
        incompatible(imp, `global is ${show(v.type)}, expected ${show(d.type)}`);
      }
      return;
    }
    case 4: {
      if (!(v instanceof TagInst)) incompatible(imp, "expected a tag");
      if (v.type.id !== ctx.typeIds[d.type]) incompatible(imp, "tag type differs");
      return;
    }
  }
}

/** Value type `t` of the module with index spaces `ctx`, in canonical form. */
export function canonOf(ctx: ModuleContext, t: number): number {
  return canonVal(t, ctx.typeIds);
}

/**
 * Creates the instance in `store`. `imports` are in import order and
 * already checked with {@link checkImport}. Throws RuntimeError when a
 * segment is out of bounds. The start function (`m.start`) is left to the
 * caller, which runs it on the interpreter.
 */
export function instantiateModule(
  m: ModuleStruct,
  ctx: ModuleContext,
  features: Readonly<Features>,
  imports: readonly ExternVal[],
  store: StoreState = DEFAULT_STORE,
): InstanceState {
  countInstance(store);
  const inst = new InstanceState(m, features, store);
  inst.typeIds = Array.from(ctx.typeIds);
  m.imports.forEach((imp, i) => {
    const v = imports[i];
    switch (imp.desc.kind) {
      case 0:
        inst.funcs.push(v as FuncInst);
        break;
      case 1:
        inst.tables.push(v as TableInst);
        break;
      case 2:
        inst.memories.push(v as MemInst);
        break;
      case 3:
        inst.globals.push(v as GlobalInst);
        break;
      case 4:
        inst.tags.push(v as TagInst);
        break;
    }
  });
  for (const x of m.tags) inst.tags.push(new TagInst(canonType(ctx.typeIds[x])));
  m.funcs.forEach((typeIdx) => {
    // The canonical signature: references in it name canonical type ids, as
    // the JS boundary and casts need.
    const f = new FuncInst(
      ctx.types[typeIdx],
      inst.typeIds[typeIdx],
      inst,
      inst.funcs.length,
      null,
    );
    inst.funcs.push(f);
  });
  for (const t of m.tables) {
    const elem = ctx.tables[inst.tables.length].elem;
    const l = t.limits;
    const init = t.init === undefined ? null : evalConst(t.init, inst).ref;
    const min = Number(l.min), max = l.max === null ? null : Number(l.max);
    inst.tables.push(
      limitedTable(store, min, max, () => new TableInst(elem, min, max, init, l.index64)),
    );
  }
  for (const { limits } of m.memories) {
    const min = Number(limits.min), max = limits.max === null ? null : Number(limits.max);
    inst.memories.push(limitedMemory(store, min, max, () => MemInst.fromLimits(limits)));
  }
  if (inst.memories.length > 0) inst.mem0 = inst.memories[0];
  for (const g of m.globals) {
    const gi = new GlobalInst(ctx.globals[inst.globals.length]);
    writeGlobalCell(gi.cell, g.type.type, evalConst(g.init, inst));
    inst.globals.push(gi);
  }
  inst.elems = m.elems.map((e) =>
    e.funcs !== null
      ? e.funcs.map((f) => inst.funcs[f])
      : e.exprs!.map((x) => evalConst(x, inst).ref)
  );
  inst.datas = m.datas.map((d) => d.bytes);
  m.elems.forEach((e, i) => {
    if (e.mode === "active") {
      const t = inst.tables[e.table];
      const seg = inst.elems[i];
      const d = evalOffset(e.offset!, inst, t.index64);
      if (d + seg.length > t.elems.length) throw new RuntimeError(Trap.tableOutOfBounds);
      for (let k = 0; k < seg.length; k++) t.elems[d + k] = seg[k];
    }
    if (e.mode !== "passive") inst.elems[i] = [];
  });
  m.datas.forEach((seg, i) => {
    if (seg.mode !== "active") return;
    const mem = inst.memories[seg.memory];
    const d = evalOffset(seg.offset!, inst, mem.index64);
    if (d + seg.bytes.length > mem.len) throw new RuntimeError(Trap.memoryOutOfBounds);
    mem.u8.set(seg.bytes, d);
    inst.datas[i] = new Uint8Array(0);
  });
  return inst;
}
