/**
 * Run-time type tests of references (`ref.test`, `ref.cast`, `br_on_cast`,
 * and the checks at the JS boundary and on imports): which heap types a
 * reference value (as `gc_objects.ts` represents it) belongs to. Heap types
 * are canonical (`valtype.ts` over `type_store.ts` ids).
 *
 * @module
 */
import { Heap, heapIndex } from "../binary/valtype.ts";
import { isSubId } from "../validate/type_store.ts";
import { FuncInst } from "./func.ts";
import { GcArray, GcStruct } from "./gc_objects.ts";
import { WasmException } from "./tags.ts";

/**
 * Whether non-null reference `v` is of heap type `heap`. The validator has
 * already put `v` in `heap`'s hierarchy (any, func, exn or extern).
 */
export function isOfHeap(v: unknown, heap: number): boolean {
  const x = heapIndex(heap);
  if (x >= 0) {
    if (v instanceof GcStruct || v instanceof GcArray) return isSubId(v.t.id, x);
    if (v instanceof FuncInst) return isSubId(v.typeId, x);
    return false;
  }
  switch (heap) {
    case Heap.any:
    case Heap.extern:
    case Heap.func:
    case Heap.exn:
      return true;
    case Heap.eq:
      return typeof v === "number" || v instanceof GcStruct || v instanceof GcArray;
    case Heap.i31:
      return typeof v === "number";
    case Heap.struct:
      return v instanceof GcStruct;
    case Heap.array:
      return v instanceof GcArray;
    default: // none, nofunc, noexn, noextern hold null only
      return false;
  }
}

/** Whether reference `v` is of reference type `(ref null? heap)`. */
export function isOfRefType(v: unknown, heap: number, nullable: boolean): boolean {
  return v === null ? nullable : isOfHeap(v, heap);
}

/** Whether `v` belongs to the `any` hierarchy's GC part (i31, struct or array): an `eqref`. */
export function isEq(v: unknown): boolean {
  return typeof v === "number" || v instanceof GcStruct || v instanceof GcArray;
}

/** Whether `v` is an exception reference. */
export function isExn(v: unknown): v is WasmException {
  return v instanceof WasmException;
}
