/**
 * The interpreter's atomics executor: runs the register IR's `atomic`
 * instruction (the `0xfe` threads instructions, translated like SIMD ones by
 * `simdOp` in `src/interp/translate_mem.ts`). Layout in the code array:
 *
 * `atomic opIndex count w…`: the result's word (if the op has one), the
 * operands' words in signature order (an i64 operand names its low word, the
 * high half follows it),
 * then the memarg: memory index, offset low, offset high.
 *
 * Every access goes through `Atomics.*` on views of the memory's buffer: on a
 * `SharedArrayBuffer` they are the sequentially consistent accesses the
 * threads proposal requires; on a plain `ArrayBuffer` they give the same
 * results single-threaded (and `Atomics.notify` returns 0 there, as wasm's
 * `memory.atomic.notify` must on an unshared memory).
 *
 * @module
 */
import { OPCODES } from "../binary/opcodes.ts";
import { RuntimeError, Trap } from "../errors.ts";
import { effectiveAddress } from "../interp/address.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import type { Machine } from "../runtime/machine.ts";
import type { MemInst } from "../runtime/memory.ts";
import { type AtomicViews, atomicViews } from "./views.ts";
import { STOP, stopCell, WAITING } from "./wait_hook.ts";

const TWO32 = 4294967296;

// What each threads row does (by OpInfo.index).
const LOAD = 1, STORE = 2, ADD = 3, SUB = 4, AND = 5, OR = 6, XOR = 7, XCHG = 8, CMPXCHG = 9;
const WAIT32 = 10, WAIT64 = 11, NOTIFY = 12;
const RMW: Record<string, number> = {
  add: ADD,
  sub: SUB,
  and: AND,
  or: OR,
  xor: XOR,
  xchg: XCHG,
  cmpxchg: CMPXCHG,
};
const kind = new Uint8Array(OPCODES.length);
/** Access width in bytes. */
const width = new Uint8Array(OPCODES.length);
/** Whether the value operands/result are i64 (two words). */
const wide = new Uint8Array(OPCODES.length);

for (const op of OPCODES) {
  if (op.feature !== "threads" || op.align < 0) continue;
  width[op.index] = 1 << op.align;
  const sig = op.sig!;
  wide[op.index] = sig.includes("l") && op.name !== "memory.atomic.wait32" ? 1 : 0;
  if (op.name === "memory.atomic.notify") kind[op.index] = NOTIFY;
  else if (op.name === "memory.atomic.wait32") kind[op.index] = WAIT32;
  else if (op.name === "memory.atomic.wait64") kind[op.index] = WAIT64;
  else if (/\.atomic\.load/.test(op.name)) kind[op.index] = LOAD;
  else if (/\.atomic\.store/.test(op.name)) kind[op.index] = STORE;
  else kind[op.index] = RMW[/\.(\w+?)(_u)?$/.exec(op.name)![1]];
}

/** Traps unless `[ea, ea + n)` is inside `mem` and `ea` is a multiple of `n`. */
function check(mem: MemInst, ea: number, n: number): void {
  // Alignment first, as the reference interpreter does; an address beyond
  // 2^53 (not exact) can only be out of bounds.
  if (ea < TWO32 * TWO32 && ea % n !== 0) throw new RuntimeError(Trap.unalignedAtomic);
  if (!mem.covers(ea + n)) throw new RuntimeError(Trap.memoryOutOfBounds);
}

/** The i64 at words `w`, `w + 1` as a BigInt. */
function big(I32: Int32Array, w: number): bigint {
  return (BigInt(I32[w + 1]) << 32n) | BigInt(I32[w] >>> 0);
}

/** Writes a BigInt as the two words at `w`. */
function putBig(I32: Int32Array, w: number, v: bigint): void {
  I32[w] = Number(BigInt.asIntN(32, v));
  I32[w + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

/** The view an access of `n` bytes uses (unsigned, as the `_u` forms require). */
function narrowView(v: AtomicViews, n: number): Uint8Array | Uint16Array | Uint32Array {
  return n === 1 ? v.u8 : n === 2 ? v.u16 : v.u32;
}

/** A wait timeout in nanoseconds (negative: forever) as `Atomics.wait` milliseconds. */
function timeoutMs(I32: Int32Array, w: number): number {
  const ns = big(I32, w);
  return ns < 0n ? Infinity : Number(ns) / 1e6;
}

const WAIT_RESULT: Record<string, number> = { "ok": 0, "not-equal": 1, "timed-out": 2 };

/**
 * Executes the `atomic` instruction at `pc` and returns the next pc. Traps
 * (out of bounds, unaligned, wait on an unshared memory) throw a
 * `RuntimeError`. Install it with the interpreter's `setAtomicExecutor`.
 */
export function atomicExecute(
  m: Machine,
  inst: InstanceState,
  fp: number,
  code: Int32Array,
  pc: number,
): number {
  const index = code[pc + 1], count = code[pc + 2], w = pc + 3, end = w + count;
  const k = kind[index];
  if (k === 0) {
    throw new RuntimeError(`instruction ${OPCODES[index]?.name} is not an atomic instruction`);
  }
  const I32 = m.i32;
  const mem = inst.memories[code[end - 3]];
  const n = width[index];
  // STORE has no result: its address is the first word.
  const at = k === STORE ? w : w + 1;
  const ea = effectiveAddress(I32, fp + code[at], mem.index64, code[end - 2], code[end - 1]);
  check(mem, ea, n);
  const v = atomicViews(mem.buf);
  const d = fp + code[w];
  const a = at + 1; // first value operand
  if (k === NOTIFY) {
    I32[d] = Atomics.notify(v.i32, ea / 4, I32[fp + code[a]] >>> 0);
    return end;
  }
  if (k === WAIT32 || k === WAIT64) {
    if (!mem.shared) throw new RuntimeError(Trap.expectedSharedMemory);
    I32[d] = WAIT_RESULT[wait(k, v, ea, I32, fp + code[a], fp + code[a + 1])];
    return end;
  }
  if (n === 8) {
    const i = ea / 8, arr = v.i64;
    let r: bigint;
    switch (k) {
      case LOAD:
        putBig(I32, d, Atomics.load(arr, i));
        return end;
      case STORE:
        Atomics.store(arr, i, big(I32, fp + code[a]));
        return end;
      case CMPXCHG:
        r = Atomics.compareExchange(arr, i, big(I32, fp + code[a]), big(I32, fp + code[a + 1]));
        break;
      default:
        r = rmw64(k, arr, i, big(I32, fp + code[a]));
    }
    putBig(I32, d, r);
    return end;
  }
  const arr = narrowView(v, n), i = ea / n;
  let r: number;
  switch (k) {
    case LOAD:
      r = Atomics.load(arr, i);
      break;
    case STORE:
      Atomics.store(arr, i, I32[fp + code[a]]);
      return end;
    case CMPXCHG: {
      // A narrow cmpxchg compares the expected value wrapped to the width,
      // which is what the typed array's conversion does.
      r = Atomics.compareExchange(arr, i, I32[fp + code[a]], I32[fp + code[a + 1]]);
      break;
    }
    default:
      r = rmw32(k, arr, i, I32[fp + code[a]]);
  }
  I32[d] = r | 0;
  if (wide[index]) I32[d + 1] = 0;
  return end;
}

/**
 * `Atomics.wait` for wait32/64 at `ea`: the expected value at word `x`, the
 * timeout at word `t`. With a stop cell installed (a thread runtime's
 * Worker), it records the address so the thread can be woken to stop, and
 * traps ("interrupt") when a stop is requested. A host that forbids
 * blocking on this thread (a browser's main thread) makes it trap too.
 */
function wait(
  k: number,
  v: AtomicViews,
  ea: number,
  I32: Int32Array,
  x: number,
  t: number,
): "ok" | "not-equal" | "timed-out" {
  const c = stopCell();
  if (c !== null) Atomics.store(c, WAITING, ea / 4 + 1);
  let r: "ok" | "not-equal" | "timed-out";
  try {
    if (c !== null && Atomics.load(c, STOP) !== 0) throw new RuntimeError(Trap.interrupted);
    r = k === WAIT32
      ? Atomics.wait(v.i32, ea / 4, I32[x], timeoutMs(I32, t))
      : Atomics.wait(v.i64, ea / 8, big(I32, x), timeoutMs(I32, t));
  } catch (e) {
    if (e instanceof TypeError) throw new RuntimeError(Trap.waitForbidden);
    throw e;
  } finally {
    if (c !== null) Atomics.store(c, WAITING, 0);
  }
  if (c !== null && Atomics.load(c, STOP) !== 0) throw new RuntimeError(Trap.interrupted);
  return r;
}

function rmw64(k: number, arr: BigInt64Array, i: number, x: bigint): bigint {
  switch (k) {
    case ADD:
      return Atomics.add(arr, i, x);
    case SUB:
      return Atomics.sub(arr, i, x);
    case AND:
      return Atomics.and(arr, i, x);
    case OR:
      return Atomics.or(arr, i, x);
    case XOR:
      return Atomics.xor(arr, i, x);
    default:
      return Atomics.exchange(arr, i, x);
  }
}

function rmw32(
  k: number,
  arr: Uint8Array | Uint16Array | Uint32Array,
  i: number,
  x: number,
): number {
  switch (k) {
    case ADD:
      return Atomics.add(arr, i, x);
    case SUB:
      return Atomics.sub(arr, i, x);
    case AND:
      return Atomics.and(arr, i, x);
    case OR:
      return Atomics.or(arr, i, x);
    case XOR:
      return Atomics.xor(arr, i, x);
    default:
      return Atomics.exchange(arr, i, x);
  }
}
