/**
 * Validation of the GC instructions (prefix 0xfb): structs, arrays, `i31`,
 * casts and the extern/any conversions, with the reference interpreter's
 * messages.
 *
 * @module
 */
import type { OpInfo } from "../binary/opcodes.ts";
import type { FieldType } from "../binary/types.ts";
import {
  Heap,
  heapOf,
  I16,
  I8,
  isDefaultable,
  isNullable,
  isNumOrVec,
  NON_NULL,
  refType,
  unpacked,
} from "../binary/valtype.ts";
import type { ImmediateChecks } from "./_immediates.ts";
import { isSubVal, topOf } from "./type_store.ts";

const I32 = 0x7f;
const ARRAYREF = Heap.array, I31REF = Heap.i31;

function isPacked(t: number): boolean {
  return t === I8 || t === I16;
}

/** Checks GC instruction `op` (its opcode already read) on validator `v`. */
export function validateGc(v: ImmediateChecks, op: OpInfo): void {
  const r = v.r;
  switch (op.code) {
    case 0: { // struct.new
      const x = r.u32();
      const fields = v.structType(x);
      for (let i = fields.length - 1; i >= 0; i--) v.popT(unpacked(fields[i].type));
      v.push(v.refTo(x, false));
      return;
    }
    case 1: { // struct.new_default
      const x = r.u32();
      for (const f of v.structType(x)) {
        if (!isDefaultable(f.type)) v.fail("field type is not defaultable");
      }
      v.push(v.refTo(x, false));
      return;
    }
    case 2: // struct.get
    case 3: // struct.get_s
    case 4: { // struct.get_u
      const x = r.u32();
      const f = field(v, v.structType(x), r.u32());
      if (isPacked(f.type) !== (op.code !== 2)) {
        v.fail(op.code === 2 ? "field is packed" : "field is unpacked");
      }
      v.popT(v.refTo(x, true));
      v.push(unpacked(f.type));
      return;
    }
    case 5: { // struct.set
      const x = r.u32();
      const f = field(v, v.structType(x), r.u32());
      if (!f.mutable) v.fail("immutable field");
      v.popT(unpacked(f.type));
      v.popT(v.refTo(x, true));
      return;
    }
    case 6: { // array.new
      const x = r.u32();
      const f = v.arrayType(x);
      v.popT(I32);
      v.popT(unpacked(f.type));
      v.push(v.refTo(x, false));
      return;
    }
    case 7: { // array.new_default
      const x = r.u32();
      if (!isDefaultable(v.arrayType(x).type)) v.fail("array type is not defaultable");
      v.popT(I32);
      v.push(v.refTo(x, false));
      return;
    }
    case 8: { // array.new_fixed
      const x = r.u32();
      const t = unpacked(v.arrayType(x).type);
      const n = r.u32();
      for (let i = 0; i < n; i++) v.popT(t);
      v.push(v.refTo(x, false));
      return;
    }
    case 9: { // array.new_data
      const x = r.u32();
      const f = v.arrayType(x);
      v.dataIndex(r.u32());
      if (!isNumOrVec(unpacked(f.type))) v.fail("array type is not numeric or vector");
      v.popT(I32);
      v.popT(I32);
      v.push(v.refTo(x, false));
      return;
    }
    case 10: { // array.new_elem
      const x = r.u32();
      const f = v.arrayType(x);
      elemFits(v, v.elemType(r.u32()), f);
      v.popT(I32);
      v.popT(I32);
      v.push(v.refTo(x, false));
      return;
    }
    case 11: // array.get
    case 12: // array.get_s
    case 13: { // array.get_u
      const x = r.u32();
      const f = v.arrayType(x);
      if (isPacked(f.type) !== (op.code !== 11)) {
        v.fail(op.code === 11 ? "array is packed" : "array is unpacked");
      }
      v.popT(I32);
      v.popT(v.refTo(x, true));
      v.push(unpacked(f.type));
      return;
    }
    case 14: { // array.set
      const x = r.u32();
      const f = mutableArray(v, x);
      v.popT(unpacked(f.type));
      v.popT(I32);
      v.popT(v.refTo(x, true));
      return;
    }
    case 15: // array.len
      v.popT(ARRAYREF);
      v.push(I32);
      return;
    case 16: { // array.fill
      const x = r.u32();
      const f = mutableArray(v, x);
      v.popT(I32);
      v.popT(unpacked(f.type));
      v.popT(I32);
      v.popT(v.refTo(x, true));
      return;
    }
    case 17: { // array.copy
      const x = r.u32();
      const y = r.u32();
      const dst = mutableArray(v, x);
      const src = v.arrayType(y);
      const fits = isPacked(src.type) || isPacked(dst.type)
        ? src.type === dst.type
        : isSubVal(src.type, dst.type);
      if (!fits) v.fail("array types do not match");
      v.popT(I32);
      v.popT(I32);
      v.popT(v.refTo(y, true));
      v.popT(I32);
      v.popT(v.refTo(x, true));
      return;
    }
    case 18: { // array.init_data
      const x = r.u32();
      const f = mutableArray(v, x);
      v.dataIndex(r.u32());
      if (!isNumOrVec(unpacked(f.type))) v.fail("array type is not numeric or vector");
      v.popT(I32);
      v.popT(I32);
      v.popT(I32);
      v.popT(v.refTo(x, true));
      return;
    }
    case 19: { // array.init_elem
      const x = r.u32();
      const f = mutableArray(v, x);
      elemFits(v, v.elemType(r.u32()), f);
      v.popT(I32);
      v.popT(I32);
      v.popT(I32);
      v.popT(v.refTo(x, true));
      return;
    }
    case 20: // ref.test
    case 21: { // ref.test null
      const ht = v.readHeap();
      v.popT(topOf(ht));
      v.push(I32);
      return;
    }
    case 22: // ref.cast
    case 23: { // ref.cast null
      const ht = v.readHeap();
      v.popT(topOf(ht));
      v.push(refType(ht, op.code === 23));
      return;
    }
    case 24: // br_on_cast
    case 25: // br_on_cast_fail
      brOnCast(v, op.code === 25);
      return;
    case 26: // any.convert_extern
    case 27: { // extern.convert_any
      const from = op.code === 26 ? Heap.extern : Heap.any;
      const to = op.code === 26 ? Heap.any : Heap.extern;
      const t = v.popRef();
      const nullable = isNullable(t);
      if (!isSubVal(t, refType(from, true))) v.mismatch(refType(from, nullable), t);
      v.push(refType(to, nullable));
      return;
    }
    case 28: // ref.i31
      v.popT(I32);
      v.push(I31REF | NON_NULL);
      return;
    case 29: // i31.get_s
    case 30: // i31.get_u
      v.popT(I31REF);
      v.push(I32);
      return;
  }
}

function field(v: ImmediateChecks, fields: readonly FieldType[], i: number): FieldType {
  const f = fields[i];
  if (f === undefined) v.fail(`unknown field ${i}`);
  return f;
}

function mutableArray(v: ImmediateChecks, x: number): FieldType {
  const f = v.arrayType(x);
  if (!f.mutable) v.fail("immutable array");
  return f;
}

function elemFits(v: ImmediateChecks, elem: number, f: FieldType): void {
  if (!isSubVal(elem, unpacked(f.type))) {
    v.fail(
      `type mismatch: element segment's type ${v.name(elem)} does not match array's field type ${
        v.name(f.type)
      }`,
    );
  }
}

/** `br_on_cast` / `br_on_cast_fail`: flags, label, source and target types. */
function brOnCast(v: ImmediateChecks, onFail: boolean): void {
  const r = v.r;
  const flags = r.u8();
  const l = r.u32();
  const rt1 = refType(v.readHeap(), (flags & 1) !== 0);
  const rt2 = refType(v.readHeap(), (flags & 2) !== 0);
  if (!isSubVal(rt2, rt1)) {
    v.fail(`type mismatch on cast: type ${v.name(rt2)} does not match ${v.name(rt1)}`);
  }
  // What reaches the label, and what stays on the stack.
  const diff = isNullable(rt2) ? heapOf(rt1) | NON_NULL : rt1;
  const branch = onFail ? diff : rt2;
  const stay = onFail ? rt2 : diff;
  const ts = v.labelTypes(l);
  const last = ts[ts.length - 1];
  if (last === undefined || !isSubVal(branch, last)) {
    v.fail(
      `type mismatch: instruction requires type ${v.name(branch)} but label has ${v.names(ts)}`,
    );
  }
  v.popT(rt1);
  for (let i = ts.length - 2; i >= 0; i--) v.popT(ts[i]);
  for (let i = 0; i < ts.length - 1; i++) v.push(ts[i]);
  v.push(stay);
}
