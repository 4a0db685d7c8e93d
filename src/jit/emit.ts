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
 *   function returns its result to its caller instead, and exit codes
 *   through the machine: `value_call.ts`);
 * - when the budget goes below zero (`YIELDED` at the transfer's target);
 * - with {@link DEOPT} where it cannot continue (an op it does not
 *   compile): the driver runs the rest of the slice in the interpreter,
 *   from the same registers; before running anything with `NOT_ENTRY`
 *   where the slice starts at a pc that is not an entry.
 *
 * @module
 */

import { SCRATCH_NAME } from "../interp/codegen.ts";
import { instrSize, IR } from "../interp/ir_defs.ts";
import { NOT_ENTRY } from "../interp/slice.ts";
import { HELPERS } from "./helpers.ts";
import {
  deoptAt,
  enterDirect,
  frameRecord,
  type FrameShape,
  MEM_VIEWS,
  type SelfCall,
  tail,
  X_YIELD,
} from "./emit_calls.ts";
import { anySignalling } from "./signalling.ts";
import { labels } from "./nan_defer.ts";
import { type BodyContext, emitBody, FAULT, testsForward } from "./emit_body.ts";
import { nesting } from "./nesting.ts";
import { remainders } from "./emit_divrem.ts";
import { type SimdInline, simdInline } from "./simd_emit.ts";
import { COLD, leaders } from "./entries.ts";
import { CONVERSIONS, RegisterMap } from "./registers.ts";
import { enterInFile, loadedDoubles, reload } from "./register_moves.ts";
import type { CallShape } from "./homes.ts";
import { argNames, FILE_SHAPE, type ValueShape } from "./value_call.ts";

/** Exit code of a compiled slice: continue this slice in the interpreter (registers in the machine). */
export const DEOPT = 3;

const SIMD = IR["simd"], ATOMIC = IR["atomic"];

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
  /** The parameter types of the function the call at `pc` calls, where known. */
  callArgs?: (code: Int32Array, pc: number) => readonly number[] | undefined;
  /** Whether it has exception handlers. */
  exceptions?: boolean;
  /** Whether memory `index` of its instance is a memory64 one. */
  index64?: (index: number) => boolean;
  /** Its index in its instance (its calls to itself then name it directly). */
  index?: number;
  /** How direct calls pass its arguments and result (default: the register file). */
  value?: ValueShape;
  /** How direct calls to function `f` pass values (value_call.ts; default: the file). */
  protocol?: (f: number) => ValueShape;
  /**
   * Whether memory 0 is unshared, so that its DataView's own bounds check
   * may stand for the inline one (codegen.ts's `RegisterEnv`; default: no).
   */
  dataViewTraps?: boolean;
}

/** What the emitter produced for one function. */
export interface Emitted {
  /** Body of `new Function("$d", …)`: returns the slice function. */
  source: string;
  /** pc → entry number (-1: not an entry), where slices and SIMD runs start again. */
  entries: Int32Array;
  /** Registers held in JS locals (words, f64 slots counted once). */
  cached: number;
  /** Characters of the longest of the JS functions it holds (V8 optimizes each on its own). */
  longest: number;
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
  "$nestFor",
  "$oob",
  "cold",
  "simdRun",
  // The f64 constant pool (`constf64` reads it: interp/f64_consts.ts).
  "FK",
];

/**
 * Emits the slice function of `code` (a translated function's IR; its
 * results take `results` slots) and, as its `direct` property, the variant
 * direct calls enter (the slice function itself where it has none). Throws
 * only on a table body outside the shared generator's forms (a bug).
 */
export function emitFunction(code: Int32Array, options: EmitOptions = {}): Emitted {
  const results = options.results ?? options.frame?.resultSlots ?? 0;
  const name = options.name ?? "f";
  const frame = options.frame ?? { paramWords: 0, localWords: 0, refLocals: null, resultSlots: 0 };
  const callees = options.callees ?? (() => undefined);
  const index64 = options.index64 ?? (() => false);
  const own = options.value ?? FILE_SHAPE;
  const protocol = options.protocol ?? (() => FILE_SHAPE);
  const fnName = `jit_${name.replace(/\W/g, "_")}`;
  // SIMD instructions compiled inline (the others run through the SIMD
  // loop), each expanded once, its registers placed once the homes are
  // chosen.
  const simd = new Map<number, SimdInline>();
  let runs = false;
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
    if (code[pc] === ATOMIC) runs = true;
    if (code[pc] !== SIMD) continue;
    const one = simdInline(code, pc, {
      fault: () => FAULT,
      index64,
      boundsTrap: options.dataViewTraps ?? false,
    });
    if (one !== null) simd.set(pc, one);
    else runs = true;
  }
  // Direct calls enter a variant of their own where they can: one that
  // leaves at any call it cannot make in place instead of going on at the
  // return site, so that a loop around a call is one JS loop (fib_rec: a
  // third less time than through the switch at every iteration). Not where
  // SIMD or atomic ops run through the loop's code: those go on in place.
  const directName = runs ? fnName : `${fnName}_d`;
  const self: SelfCall | null = options.index === undefined || frame.frameSlots === undefined
    ? null
    : { index: options.index, name: directName, frameSlots: frame.frameSlots };
  const inline = new Set(simd.keys());
  const lead = leaders(code, inline);
  const regs = new RegisterMap(code, COLD, {
    leaders: new Set(lead),
    results,
    paramWords: frame.paramWords,
    calls: callees,
    callArgs: options.callArgs,
    exceptions: options.exceptions,
    simd: (pc) => simd.get(pc)?.accesses ?? null,
  });
  // Facts of the function both variants' bodies use, found once.
  const ctx: BodyContext = {
    code,
    regs,
    simd,
    results,
    own,
    protocol,
    callees,
    self,
    testForward: testsForward(code),
    remainder: remainders(code),
    parts: new Map(),
    labels: labels(code, lead),
    dataViewTraps: options.dataViewTraps ?? false,
  };
  const slice = emitBody(ctx, lead);
  // Without a switch where the branches nest, else with one.
  const nested = runs ? null : nesting(code);
  const direct = runs
    ? null
    : emitBody(ctx, nested === null ? leaders(code, inline, false) : [], nested);
  // Block-scoped constants would each take a register of V8's frame: one
  // function-level variable per name instead (as the loop's scratch).
  const scratch = new Set<string>(["$lo", "$hi"]);
  const hoist = (text: string) =>
    text.replace(/\bconst (\$?\w+) =/g, (_, v: string) => {
      scratch.add(v);
      return `${v} =`;
    });
  const body = hoist(slice.body), directBody = direct === null ? "" : hoist(direct.body);
  const all = body + directBody;
  /** Whether the body names `name` (the prologue binds only what it uses). */
  const uses = (name: string) => new RegExp(`(?<![\\w$.])${name}\\b`).test(all);
  const usesMem = /(?<![\w$.])(M8|DV|memLen|mem)\b/.test(all);
  /** Whether it makes direct calls (each counts the nesting `$dn`). */
  const callsDirect = uses("\\$dn");
  const args = argNames(own).map((a) => `, ${a}`).join("");
  /** Declarations both variants start with (after `fd`, `fp`, `$depth`, `$direct`). */
  const locals = `let I32 = $m.i32, F32 = $m.f32, F64 = $m.f64;
  ${uses("R") ? "const R = $m.refs;" : ""}
  let $dc = 0, $y = 0, $ce = null, $cj = null;
  ${uses("G32") ? "const G32 = globalStore.i32;" : ""}
  ${usesMem ? "const mem = inst.mem0;\n  let M8 = mem.u8, DV = mem.dv, memLen = mem.len;" : ""}
  let budget = $m.budget, $x = 0, $p = 0, $f = 0, $q = 0;
  let ${[...scratch].sort().map((v) => `${v} = 0`).join(", ")};
  ${regs.declare()}`;
  // Signalling NaNs kept out of JS doubles (signalling.ts): one in a
  // double's slot where the code starts leaves before anything ran, to
  // the interpreter.
  const reloaded = anySignalling(loadedDoubles(regs, 0, Infinity, true));
  const reloadCheck = reloaded === "" ? "" : `if (${reloaded}) ${deoptAt("$p")}`;
  const params = anySignalling(loadedDoubles(regs, 0, frame.paramWords, false));
  const entryCheck = params === ""
    ? ""
    : `if (${params}) { ${enterInFile(frame.paramWords, frame.localWords, own)} ${deoptAt("0")} }`;
  const snan = uses("\\$sv");
  const cases = (text: string) =>
    `X: {
        Y: {
          L: for (;;) {
            switch ($b) {
${text}
            }
          }
        }
        $x = ${X_YIELD};
      }`;
  const handler = `catch (e) {
    const err = e;
    // A trap under a direct call: the frames it unwinds go into the
    // machine's frame stack (its backtrace), the innermost setting the
    // running function.
    if ($dc === 1) ${frameRecord("$p")}
    else if ($dc === 0 && $direct) { $m.fn = fn; $m.fd = fd; $m.depth = $depth; }
    if ($nest > 0) throw err;
    throw $trapped($m, err);
  }`;
  const directFunction = direct === null
    ? ""
    : `function ${directName}($m, fd, $depth, $nest${args}) {
  // Called directly at pc 0: its frame is not in the machine's frame stack
  // until it leaves; $dc: 1 inside a direct call, 2 inside a pushed call.
  const fp = fd << 1, $direct = true${callsDirect ? ", $dn = $nest" : ""};
  let $b = 0;
  ${locals}
  try {
    ${enterDirect(frame, regs, own)} ${entryCheck}
    ${
      nested === null ? cases(directBody) : `X: {
      Y: {
${directBody}
      }
      $x = ${X_YIELD};
    }`
    }
    ${tail(regs, usesMem, true, snan)}
  } ${handler}
}
`;
  const source = `"use strict";
const { ${DEP_NAMES.join(", ")} } = $d;
const { ${Object.keys(HELPERS).join(", ")} } = $d.helpers;
const ${SCRATCH_NAME} = new Int32Array(2);
${CONVERSIONS}${snan ? "const $sv = [];\n" : ""}
${directFunction}
const $slice = function ${fnName}($m, $dfd, $ddepth, $nest${direct === null ? args : ""}) {
  let $b = 0, fd = $dfd, $depth = $ddepth;
  if ($dfd < 0) {
    $b = E[$m.pc];
    if ($b < 0) return ${NOT_ENTRY};
    fd = $m.fd;
    $depth = $m.depth;
  }
  // $direct: called directly (its frame is not in the machine's frame stack
  // until it leaves); $dc: 1 inside a direct call, 2 inside a pushed call.
  const fp = fd << 1, $direct = $dfd >= 0;
  ${
    // Where a chain of direct calls starts (runtime.ts's jitNesting); before
    // the views are read: the register file may grow.
    callsDirect ? "const $dn = $direct ? $nest : $nestFor($m, fd, $depth, $nest, true);" : ""}
  ${locals}
  ${reloadCheck === "" ? "" : "if ($dfd < 0) $p = $m.pc;"}
  ${
    // A direct call (where there is no variant for it) starts with its
    // parameters and zeroed locals instead of a reload.
    direct === null ? "let $fresh = $dfd >= 0;" : ""}
  try {
    for (;;) {
      ${
    direct === null
      ? `if ($fresh) {
        $fresh = false;
        ${enterDirect(frame, regs, own)} ${entryCheck}
      } else {
        ${reload(regs)} ${reloadCheck}
      }`
      : `${reload(regs)} ${reloadCheck}`
  }
      ${cases(body)}
      ${tail(regs, usesMem, false, snan)}
    }
  } ${handler}
};
$slice.direct = ${direct === null ? "$slice" : directName};
return $slice;`;
  return {
    source: source.replaceAll(
      MEM_VIEWS,
      usesMem ? "M8 = mem.u8; DV = mem.dv; memLen = mem.len;" : "",
    ),
    entries: slice.entries,
    cached: regs.size,
    longest: Math.max(source.length - directFunction.length, directFunction.length),
  };
}

export { type FrameShape, MAX_NESTING } from "./emit_calls.ts";

export { leaders } from "./entries.ts";
