/**
 * Calls the dispatch loop leaves to the driver (exit `CALL_OUT`): imported
 * functions (host functions, other instances' functions), indirect calls
 * and tail calls. They are rare next to direct calls, so they live here,
 * out of the loop, whose bytecode must stay under V8's 60 KB optimization
 * limit; a host call run from the driver also keeps the loop's large frame
 * off the JS stack while host code (which may re-enter wasm) runs.
 *
 * The price: an indirect call costs a slice exit, ~17 ns more than in the
 * loop (measured: 3M `call_indirect`s of a one-instruction function, 47 vs
 * 30 ns per loop iteration); the programs of `../shared/bench` and
 * CoreMark make at most one indirect call in their first 30M transfers.
 *
 * @module
 */

import { RuntimeError, Trap } from "../errors.ts";
import type { FuncInst } from "../runtime/func.ts";
import type { Machine } from "../runtime/machine.ts";
import { indirectCallee } from "./exec_helpers.ts";
import { enterFrame, popFrame, pushReturn } from "./frame.ts";
import { IR } from "./ir_defs.ts";

const CALL_IMPORT = IR["call_import"];
const CALL_INDIRECT = IR["call_indirect"];
const RETURN_CALL = IR["return_call"];
const RETURN_CALL_IMPORT = IR["return_call_import"];
const RETURN_CALL_INDIRECT = IR["return_call_indirect"];
const CALL_REF = IR["call_ref"];
const RETURN_CALL_REF = IR["return_call_ref"];

/**
 * Performs the wasm side of the call at `m.pc` of `m.fn`. A wasm callee
 * gets its frame and becomes `m.fn` at pc 0 (a tail call's frame replaces
 * its caller's): returns null. A host callee is returned for the driver to
 * call, with `m.hostBase` (the slot of its arguments, later of its
 * results) and `m.hostTail` set, `m.pc` past the call and `m.top` above
 * the caller's frame (where a re-entrant activation goes); the driver then
 * calls {@link finishHostCall}.
 */
export function callOut(m: Machine): FuncInst | null {
  const fn = m.fn!, inst = fn.inst!, code = fn.code!, pc = m.pc, fd = m.fd;
  let callee: FuncInst, nfd: number, next = -1;
  switch (code[pc]) {
    case CALL_IMPORT:
      callee = inst.funcs[code[pc + 1]];
      nfd = fd + code[pc + 2];
      next = pc + 3;
      break;
    case CALL_INDIRECT:
      callee = indirectCallee(inst, m.i32, fd << 1, code, pc);
      nfd = fd + code[pc + 3];
      next = pc + 5;
      break;
    case RETURN_CALL:
    case RETURN_CALL_IMPORT:
      callee = inst.funcs[code[pc + 1]];
      nfd = fd + code[pc + 2];
      break;
    case RETURN_CALL_INDIRECT:
      callee = indirectCallee(inst, m.i32, fd << 1, code, pc);
      nfd = fd + code[pc + 3];
      break;
    case CALL_REF:
      callee = refCallee(m.refs[fd + code[pc + 2]]);
      nfd = fd + code[pc + 1];
      next = pc + 3;
      break;
    case RETURN_CALL_REF:
      callee = refCallee(m.refs[fd + code[pc + 2]]);
      nfd = fd + code[pc + 1];
      break;
    default:
      throw new Error(`gannet: no out-of-line call at pc ${pc} (IR op ${code[pc]})`);
  }
  if (callee.host !== null) {
    m.top = fd + fn.frameSlots;
    m.hostBase = nfd;
    m.hostTail = next < 0;
    if (next >= 0) m.pc = next;
    return callee;
  }
  if (next >= 0) {
    pushReturn(m, fn, next, fd, callee.inst);
    m.fn = callee;
    m.pc = 0;
    m.fd = nfd;
    enterFrame(m, callee, nfd);
    return null;
  }
  tailCall(m, fn, callee, fd, nfd);
  return null;
}

/** The callee of `call_ref`: the function reference, which traps when null. */
function refCallee(f: unknown): FuncInst {
  if (f === null) throw new RuntimeError(Trap.nullFunction);
  return f as FuncInst;
}

/** A tail call to wasm function `callee`, whose arguments are at `nfd`: its frame replaces `fn`'s at `fd`. */
function tailCall(m: Machine, fn: FuncInst, callee: FuncInst, fd: number, nfd: number): void {
  const depth = m.depth, fstack = m.fstack;
  if (callee.inst !== fn.inst && depth > m.baseDepth && fstack[depth * 3 - 1] >= 0) {
    // The caller's record names it by index in this instance: make it explicit.
    m.fframes[depth - 1] = fn.inst!.funcs[fstack[depth * 3 - 1]];
    fstack[depth * 3 - 1] = -1;
  }
  // Arguments down to the frame base (ascending: nfd ≥ fd).
  const I32 = m.i32, R = m.refs, fp = fd << 1;
  for (let i = 0, n = callee.paramSlots << 1; i < n; i++) I32[fp + i] = I32[(nfd << 1) + i];
  for (let i = 0; i < callee.paramSlots; i++) R[fd + i] = R[nfd + i];
  m.fn = callee;
  m.pc = 0;
  m.fd = fd;
  enterFrame(m, callee, fd);
}

/**
 * After a host callee's results are written at `base`: a tail call's
 * results move to the frame base and the frame returns. Returns false
 * when that return ended the activation.
 */
export function finishHostCall(m: Machine, base: number, tail: boolean, results: number): boolean {
  if (!tail) return true;
  const fd = m.fd, I32 = m.i32, R = m.refs;
  for (let i = 0, n = results << 1; i < n; i++) I32[(fd << 1) + i] = I32[(base << 1) + i];
  for (let i = 0; i < results; i++) R[fd + i] = R[base + i];
  return popFrame(m);
}
