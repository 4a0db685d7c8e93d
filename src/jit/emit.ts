/**
 * The JIT's emitter: the register IR of one function → the JS source of a
 * slice (`src/interp/slice.ts`) specialised to that function. Every
 * instruction's meaning comes from the IR table through the shared code
 * generator (`codegen.ts`'s `staticCase`, the same one that writes the
 * dispatch loop's cases), with operands as constants; SIMD lane operations
 * from their templates (`simd_emit.ts`); the hand-written rare ops run
 * through the loop's own `cold`. Only control transfers are written here:
 * they are what a compiled slice does differently.
 *
 * Shape of the output: a labeled `for (;;) switch ($b)` over the
 * function's entries, the places a slice may start (`entries.ts`: pc 0,
 * loop headers, the instruction after a call, where the SIMD loop may
 * stop); between two entries a forward branch is a labeled block's
 * `break`. Calls, returns and the exits' common tail are `emit_calls.ts`,
 * one instruction's forms `emit_part.ts`. The compiled code runs on the
 * interpreter's state — the register file at `fp`, memory 0's views, the
 * global store — so entering and leaving need no conversion. It counts the
 * slice budget at exactly the transfers the loop counts (taken branches,
 * calls) and leaves:
 *
 * - at a call it cannot make as a direct JS call (`YIELDED` after pushing
 *   the callee's frame, or `CALL_OUT` for out-of-line calls) and at a
 *   return (`RETURNED`, or `YIELDED` in the caller; a directly called
 *   function returns {@link DIRECT_RETURNED} to its caller instead);
 * - when the budget goes below zero (`YIELDED` at the transfer's target);
 * - with {@link DEOPT} where it cannot continue (an op it does not
 *   compile): the driver runs the rest of the slice in the interpreter,
 *   from the same registers; before running anything with `NOT_ENTRY`
 *   where the slice starts at a pc that is not an entry.
 *
 * @module
 */

import { type RegisterEnv, SCRATCH_NAME, slotIndexed, staticCase } from "../interp/codegen.ts";
import { instrSize, IR, IR_DEFS, type IrDef } from "../interp/ir_defs.ts";
import { NOT_ENTRY } from "../interp/slice.ts";
import { COLD_HANDWRITTEN } from "../interp/exec_loop.ts";
import { HELPERS } from "./helpers.ts";
import {
  directCall,
  enterDirect,
  frameRecord,
  type FrameShape,
  MEM_VIEWS,
  RETURN_CODE,
  type SelfCall,
  tail,
  X_ATOMIC,
  X_CALL_OUT,
  X_DEOPT,
  X_FAULT,
  X_SIMD,
  X_YIELD,
} from "./emit_calls.ts";
import { targets } from "./split.ts";
import { type SimdInline, simdInline, simdResolve } from "./simd_emit.ts";
import { CALL_OUTS, leaders, regionTargets } from "./entries.ts";
import { instructionPart, isInt32 } from "./emit_part.ts";
import { CONVERSIONS, RegisterMap } from "./registers.ts";
import type { CallShape } from "./homes.ts";

/** Exit code of a compiled slice: continue this slice in the interpreter (registers in the machine). */
export const DEOPT = 3;

const OP = (name: string): number => IR[name];
const UNREACHABLE = OP("unreachable"), BR_TABLE = OP("br_table"), RETURN = OP("return");
const RET32 = OP("ret32"), RET64 = OP("ret64"), CALL = OP("call"), MOVS = OP("movs");
const SIMD = OP("simd"), MOV32 = OP("mov32");
/**
 * Hand-written rare ops compiled code runs through the loop's `cold`. Not
 * `throw`/`throw_ref`: they deoptimize, so that the exception leaves the
 * interpreter, whose handler records where it was thrown (`interp/unwind.ts`).
 */
const COLD = new Set(
  COLD_HANDWRITTEN.filter((n) => n !== "throw" && n !== "throw_ref").map(OP),
);

/** How {@link emitFunction} compiles a function. */
export interface EmitOptions {
  /** Its name in the generated code (for profiles). */
  name?: string;
  /** Its result slots (default: the frame's). */
  results?: number;
  /** Its frame (for direct calls into it). */
  frame?: FrameShape;
  /** The shapes of the functions it calls directly. */
  callees?: CallShape;
  /** Whether memory `index` of its instance is a memory64 one. */
  index64?: (index: number) => boolean;
  /** Its index in its instance (its calls to itself then name it directly). */
  index?: number;
}

/** What the emitter produced for one function. */
export interface Emitted {
  /** Body of `new Function("$d", …)`: returns the slice function. */
  source: string;
  /** pc → entry number (-1: not an entry), where slices and SIMD runs start again. */
  entries: Int32Array;
  /** Registers held in JS locals (words, f64 slots counted once). */
  cached: number;
}

/**
 * Names a table body may use besides its operands, helpers and JS
 * globals: what the emitted prologue binds (as the loop's does).
 */
export const PROLOGUE_NAMES: readonly string[] = [
  "fd",
  "fp",
  "I32",
  "F32",
  "F64",
  "R",
  "G32",
  "mem",
  "M8",
  "DV",
  "memLen",
  "budget",
];

/** Names the generated code binds from its dependencies (`compile.ts` provides them). */
export const DEP_NAMES: readonly string[] = [
  "fn",
  "inst",
  "code",
  "funcs",
  "E",
  "globalStore",
  "enterFrame",
  "clearRefs",
  "$F",
  "$fault",
  "$trapped",
  "cold",
  "simdRun",
  // The f64 constant pool (`constf64` reads it: interp/f64_consts.ts).
  "FK",
];

const ATOMIC = OP("atomic");

/**
 * Emits the slice function of `code` (a translated function's IR; its
 * results take `results` slots). Throws only on a table body outside the
 * shared generator's forms (a bug).
 */
export function emitFunction(code: Int32Array, options: EmitOptions = {}): Emitted {
  const results = options.results ?? options.frame?.resultSlots ?? 0;
  const name = options.name ?? "f";
  const frame = options.frame ?? { paramWords: 0, localWords: 0, refLocals: null, resultSlots: 0 };
  const callees = options.callees ?? (() => undefined);
  const index64 = options.index64 ?? (() => false);
  const fnName = `jit_${name.replace(/\W/g, "_")}`;
  const self: SelfCall | null = options.index === undefined || frame.frameSlots === undefined
    ? null
    : { index: options.index, name: fnName, frameSlots: frame.frameSlots };
  // SIMD instructions compiled inline (the others run through the SIMD
  // loop), each expanded once, its registers placed once the homes are
  // chosen: its fault exit, which depends on where it is emitted, goes in
  // at FAULT.
  const FAULT = "/*FAULT*/";
  const simd = new Map<number, SimdInline>();
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    if (code[pc] !== SIMD) continue;
    const one = simdInline(code, pc, { fault: () => FAULT, index64 });
    if (one !== null) simd.set(pc, one);
  }
  const inline = new Set(simd.keys());
  const lead = leaders(code, inline);
  const entries = new Int32Array(code.length + 1).fill(-1);
  lead.forEach((pc, i) => entries[pc] = i);
  const regs = new RegisterMap(code, COLD, {
    leaders: new Set(lead),
    results,
    calls: callees,
    simd: (pc) => simd.get(pc)?.accesses ?? null,
  });
  let cur = 0;
  /** Where in the current instruction a branch leaves: between a pair's parts or after it. */
  let when: "mid" | "after" = "after";
  // Blocks that branch back to their own start (innermost loops of one
  // block) run as a JS loop of their own: their back edge is a `continue`
  // instead of a dispatch through the switch.
  const selfLoops = new Set<number>();
  for (let i = 0; i < lead.length; i++) {
    const end = i + 1 < lead.length ? lead[i + 1] : code.length;
    for (let pc = lead[i]; pc < end; pc += instrSize(code, pc)) {
      if (code[pc] !== BR_TABLE && targets(code, pc).includes(lead[i])) selfLoops.add(lead[i]);
    }
  }
  // Forward targets inside a region: labeled blocks `B<pc>` opened at the
  // region's start, closed where the target begins.
  const inner = regionTargets(code, entries);
  let blockStart = 0, open = false;
  /** Leaves the switch for the common tail (which spills) with `$x = x`, `$p = p`. */
  const leave = (x: number, p: string, more = "") =>
    `{ ${regs.split.spill(cur, "before", cur)} $x = ${x}; $p = ${p}; ${more}break X; }`;
  const env: RegisterEnv = {
    value(kind, at) {
      if (kind === "d") return regs.double(at);
      if (kind === "f") return regs.float(at);
      return regs.bits(at);
    },
    write(kind, at, value) {
      if (kind === "d") return regs.setDouble(at, value);
      if (kind === "f") return regs.setFloat(at, value);
      return regs.setBits(at, value, isInt32(value));
    },
    index: (kind, at) => `${slotIndexed(kind) ? "fd" : "fp"} + ${at}`,
    // Budget spent: `break Y` leaves with YIELDED at the target.
    jump: (t) => {
      const exit = `if (--budget < 0) { ${regs.split.spill(cur, when, t)} $p = ${t}; break Y; }`;
      // Forward within the region: out of the block that ends at the target.
      if (entries[t] < 0) return `${exit} break B${t};`;
      // Back to the start of the block it is in: that block's own loop.
      return t === blockStart && selfLoops.has(t)
        ? `${exit} continue S${entries[t]};`
        : `$b = ${entries[t]}; ${exit} continue L;`;
    },
    // A failed bounds check leaves through the tail. (Not a throw: values
    // live into a catch handler cost V8 boxing at every call in the loop.)
    fault: () => leave(X_FAULT, String(cur)),
  };
  /** One instruction (or bundle part) whose operands start at `code[cur + first]`. */
  const part = (d: IrDef, first: number): string => instructionPart(d, first, code, cur, regs, env);
  const out: string[] = [];
  for (let pc = 0; pc < code.length;) {
    const op = code[pc], size = instrSize(code, pc), next = pc + size;
    cur = pc;
    if (entries[pc] >= 0) {
      if (open) out.push(`break S${entries[blockStart]};\n}`);
      blockStart = pc;
      out.push(`case ${entries[pc]}:`);
      open = selfLoops.has(pc);
      if (open) out.push(`S${entries[pc]}: for (;;) {`);
      // The blocks of the region's forward targets, the farthest outermost.
      const ends: number[] = [];
      for (let q = next; q < code.length && entries[q] < 0; q += instrSize(code, q)) {
        if (inner.has(q)) ends.push(q);
      }
      for (const t of ends.reverse()) out.push(`B${t}: {`);
    } else if (inner.has(pc)) out.push(`} // B${pc}`);
    const def = IR_DEFS[op];
    let s: string;
    when = "after";
    if (def.parts !== undefined) {
      const [a, b] = def.parts;
      when = "mid";
      const first = part(a, 1);
      when = "after";
      s = `{\n${first}\n}\n{\n${part(b, a.size)}\n}`;
    } else if (def.body !== null) s = part(def, 1);
    else if (op === BR_TABLE) {
      const n = code[pc + 2], arms: string[] = [];
      for (let i = 0; i < n; i++) arms.push(`case ${i}: ${env.jump(code[pc + 3 + i])}`);
      arms.push(`default: ${env.jump(code[pc + 3 + n])}`);
      s = `switch (${regs.bits(code[pc + 1])} >>> 0) {\n${arms.join("\n")}\n}`;
    } else if (op === RET32 || op === RET64) {
      // The frame dies: only its results go back to the register file.
      const a = code[pc + 1];
      if (op === RET64) {
        // Bit-exact (through int32 words) unless the value is a JS double already.
        s = regs.isDouble(a) ? `F64[fd] = $d${a >> 1};` : `$lo = ${regs.bits(a)}; ` +
          `$hi = ${regs.bits(a + 1)}; I32[fp] = $lo; I32[fp + 1] = $hi;`;
      } else s = `I32[fp] = ${regs.bits(a)};`;
      s += ` ${RETURN_CODE}`;
    } else if (op === RETURN) {
      s = `${regs.spillWords(0, 2 * results)} ${regs.split.spill(pc, "before", -1, 0, results)} ` +
        RETURN_CODE;
    } else if (op === CALL) {
      s = directCall(regs, pc, next, callees(code[pc + 1]), code, self);
    } else if (CALL_OUTS.has(op)) {
      // Its budget unit is counted here, as the loop does.
      s = `budget--; ${leave(X_CALL_OUT, String(pc))}`;
    } else if (op === MOVS) {
      const moves: string[] = [];
      for (let i = 0; i < code[pc + 1]; i++) {
        const one = new Int32Array([MOV32, code[pc + 2 + 2 * i], code[pc + 3 + 2 * i]]);
        moves.push(staticCase(IR_DEFS[MOV32], one, 0, env));
      }
      s = moves.join("\n");
    } else if (op === SIMD) {
      const one = simd.get(pc);
      s = one !== undefined
        ? simdResolve(one, regs).replaceAll(FAULT, () => leave(X_FAULT, String(cur)))
        : leave(X_SIMD, String(pc));
    } else if (op === ATOMIC) s = leave(X_ATOMIC, String(pc));
    else if (op === UNREACHABLE) s = "trapCode(0);";
    else if (COLD.has(op)) {
      s = `cold($m, inst, code, ${pc}, fp, fd); ${MEM_VIEWS}`;
    } else s = leave(X_DEOPT, String(pc));
    out.push(`// ${pc}: ${def.name}\n${s}`);
    pc = next;
  }
  if (open) out.push(`break S${entries[blockStart]};\n}`);
  // Falling off the end cannot happen (a body ends in a return), but stay exact if it did.
  cur = code.length;
  out.push(leave(X_DEOPT, String(code.length)));
  // Block-scoped constants would each take a register of V8's frame: one
  // function-level variable per name instead (as the loop's scratch).
  const scratch = new Set<string>(["$lo", "$hi"]);
  const body = out.join("\n").replace(/\bconst (\$?\w+) =/g, (_, v: string) => {
    scratch.add(v);
    return `${v} =`;
  });
  /** Whether the body names `name` (the prologue binds only what it uses). */
  const uses = (name: string) => new RegExp(`(?<![\\w$.])${name}\\b`).test(body);
  const usesMem = /(?<![\w$.])(M8|DV|memLen|mem)\b/.test(body);
  const source = `"use strict";
const { ${DEP_NAMES.join(", ")} } = $d;
const { ${Object.keys(HELPERS).join(", ")} } = $d.helpers;
const ${SCRATCH_NAME} = new Int32Array(2);
${CONVERSIONS}
return function ${fnName}($m, $dfd, $ddepth, $nest) {
  let $b = 0, fd = $dfd, $depth = $ddepth;
  let I32 = $m.i32, F32 = $m.f32, F64 = $m.f64;
  ${uses("R") ? "const R = $m.refs;" : ""}
  if ($dfd < 0) {
    $b = E[$m.pc];
    if ($b < 0) return ${NOT_ENTRY};
    fd = $m.fd;
    $depth = $m.depth;
  }
  // $direct: called directly (its frame is not in the machine's frame stack
  // until it leaves); $dc: 1 inside a direct call, 2 inside a pushed call.
  const fp = fd << 1, $direct = $dfd >= 0;
  let $dc = 0, $y = 0, $ce = null, $cj = null;
  ${uses("G32") ? "const G32 = globalStore.i32;" : ""}
  ${usesMem ? "const mem = inst.mem0;\n  let M8 = mem.u8, DV = mem.dv, memLen = mem.len;" : ""}
  let budget = $m.budget, $x = 0, $p = 0, $f = 0, $q = 0;
  let ${[...scratch].sort().map((v) => `${v} = 0`).join(", ")};
  ${regs.declare()}
  // A direct call starts with its parameters and zeroed locals instead of a reload.
  let $fresh = $dfd >= 0;
  try {
    for (;;) {
      if ($fresh) {
        $fresh = false;
        ${enterDirect(frame, regs)}
      } else {
        ${regs.reload()}
      }
      X: {
        Y: {
          L: for (;;) {
            switch ($b) {
${body}
            }
          }
        }
        $x = ${X_YIELD};
      }
      ${tail(regs, usesMem)}
    }
  } catch (e) {
    const err = e;
    // A trap under a direct call: the frames it unwinds go into the
    // machine's frame stack (its backtrace), the innermost setting the
    // running function.
    if ($dc === 1) ${frameRecord("$p")}
    else if ($dc === 0 && $direct) { $m.fn = fn; $m.fd = fd; $m.depth = $depth; }
    if ($nest > 0) throw err;
    throw $trapped($m, err);
  }
};`;
  return {
    source: source.replaceAll(
      MEM_VIEWS,
      usesMem ? "M8 = mem.u8; DV = mem.dv; memLen = mem.len;" : "",
    ),
    entries,
    cached: regs.size,
  };
}

export { DIRECT_RETURNED, type FrameShape, MAX_NESTING } from "./emit_calls.ts";

export { leaders } from "./entries.ts";
