/**
 * Translation of the GC instructions (`struct.*`, `array.*`, `i31`, casts,
 * `ref.eq`, the extern/any conversions) to the cold GC IR ops that
 * `exec_gc.ts` executes. Type immediates become canonical ids (a cast
 * tests against the canonical type, so equal types of two modules are one);
 * a struct field becomes its word offset and access kind.
 *
 * @module
 */

import type { OpInfo } from "../binary/opcodes.ts";
import { CompileError } from "../errors.ts";
import { concreteHeap, heapIndex, I32, NON_NULL, unpacked } from "../binary/valtype.ts";
import { elementStorage, storageOf, structLayout } from "../runtime/gc_objects.ts";
import { canonType } from "../validate/type_store.ts";
import { Access, accessOf } from "./exec_gc.ts";
import { IR, IR_DEFS } from "./ir_defs.ts";
import { CONST, scaleOf, type Translator } from "./translator.ts";
import { emitBrIf } from "./translate_numeric.ts";

/**
 * The slots of the top `k` stack entries (constants materialized first,
 * locals read in place), popped.
 */
function take(t: Translator, k: number): number[] {
  const slots: number[] = [];
  for (let h = t.sp - k; h < t.sp; h++) {
    if (t.vk[h] === CONST) t.materialize(h);
    slots.push(t.srcSlot(h));
  }
  t.popTo(t.sp - k);
  return slots;
}

/**
 * The first slot of the top `k` entries, all put in their canonical
 * (consecutive) slots, popped: where `struct.new` and `array.new_fixed`
 * read their operands.
 */
function takeRun(t: Translator, k: number): number {
  for (let h = t.sp - k; h < t.sp; h++) t.materialize(h);
  const base = t.slotAt(t.sp - k);
  t.popTo(t.sp - k);
  return base;
}

/**
 * Pushes a result of `type` and emits `op` writing it (its first operand,
 * a slot index, or a word index for the `d:i`/`d:l` table-body ops).
 */
function result(t: Translator, type: number, op: number, ...operands: number[]): void {
  t.push(type);
  const scale = scaleOf(IR_DEFS[op].operands[0].kind);
  t.produced(t.emit(op, t.vs[t.sp - 1] * scale, ...operands), scale);
}

/** A heap type immediate, read, in canonical form. */
function canonHeap(t: Translator): number {
  const h = t.heapType();
  const x = heapIndex(h);
  return x < 0 ? h : concreteHeap(t.inst.typeIds[x]);
}

/** The (module-level) reference type of a type index, non-null: a result's stack type. */
function refOf(x: number): number {
  return concreteHeap(x) | NON_NULL;
}

/**
 * The table-body forms of `struct.get`/`struct.set`/`array.get` by access
 * kind (one-word values and references); the general ops do the rest.
 */
const STRUCT_GET: Record<number, number> = {
  [Access.w2]: IR["struct.get64"],
  [Access.w1]: IR["struct.get32"],
  [Access.i8u]: IR["struct.get32"],
  [Access.i16u]: IR["struct.get32"],
  [Access.i8s]: IR["struct.get8s"],
  [Access.i16s]: IR["struct.get16s"],
  [Access.ref]: IR["struct.getref"],
};
const STRUCT_SET: Record<number, number> = {
  [Access.w2]: IR["struct.set64"],
  [Access.w1]: IR["struct.set32"],
  [Access.i8u]: IR["struct.set8"],
  [Access.i16u]: IR["struct.set16"],
  [Access.ref]: IR["struct.setref"],
};
const ARRAY_GET: Record<number, number> = {
  [Access.w2]: IR["array.get64"],
  [Access.w1]: IR["array.get32"],
  [Access.i8u]: IR["array.get32"],
  [Access.i16u]: IR["array.get32"],
  [Access.i8s]: IR["array.get8s"],
  [Access.i16s]: IR["array.get16s"],
  [Access.ref]: IR["array.getref"],
};

/** Translates one GC instruction (`op.feature === "gc"`). */
export function gcOp(t: Translator, op: OpInfo): void {
  const types = t.inst.module.types;
  const ids = t.inst.typeIds;
  switch (op.name) {
    case "struct.new": {
      const x = t.u32();
      const base = takeRun(t, types[x].fields.length);
      result(t, refOf(x), IR["struct.new"], ids[x], base);
      return;
    }
    case "struct.new_default": {
      const x = t.u32();
      result(t, refOf(x), IR["struct.new_default"], ids[x]);
      return;
    }
    case "struct.get":
    case "struct.get_s":
    case "struct.get_u": {
      const x = t.u32(), f = t.u32();
      const field = types[x].fields[f].type;
      const o = structLayout(canonType(ids[x])).offsets[f];
      const k = accessOf(storageOf(field), op.name === "struct.get_s");
      const [a] = take(t, 1);
      const fast = STRUCT_GET[k];
      if (fast !== undefined) result(t, unpacked(field), fast, a, o);
      else result(t, unpacked(field), IR["struct.get"], a, o, k);
      return;
    }
    case "struct.set": {
      const x = t.u32(), f = t.u32();
      const o = structLayout(canonType(ids[x])).offsets[f];
      const k = accessOf(storageOf(types[x].fields[f].type), false);
      const [a, b] = take(t, 2);
      const fast = STRUCT_SET[k];
      if (fast !== undefined) t.emit(fast, a, o, k === Access.ref ? b : b * 2);
      else t.emit(IR["struct.set"], a, o, k, b);
      return;
    }
    case "array.new": {
      const x = t.u32();
      const [v, n] = take(t, 2);
      const k = accessOf(elementStorage(canonType(ids[x])), false);
      if (k === Access.ref) result(t, refOf(x), IR["array.newref"], ids[x], v, n * 2);
      else if (k === Access.w2 || k === Access.w4) {
        result(t, refOf(x), IR["array.new"], ids[x], v, n);
      } else result(t, refOf(x), IR["array.new32"], ids[x], v * 2, n * 2);
      return;
    }
    case "array.new_default": {
      const x = t.u32();
      const [n] = take(t, 1);
      result(t, refOf(x), IR["array.new_default"], ids[x], n * 2);
      return;
    }
    case "array.new_fixed": {
      const x = t.u32(), n = t.u32();
      const base = takeRun(t, n);
      result(t, refOf(x), IR["array.new_fixed"], ids[x], base, n);
      return;
    }
    case "array.new_data":
    case "array.new_elem": {
      const x = t.u32(), seg = t.u32();
      const [o, n] = take(t, 2);
      result(t, refOf(x), IR[op.name], ids[x], seg, o, n);
      return;
    }
    case "array.get":
    case "array.get_s":
    case "array.get_u": {
      const x = t.u32();
      const elem = types[x].fields[0].type;
      const k = accessOf(elementStorage(canonType(ids[x])), op.name === "array.get_s");
      const [a, i] = take(t, 2);
      const fast = ARRAY_GET[k];
      if (fast !== undefined) result(t, unpacked(elem), fast, a, i * 2);
      else result(t, unpacked(elem), IR["array.get"], a, i, k);
      return;
    }
    case "array.set": {
      const x = t.u32();
      const k = accessOf(elementStorage(canonType(ids[x])), false);
      const [a, i, v] = take(t, 3);
      if (k === Access.ref) t.emit(IR["array.setref"], a, i * 2, v);
      else if (k === Access.w2) t.emit(IR["array.set64"], a, i * 2, v * 2);
      else if (k !== Access.w4) t.emit(IR["array.set32"], a, i * 2, v * 2);
      else t.emit(IR["array.set"], a, i, v, k);
      return;
    }
    case "array.len": {
      const [a] = take(t, 1);
      result(t, I32, IR["array.len"], a);
      return;
    }
    case "array.fill": {
      const x = t.u32();
      const k = accessOf(elementStorage(canonType(ids[x])), false);
      const [a, i, v, n] = take(t, 4);
      t.emit(IR["array.fill"], a, i, v, n, k);
      return;
    }
    case "array.copy": {
      t.u32();
      t.u32();
      const [a, i, b, j, n] = take(t, 5);
      t.emit(IR["array.copy"], a, i, b, j, n);
      return;
    }
    case "array.init_data":
    case "array.init_elem": {
      t.u32();
      const seg = t.u32();
      const [a, i, j, n] = take(t, 4);
      t.emit(IR[op.name], a, i, seg, j, n);
      return;
    }
    case "ref.test":
    case "ref.test_null": {
      const h = canonHeap(t);
      const [a] = take(t, 1);
      result(t, I32, IR["ref.test"], a, h, op.name === "ref.test_null" ? 1 : 0);
      return;
    }
    case "ref.cast":
    case "ref.cast_null": {
      const h = canonHeap(t);
      const nullable = op.name === "ref.cast_null";
      const [a] = take(t, 1);
      result(t, h | (nullable ? 0 : NON_NULL), IR["ref.cast"], a, h, nullable ? 1 : 0);
      return;
    }
    case "br_on_cast":
    case "br_on_cast_fail": {
      // A test into a temporary above the reference, then `br_if` on it:
      // the reference stays where it is, as the branch's last value.
      const flags = t.byte();
      const depth = t.u32();
      t.heapType();
      const h = canonHeap(t);
      const nullable = (flags & 2) !== 0;
      const fail = op.name === "br_on_cast_fail";
      const a = t.srcSlot(t.sp - 1);
      result(t, I32, IR["ref.test"], a, h, (nullable ? 1 : 0) | (fail ? 2 : 0));
      emitBrIf(t, depth);
      return;
    }
    case "any.convert_extern":
    case "extern.convert_any":
      // The same value in both hierarchies (gc_objects.ts): no code, only
      // the stack type changes.
      t.vt[t.sp - 1] = op.name === "any.convert_extern" ? 0x6e : 0x6f;
      return;
    case "ref.eq": {
      const [a, b] = take(t, 2);
      result(t, I32, IR["ref.eq"], a, b);
      return;
    }
    case "ref.i31": {
      const [a] = take(t, 1);
      result(t, 0x6c | NON_NULL, IR["ref.i31"], a * 2);
      return;
    }
    case "i31.get_s":
    case "i31.get_u": {
      const [a] = take(t, 1);
      result(t, I32, IR[op.name], a);
      return;
    }
  }
  throw new CompileError(`instruction ${op.name} is not supported by the interpreter`);
}
