/**
 * Tail calls (`return_call*`), out of line: the callee's frame replaces the
 * caller's. Compiled C/C++ rarely tail-calls, so this runs outside the
 * dispatch loop, whose bytecode must stay under V8's 60 KB optimization
 * limit (moving it out saved 0.9 KB there: 57.8 → 56.9 KB, room for bundles
 * that pay more); a wasm callee then starts a new slice.
 *
 * @module
 */

import type { FuncInst } from "../runtime/func.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import type { Machine } from "../runtime/machine.ts";
import { clearRefs, tableIndex, trapIndirect } from "./exec_helpers.ts";
import { callHost } from "./host_call.ts";
import { IR } from "./ir_defs.ts";
import { translateFunction } from "./translate.ts";

const RETURN_CALL_INDIRECT = IR["return_call_indirect"];

/**
 * Performs the tail call at `pc` of `fn`'s `code` (frame at slot `fd`,
 * `m.depth` current). A host callee is called and its results moved to the
 * frame base: returns false (the caller then returns). A wasm callee is set
 * up in place and becomes `m.fn` at pc 0: returns true.
 */
export function tailCall(
  m: Machine,
  inst: InstanceState,
  fn: FuncInst,
  code: Int32Array,
  pc: number,
  fd: number,
): boolean {
  const I32 = m.i32, R = m.refs, fp = fd << 1;
  let callee: FuncInst, nfd: number;
  if (code[pc] === RETURN_CALL_INDIRECT) {
    const t = inst.tables[code[pc + 1]];
    const i = tableIndex(t, I32, fp + code[pc + 4]);
    if (i >= t.elems.length) trapIndirect(0, i);
    const f = t.elems[i] as FuncInst | null;
    if (f === null) trapIndirect(1, i);
    if (f.typeId !== code[pc + 2]) trapIndirect(2, i);
    callee = f;
    nfd = fd + code[pc + 3];
  } else {
    callee = inst.funcs[code[pc + 1]];
    nfd = fd + code[pc + 2];
  }
  if (callee.host !== null) {
    m.top = fd + fn.frameSlots;
    callHost(m, callee, nfd);
    // Results to the frame base (the register file may have been replaced).
    const J = m.i32, S = m.refs;
    for (let i = 0, n = callee.resultSlots << 1; i < n; i++) J[fp + i] = J[(nfd << 1) + i];
    for (let i = 0; i < callee.resultSlots; i++) S[fd + i] = S[nfd + i];
    return false;
  }
  const depth = m.depth, fstack = m.fstack;
  if (callee.inst !== inst && depth > m.baseDepth && fstack[depth * 3 - 1] >= 0) {
    // The caller's record names it by index in this instance: make it explicit.
    m.fframes[depth - 1] = inst.funcs[fstack[depth * 3 - 1]];
    fstack[depth * 3 - 1] = -1;
  }
  // Arguments down to the frame base (ascending: nfd ≥ fd).
  for (let i = 0, n = callee.paramSlots << 1; i < n; i++) I32[fp + i] = I32[(nfd << 1) + i];
  for (let i = 0; i < callee.paramSlots; i++) R[fd + i] = R[nfd + i];
  if (callee.code === null) translateFunction(callee);
  if (fd + callee.frameSlots > m.capSlots) m.grow(fd + callee.frameSlots);
  const J = m.i32;
  for (let i = fp + callee.paramWords, e = fp + callee.localWords; i < e; i++) J[i] = 0;
  if (callee.refLocals !== null) clearRefs(m.refs, fd, callee.refLocals);
  m.fn = callee;
  m.pc = 0;
  m.fd = fd;
  return true;
}
