/**
 * SOURCE of the interpreter's dispatch loop. `gen_exec.ts` turns this file
 * into `exec_loop.ts`: it replaces `case IR["name"]:` labels by literal
 * numbers (so V8's bytecode generator emits a jump table) and inserts the
 * regular op families from `ir_defs.ts` at the GENERATED marker. Edit this
 * file, then run `deno run -A src/interp/gen_exec.ts`.
 *
 * Rules for code in the loop: no allocation per instruction, no closures, no
 * try/catch; wasm→wasm calls push frames on the machine's frame stack
 * instead of recursing; everything rare lives in helpers.
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
import { translateFunction } from "./translate.ts";
import { callHost } from "./host_call.ts";
import { simdRun } from "./simd_run.ts";
import { tailCall } from "./tail_call.ts";
import { noteTrapSite } from "./backtrace.ts";
import { RuntimeError } from "../errors.ts";
import { atomicExecute } from "../threads/executor.ts";
import {
  clearRefs,
  growMemory,
  loadSlow,
  memoryCopy,
  MemoryFault,
  memoryFault,
  memoryFill,
  memoryInit,
  storeSlow,
  tableCopy,
  tableFill,
  tableGrow,
  tableIndex,
  tableInit,
  trapCode,
  trapIndirect,
  trapStack,
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
  mul64,
  nearest,
  popcnt32,
  popcnt64,
  remS32,
  remS64,
  remU32,
  remU64,
  rotl64,
  rotr64,
  shl64,
  shrS64,
  shrU64,
  trunc,
  truncS32,
  truncS64,
  truncSatS32,
  truncSatS64,
  truncSatU32,
  truncSatU64,
  truncU32,
  truncU64,
} from "./numeric.ts";

/** A one-instruction program that returns (ends a tail call to a host function). */
const RET_CODE = Int32Array.of(IR["return"]);

/**
 * Taken branches and calls per slice. `run` returns to `execute` when the
 * budget is spent, so that no single call of `run` loops for long: V8 then
 * optimizes `run` as a whole function instead of on-stack-replacing a
 * running activation, whose code (OSR from Maglev) ran 2.2× slower here
 * (measured: a 30M-iteration loop 596 ms vs 265 ms). Slices are also where
 * fuel and pausing hook in.
 */
const SLICE = 1 << 15;

/**
 * Runs `entry` (already translated, arguments in its frame at slot `entryFd`)
 * until it returns; the results are then at slots `entryFd`…. Traps and host
 * exceptions propagate; the caller restores `m.depth`/`m.top`.
 */
export function execute(m: Machine, entry: FuncInst, entryFd: number): void {
  const outerBase = m.baseDepth;
  m.fn = entry;
  m.pc = 0;
  m.fd = entryFd;
  m.baseDepth = m.depth;
  try {
    while (run(m)) {
      // Next slice.
    }
  } finally {
    m.baseDepth = outerBase;
  }
}

/** Runs one slice of the current activation; false once its entry function returned. */
function run(m: Machine): boolean {
  let fn = m.fn!;
  let inst = fn.inst!;
  let code = fn.code!;
  let pc = m.pc;
  let fd = m.fd;
  let fp = fd << 1;
  let I32 = m.i32;
  let F32 = m.f32;
  let F64 = m.f64;
  const R = m.refs;
  let funcs = inst.funcs;
  let mem = inst.mem0;
  let M8 = mem.u8;
  let DV = mem.dv;
  let memLen = mem.len;
  let G32 = globalStore.i32;
  const fstack = m.fstack;
  const fframes = m.fframes;
  const maxDepth = m.maxDepth;
  const baseDepth = m.baseDepth;
  let cap = m.capSlots;
  let depth = m.depth;
  let budget = SLICE;
  // @@SCRATCH@@
  // Locals of the callee when a call goes out of line.
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
            m.depth = depth;
            return false;
          }
          depth--;
          const at = depth * 3;
          pc = fstack[at];
          fd = fstack[at + 1];
          fp = fd << 1;
          const fi = fstack[at + 2];
          if (fi >= 0) {
            // The caller is in this instance: found by index, no context switch.
            fn = funcs[fi];
          } else {
            const caller = fframes[depth]!;
            if (caller.inst !== inst) {
              inst = caller.inst!;
              funcs = inst.funcs;
              mem = inst.mem0;
              M8 = mem.u8;
              DV = mem.dv;
              memLen = mem.len;
            }
            fn = caller;
          }
          code = fn.code!;
          break;
        }
        case IR["call"]: {
          callee = funcs[code[pc + 1]];
          nfd = fd + code[pc + 2];
          if (depth >= maxDepth) trapStack();
          fstack[depth * 3] = pc + 3;
          fstack[depth * 3 + 1] = fd;
          fstack[depth * 3 + 2] = fn.index;
          depth++;
          let ncode = callee.code;
          if (ncode === null) ncode = translateFunction(callee);
          if (nfd + callee.frameSlots > cap) {
            m.grow(nfd + callee.frameSlots);
            cap = m.capSlots;
            I32 = m.i32;
            F32 = m.f32;
            F64 = m.f64;
          }
          fp = nfd << 1;
          if (callee.hasLocals) {
            for (let i = fp + callee.paramWords, e = fp + callee.localWords; i < e; i++) I32[i] = 0;
            if (callee.refLocals !== null) clearRefs(R, nfd, callee.refLocals);
          }
          fn = callee;
          code = ncode;
          pc = 0;
          fd = nfd;
          if (--budget < 0) break run;
          break;
        }
        case IR["call_import"]:
        case IR["call_indirect"]: {
          if (code[pc] === IR["call_import"]) {
            callee = funcs[code[pc + 1]];
            nfd = fd + code[pc + 2];
          } else {
            const t = inst.tables[code[pc + 1]];
            const i = tableIndex(t, I32, fp + code[pc + 4]);
            if (i >= t.elems.length) trapIndirect(0, i);
            const f = t.elems[i] as FuncInst | null;
            if (f === null) trapIndirect(1, i);
            if (f.typeId !== code[pc + 2]) trapIndirect(2, i);
            callee = f;
            nfd = fd + code[pc + 3];
          }
          const next = pc + (code[pc] === IR["call_import"] ? 3 : 5);
          if (callee.host !== null) {
            m.depth = depth;
            m.top = fd + fn.frameSlots;
            callHost(m, callee, nfd);
            cap = m.capSlots;
            I32 = m.i32;
            F32 = m.f32;
            F64 = m.f64;
            G32 = globalStore.i32;
            M8 = mem.u8;
            DV = mem.dv;
            memLen = mem.len;
            pc = next;
            break;
          }
          if (depth >= maxDepth) trapStack();
          fstack[depth * 3] = next;
          fstack[depth * 3 + 1] = fd;
          if (callee.inst === inst) fstack[depth * 3 + 2] = fn.index;
          else {
            fstack[depth * 3 + 2] = -1;
            fframes[depth] = fn;
          }
          depth++;
          let ncode = callee.code;
          if (ncode === null) ncode = translateFunction(callee);
          if (nfd + callee.frameSlots > cap) {
            m.grow(nfd + callee.frameSlots);
            cap = m.capSlots;
            I32 = m.i32;
            F32 = m.f32;
            F64 = m.f64;
          }
          fp = nfd << 1;
          for (let i = fp + callee.paramWords, e = fp + callee.localWords; i < e; i++) I32[i] = 0;
          if (callee.refLocals !== null) clearRefs(R, nfd, callee.refLocals);
          if (callee.inst !== inst) {
            inst = callee.inst!;
            funcs = inst.funcs;
            mem = inst.mem0;
            M8 = mem.u8;
            DV = mem.dv;
            memLen = mem.len;
          }
          fn = callee;
          code = ncode;
          pc = 0;
          fd = nfd;
          if (--budget < 0) break run;
          break;
        }
        case IR["return_call"]:
        case IR["return_call_import"]:
        case IR["return_call_indirect"]:
          // Tail calls run out of line (see tail_call.ts); a wasm callee
          // starts the next slice.
          m.depth = depth;
          if (tailCall(m, inst, fn, code, pc, fd)) {
            fn = m.fn!;
            pc = 0;
            break run;
          }
          // A host callee returned; its results are at the frame base.
          cap = m.capSlots;
          I32 = m.i32;
          F32 = m.f32;
          F64 = m.f64;
          G32 = globalStore.i32;
          M8 = mem.u8;
          DV = mem.dv;
          memLen = mem.len;
          code = RET_CODE;
          pc = 0;
          break;

        // ---- moves and constants ----
        case IR["movs"]: {
          const n = code[pc + 1];
          for (let i = pc + 2, e = pc + 2 + 2 * n; i < e; i += 2) {
            I32[fp + code[i]] = I32[fp + code[i + 1]];
          }
          pc += 3 * n;
          break;
        }
        case IR["select64"]: {
          const d = fp + code[pc + 1];
          const a = fp + (I32[fp + code[pc + 2]] !== 0 ? code[pc + 3] : code[pc + 4]);
          I32[d] = I32[a];
          I32[d + 1] = I32[a + 1];
          pc += 5;
          break;
        }
        // ---- globals ----
        case IR["global.get32"]:
          I32[fp + code[pc + 1]] = G32[code[pc + 2]];
          pc += 3;
          break;
        case IR["global.get64"]: {
          const d = fp + code[pc + 1], g = code[pc + 2];
          I32[d] = G32[g];
          I32[d + 1] = G32[g + 1];
          pc += 3;
          break;
        }
        case IR["global.set32"]:
          G32[code[pc + 1]] = I32[fp + code[pc + 2]];
          pc += 3;
          break;
        case IR["global.set64"]: {
          const g = code[pc + 1], a = fp + code[pc + 2];
          G32[g] = I32[a];
          G32[g + 1] = I32[a + 1];
          pc += 3;
          break;
        }
        // ---- memory and tables (out of line) ----
        case IR["memory.grow"]: {
          const d = fp + code[pc + 1];
          const r = growMemory(inst.memories[code[pc + 2]], I32, fp + code[pc + 3]);
          I32[d] = r;
          I32[d + 1] = r < 0 ? -1 : 0;
          M8 = mem.u8;
          DV = mem.dv;
          memLen = mem.len;
          pc += 4;
          break;
        }
        case IR["simd"]:
          // A stretch of SIMD instructions in one call (see simd_run.ts).
          pc = simdRun(m, inst, fp, code, pc);
          if (--budget < 0) break run;
          break;
        // @@GENERATED_CASES@@

        default:
          // Rare instructions run out of line (keeps this function small enough
          // for V8 to optimize: TurboFan gives up above 60 KB of bytecode).
          pc = cold(m, inst, code, pc, fp, fd);
          M8 = mem.u8;
          DV = mem.dv;
          memLen = mem.len;
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
      return true;
    }
    // The fault is internal: what reaches JS is the JS API's plain RuntimeError.
    const err = e instanceof MemoryFault ? new RuntimeError(e.message) : e;
    noteTrapSite(m, fn, depth, err);
    throw err;
  }
  // The slice's budget is spent: save the state for the next one.
  m.fn = fn;
  m.pc = pc;
  m.fd = fd;
  m.depth = depth;
  return true;
}

/** Executes one rare instruction at `pc`; returns the next pc. */
function cold(
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
    case IR["mov128"]: {
      const d = fp + code[pc + 1], a = fp + code[pc + 2];
      I32[d] = I32[a];
      I32[d + 1] = I32[a + 1];
      I32[d + 2] = I32[a + 2];
      I32[d + 3] = I32[a + 3];
      return pc + 3;
    }
    case IR["movref"]:
      R[fd + code[pc + 1]] = R[fd + code[pc + 2]];
      return pc + 3;
    case IR["const128"]: {
      const d = fp + code[pc + 1];
      I32[d] = code[pc + 2];
      I32[d + 1] = code[pc + 3];
      I32[d + 2] = code[pc + 4];
      I32[d + 3] = code[pc + 5];
      return pc + 6;
    }
    case IR["ref.null"]:
      R[fd + code[pc + 1]] = null;
      return pc + 2;
    case IR["ref.func"]:
      R[fd + code[pc + 1]] = funcs[code[pc + 2]];
      return pc + 3;
    case IR["ref.is_null"]:
      I32[fp + code[pc + 1]] = R[fd + code[pc + 2]] === null ? 1 : 0;
      return pc + 3;
    case IR["select128"]: {
      const d = fp + code[pc + 1];
      const a = fp + (I32[fp + code[pc + 2]] !== 0 ? code[pc + 3] : code[pc + 4]);
      I32[d] = I32[a];
      I32[d + 1] = I32[a + 1];
      I32[d + 2] = I32[a + 2];
      I32[d + 3] = I32[a + 3];
      return pc + 5;
    }
    case IR["selectref"]:
      R[fd + code[pc + 1]] = I32[fp + code[pc + 2]] !== 0
        ? R[fd + code[pc + 3]]
        : R[fd + code[pc + 4]];
      return pc + 5;

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

    // @@GENERATED_COLD_CASES@@

    default:
      throw new Error(`gannet: bad IR opcode ${code[pc]} at ${pc}`);
  }
}
