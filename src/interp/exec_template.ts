/**
 * SOURCE of the interpreter's dispatch loop. `gen_exec.ts` turns this file
 * into `exec_loop.ts`: it replaces `case IR["name"]:` labels by literal
 * numbers (so V8's bytecode generator emits a jump table) and inserts the
 * regular op families from `ir_defs.ts` at the GENERATED marker. Edit this
 * file, then run `deno run -A src/interp/gen_exec.ts`.
 *
 * Rules for code in the loop: no allocation per instruction, no closures, no
 * try/catch; wasm→wasm calls push frames on the machine's frame stack
 * instead of recursing; everything rare lives in helpers, and everything
 * that leaves the instance leaves the slice (`slice.ts`).
 *
 * @module
 */

// The regular families are inserted by the generator; their helpers are imported here.
// deno-lint-ignore-file no-fallthrough no-unused-vars verbatim-module-syntax
import { IR } from "./ir_defs.ts";
import type { Machine } from "../runtime/machine.ts";
import type { FuncInst } from "../runtime/func.ts";
import { globalStore } from "../runtime/globals.ts";
import type { TableInst } from "../runtime/table.ts";
import type { InstanceState } from "../runtime/instance_state.ts";
import { clearRefs, enterFrame } from "./frame.ts";
import { simdRun } from "./simd_run.ts";
import { F64_CONSTS } from "./f64_consts.ts";
import { noteTrapSite } from "./backtrace.ts";
import { throwRef, throwTag } from "./unwind.ts";
import { RuntimeError } from "../errors.ts";
import { CALL_OUT, RETURNED, THREW, YIELDED } from "./slice.ts";
import { atomicExecute } from "../threads/executor.ts";
import { gcExecute } from "./exec_gc.ts";
import {
  arrayGet32,
  arrayGet64,
  arrayGetRef,
  arrayLen,
  arrayNew,
  arrayNewDefault,
  arraySet32,
  arraySet64,
  arraySetRef,
  growMemory,
  i31Get,
  loadSlow,
  memoryCopy,
  MemoryFault,
  memoryFault,
  memoryFill,
  memoryInit,
  refAsNonNull,
  refCast,
  refTest,
  storeSlow,
  structGet32,
  structGet64,
  structGetRef,
  structNew,
  structNewDefault,
  structSet,
  structSet64,
  tableCopy,
  tableFill,
  tableGrow,
  tableIndex,
  tableInit,
  trapCode,
  trapTable,
} from "./exec_helpers.ts";
import {
  ceil,
  clz64,
  convertS64F32,
  convertS64F64,
  convertU64F32,
  convertU64F64,
  ctz32,
  ctz64,
  divS32,
  divS64,
  divU32,
  divU64,
  floor,
  fmax,
  fmin,
  nearest,
  popcnt32,
  popcnt64,
  QNAN,
  remS32,
  remS64,
  remU32,
  remU64,
  rotl64,
  rotr64,
  trunc,
  truncS32,
  truncS64,
  truncSatS32,
  truncSatS64,
  truncSatU32,
  truncSatU64,
  truncU32,
  truncU64,
} from "../numeric/numeric.ts";

/**
 * Runs one slice of the activation whose registers are in `m` (see
 * `slice.ts` for the contract) and returns its exit code. Within a slice
 * the instance does not change: calls and returns that cross into another
 * instance leave the slice, and the next one starts there.
 */
export function run(m: Machine): number {
  let fn = m.fn!;
  const inst = fn.inst!;
  let code = fn.code!;
  // `| 0` on every int local from a field or a call: the loop's phis then stay
  // untagged int32 (a tagged phi costs a Smi check and untag per dispatch).
  let pc = m.pc | 0;
  let fd = m.fd | 0;
  let fp = fd << 1;
  let I32 = m.i32;
  let F32 = m.f32;
  let F64 = m.f64;
  const R = m.refs;
  const funcs = inst.funcs;
  const mem = inst.mem0;
  let M8 = mem.u8;
  let DV = mem.dv;
  let memLen = mem.len | 0;
  // Globals are allocated only by instantiation, which cannot run inside a slice.
  const G32 = globalStore.i32;
  const FK = F64_CONSTS;
  let fstack = m.fstack;
  let fcap = m.frameCap | 0;
  const baseDepth = m.baseDepth | 0;
  let cap = m.capSlots | 0;
  let depth = m.depth | 0;
  let budget = m.budget | 0;
  let exit = YIELDED;
  // @@SCRATCH@@
  // Locals of a call.
  let callee: FuncInst;
  let nfd = 0;

  // The handler is around the loop, not in its body, and only records the
  // frames for the backtrace once a trap unwinds. Measured against the loop
  // without it (gannet run, alternating runs): fib_rec 38 2420 vs 2442 ms,
  // nbody 1e6 2512 vs 2511 ms, sha256 16 2710 vs 2756 ms — within noise.
  try {
    run: for (;;) {
      switch (code[pc]) {
        case IR["unreachable"]:
          trapCode(0);
        case IR["br_table"]: {
          const i = I32[fp + code[pc + 1]] >>> 0;
          const n = code[pc + 2];
          pc = code[pc + 3 + (i < n ? i : n)];
          if (--budget < 0) break run;
          break;
        }
        case IR["ret64"]:
          I32[fp + 1] = I32[fp + code[pc + 1] + 1];
        // falls through
        case IR["ret32"]:
          I32[fp] = I32[fp + code[pc + 1]];
        // falls through
        case IR["return"]: {
          if (depth === baseDepth) {
            exit = RETURNED;
            break run;
          }
          depth--;
          const at = depth * 3;
          pc = fstack[at];
          fd = fstack[at + 1];
          fp = fd << 1;
          const fi = fstack[at + 2];
          if (fi < 0) {
            // The caller is in another instance: the next slice starts there.
            fn = m.fframes[depth]!;
            break run;
          }
          fn = funcs[fi];
          code = fn.code!;
          break;
        }
        case IR["call"]: {
          callee = funcs[code[pc + 1]];
          nfd = fd + code[pc + 2];
          if (depth >= fcap) {
            m.growFrames();
            fstack = m.fstack;
            fcap = m.frameCap | 0;
          }
          fstack[depth * 3] = pc + 3;
          fstack[depth * 3 + 1] = fd;
          fstack[depth * 3 + 2] = fn.index;
          depth++;
          fn = callee;
          pc = 0;
          fd = nfd;
          fp = nfd << 1;
          if (callee.code === null || nfd + callee.frameSlots > cap) {
            code = enterFrame(m, callee, nfd);
            cap = m.capSlots | 0;
            I32 = m.i32;
            F32 = m.f32;
            F64 = m.f64;
          } else {
            code = callee.code;
            if (callee.hasLocals) {
              for (let i = fp + callee.paramWords, e = fp + callee.localWords; i < e; i++) {
                I32[i] = 0;
              }
              if (callee.refLocals !== null) clearRefs(R, nfd, callee.refLocals);
            }
          }
          if (--budget < 0) break run;
          break;
        }
        case IR["call_import"]:
        case IR["call_indirect"]:
        case IR["return_call"]:
        case IR["return_call_import"]:
        case IR["return_call_indirect"]:
        case IR["call_ref"]:
        case IR["return_call_ref"]:
          // Imports, indirect calls, tail calls: out of line (call_out.ts).
          budget--;
          exit = CALL_OUT;
          break run;

        // ---- moves and constants ----
        case IR["movs"]: {
          const n = code[pc + 1];
          const e = pc + 2 + 2 * n;
          for (let i = pc + 2; i < e; i += 2) {
            I32[fp + code[i]] = I32[fp + code[i + 1]];
          }
          // The word after the moves: the target of a `br` right after them, else -1.
          const t = code[e];
          if (t < 0) pc += 3 * n;
          else {
            pc = t;
            if (--budget < 0) break run;
          }
          break;
        }
        case IR["simd"]:
          // A stretch of SIMD instructions in one call (see simd_run.ts),
          // which spends the budget on its taken branches.
          pc = simdRun(m, inst, fp, code, pc, budget) | 0;
          budget = m.budget | 0;
          if (budget < 0) break run;
          break;
        // @@GENERATED_CASES@@

        default:
          // Rare instructions run out of line (keeps this function small enough
          // for V8 to optimize: TurboFan gives up above 60 KB of bytecode).
          pc = cold(m, inst, code, pc, fp, fd) | 0;
          if (pc < 0) {
            // `throw`: leave at it (pc encoded as -1 - pc), the exception in m.thrown.
            pc = -1 - pc;
            exit = THREW;
            break run;
          }
          M8 = mem.u8;
          DV = mem.dv;
          memLen = mem.len | 0;
          break;
      }
    }
  } catch (e) {
    if (e instanceof MemoryFault && (mem.sync() || mem.len !== memLen)) {
      // Memory 0 grew under the inline access (another thread grew a shared
      // memory): run it again from a slice with fresh views.
      m.fn = fn;
      m.pc = pc;
      m.fd = fd;
      m.depth = depth;
      m.budget = budget;
      return YIELDED;
    }
    // The fault is internal: what reaches JS is the JS API's plain RuntimeError.
    const err = e instanceof MemoryFault ? new RuntimeError(e.message) : e;
    noteTrapSite(m, fn, depth, err);
    throw err;
  }
  m.fn = fn;
  m.pc = pc;
  m.fd = fd;
  m.depth = depth;
  m.budget = budget;
  return exit;
}

/**
 * Executes one rare instruction at `pc`; returns the next pc. Compiled code
 * (`src/jit`) runs the hand-written rare ops through it too, on the
 * register file, so their semantics exist once.
 */
export function cold(
  m: Machine,
  inst: InstanceState,
  code: Int32Array,
  pc: number,
  fp: number,
  fd: number,
): number {
  const I32 = m.i32;
  const F32 = m.f32;
  const F64 = m.f64;
  const R = m.refs;
  const funcs = inst.funcs;
  const mem = inst.mem0;
  const M8 = mem.u8;
  const DV = mem.dv;
  const memLen = mem.len;
  const G32 = globalStore.i32;
  const GR = globalStore.refs;
  // @@SCRATCH@@
  switch (code[pc]) {
    case IR["trap"]:
      return trapCode(code[pc + 1]);
    case IR["throw"]:
      return throwTag(m, inst.tags[code[pc + 1]], fd, code[pc + 2], pc);
    case IR["throw_ref"]:
      return throwRef(m, R[fd + code[pc + 1]], pc);
    case IR["global.get128"]: {
      const d = fp + code[pc + 1], g = code[pc + 2];
      I32[d] = G32[g];
      I32[d + 1] = G32[g + 1];
      I32[d + 2] = G32[g + 2];
      I32[d + 3] = G32[g + 3];
      return pc + 3;
    }
    case IR["global.getref"]:
      R[fd + code[pc + 1]] = GR[code[pc + 2]];
      return pc + 3;
    case IR["global.set128"]: {
      const g = code[pc + 1], a = fp + code[pc + 2];
      G32[g] = I32[a];
      G32[g + 1] = I32[a + 1];
      G32[g + 2] = I32[a + 2];
      G32[g + 3] = I32[a + 3];
      return pc + 3;
    }
    case IR["global.setref"]:
      GR[code[pc + 1]] = R[fd + code[pc + 2]];
      return pc + 3;

    case IR["memory.size"]: {
      const d = fp + code[pc + 1];
      I32[d] = inst.memories[code[pc + 2]].pages;
      I32[d + 1] = 0;
      return pc + 3;
    }
    case IR["memory.fill"]:
      memoryFill(inst.memories[code[pc + 1]], I32, fp, code, pc);
      return pc + 5;
    case IR["memory.copy"]:
      memoryCopy(inst, I32, fp, code, pc);
      return pc + 6;
    case IR["memory.init"]:
      memoryInit(inst, I32, fp, code, pc);
      return pc + 6;
    case IR["data.drop"]:
      inst.datas[code[pc + 1]] = new Uint8Array(0);
      return pc + 2;
    case IR["table.get"]: {
      const t = inst.tables[code[pc + 2]];
      const i = tableIndex(t, I32, fp + code[pc + 3]);
      if (i >= t.elems.length) trapTable();
      R[fd + code[pc + 1]] = t.elems[i];
      return pc + 4;
    }
    case IR["table.set"]: {
      const t = inst.tables[code[pc + 1]];
      const i = tableIndex(t, I32, fp + code[pc + 2]);
      if (i >= t.elems.length) trapTable();
      t.elems[i] = R[fd + code[pc + 3]];
      return pc + 4;
    }
    case IR["table.size"]: {
      const d = fp + code[pc + 1];
      I32[d] = inst.tables[code[pc + 2]].elems.length;
      I32[d + 1] = 0;
      return pc + 3;
    }
    case IR["table.grow"]: {
      const d = fp + code[pc + 1];
      const t: TableInst = inst.tables[code[pc + 2]];
      const r = tableGrow(t, R[fd + code[pc + 3]], I32, fp + code[pc + 4]);
      I32[d] = r;
      I32[d + 1] = r < 0 ? -1 : 0;
      return pc + 5;
    }
    case IR["table.fill"]:
      tableFill(inst.tables[code[pc + 1]], I32, fp, R[fd + code[pc + 3]], code, pc);
      return pc + 5;
    case IR["table.copy"]:
      tableCopy(inst, I32, fp, code, pc);
      return pc + 6;
    case IR["table.init"]:
      tableInit(inst, I32, fp, code, pc);
      return pc + 6;
    case IR["elem.drop"]:
      inst.elems[code[pc + 1]] = [];
      return pc + 2;
    case IR["load_slow"]:
      loadSlow(inst, I32, fp, code, pc);
      return pc + 7;
    case IR["store_slow"]:
      storeSlow(inst, I32, fp, code, pc);
      return pc + 7;
    case IR["atomic"]:
      return atomicExecute(m, inst, fp, code, pc);
    // GC: structs, arrays, i31, casts (exec_gc.ts).
    case IR["struct.get"]:
    case IR["struct.set"]:
    case IR["array.new"]:
    case IR["array.new_fixed"]:
    case IR["array.new_data"]:
    case IR["array.new_elem"]:
    case IR["array.get"]:
    case IR["array.set"]:
    case IR["array.fill"]:
    case IR["array.copy"]:
    case IR["array.init_data"]:
    case IR["array.init_elem"]:
      return gcExecute(m, inst, code, pc, fd);

    // @@GENERATED_COLD_CASES@@

    default:
      throw new Error(`gannet: bad IR opcode ${code[pc]} at ${pc}`);
  }
}
