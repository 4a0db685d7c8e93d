/**
 * The frame-entry and frame-exit sequences, written once. Every way into a
 * wasm function goes through {@link enterFrame}: a call in the dispatch
 * loop, an out-of-line call (imports, calls between instances, tail calls),
 * a call from the embedder, and compiled code's calls. A frame is the
 * callee's slots from `fd` on: parameters first (written by the caller),
 * then locals (zeroed here), then temporaries.
 *
 * @module
 */

import type { FuncInst } from "../runtime/func.ts";
import { FRAME_WORDS, type Machine } from "../runtime/machine.ts";
import { translateFunction } from "./translate.ts";

/**
 * Prepares `callee`'s frame at slot `fd` (its arguments already there):
 * translates it on its first call, grows the register file to fit the
 * frame (the views in `m` change), zeroes the non-parameter locals and
 * resets reference locals to null. Returns the callee's code.
 */
export function enterFrame(m: Machine, callee: FuncInst, fd: number): Int32Array {
  const code = callee.code ?? translateFunction(callee);
  if (fd + callee.frameSlots > m.capSlots) m.grow(fd + callee.frameSlots);
  if (callee.hasLocals) {
    const I32 = m.i32, fp = fd << 1;
    for (let i = fp + callee.paramWords, e = fp + callee.localWords; i < e; i++) I32[i] = 0;
    if (callee.refLocals !== null) clearRefs(m.refs, fd, callee.refLocals);
  }
  return code;
}

/** Resets a frame's reference locals to null. */
export function clearRefs(R: unknown[], fd: number, slots: Int32Array): void {
  for (let i = 0; i < slots.length; i++) R[fd + slots[i]] = null;
}

/**
 * Pushes the return record of a call made by `caller` (frame at `fd`,
 * resuming at `pc`) to a function of `calleeInst`, and counts the frame;
 * traps with "call stack exhausted" at the machine's depth limit. The
 * dispatch loop inlines the same-instance case.
 */
export function pushReturn(
  m: Machine,
  caller: FuncInst,
  pc: number,
  fd: number,
  calleeInst: unknown,
): void {
  const depth = m.depth;
  if (depth >= m.frameCap) m.growFrames();
  const fstack = m.fstack, at = depth * FRAME_WORDS;
  fstack[at] = pc;
  fstack[at + 1] = fd;
  if (calleeInst === caller.inst) fstack[at + 2] = caller.index;
  else {
    fstack[at + 2] = -1;
    m.fframes[depth] = caller;
  }
  m.depth = depth + 1;
}

/**
 * Returns from the current frame (`m.fn` at `m.fd`, its results at its
 * base) to its caller: the caller becomes `m.fn`/`m.pc`/`m.fd`. Returns
 * false when the frame was the activation's entry (then `m` is unchanged).
 */
export function popFrame(m: Machine): boolean {
  if (m.depth === m.baseDepth) return false;
  const depth = --m.depth, at = depth * FRAME_WORDS, fstack = m.fstack;
  const fi = fstack[at + 2];
  m.fn = fi >= 0 ? m.fn!.inst!.funcs[fi] : m.fframes[depth]!;
  m.pc = fstack[at];
  m.fd = fstack[at + 1];
  return true;
}
