/**
 * The JIT's emitter: the register IR of one function → the JS source of a
 * slice (`src/interp/slice.ts`) specialised to that function. Every
 * instruction's meaning comes from the IR table through the shared code
 * generator (`codegen.ts`'s `staticCase`, the same one that writes the
 * dispatch loop's cases), with operands as constants; the hand-written rare
 * ops run through the loop's own `cold`. Only control transfers are
 * written here: they are what a compiled slice does differently.
 *
 * Shape of the output: a labeled `for (;;) switch ($b)` over the basic
 * blocks, whose leaders are the places a slice may start (pc 0, branch
 * targets, the instruction after a call, where a SIMD run may stop). The
 * compiled code runs on the interpreter's state — the register file at
 * `fp`, memory 0's views, the global store — so entering and leaving
 * need no conversion. It counts the slice budget at exactly the transfers
 * the loop counts (taken branches, calls, SIMD runs) and leaves:
 *
 * - at every call (`YIELDED` after pushing the callee's frame, or
 *   `CALL_OUT` for out-of-line calls) and every return (`RETURNED`, or
 *   `YIELDED` in the caller), so the driver picks the next slice's tier;
 * - when the budget goes below zero (`YIELDED` at the transfer's target);
 * - with {@link DEOPT} where it cannot continue (a pc that is not a block
 *   leader, an op it does not compile): the driver runs the rest of the
 *   slice in the interpreter, from the same registers.
 *
 * @module
 */

import { type RegisterEnv, SCRATCH_NAME, slotIndexed, staticCase } from "../interp/codegen.ts";
import { instrSize, IR, IR_DEFS } from "../interp/ir_defs.ts";
import { COLD_HANDWRITTEN } from "../interp/exec_loop.ts";
import { HELPERS } from "./helpers.ts";

/** Exit code of a compiled slice: continue this slice in the interpreter (registers in the machine). */
export const DEOPT = 3;

const OP = (name: string): number => IR[name];
const UNREACHABLE = OP("unreachable"), BR_TABLE = OP("br_table"), RETURN = OP("return");
const RET32 = OP("ret32"), RET64 = OP("ret64"), CALL = OP("call"), MOVS = OP("movs");
const SIMD = OP("simd"), MOV32 = OP("mov32");
/** Ops that leave the slice for `call_out.ts`. */
const CALL_OUTS = new Set(
  ["call_import", "call_indirect", "return_call", "return_call_import", "return_call_indirect"]
    .map(OP),
);
/** Scalar ops a SIMD run (`simd_run.ts`) executes too: it may stop after any of them. */
const SIMD_SCALARS = new Set(
  [
    "i32.add_i",
    "i32.sub_i",
    "const32",
    "i32.add_i+i32.add_i",
    "i32.add_i+br_if.i32.lt_u_i",
    "i32.add_i+br_if.i32.ne_i",
    "br_if.i32.lt_u_i",
    "br_if.i32.ne",
  ].map(OP),
);
/**
 * Hand-written rare ops compiled code runs through the loop's `cold`. Not
 * `throw`/`throw_ref`: they deoptimize, so that the exception leaves the
 * interpreter, whose handler records where it was thrown (`interp/unwind.ts`).
 */
const COLD = new Set(
  COLD_HANDWRITTEN.filter((n) => n !== "throw" && n !== "throw_ref").map(OP),
);

/** The branch targets of the instruction at `pc` (operands of kind `@`, br_table's list). */
function targets(code: Int32Array, pc: number): number[] {
  const op = code[pc];
  if (op === BR_TABLE) {
    const n = code[pc + 2], out: number[] = [];
    for (let i = 0; i <= n; i++) out.push(code[pc + 3 + i]);
    return out;
  }
  const def = IR_DEFS[op], out: number[] = [];
  const walk = (d: typeof def, first: number) => {
    let k = first;
    for (const o of d.operands) {
      if (o.kind === "@") out.push(code[pc + k]);
      k += o.kind === "L" ? 2 : 1;
    }
  };
  if (def.parts !== undefined) {
    walk(def.parts[0], 1);
    walk(def.parts[1], def.parts[0].size);
  } else walk(def, 1);
  return out;
}

/** Block leaders of `code`, ascending: where a compiled slice may be entered. */
export function leaders(code: Int32Array): number[] {
  const set = new Set<number>([0]);
  let hasSimd = false;
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    if (code[pc] === SIMD) hasSimd = true;
  }
  for (let pc = 0; pc < code.length;) {
    const op = code[pc], next = pc + instrSize(code, pc);
    for (const t of targets(code, pc)) set.add(t);
    if (op === CALL || CALL_OUTS.has(op) || op === SIMD || (hasSimd && SIMD_SCALARS.has(op))) {
      if (next < code.length) set.add(next);
    }
    pc = next;
  }
  return [...set].sort((a, b) => a - b);
}

/** What the emitter produced for one function. */
export interface Emitted {
  /** Body of `new Function("$d", …)`: returns the slice function. */
  source: string;
  /** pc → block number (-1: not a block leader), for the entry and SIMD runs. */
  entries: Int32Array;
}

/** Names the generated code binds from its dependencies (`compile.ts` provides them). */
export const DEP_NAMES: readonly string[] = [
  "fn",
  "inst",
  "code",
  "funcs",
  "E",
  "globalStore",
  "$call",
  "$ret",
  "$fault",
  "$trapped",
  "cold",
  "simdRun",
];

/**
 * Emits the slice function of `code` (a translated function's IR). Throws
 * only on a table body outside the shared generator's forms (a bug).
 */
export function emitFunction(code: Int32Array, name = "f"): Emitted {
  const lead = leaders(code);
  const entries = new Int32Array(code.length + 1).fill(-1);
  lead.forEach((pc, i) => entries[pc] = i);
  let cur = 0;
  /** Leaves with `YIELDED` at `pc` when the budget is spent. */
  const spent = (pc: string) =>
    `if (--budget < 0) { $m.pc = ${pc}; $m.budget = budget; return 1; }`;
  const env: RegisterEnv = {
    read(v, kind, at) {
      if (kind === "l") return `const ${v}l = I32[fp + ${at}], ${v}h = I32[fp + ${at + 1}];`;
      if (kind === "d") return `const ${v} = F64[fd + ${at}];`;
      return `const ${v} = ${kind === "f" ? "F32" : "I32"}[fp + ${at}];`;
    },
    write(kind, at, value) {
      if (kind === "d") return `F64[fd + ${at}] = ${value};`;
      return `${kind === "f" ? "F32" : "I32"}[fp + ${at}] = ${value};`;
    },
    index: (kind, at) => `${slotIndexed(kind) ? "fd" : "fp"} + ${at}`,
    jump: (t) => `$b = ${entries[t]}; ${spent(String(t))} continue L;`,
    fault: () => `$m.pc = ${cur}; $m.budget = budget; return $fault(mem, memLen);`,
  };
  const out: string[] = [];
  for (let pc = 0; pc < code.length;) {
    const op = code[pc], size = instrSize(code, pc), next = pc + size;
    cur = pc;
    if (entries[pc] >= 0) out.push(`case ${entries[pc]}:`);
    const def = IR_DEFS[op];
    let s: string;
    if (def.body !== null || def.parts !== undefined) s = staticCase(def, code, pc, env);
    else if (op === BR_TABLE) {
      const n = code[pc + 2], arms: string[] = [];
      for (let i = 0; i < n; i++) arms.push(`case ${i}: ${env.jump(code[pc + 3 + i])}`);
      arms.push(`default: ${env.jump(code[pc + 3 + n])}`);
      s = `switch (I32[fp + ${code[pc + 1]}] >>> 0) {\n${arms.join("\n")}\n}`;
    } else if (op === RETURN || op === RET32 || op === RET64) {
      s = "";
      if (op === RET64) s += `I32[fp + 1] = I32[fp + ${code[pc + 1] + 1}];\n`;
      if (op !== RETURN) s += `I32[fp] = I32[fp + ${code[pc + 1]}];\n`;
      s += "$m.budget = budget; return $ret($m);";
    } else if (op === CALL) {
      s = `$call($m, fn, funcs[${code[pc + 1]}], ${next}, fd, fd + ${code[pc + 2]}); ` +
        "$m.budget = budget - 1; return 1;";
    } else if (CALL_OUTS.has(op)) {
      s = `$m.pc = ${pc}; $m.budget = budget - 1; return 2;`;
    } else if (op === MOVS) {
      const moves: string[] = [];
      for (let i = 0; i < code[pc + 1]; i++) {
        const one = new Int32Array([MOV32, code[pc + 2 + 2 * i], code[pc + 3 + 2 * i]]);
        moves.push(`{ ${staticCase(IR_DEFS[MOV32], one, 0, env)} }`);
      }
      s = moves.join("\n");
    } else if (op === SIMD) {
      s = `const p = simdRun($m, inst, fp, code, ${pc}); ${spent("p")} $b = E[p]; ` +
        "if ($b < 0) { $m.pc = p; $m.budget = budget; return 3; } continue L;";
    } else if (op === UNREACHABLE) {
      s = "trapCode(0);";
    } else if (COLD.has(op)) {
      s = `cold($m, inst, code, ${pc}, fp, fd); M8 = mem.u8; DV = mem.dv; memLen = mem.len;`;
    } else {
      s = `$m.pc = ${pc}; $m.budget = budget; return 3;`;
    }
    out.push(`{ // ${pc}: ${def.name}\n${s}\n}`);
    pc = next;
  }
  // Falling off the end cannot happen (a body ends in a return), but stay exact if it did.
  out.push(`$m.pc = ${code.length}; $m.budget = budget; return 3;`);
  const source = `"use strict";
const { ${DEP_NAMES.join(", ")} } = $d;
const { ${Object.keys(HELPERS).join(", ")} } = $d.helpers;
const ${SCRATCH_NAME} = new Int32Array(2);
return function jit_${name.replace(/\W/g, "_")}($m) {
  const fd = $m.fd, fp = fd << 1;
  const I32 = $m.i32, F32 = $m.f32, F64 = $m.f64, R = $m.refs;
  const G32 = globalStore.i32;
  const mem = inst.mem0;
  let M8 = mem.u8, DV = mem.dv, memLen = mem.len;
  let budget = $m.budget;
  let $b = E[$m.pc];
  if ($b < 0) return 3;
  try {
    L: for (;;) {
      switch ($b) {
${out.join("\n")}
      }
    }
  } catch (e) {
    throw $trapped($m, e);
  }
};`;
  return { source, entries };
}
