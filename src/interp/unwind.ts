/**
 * Exception handling at run time: creating exceptions (`throw`), and
 * finding the handler of a thrown one on the machine's frame stack.
 *
 * Nothing here runs unless something is thrown. `throw` and `throw_ref`
 * leave the dispatch loop with exit `THREW` (`slice.ts`), the exception in
 * `m.thrown`; a host function's exception comes out of its call in the
 * driver. The driver
 * (`execute.ts`) then calls {@link catchException}, which walks the frames
 * of the running activation from the innermost, looks each function's
 * try blocks up by pc (`FuncInst.handlers`, built by `translate_eh.ts`),
 * and on a match drops the frames above the handler's, writes the payload
 * where the handler's label expects it, and continues the activation at
 * the handler. When no frame of the activation handles it, it propagates
 * to the activation's caller (a host function, or the embedder).
 *
 * An exception's payload is in register-word form: an i32 or f32 is one
 * int32 word, an i64 or f64 two (low first), a v128 four, a reference the
 * reference itself.
 *
 * @module
 */
import { RuntimeError, SuspendError, Trap } from "../errors.ts";
import type { FuncInst, Handlers, Registers } from "../runtime/func.ts";
import type { Machine } from "../runtime/machine.ts";
import type { TagInst } from "../runtime/tags.ts";
import { exceptionFromHost, WasmException } from "../runtime/tags.ts";

/** Clause flag: the clause names a tag (`catch`, `catch_ref`, legacy `catch`), else it catches all. */
export const CATCH_TAG = 1;
/** Clause flag: the handler also gets the exception reference (after the payload). */
export const CATCH_REF = 2;
/** Clause flag: legacy `catch`/`catch_all`: the exception reference comes first (for `rethrow`), then the payload. */
export const CATCH_LEGACY = 4;

/** Words per try block in {@link Handlers.blocks}. */
export const BLOCK_WORDS = 6;
/** Words per clause in {@link Handlers.clauses}. */
export const CLAUSE_WORDS = 4;

const V128 = 0x7b, I64 = 0x7e, F64 = 0x7c, I32 = 0x7f, F32 = 0x7d;

/** Reads a payload of `types` from the frame at `fd`, from slot `slot` on. */
export function readPayload(
  m: Registers,
  fd: number,
  slot: number,
  types: readonly number[],
): unknown[] {
  const out: unknown[] = [];
  const W = m.i32, R = m.refs;
  let s = fd + slot;
  for (const t of types) {
    const w = s << 1;
    if (t === I32 || t === F32) out.push(W[w]);
    else if (t === I64 || t === F64) out.push(W[w], W[w + 1]);
    else if (t === V128) {
      out.push(W[w], W[w + 1], W[w + 2], W[w + 3]);
      s++;
    } else out.push(R[s]);
    s++;
  }
  return out;
}

/** Writes `payload` (of `types`) to the frame at `fd` from slot `slot` on; returns the slot after it. */
export function writePayload(
  m: Registers,
  fd: number,
  slot: number,
  types: readonly number[],
  payload: readonly unknown[],
): number {
  const W = m.i32, R = m.refs;
  let s = fd + slot, k = 0;
  for (const t of types) {
    const w = s << 1;
    if (t === I32 || t === F32) W[w] = payload[k++] as number;
    else if (t === I64 || t === F64) {
      W[w] = payload[k++] as number;
      W[w + 1] = payload[k++] as number;
    } else if (t === V128) {
      for (let i = 0; i < 4; i++) W[w + i] = payload[k++] as number;
      s++;
    } else R[s] = payload[k++];
    s++;
  }
  return s - fd;
}

/**
 * `throw` at `pc`: puts the exception of `tag` with the payload at slot
 * `base` of the frame at `fd` in `m.thrown` and returns `-1 - pc`, which
 * makes the dispatch loop leave with exit `THREW`.
 */
export function throwTag(m: Machine, tag: TagInst, fd: number, base: number, pc: number): number {
  m.thrown = new WasmException(tag, readPayload(m, fd, base, tag.type.params));
  return -1 - pc;
}

/** `throw_ref` of exception reference `x` at `pc` (traps on null): as {@link throwTag}. */
export function throwRef(m: Machine, x: unknown, pc: number): number {
  if (x === null) throw new RuntimeError(Trap.nullException);
  m.thrown = x;
  return -1 - pc;
}

/**
 * Whether a JS exception out of a host function is one wasm may catch: not
 * a trap (a `RuntimeError`, e.g. from a nested call into wasm, or a stop:
 * fuel, interrupt, deadline), not a JSPI misuse, not a stack overflow.
 * (A `RuntimeError` that JS code creates and throws is not catchable
 * either: Gannet does not tell it from a trap.)
 */
export function catchableHostError(e: unknown): boolean {
  return !(e instanceof RuntimeError || e instanceof SuspendError ||
    (e instanceof RangeError && e.message.includes("call stack")));
}

/**
 * After a host call made by `m.fn` (`m.pc` past the call; for a tail call
 * `tail`, the frame that made it is gone) threw `e`: finds a handler in the
 * running activation. Returns false when none catches it (or it is not
 * catchable), leaving the machine as it was.
 */
export function catchHostThrow(m: Machine, e: unknown, tail: boolean): boolean {
  if (!catchableHostError(e)) return false;
  const exn = e instanceof WasmException ? e : exceptionFromHost(e);
  if (!tail) return catchException(m, exn, m.pc - 1);
  if (m.depth === m.baseDepth) return false;
  const depth = m.depth - 1, at = depth * 3, fi = m.fstack[at + 2];
  const caller = fi >= 0 ? m.fn!.inst!.funcs[fi] : m.fframes[depth]!;
  return search(m, exn, caller, m.fstack[at + 1], depth, m.fstack[at] - 1);
}

/**
 * Finds the handler of `exn`, thrown in the running activation by `m.fn`
 * (frame `m.fd`, depth `m.depth`) at code position `key` (the throwing
 * instruction's). On a match the activation continues at the handler (the
 * registers are set, frames above it dropped, the payload written) and it
 * returns true; else the machine is unchanged and it returns false.
 */
export function catchException(m: Machine, exn: WasmException, key: number): boolean {
  return search(m, exn, m.fn!, m.fd, m.depth, key);
}

function search(
  m: Machine,
  exn: WasmException,
  fn: FuncInst,
  fd: number,
  depth: number,
  key: number,
): boolean {
  for (;;) {
    const h = fn.handlers;
    if (h !== null && handle(m, exn, fn, h, fd, key)) {
      m.fn = fn;
      m.fd = fd;
      m.depth = depth;
      return true;
    }
    if (depth === m.baseDepth) return false;
    depth--;
    const at = depth * 3, fi = m.fstack[at + 2];
    fn = fi >= 0 ? fn.inst!.funcs[fi] : m.fframes[depth]!;
    key = m.fstack[at] - 1;
    fd = m.fstack[at + 1];
  }
}

/** Tries `fn`'s handlers around `key`; on a match writes the values and sets `m.pc`. */
function handle(
  m: Machine,
  exn: WasmException,
  fn: FuncInst,
  h: Handlers,
  fd: number,
  key: number,
): boolean {
  const B = h.blocks, C = h.clauses;
  // The innermost block around `key`: blocks nest, and an inner one comes later.
  let b = -1;
  for (let i = B.length - BLOCK_WORDS; i >= 0; i -= BLOCK_WORDS) {
    if (B[i] <= key && key < B[i + 1]) {
      b = i / BLOCK_WORDS;
      break;
    }
  }
  const tags = fn.inst!.tags;
  while (b >= 0) {
    const at = b * BLOCK_WORDS;
    for (let c = B[at + 3], e = c + B[at + 4]; c < e; c++) {
      const k = c * CLAUSE_WORDS, kind = C[k];
      if ((kind & CATCH_TAG) !== 0 && exn.tag !== tags[C[k + 1]]) continue;
      let s = C[k + 2];
      if ((kind & CATCH_LEGACY) !== 0) m.refs[fd + s++] = exn;
      if ((kind & CATCH_TAG) !== 0) s = writePayload(m, fd, s, exn.tag.type.params, exn.payload);
      if ((kind & (CATCH_REF | CATCH_LEGACY)) === CATCH_REF) m.refs[fd + s] = exn;
      m.pc = C[k + 3];
      return true;
    }
    b = B[at + 5] !== -2 ? B[at + 5] : B[at + 2];
  }
  return false;
}
