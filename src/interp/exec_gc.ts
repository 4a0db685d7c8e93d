/**
 * The GC instructions of the interpreter that are not table ops (the
 * allocations, accesses of two- and four-word values and packed fields,
 * bulk array operations), executed out of line: the dispatch loop's `cold`
 * function hands them to {@link gcExecute}. They stay out of the loop
 * because its bytes are scarce (V8's 60 KB limit) and nothing measured yet
 * says which of them compiled code runs hot. (The common accesses, casts
 * and i31 ops are table ops: `gc_access.ts`.)
 *
 * Values move between register slots (the Int32 view and the reference
 * array, as `ir_defs.ts` lays them out) and the objects `gc_objects.ts`
 * defines; allocation and bulk semantics live in `runtime/gc_arrays.ts`,
 * shared with constant evaluation.
 *
 * @module
 */

import { RuntimeError, Trap } from "../errors.ts";
import type { Machine } from "../runtime/machine.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { canonType } from "../validate/type_store.ts";
import {
  type ArrayStore,
  elementStorage,
  type GcArray,
  type GcStruct,
  Storage,
  structLayout,
} from "../runtime/gc_objects.ts";
import {
  arrayCopy,
  arrayFill,
  arrayInitData,
  arrayInitElem,
  newArray,
  newArrayData,
  newArrayElem,
  newArrayFilled,
} from "../runtime/gc_arrays.ts";
import { IR } from "./ir_defs.ts";

/**
 * How a field or element is read or written (the `k` operand): by the
 * number of register words it takes, or as a reference, or packed with its
 * extension.
 */
export const Access = {
  /** i32 or f32: one word. */
  w1: 0,
  /** i64 or f64: two words. */
  w2: 1,
  /** v128: four words. */
  w4: 2,
  /** A reference. */
  ref: 3,
  i8s: 4,
  i8u: 5,
  i16s: 6,
  i16u: 7,
} as const;

/** The access kind of a field of storage kind `s` (`signed` for `get_s`). */
export function accessOf(s: Storage, signed: boolean): number {
  switch (s) {
    case Storage.i64:
    case Storage.f64:
      return Access.w2;
    case Storage.v128:
      return Access.w4;
    case Storage.ref:
      return Access.ref;
    case Storage.i8:
      return signed ? Access.i8s : Access.i8u;
    case Storage.i16:
      return signed ? Access.i16s : Access.i16u;
    default:
      return Access.w1;
  }
}

const STRUCT_NEW = IR["struct.new"];
const STRUCT_GET = IR["struct.get"], STRUCT_SET = IR["struct.set"];
const ARRAY_NEW = IR["array.new"];
const ARRAY_NEW_FIXED = IR["array.new_fixed"], ARRAY_NEW_DATA = IR["array.new_data"];
const ARRAY_NEW_ELEM = IR["array.new_elem"], ARRAY_GET = IR["array.get"];
const ARRAY_SET = IR["array.set"], ARRAY_FILL = IR["array.fill"];
const ARRAY_COPY = IR["array.copy"], ARRAY_INIT_DATA = IR["array.init_data"];
const ARRAY_INIT_ELEM = IR["array.init_elem"];

function trap(message: string): never {
  throw new RuntimeError(message);
}

function structAt(R: unknown[], i: number): GcStruct {
  const s = R[i];
  if (s === null) trap(Trap.nullStructure);
  return s as GcStruct;
}

function arrayAt(R: unknown[], i: number): GcArray {
  const a = R[i];
  if (a === null) trap(Trap.nullArray);
  return a as GcArray;
}

/** Register slots a field of storage kind `k` takes (v128: two). */
export function slotsOfStorage(k: Storage): number {
  return k === Storage.v128 ? 2 : 1;
}

/**
 * Reads the value in slot `slot` (absolute) as storage kind `k` into
 * `out[at…]`, in word form (packed kinds truncated).
 */
export function readValue(
  I32: Int32Array,
  R: unknown[],
  slot: number,
  k: Storage,
  out: ArrayStore | unknown[],
  at: number,
): void {
  const w = slot << 1;
  switch (k) {
    case Storage.ref:
      out[at] = R[slot];
      return;
    case Storage.i64:
    case Storage.f64:
      out[at] = I32[w];
      out[at + 1] = I32[w + 1];
      return;
    case Storage.v128:
      out[at] = I32[w];
      out[at + 1] = I32[w + 1];
      out[at + 2] = I32[w + 2];
      out[at + 3] = I32[w + 3];
      return;
    case Storage.i8:
      out[at] = I32[w] & 0xff;
      return;
    case Storage.i16:
      out[at] = I32[w] & 0xffff;
      return;
    default:
      out[at] = I32[w];
  }
}

/** Writes the words at `src[at…]` into slot `slot` (absolute), read as access `k`. */
function writeValue(
  I32: Int32Array,
  R: unknown[],
  slot: number,
  k: number,
  src: ArrayLike<unknown>,
  at: number,
): void {
  const w = slot << 1;
  switch (k) {
    case Access.ref:
      R[slot] = src[at];
      return;
    case Access.w2:
      I32[w] = src[at] as number;
      I32[w + 1] = src[at + 1] as number;
      return;
    case Access.w4:
      I32[w] = src[at] as number;
      I32[w + 1] = src[at + 1] as number;
      I32[w + 2] = src[at + 2] as number;
      I32[w + 3] = src[at + 3] as number;
      return;
    case Access.i8s:
      I32[w] = ((src[at] as number) << 24) >> 24;
      I32[w + 1] = 0;
      return;
    case Access.i16s:
      I32[w] = ((src[at] as number) << 16) >> 16;
      I32[w + 1] = 0;
      return;
    default:
      I32[w] = src[at] as number;
      I32[w + 1] = 0;
  }
}

/** Storage kind of an access kind (for writes: packed values are truncated). */
function storageOfAccess(k: number): Storage {
  switch (k) {
    case Access.w2:
      return Storage.i64;
    case Access.w4:
      return Storage.v128;
    case Access.ref:
      return Storage.ref;
    case Access.i8s:
    case Access.i8u:
      return Storage.i8;
    case Access.i16s:
    case Access.i16u:
      return Storage.i16;
    default:
      return Storage.i32;
  }
}

/** Words per array element of access kind `k` in its store. */
function strideOf(k: number): number {
  return k === Access.w2 ? 2 : k === Access.w4 ? 4 : 1;
}

/** The words of slot `slot` as the four word arguments of `gc_arrays.ts`. */
const fillWords: unknown[] = [null, 0, 0, 0];

/**
 * The registers a GC op at `pc` reads beyond its operands: `struct.new` and
 * `array.new_fixed` take their values from a run of slots starting at
 * their `base` operand. Returns [first slot, number of slots], or null.
 * (Compiled code keeps registers in JS locals unless the register file is
 * where an op reads them: see `src/jit/registers.ts`.)
 */
export function slotRun(code: Int32Array, pc: number): [number, number] | null {
  const op = code[pc];
  if (op === STRUCT_NEW) {
    let n = 0;
    for (const k of structLayout(canonType(code[pc + 2])).kinds) n += slotsOfStorage(k as Storage);
    return [code[pc + 3], n];
  }
  if (op === ARRAY_NEW_FIXED) {
    return [code[pc + 3], code[pc + 4] * slotsOfStorage(elementStorage(canonType(code[pc + 2])))];
  }
  return null;
}

/**
 * Executes the GC IR op at `pc` (frame at slot `fd`); returns
 * the next pc. Traps (null references, failed casts, bounds) throw
 * {@link RuntimeError} with the spec's message.
 */
export function gcExecute(
  m: Machine,
  inst: InstanceState,
  code: Int32Array,
  pc: number,
  fd: number,
): number {
  const I32 = m.i32;
  const R = m.refs;
  const op = code[pc];
  switch (op) {
    case STRUCT_GET: {
      const s = structAt(R, fd + code[pc + 2]);
      writeValue(I32, R, fd + code[pc + 1], code[pc + 4], s.v, code[pc + 3]);
      return pc + 5;
    }
    case STRUCT_SET: {
      const s = structAt(R, fd + code[pc + 1]);
      readValue(I32, R, fd + code[pc + 4], storageOfAccess(code[pc + 3]), s.v, code[pc + 2]);
      return pc + 5;
    }
    case ARRAY_NEW: {
      const t = canonType(code[pc + 2]);
      const k = storageOfAccess(accessOf(elementStorage(t), false));
      readValue(I32, R, fd + code[pc + 3], k, fillWords, 0);
      const [w0, w1, w2, w3] = fillWords;
      fillWords[0] = null;
      const n = I32[(fd + code[pc + 4]) << 1];
      R[fd + code[pc + 1]] = newArrayFilled(
        t,
        n,
        w0,
        w1 as number,
        w2 as number,
        w3 as number,
      );
      return pc + 5;
    }
    case ARRAY_NEW_FIXED: {
      const t = canonType(code[pc + 2]);
      const n = code[pc + 4];
      const a = newArray(t, n);
      const k = elementStorage(t);
      const stride = strideOf(accessOf(k, false));
      let slot = fd + code[pc + 3];
      for (let i = 0; i < n; i++) {
        readValue(I32, R, slot, k, a.v, i * stride);
        slot += slotsOfStorage(k);
      }
      R[fd + code[pc + 1]] = a;
      return pc + 5;
    }
    case ARRAY_NEW_DATA: {
      const t = canonType(code[pc + 2]);
      const o = I32[(fd + code[pc + 4]) << 1], n = I32[(fd + code[pc + 5]) << 1];
      R[fd + code[pc + 1]] = newArrayData(t, inst.datas[code[pc + 3]], o, n);
      return pc + 6;
    }
    case ARRAY_NEW_ELEM: {
      const t = canonType(code[pc + 2]);
      const o = I32[(fd + code[pc + 4]) << 1], n = I32[(fd + code[pc + 5]) << 1];
      R[fd + code[pc + 1]] = newArrayElem(t, inst.elems[code[pc + 3]], o, n);
      return pc + 6;
    }
    case ARRAY_GET: {
      const a = arrayAt(R, fd + code[pc + 2]);
      const i = I32[(fd + code[pc + 3]) << 1] >>> 0;
      if (i >= a.length) trap(Trap.arrayOutOfBounds);
      const k = code[pc + 4];
      writeValue(I32, R, fd + code[pc + 1], k, a.v, i * strideOf(k));
      return pc + 5;
    }
    case ARRAY_SET: {
      const a = arrayAt(R, fd + code[pc + 1]);
      const i = I32[(fd + code[pc + 2]) << 1] >>> 0;
      if (i >= a.length) trap(Trap.arrayOutOfBounds);
      const k = code[pc + 4];
      // Byte and halfword stores truncate by themselves.
      const s = k === Access.i8u || k === Access.i16u ? Storage.i32 : storageOfAccess(k);
      readValue(I32, R, fd + code[pc + 3], s, a.v, i * strideOf(k));
      return pc + 5;
    }
    case ARRAY_FILL: {
      const a = arrayAt(R, fd + code[pc + 1]);
      const i = I32[(fd + code[pc + 2]) << 1], n = I32[(fd + code[pc + 4]) << 1];
      readValue(I32, R, fd + code[pc + 3], storageOfAccess(code[pc + 5]), fillWords, 0);
      const [w0, w1, w2, w3] = fillWords;
      fillWords[0] = null;
      arrayFill(a, i, n, w0, w1 as number, w2 as number, w3 as number);
      return pc + 6;
    }
    case ARRAY_COPY: {
      const a = arrayAt(R, fd + code[pc + 1]);
      const b = arrayAt(R, fd + code[pc + 3]);
      const i = I32[(fd + code[pc + 2]) << 1], j = I32[(fd + code[pc + 4]) << 1];
      arrayCopy(a, i, b, j, I32[(fd + code[pc + 5]) << 1]);
      return pc + 6;
    }
    case ARRAY_INIT_DATA: {
      const a = arrayAt(R, fd + code[pc + 1]);
      const i = I32[(fd + code[pc + 2]) << 1], j = I32[(fd + code[pc + 4]) << 1];
      arrayInitData(a, i, inst.datas[code[pc + 3]], j, I32[(fd + code[pc + 5]) << 1]);
      return pc + 6;
    }
    case ARRAY_INIT_ELEM: {
      const a = arrayAt(R, fd + code[pc + 1]);
      const i = I32[(fd + code[pc + 2]) << 1], j = I32[(fd + code[pc + 4]) << 1];
      arrayInitElem(a, i, inst.elems[code[pc + 3]], j, I32[(fd + code[pc + 5]) << 1]);
      return pc + 6;
    }
    default:
      throw new Error(`gannet: IR op ${op} at ${pc} is not a GC op`);
  }
}
